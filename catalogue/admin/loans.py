"""Admin of loans: lists for BDVO staff (scoped to the referent's territories) and the
"enregistrer le retour" action. Loans are created on the staff lending page, which scans
barcodes through the same service (``catalogue.services.loans``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.models import Loan, LoanQuerySet
from catalogue.services.loans import loan_return
from extranet.permissions import ReferentScopedAdminMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from extranet.models import User


class ReturnedFilter(admin.SimpleListFilter):
    title = _("retour")
    parameter_name = "returned"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, StrOrPromise]]:
        return [("no", _("Prêts en cours")), ("overdue", _("En retard")), ("yes", _("Rendus"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Loan]) -> QuerySet[Loan]:
        loans = cast(LoanQuerySet, queryset)  # LoanAdmin's queryset, read from Loan.objects
        if self.value() == "no":
            return loans.in_progress()
        if self.value() == "overdue":
            return loans.overdue(timezone.localdate())
        if self.value() == "yes":
            return loans.returned()
        return loans


@admin.register(Loan)
class LoanAdmin(ReferentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["barcode", "title", "library", "loaned_on", "due_on", "renewal_count", "returned_on"]
    list_filter = [ReturnedFilter, "library__territory", "library", "loaned_on", "due_on", "returned_on"]
    search_fields = ["item__barcode", "item__record__title"]
    list_select_related = ["item__record", "library"]
    date_hierarchy = "loaned_on"
    readonly_fields = [
        "item",
        "library",
        "loaned_on",
        "due_on",
        "renewal_count",
        "return_announced_for",
        "return_announced_at",
        "returned_on",
        "created_by",
        "created_at",
    ]
    actions = ["record_return"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Loan]:
        return super().get_queryset(request).defer("item__record__marc")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Loans are made by scanning barcodes on the staff lending page (/personnel/prets/).
        return False

    @admin.display(description=_("code-barres"), ordering="item__barcode")
    def barcode(self, loan: Loan) -> str:
        return loan.item.barcode

    @admin.display(description=_("titre"), ordering="item__record__title")
    def title(self, loan: Loan) -> str:
        return loan.item.record.title

    @admin.action(description=_("Enregistrer le retour"), permissions=["change"])
    def record_return(self, request: HttpRequest, queryset: LoanQuerySet) -> None:
        returned = 0
        for loan in queryset.in_progress().select_related("item"):
            try:
                loan_return(barcode=loan.item.barcode, by=cast("User", request.user))  # the admin lets only staff in
            except ValidationError as exc:
                self.message_user(request, f"{loan.item.barcode} : {' '.join(exc.messages)}", messages.ERROR)
            else:
                returned += 1
        self.message_user(
            request,
            ngettext("%(count)d retour enregistré.", "%(count)d retours enregistrés.", returned) % {"count": returned},
            messages.SUCCESS,
        )
