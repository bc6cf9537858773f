"""Admin of document reservations: BDVO staff process the libraries' requests."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.models import Reservation
from catalogue.services.reservations import reservation_cancel, reservation_mark_available, reservation_mark_fulfilled
from extranet.permissions import ReferentScopedAdminMixin


@admin.register(Reservation)
class ReservationAdmin(ReferentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["record", "library", "territory", "created_by", "created_at", "status"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter), "library__territory", "library"]
    list_select_related = ["record", "library__territory", "created_by"]
    search_fields = ["record__title", "record__isbn", "library__name", "library__code"]
    date_hierarchy = "created_at"
    readonly_fields = ["record", "library", "created_by", "created_at", "status", "status_changed_at"]
    actions = ["mark_available", "mark_fulfilled", "cancel"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Reservation]:
        """A referent sees (and acts on) the reservations of their territories' libraries only."""
        return super().get_queryset(request).defer("record__marc")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Reservations are made by the libraries from the record page.
        return False

    @admin.display(description=_("territoire"), ordering="library__territory__name")
    def territory(self, obj: Reservation) -> str:
        return obj.library.territory.name

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet[Reservation],
        service: Callable[..., object],
        singular: str,
        plural: str,
    ) -> None:
        done = 0
        for reservation in queryset.select_related("record"):
            try:
                service(reservation=reservation, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                self.message_user(request, f"{reservation.record.title} : {' '.join(reasons)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, ngettext(singular, plural, done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Marquer disponible"), permissions=["change"])
    def mark_available(self, request: HttpRequest, queryset: QuerySet[Reservation]) -> None:
        self._apply(
            request,
            queryset,
            reservation_mark_available,
            "%(count)d réservation marquée disponible.",
            "%(count)d réservations marquées disponibles.",
        )

    @admin.action(description=_("Marquer satisfaite"), permissions=["change"])
    def mark_fulfilled(self, request: HttpRequest, queryset: QuerySet[Reservation]) -> None:
        self._apply(
            request,
            queryset,
            reservation_mark_fulfilled,
            "%(count)d réservation marquée satisfaite.",
            "%(count)d réservations marquées satisfaites.",
        )

    @admin.action(description=_("Annuler"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Reservation]) -> None:
        self._apply(
            request, queryset, reservation_cancel, "%(count)d réservation annulée.", "%(count)d réservations annulées."
        )
