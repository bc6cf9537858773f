"""Read-side queries of the catalogue: the search results page, its facets, the record page."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalogue.filters import FACET_PARAMS, RecordFilter, available_items_exist, decades
from catalogue.models import (
    Audience,
    DocumentType,
    Record,
    RecordAuthor,
    RecordSearch,
    RecordSubject,
)
from catalogue.search import matching_rows, query_terms, with_relevance

PER_PAGE = 20
FACET_SIZE = 10
FACET_SAMPLE_THRESHOLD = 1_000
FACET_SAMPLE_SIZE = 1_000
MAX_QUERY_LENGTH = 500

# Orderings of the search rows (``RecordSearch``); title and author come from the record.
SORTS: dict[str, tuple[object, ...]] = {
    # Ties broken by id, not title: a title would join every matching record for one page.
    "relevance": (F("relevance").desc(), "pk"),
    "title": ("record__title", "pk"),
    "author": ("record__main_author", "record__title", "pk"),
    "newest": (F("publication_year").desc(nulls_last=True), "record__title", "pk"),
    "oldest": (F("publication_year").asc(nulls_last=True), "record__title", "pk"),
}
SORT_LABELS = {
    "relevance": gettext_lazy("Pertinence"),
    "title": gettext_lazy("Titre"),
    "author": gettext_lazy("Auteur"),
    "newest": gettext_lazy("Date (plus récent)"),
    "oldest": gettext_lazy("Date (plus ancien)"),
}
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


@dataclass
class CatalogueResults:
    query: str
    page: Page
    facets: list[Facet]
    chips: list[Chip]
    sort: str
    sort_options: list[tuple[str, str, str]]  # (key, label, url)
    clear_url: str
    previous_url: str = ""
    next_url: str = ""

    @property
    def count(self) -> int:
        return self.page.paginator.count


def search_url(params: Sequence[tuple[str, str]], *, path: str = "") -> str:
    """The search page's URL with these query-string parameters (``path``: ``reverse("search")``, if known)."""
    return (path or reverse("search")) + ("?" + urlencode(list(params)) if params else "")


def facet_search_url(param: str, value: str) -> str:
    """A new catalogue search restricted to one facet value (authors and subjects of a record)."""
    return search_url([("scope", "catalogue"), (param, value)])


def language_label(code: str) -> str:
    return str(LANGUAGE_LABELS.get(code, code or _("Non précisée")))


def period_label(start: int) -> str:
    return _("%(start)d–%(end)d") % {"start": start, "end": start + 9}


def _value_label(param: str, value: str) -> str:
    """The label of a facet value in the active language (read from a per-process cache:
    a results page shows about eighty labels, each a translation lookup otherwise)."""
    return _cached_label(param, value, get_language())


@functools.lru_cache(maxsize=4096)
def _cached_label(param: str, value: str, _language: str | None) -> str:
    """``_value_label`` for one language; the labels are translations of fixed texts, so
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


def _printable(text: str) -> str:
    """``text`` without control characters (PostgreSQL refuses NUL bytes in text parameters)."""
    return "".join(char for char in text if char.isprintable() or char == " ")


def clean_params(data: QueryDict) -> list[tuple[str, str]]:
    """The search parameters worth keeping in links, in a stable order (no page, no empty values)."""
    params: list[tuple[str, str]] = []
    query = _printable(data.get("q", "")[:MAX_QUERY_LENGTH]).strip()
    if query:
        params.append(("q", query))
    scope = data.get("scope")
    if scope in ("all", "catalogue"):
        params.append(("scope", scope))
    for name in FACET_PARAMS:
        seen: list[str] = []
        for value in data.getlist(name)[:10]:
            value = _printable(value[:255]).strip()
            if value and value not in seen:
                seen.append(value)
                params.append((name, value))
    if data.get("sort") in SORTS:
        params.append(("sort", data["sort"]))
    return params


def _with(path: str, params: list[tuple[str, str]], name: str, value: str) -> str:
    return search_url([*params, (name, value)], path=path)


def _without(path: str, params: list[tuple[str, str]], name: str, value: str | None = None) -> str:
    return search_url([(n, v) for n, v in params if not (n == name and (value is None or v == value))], path=path)


def search_catalogue(data: QueryDict, *, per_page: int = PER_PAGE) -> CatalogueResults:
    """The catalogue results page for the query string ``data``: matches, facets, chips, sorts.

    Two SQL queries whatever the sort, the page, its size and the number of hits: one
    statement reads the matching search rows once (see ``_summary``) and gives the total,
    the facets (authors and subjects counted on up to 1 000 matching ids) and the page's
    ids; then the page's records. Bad input (unknown values, absurd pages, 2 000
    characters) gives a normal, possibly empty, page.
    """
    params = clean_params(data)
    query = next((value for name, value in params if name == "q"), "")
    links = [(n, v) for n, v in params if n != "sort"]
    sort = data.get("sort") if data.get("sort") in SORTS else ""
    if not sort or (sort == "relevance" and not query_terms(query)):
        sort = "relevance" if query_terms(query) else "title"

    filter_data = QueryDict(mutable=True)
    for name, value in params:
        if name in FACET_PARAMS:
            filter_data.appendlist(name, value)
    matched = RecordFilter(filter_data, queryset=matching_rows(RecordSearch.objects.all(), query)).qs
    if sort == "relevance":
        matched = with_relevance(matched, query)
    results = matched.order_by(*SORTS[sort]).values_list("pk", flat=True)

    summary = _summary(
        matched, results, sort=sort, page=data.get("page"), per_page=per_page, materialise=bool(query_terms(query))
    )
    paginator = Paginator(results, per_page)
    paginator.count = summary.total
    page = paginator.get_page(data.get("page"))  # the page _summary read: same rule
    page.object_list = _records_in_order(summary.page_ids)

    selected: dict[str, list[str]] = {}
    for name, value in params:
        if name in FACET_PARAMS:
            selected.setdefault(name, []).append(value)
    path = reverse("search")  # once: the page links to it about a hundred times
    facets = _facets(summary, path, links, selected) if summary.total else []
    chips = [
        Chip(label=f"{FACET_LABELS[name]} : {_value_label(name, value)}", remove_url=_without(path, links, name, value))
        for name, value in params
        if name in FACET_PARAMS
    ]
    sort_keys = (
        ["relevance", *[key for key in SORTS if key != "relevance"]]
        if query_terms(query)
        else [key for key in SORTS if key != "relevance"]
    )
    sort_options = [(key, str(SORT_LABELS[key]), search_url([*links, ("sort", key)], path=path)) for key in sort_keys]
    return CatalogueResults(
        query=query,
        page=page,
        facets=facets,
        chips=chips,
        sort=sort,
        sort_options=sort_options,
        clear_url=search_url([(n, v) for n, v in links if n not in FACET_PARAMS], path=path),
        previous_url=_with(path, params, "page", str(page.previous_page_number())) if page.has_previous() else "",
        next_url=_with(path, params, "page", str(page.next_page_number())) if page.has_next() else "",
    )


@dataclass
class _Summary:
    total: int
    groups: list[tuple[str, str, str, int | None, bool, int]]  # type, audience, language, decade, available, n
    page_ids: list[int]
    authors: list[tuple[str, int]]  # the most frequent, counted on the first matching ids
    subjects: list[tuple[str, int]]


# Requested page number standing for "the last page" (Paginator.get_page's answer to a number below 1).
_LAST_PAGE = 2**31 - 1
_SUMMARY_COLUMNS = "record_id, document_type, audience, language, publication_year, available_now"


def _page_index(value: object) -> int:
    """Zero-based index of the requested page, as ``Paginator.get_page`` reads it before knowing the total."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0
    return min(number, _LAST_PAGE) - 1 if number >= 1 else _LAST_PAGE - 1


def _summary(
    matched: QuerySet[RecordSearch],
    results: QuerySet[RecordSearch],
    *,
    sort: str,
    page: object,
    per_page: int,
    materialise: bool,
) -> _Summary:
    """Total, facets and page ids of the matching rows, in one statement.

    A broad query matches tens of thousands of rows; finding them (index, then heap) is
    most of a page's time, so the statement finds them once, in a materialised CTE, and
    reads it for each part: the groups of the facet counts (whose sum is the total), the
    most frequent authors and subjects of the first matching ids and, for the relevance
    sort, the page (its ranks are computed in the CTE). The other sorts need the records'
    titles: their page is ``results`` itself, sliced in the same statement. The page offset is computed there from the total, as
    ``Paginator.get_page`` does (a page past the end or below 1 gives the last page).
    UNION ALL keeps each part's order.

    Browsing (no words, ``materialise`` false) reads rows by a plain scan: copying the whole
    catalogue into the CTE costs more than scanning it once per part, so it is inlined.
    """
    columns = ["pk", "document_type", "audience", "language", "publication_year", "available_now"]
    cte_columns = _SUMMARY_COLUMNS
    if sort == "relevance":
        columns.append("relevance")
        cte_columns += ", relevance"
    matched_sql, matched_params = matched.order_by().values_list(*columns).query.sql_with_params()
    # The offset of the page read: the requested one, or the last when past the end.
    # (The total cast: PostgreSQL's sum of bigints is a numeric, whose division is not integral.)
    page_offset = (
        "(SELECT CASE WHEN %s < total THEN %s WHEN total > 0 THEN (total - 1) / %s * %s ELSE 0 END"
        " FROM (SELECT CAST(sum(n) AS bigint) AS total FROM grouped) AS counted)"
    )
    if sort == "relevance":
        page_sql, page_params = "SELECT record_id FROM matched ORDER BY relevance DESC, record_id", []
    else:
        page_sql, page_params = results.query.sql_with_params()
    offset = _page_index(page) * per_page
    sample_size = max(FACET_SAMPLE_SIZE, FACET_SAMPLE_THRESHOLD)
    # Authors and subjects of the first matching ids (all of them up to the threshold).
    # PostgreSQL: the ids as an array computed once (an InitPlan), so that it probes the
    # record_id indexes instead of joining every author and subject row to the sample.
    in_sample = (
        "= ANY(ARRAY(SELECT record_id FROM sample))"
        if connection.vendor == "postgresql"
        else "IN (SELECT record_id FROM sample)"
    )
    top = {
        label: (
            f"SELECT {column} AS value, count(*) AS n FROM {model._meta.db_table} "  # noqa: S608 - model names
            f"WHERE record_id {in_sample} GROUP BY {column} ORDER BY n DESC, {column} LIMIT %s"
        )
        for label, model, column in (("author", RecordAuthor, "name"), ("subject", RecordSubject, "label"))
    }
    # SQL compiled by Django and constants; every value is a parameter.
    sql = (
        f"WITH matched({cte_columns}) AS {'' if materialise else 'NOT '}MATERIALIZED ({matched_sql}), "  # noqa: S608
        "grouped(document_type, audience, language, decade, available_now, n) AS MATERIALIZED ("
        "SELECT document_type, audience, language, publication_year / 10 * 10, available_now, count(*) "
        "FROM matched GROUP BY 1, 2, 3, 4, 5), "
        "sample(record_id) AS MATERIALIZED (SELECT record_id FROM matched LIMIT %s) "
        "SELECT 'group', document_type, audience, language, decade, available_now, n FROM grouped "
        f"UNION ALL SELECT 'author', top.value, NULL, NULL, NULL, NULL, top.n FROM ({top['author']}) AS top "
        f"UNION ALL SELECT 'subject', top.value, NULL, NULL, NULL, NULL, top.n FROM ({top['subject']}) AS top "
        "UNION ALL SELECT 'page', NULL, NULL, NULL, NULL, NULL, page.* "
        f"FROM ({page_sql} LIMIT %s OFFSET {page_offset}) AS page"
    )
    summary = _Summary(total=0, groups=[], page_ids=[], authors=[], subjects=[])
    with connection.cursor() as cursor:
        parameters = [
            *matched_params,
            sample_size,
            FACET_SIZE,
            FACET_SIZE,
            *page_params,
            per_page,
            offset,
            offset,
            per_page,
            per_page,
        ]
        cursor.execute(sql, parameters)
        for part, document_type, audience, language, decade, available_now, value in cursor.fetchall():
            if part == "group":
                summary.groups.append((document_type, audience, language, decade, bool(available_now), value))
                summary.total += value
            elif part == "author":
                summary.authors.append((document_type, value))
            elif part == "subject":
                summary.subjects.append((document_type, value))
            else:
                summary.page_ids.append(value)
    return summary


def _records_in_order(ids: list[int]) -> list[Record]:
    """The records of a results page, in the page's order, with ``has_available_item`` and the labels
    of their type and audience (``get_document_type_display`` evaluates every translated choice
    of the field on each call: a third of the list's rendering time)."""
    records = (
        Record.objects.only(
            "id", "title", "responsibility", "main_author", "publisher", "publication_year", "document_type", "audience"
        )
        .annotate(has_available_item=available_items_exist())
        .in_bulk(ids)
    )
    page = [records[pk] for pk in ids if pk in records]
    for record in page:
        # Most titles are short: Truncator (truncatechars) costs ~40 µs even then.
        record.title_display = _shortened(record.title, 300)
        record.responsibility_display = _shortened(record.responsibility, 200)
        record.document_type_label = _value_label("type", record.document_type)
        record.audience_label = _value_label("audience", record.audience) if record.audience else ""
    return page


def _shortened(text: str, limit: int) -> str:
    """``text`` as the ``truncatechars:limit`` filter shows it."""
    return text if len(text) <= limit else Truncator(text).chars(limit)


def _facets(summary: _Summary, path: str, links: list[tuple[str, str]], selected: dict[str, list[str]]) -> list[Facet]:
    # Authors and subjects of very large result sets are counted on a sample (``_summary``):
    # an exact count joins hundreds of thousands of rows for a list of ten names (the page says so).
    sample_size = FACET_SAMPLE_SIZE if summary.total > FACET_SAMPLE_THRESHOLD else 0
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
    facets = []
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
                label=_value_label(name, value),
                count=count,
                # The current search plus this value: its query string, encoded once, is
                # the start of every link of the facets (``_with`` gives the same URL).
                url=_without(path, links, name, value) if value in chosen else f"{prefix}{urlencode([(name, value)])}",
                selected=value in chosen,
            )
            for value, count in items
        ]
        if values:
            sampled = sample_size if name in ("author", "subject") else 0
            facets.append(Facet(param=name, label=str(FACET_LABELS[name]), values=values, sample_size=sampled))
    return facets
