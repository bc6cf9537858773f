"""The query of a search: its matching search rows, their order, and the one statement that
reads the total, the facet counts and the page's ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import Combinable
from django.http import QueryDict

from catalogue.models import RecordAuthor, RecordSearch, RecordSubject
from catalogue.search import facets
from catalogue.search.backends import backend, matching_rows, with_relevance
from catalogue.search.params import SearchParams, query_terms

# How each sort of ``params.SORT_LABELS`` orders the search rows; title and author come from the record.
ORDERINGS: dict[str, tuple[str | Combinable, ...]] = {
    # Ties broken by id, not title: a title would join every matching record for one page.
    "relevance": (F("relevance").desc(), "pk"),
    "title": ("record__title", "pk"),
    "author": ("record__main_author", "record__title", "pk"),
    "newest": (F("publication_year").desc(nulls_last=True), "record__title", "pk"),
    "oldest": (F("publication_year").asc(nulls_last=True), "record__title", "pk"),
}


def search_rows(text: str) -> QuerySet[RecordSearch]:
    """Search rows of the records matching ``text``, annotated with ``relevance``."""
    terms = query_terms(text)
    return with_relevance(matching_rows(RecordSearch.objects.all(), terms), terms)


def matched_rows(params: SearchParams) -> QuerySet[RecordSearch]:
    """The search rows matching the words and the facet values of ``params``, unordered
    (annotated with ``relevance`` when sorted by it)."""
    filter_data = QueryDict(mutable=True)
    for name, value in params.facet_values:
        filter_data.appendlist(name, value)
    rows = facets.RecordFilter(filter_data, queryset=matching_rows(RecordSearch.objects.all(), params.terms)).qs
    if params.sort == "relevance":
        rows = with_relevance(rows, params.terms)
    return rows


def ordered(rows: QuerySet[RecordSearch], sort: str) -> QuerySet[RecordSearch, int]:
    """The ids of ``rows`` in the order of ``sort`` (a key of ``ORDERINGS``)."""
    return rows.order_by(*ORDERINGS[sort]).values_list("pk", flat=True)


@dataclass
class Summary:
    """What the results statement read: the total, the facet counts and the page's ids."""

    total: int
    groups: list[tuple[str, str, str, int | None, bool, int]]  # type, audience, language, decade, available, n
    page_ids: list[int]
    authors: list[tuple[str, int]]  # the most frequent, counted on the first matching ids
    subjects: list[tuple[str, int]]


# Requested page number standing for "the last page" (Paginator.get_page's answer to a number below 1).
_LAST_PAGE = 2**31 - 1
_SUMMARY_COLUMNS = "record_id, document_type, audience, language, publication_year, available_now"


def page_index(value: object) -> int:
    """Zero-based index of the requested page, as ``Paginator.get_page`` reads it before knowing the total."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0
    return min(number, _LAST_PAGE) - 1 if number >= 1 else _LAST_PAGE - 1


def summarise(
    matched: QuerySet[RecordSearch],
    results: QuerySet[RecordSearch, int],
    *,
    sort: str,
    page: object,
    per_page: int,
    materialise: bool,
) -> Summary:
    """Total, facets and page ids of the matching rows, in one statement.

    A broad query matches tens of thousands of rows; finding them (index, then heap) is
    most of a page's time, so the statement finds them once, in a materialised CTE, and
    reads it for each part: the groups of the facet counts (whose sum is the total), the
    most frequent authors and subjects of the first matching ids and, for the relevance
    sort, the page (its ranks are computed in the CTE). The other sorts need the records'
    titles: their page is ``results`` itself, sliced in the same statement. The page offset
    is computed there from the total, as ``Paginator.get_page`` does (a page past the end
    or below 1 gives the last page). UNION ALL keeps each part's order.

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
        page_sql, page_params = "SELECT record_id FROM matched ORDER BY relevance DESC, record_id", ()
    else:
        page_sql, page_params = results.query.sql_with_params()
    offset = page_index(page) * per_page
    # Authors and subjects of the first matching ids (all of them up to the threshold).
    in_sample = backend().in_sample
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
    summary = Summary(total=0, groups=[], page_ids=[], authors=[], subjects=[])
    with connection.cursor() as cursor:
        parameters = [
            *matched_params,
            facets.sample_size(),
            facets.FACET_SIZE,
            facets.FACET_SIZE,
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
