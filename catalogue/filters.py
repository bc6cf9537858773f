"""Facet filters of the catalogue search (django-filter).

Each facet is a query-string parameter that may repeat: ``type``, ``audience``,
``language`` and ``period`` (a decade such as ``1990``) keep the records having any of the
chosen values; ``author`` and ``subject`` keep the records having all of them (narrowing,
as one expects when clicking a second author); ``available=1`` keeps the records of which
an item is available (the search row's ``available_now``). Unknown or malformed values
are ignored, never an error.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from catalogue.models import Audience, DocumentType, Item, Record, RecordAuthor, RecordSubject

MAX_VALUES_PER_FACET = 10
FACET_PARAMS = ("type", "author", "subject", "language", "period", "audience", "available")


class TextListField(forms.Field):
    """Repeated query-string values, stripped, bounded in number and length."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        cleaned: list[str] = []
        for raw in values:
            text = str(raw).strip()[:255]
            if text and text not in cleaned:
                cleaned.append(text)
        return cleaned[:MAX_VALUES_PER_FACET]


class TextListFilter(django_filters.Filter):
    field_class = TextListField


class ChoiceListFilter(TextListFilter):
    """Any of the chosen values of a field with fixed choices; unknown values are dropped."""

    def __init__(self, *args, choices: list[tuple[str, object]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = {value for value, _label in choices}

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        value = [v for v in value or [] if v in self.allowed]
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


def decades(values: list[str]) -> list[int]:
    """Decade starts (``"1990"`` → 1990) among ``values``; anything else is dropped."""
    result = []
    for value in values or []:
        if value.isdigit() and len(value) == 4 and value.endswith("0"):
            result.append(int(value))
    return result


class RecordFilter(django_filters.FilterSet):
    type = ChoiceListFilter(field_name="document_type", choices=DocumentType.choices)
    audience = ChoiceListFilter(field_name="audience", choices=[c for c in Audience.choices if c[0]])
    language = TextListFilter(method="filter_language")
    period = TextListFilter(method="filter_period")
    author = TextListFilter(method="filter_author")
    subject = TextListFilter(method="filter_subject")
    available = django_filters.CharFilter(method="filter_available")

    class Meta:
        model = Record
        fields: list[str] = []

    def filter_language(self, queryset: QuerySet[Record], name: str, value: list[str]) -> QuerySet[Record]:
        codes = [code.lower()[:3] for code in value if code.isalpha()]
        return queryset.filter(language__in=codes) if codes else queryset

    def filter_period(self, queryset: QuerySet[Record], name: str, value: list[str]) -> QuerySet[Record]:
        condition = Q()
        for start in decades(value):
            condition |= Q(publication_year__gte=start, publication_year__lte=start + 9)
        return queryset.filter(condition) if condition else queryset

    def filter_author(self, queryset: QuerySet[Record], name: str, value: list[str]) -> QuerySet[Record]:
        for author in value:
            queryset = queryset.filter(Exists(RecordAuthor.objects.filter(record=OuterRef("pk"), name=author)))
        return queryset

    def filter_subject(self, queryset: QuerySet[Record], name: str, value: list[str]) -> QuerySet[Record]:
        for subject in value:
            queryset = queryset.filter(Exists(RecordSubject.objects.filter(record=OuterRef("pk"), label=subject)))
        return queryset

    def filter_available(self, queryset: QuerySet[Record], name: str, value: str) -> QuerySet[Record]:
        if value != "1":
            return queryset
        return queryset.filter(available_now=True)


def available_items_exist() -> Exists:
    """Condition: the record has at least one available item."""
    return Exists(Item.objects.filter(record=OuterRef("pk"), status=Item.Status.AVAILABLE))
