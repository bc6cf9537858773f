"""Filters, columns and sort orders of the loans, returns and reservations lists of the
espace professionnel (django-filter).

The same FilterSets serve the lists and their exports ("toutes les lignes correspondant
aux filtres"), so an export always contains what the list shows.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Loan, LoanQuerySet, Reservation
from extranet.lists import Sorts, ordered, parse_sort

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TEXT = forms.TextInput(attrs={"type": "search"})


class _LoanFields(django_filters.FilterSet):
    """The filters « Prêts en cours » and « Retours » share."""

    title = django_filters.CharFilter(
        field_name="item__record__title", lookup_expr="icontains", label=_("Titre"), widget=_TEXT
    )
    author = django_filters.CharFilter(
        field_name="item__record__main_author", lookup_expr="icontains", label=_("Auteur"), widget=_TEXT
    )
    barcode = django_filters.CharFilter(
        field_name="item__barcode", lookup_expr="icontains", label=_("Code-barres"), widget=_TEXT
    )
    loaned_on = django_filters.DateFilter(field_name="loaned_on", label=_("Date de prêt"), widget=_DATE)
    loaned_from = django_filters.DateFilter(
        field_name="loaned_on", lookup_expr="gte", label=_("Prêté à partir du"), widget=_DATE
    )
    loaned_to = django_filters.DateFilter(
        field_name="loaned_on", lookup_expr="lte", label=_("Prêté jusqu'au"), widget=_DATE
    )

    class Meta:
        model = Loan
        fields: list[str] = []


class LoanFilter(_LoanFields):
    """« Prêts en cours »: the shared filters and « En retard » (due before today)."""

    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("En retard"), widget=forms.CheckboxInput(attrs={"value": "1"})
    )

    def filter_overdue(self, queryset: LoanQuerySet, name: str, value: bool | None) -> LoanQuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset


class ReturnFilter(_LoanFields):
    """« Retours »: the shared filters and the return date."""

    returned_on = django_filters.DateFilter(field_name="returned_on", label=_("Date de retour"), widget=_DATE)
    returned_from = django_filters.DateFilter(
        field_name="returned_on", lookup_expr="gte", label=_("Rendu à partir du"), widget=_DATE
    )
    returned_to = django_filters.DateFilter(
        field_name="returned_on", lookup_expr="lte", label=_("Rendu jusqu'au"), widget=_DATE
    )


# The filters of each list of loans (``kind``).
LOAN_FILTERS: dict[str, type[_LoanFields]] = {"loans": LoanFilter, "returns": ReturnFilter}


class ReservationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Reservation.Status.choices, label=_("Statut"), empty_label=_("Tous"))
    created_from = django_filters.DateFilter(
        field_name="created_at__date", lookup_expr="gte", label=_("Demandée à partir du"), widget=_DATE
    )
    created_to = django_filters.DateFilter(
        field_name="created_at__date", lookup_expr="lte", label=_("Demandée jusqu'au"), widget=_DATE
    )

    class Meta:
        model = Reservation
        fields: list[str] = []


# Columns of the lists and of their CSV exports: sort key → French heading.
LOAN_COLUMNS = [
    ("title", _("Titre")),
    ("author", _("Auteur")),
    ("barcode", _("Code-barres")),
    ("call_number", _("Cote")),
    ("document_type", _("Type de document")),
    ("loaned_on", _("Date de prêt")),
    ("due_on", _("Retour prévu")),
]
RETURN_COLUMNS = [*LOAN_COLUMNS, ("returned_on", _("Date de retour"))]
RESERVATION_COLUMNS = [
    ("title", _("Titre")),
    ("author", _("Auteur")),
    ("created_at", _("Date de la demande")),
    ("status", _("Statut")),
]
# Text columns sort A to Z on a first click; dates start with the most recent.
TEXT_COLUMNS = frozenset({"title", "author", "barcode", "call_number", "document_type", "status"})

# Sort keys offered in the column headers → database ordering (a tie-breaker keeps pages stable).
LOAN_SORTS: Sorts = {
    "title": "item__record__title",
    "author": "item__record__main_author",
    "barcode": "item__barcode",
    "call_number": "item__call_number",
    # An item without its own type shows its record's: sort on what is shown.
    "document_type": Coalesce(NullIf("item__document_type", Value("")), "item__record__document_type"),
    "loaned_on": "loaned_on",
    "due_on": "due_on",
    "returned_on": "returned_on",
}
RESERVATION_SORTS: Sorts = {
    "title": "record__title",
    "author": "record__main_author",
    "created_at": "created_at",
    "status": "status",
}
LOAN_COLUMNS_ONLY = (
    "id",
    "loaned_on",
    "due_on",
    "returned_on",
    "library_id",
    "item__barcode",
    "item__call_number",
    "item__document_type",
    "item__record__title",
    "item__record__main_author",
    "item__record__document_type",
    "renewal_count",
    "return_announced_for",
)


def loans_of_kind(scoped_loans: LoanQuerySet, kind: str) -> LoanQuerySet:
    """In-progress (``loans``) or returned (``returns``) loans among ``scoped_loans`` (one
    library's: ``Loan.objects.for_library(library)``), with the list columns only."""
    queryset = scoped_loans.in_progress() if kind == "loans" else scoped_loans.returned()
    return queryset.select_related("item__record").only(*LOAN_COLUMNS_ONLY)


def filtered_loans(scoped_loans: LoanQuerySet, kind: str, params: QueryDict) -> QuerySet[Loan]:
    """The loans a list shows for ``params`` (its query string), in its sort order."""
    base = loans_of_kind(scoped_loans, kind)
    filterset = LOAN_FILTERS[kind](params, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    key, descending = parse_sort(params.get("o"), LOAN_SORTS, "-loaned_on")
    return ordered(queryset, LOAN_SORTS, key, descending)
