"""Filters of the tool lists (django-filter): catalogue by audience and availability, bookings by status and dates."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from animation_tools.models import Tool, ToolBooking, ToolQuerySet
from extranet.models import Territory

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ToolFilter(django_filters.FilterSet):
    audience = django_filters.ChoiceFilter(
        choices=Tool.Audience.choices, label=_("Public"), empty_label=_("Tous les publics")
    )
    available_from = django_filters.DateFilter(label=_("Disponible du"), method="filter_available", widget=_DATE)
    available_to = django_filters.DateFilter(label=_("au"), method="filter_available", widget=_DATE)

    class Meta:
        model = Tool
        fields: list[str] = []

    def filter_available(self, queryset: ToolQuerySet, name: str, value: object) -> ToolQuerySet:
        start = self.form.cleaned_data.get("available_from")
        end = self.form.cleaned_data.get("available_to") or start
        if name != "available_from" or start is None:
            return queryset
        return queryset.available_between(start, max(start, end))


class BookingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ToolBooking.Status.choices, label=_("Statut"), empty_label=_("Tous"))
    loan_from = django_filters.DateFilter(
        field_name="loan_date", lookup_expr="gte", label=_("Prêt à partir du"), widget=_DATE
    )
    loan_to = django_filters.DateFilter(
        field_name="loan_date", lookup_expr="lte", label=_("Prêt jusqu'au"), widget=_DATE
    )

    class Meta:
        model = ToolBooking
        fields: list[str] = []


NAVETTE_DEFAULT_DAYS = 7
NAVETTE_MAX_DAYS = 92


class NavetteFilter(forms.Form):
    """The navette plan's period and territory; ``territories`` are those the staff member
    manages (``referent_territories``): another territory's id is an invalid choice."""

    date_from = forms.DateField(label=_("Du"), widget=_DATE, required=False)
    date_to = forms.DateField(label=_("Au"), widget=_DATE, required=False)
    territory = forms.ModelChoiceField(
        label=_("Territoire"), queryset=Territory.objects.none(), required=False, empty_label=_("Tous")
    )

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories  # type: ignore[attr-defined]

    def period(self, today: datetime.date) -> tuple[datetime.date, datetime.date, Territory | None]:
        """The plan's first and last days and its territory: the chosen ones (when the form is
        valid), else the week from ``today``; never more than ``NAVETTE_MAX_DAYS`` days."""
        start, end, territory = today, today + datetime.timedelta(days=NAVETTE_DEFAULT_DAYS - 1), None
        if self.is_valid():
            start = self.cleaned_data["date_from"] or start
            end = self.cleaned_data["date_to"] or start + datetime.timedelta(days=NAVETTE_DEFAULT_DAYS - 1)
            territory = self.cleaned_data["territory"]
        end = min(max(start, end), start + datetime.timedelta(days=NAVETTE_MAX_DAYS))
        return start, end, territory
