"""The facets of the catalogue search: what each one filters, its labels, the lists and chips shown.

Each facet is a query-string parameter that may repeat: ``type``, ``audience``,
``language`` and ``period`` (a decade such as ``1990``) keep the records having any of the
chosen values; ``author`` and ``subject`` keep the records having all of them (narrowing,
as one expects when clicking a second author); ``available=1`` keeps the records of which
an item is available (the search row's ``available_now``). Unknown or malformed values
are ignored, never an error.

The counts come from the results statement (``query.summarise``): exact for the fixed
facets; authors and subjects of more than ``FACET_SAMPLE_THRESHOLD`` results are counted
on the first ``FACET_SAMPLE_SIZE`` of them (the page says so).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalogue.models import Audience, DocumentType, Record, RecordAuthor, RecordSearch, RecordSubject
from catalogue.search.params import FACET_PARAMS, MAX_VALUE_LENGTH, MAX_VALUES_PER_FACET, search_url, url_without

if TYPE_CHECKING:
    from catalogue.search.query import Summary

FACET_SIZE = 10
FACET_SAMPLE_THRESHOLD = 1_000
FACET_SAMPLE_SIZE = 1_000

FACET_LABELS = {
    "type": gettext_lazy("Type de document"),
    "author": gettext_lazy("Auteur"),
    "subject": gettext_lazy("Sujet"),
    "language": gettext_lazy("Langue"),
    "period": gettext_lazy("Période de publication"),
    "audience": gettext_lazy("Public"),
    "available": gettext_lazy("Disponibilité"),
}
LANGUAGE_LABELS = {
    "fre": gettext_lazy("Français"),
    "eng": gettext_lazy("Anglais"),
    "ger": gettext_lazy("Allemand"),
    "spa": gettext_lazy("Espagnol"),
    "ita": gettext_lazy("Italien"),
    "por": gettext_lazy("Portugais"),
    "ara": gettext_lazy("Arabe"),
    "jpn": gettext_lazy("Japonais"),
    "chi": gettext_lazy("Chinois"),
    "rus": gettext_lazy("Russe"),
    "dut": gettext_lazy("Néerlandais"),
    "lat": gettext_lazy("Latin"),
    "mul": gettext_lazy("Multilingue"),
    "und": gettext_lazy("Indéterminée"),
}


# --- Filters -------------------------------------------------------------------------------


class TextListField(forms.Field):
    """Repeated query-string values, stripped, bounded in number and length."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        cleaned: list[str] = []
        for raw in values:
            text = str(raw).strip()[:MAX_VALUE_LENGTH]
            if text and text not in cleaned:
                cleaned.append(text)
        return cleaned[:MAX_VALUES_PER_FACET]


class TextListFilter(django_filters.Filter):
    field_class = TextListField


class ChoiceListFilter(TextListFilter):
    """Any of the chosen values of a field with fixed choices; unknown values are dropped."""

    def __init__(self, *args: Any, choices: Sequence[tuple[str, object]], **kwargs: Any) -> None:
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
    """The facet filters, applied to search rows (``RecordSearch``: the same column names as ``Record``)."""

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

    def filter_language(self, queryset: QuerySet[RecordSearch], name: str, value: list[str]) -> QuerySet[RecordSearch]:
        codes = [code.lower()[:3] for code in value if code.isalpha()]
        return queryset.filter(language__in=codes) if codes else queryset

    def filter_period(self, queryset: QuerySet[RecordSearch], name: str, value: list[str]) -> QuerySet[RecordSearch]:
        condition = Q()
        for start in decades(value):
            condition |= Q(publication_year__gte=start, publication_year__lte=start + 9)
        return queryset.filter(condition) if condition else queryset

    def filter_author(self, queryset: QuerySet[RecordSearch], name: str, value: list[str]) -> QuerySet[RecordSearch]:
        for author in value:
            queryset = queryset.filter(Exists(RecordAuthor.objects.filter(record=OuterRef("pk"), name=author)))
        return queryset

    def filter_subject(self, queryset: QuerySet[RecordSearch], name: str, value: list[str]) -> QuerySet[RecordSearch]:
        for subject in value:
            queryset = queryset.filter(Exists(RecordSubject.objects.filter(record=OuterRef("pk"), label=subject)))
        return queryset

    def filter_available(self, queryset: QuerySet[RecordSearch], name: str, value: str) -> QuerySet[RecordSearch]:
        if value != "1":
            return queryset
        return queryset.filter(available_now=True)


# --- Labels --------------------------------------------------------------------------------


def language_label(code: str) -> str:
    """The French name of a MARC language code (the code itself when unknown)."""
    return str(LANGUAGE_LABELS.get(code, code or _("Non précisée")))


def period_label(start: int) -> str:
    """« 1990–1999 » for the decade starting in ``start``."""
    return _("%(start)d–%(end)d") % {"start": start, "end": start + 9}


def value_label(param: str, value: str) -> str:
    """The label of a facet value in the active language (read from a per-process cache:
    a results page shows about eighty labels, each a translation lookup otherwise)."""
    return _cached_label(param, value, get_language())


@functools.lru_cache(maxsize=4096)
def _cached_label(param: str, value: str, _language: str | None) -> str:
    """``value_label`` for one language; the labels are translations of fixed texts, so
    caching them per process is safe (a value the code does not know is its own label)."""
    if param == "type":
        return str(DocumentType(value).label) if value in DocumentType.values else value
    if param == "audience":
        return str(Audience(value).label) if value in Audience.values else value
    if param == "language":
        return language_label(value)
    if param == "period":
        return period_label(int(value)) if decades([value]) else value
    if param == "available":
        return _("Disponible maintenant")
    return value


# --- What the page shows -------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    url: str
    selected: bool


@dataclass
class Facet:
    param: str
    label: str
    values: list[FacetValue] = field(default_factory=list)
    sample_size: int = 0  # > 0: counted over this many matching records only


@dataclass
class Chip:
    label: str
    remove_url: str


def sample_size() -> int:
    """How many matching ids the results statement reads the authors and subjects of."""
    return max(FACET_SAMPLE_SIZE, FACET_SAMPLE_THRESHOLD)


def facets(summary: Summary, path: str, links: list[tuple[str, str]], selected: dict[str, list[str]]) -> list[Facet]:
    """The facets of the results page, with their counts and the links that add or remove a value.

    ``path``: the search page's path; ``links``: the search's parameters kept in links;
    ``selected``: the chosen values of each facet.
    """
    # Authors and subjects of very large result sets are counted on a sample (``query.summarise``):
    # an exact count joins hundreds of thousands of rows for a list of ten names (the page says so).
    sampled_on = FACET_SAMPLE_SIZE if summary.total > FACET_SAMPLE_THRESHOLD else 0
    counters: dict[str, Counter] = {name: Counter() for name in ("type", "audience", "language", "period", "available")}
    for document_type, audience, language, decade, available_now, count in summary.groups:
        counters["type"][document_type] += count
        if audience:
            counters["audience"][audience] += count
        if language:
            counters["language"][language] += count
        if decade is not None:
            counters["period"][str(decade)] += count
        if available_now:
            counters["available"]["1"] += count
    counters["author"] = Counter(dict(summary.authors))
    counters["subject"] = Counter(dict(summary.subjects))

    prefix = search_url(links, path=path) + ("&" if links else "?")
    result = []
    for name in FACET_PARAMS:
        counter = counters[name]
        if name == "period":
            items = sorted(counter.items(), key=lambda kv: kv[0], reverse=True)
        else:
            items = counter.most_common(FACET_SIZE)
        chosen = selected.get(name, [])
        values = [
            FacetValue(
                value=value,
                label=value_label(name, value),
                count=count,
                # The current search plus this value: its query string, encoded once, is
                # the start of every link of the facets (``params.url_with`` gives the same URL).
                url=url_without(path, links, name, value)
                if value in chosen
                else f"{prefix}{urlencode([(name, value)])}",
                selected=value in chosen,
            )
            for value, count in items
        ]
        if values:
            sampled = sampled_on if name in ("author", "subject") else 0
            result.append(Facet(param=name, label=str(FACET_LABELS[name]), values=values, sample_size=sampled))
    return result


def chips(facet_values: list[tuple[str, str]], path: str, links: list[tuple[str, str]]) -> list[Chip]:
    """One chip per chosen facet value, with the link that removes it."""
    return [
        Chip(
            label=f"{FACET_LABELS[name]} : {value_label(name, value)}", remove_url=url_without(path, links, name, value)
        )
        for name, value in facet_values
    ]
