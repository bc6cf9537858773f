"""Filters of the « Prochaines formations et inscriptions » list (django-filter)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from trainings.models import Audience, Theme, TrainingSession

MONTHS_AHEAD = 12


def _month_start(year: int, month: int) -> datetime.datetime:
    return datetime.datetime(year, month, 1, tzinfo=timezone.get_current_timezone())


def upcoming_months(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """``("2027-03", "mars 2027")`` for this month and the next ``MONTHS_AHEAD - 1``."""
    today = today or timezone.localdate()
    choices = []
    year, month = today.year, today.month
    for _i in range(MONTHS_AHEAD):
        choices.append((f"{year:04d}-{month:02d}", formats.date_format(datetime.date(year, month, 1), "F Y")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


class SessionFilter(django_filters.FilterSet):
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        field_name="training__theme",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        empty_label=_("Tous les thèmes"),
    )
    audience = django_filters.ChoiceFilter(
        label=_("Public"), field_name="training__audience", choices=Audience.choices, empty_label=_("Tous les publics")
    )
    month = django_filters.ChoiceFilter(label=_("Mois"), method="filter_month", empty_label=_("Tous les mois"))

    class Meta:
        model = TrainingSession
        fields = ["theme", "audience", "month"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["month"].extra["choices"] = upcoming_months()

    def filter_month(self, queryset: QuerySet[TrainingSession], name: str, value: str) -> QuerySet[TrainingSession]:
        year, month = (int(part) for part in value.split("-"))
        start = _month_start(year, month)
        end = _month_start(year + 1, 1) if month == 12 else _month_start(year, month + 1)
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)
