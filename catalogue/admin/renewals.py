"""Admin of loan renewals (prolongations): the requests waiting for BDVO staff when
``LOAN_RENEWALS_NEED_STAFF`` is set, granted or refused here (``catalogue.services.renewals``)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.admin.actions import apply_to_each, reason_page
from catalogue.models import LoanRenewal
from catalogue.services.renewals import renewal_grant, renewal_refuse
from extranet.permissions import ReferentScopedAdminMixin


@admin.register(LoanRenewal)
class LoanRenewalAdmin(ReferentScopedAdminMixin, admin.ModelAdmin):
    library_field = "loan__library"
    list_display = ["loan", "library", "status", "requested_at", "previous_due_on", "new_due_on", "decided_by"]
    list_filter = ["status", "loan__library__territory", "loan__library"]
    list_select_related = ["loan__item", "loan__library", "decided_by"]
    search_fields = ["loan__item__barcode", "loan__item__record__title", "loan__library__name"]
    readonly_fields = [
        "loan",
        "status",
        "requested_by",
        "requested_at",
        "previous_due_on",
        "new_due_on",
        "decided_by",
        "decided_at",
        "refusal_reason",
    ]
    actions = ["grant", "refuse"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Libraries ask from « Prêts en cours ».
        return False

    @admin.display(description=_("bibliothèque"), ordering="loan__library__name")
    def library(self, obj: LoanRenewal) -> str:
        return obj.loan.library.name

    @admin.action(description=_("Accorder les prolongations sélectionnées"), permissions=["change"])
    def grant(self, request: HttpRequest, queryset: QuerySet[LoanRenewal]) -> None:
        apply_to_each(
            self,
            request,
            queryset.select_related("loan__item", "loan__library"),
            renewal_grant,
            lambda count: (
                ngettext("%(count)d prolongation accordée.", "%(count)d prolongations accordées.", count)
                % {"count": count}
            ),
            keyword="renewal",
        )

    @admin.action(description=_("Refuser les prolongations sélectionnées (avec un motif)"), permissions=["change"])
    def refuse(self, request: HttpRequest, queryset: QuerySet[LoanRenewal]) -> HttpResponse | None:
        selected = queryset.select_related("loan__item", "loan__library")
        reason, page = reason_page(self, request, selected, action="refuse", title=str(_("Refuser des prolongations")))
        if page is not None:
            return page
        apply_to_each(
            self,
            request,
            selected,
            renewal_refuse,
            lambda count: (
                ngettext("%(count)d prolongation refusée.", "%(count)d prolongations refusées.", count)
                % {"count": count}
            ),
            keyword="renewal",
            reason=reason,
        )
        return None
