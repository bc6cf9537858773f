"""Admin of document reservations: BDVO staff follow the libraries' requests, set an item
aside out of turn, cancel with a reason. Items are set aside and reservations delivered by
the circulation itself (returns and loans, ``catalogue.services.circulation``)."""

from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.admin.actions import apply_to_each, reason_page
from catalogue.models import Reservation, ReservationQuerySet
from catalogue.services.reservations import reservation_cancel, reservation_set_aside
from extranet.permissions import ReferentScopedAdminMixin


@admin.register(Reservation)
class ReservationAdmin(ReferentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["record", "library", "territory", "created_at", "status", "queue_rank", "item", "delivery_on"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter), "delivery_on", "library__territory", "library"]
    list_select_related = ["record", "library__territory", "item"]
    search_fields = ["record__title", "record__isbn", "library__name", "library__code", "item__barcode"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "record",
        "library",
        "created_by",
        "created_at",
        "status",
        "status_changed_at",
        "item",
        "delivery_on",
        "set_aside_at",
        "loan",
        "fulfilled_at",
        "cancelled_at",
        "cancellation_reason",
    ]
    actions = ["set_aside", "cancel"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Reservation]:
        """A referent sees (and acts on) the reservations of their territories' libraries only."""
        reservations = cast(ReservationQuerySet, super().get_queryset(request))  # read from Reservation.objects
        return reservations.defer("record__marc").with_queue_rank()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Reservations are made by the libraries from the record page.
        return False

    @admin.display(description=_("territoire"), ordering="library__territory__name")
    def territory(self, obj: Reservation) -> str:
        return obj.library.territory.name

    @admin.display(description=_("rang"))
    def queue_rank(self, obj: Reservation) -> int | None:
        return getattr(obj, "queue_rank", None)

    @admin.action(description=_("Mettre de côté un exemplaire disponible"), permissions=["change"])
    def set_aside(self, request: HttpRequest, queryset: QuerySet[Reservation]) -> None:
        apply_to_each(
            self,
            request,
            queryset.select_related("record", "library"),
            reservation_set_aside,
            lambda count: (
                ngettext("%(count)d réservation mise de côté.", "%(count)d réservations mises de côté.", count)
                % {"count": count}
            ),
            keyword="reservation",
        )

    @admin.action(description=_("Annuler (avec un motif)"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Reservation]) -> HttpResponse | None:
        selected = queryset.select_related("record", "library")
        reason, page = reason_page(self, request, selected, action="cancel", title=str(_("Annuler des réservations")))
        if page is not None:
            return page
        apply_to_each(
            self,
            request,
            selected,
            reservation_cancel,
            lambda count: (
                ngettext("%(count)d réservation annulée.", "%(count)d réservations annulées.", count) % {"count": count}
            ),
            keyword="reservation",
            reason=reason,
        )
        return None
