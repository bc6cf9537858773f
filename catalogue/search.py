"""Full-text search of the catalogue, on PostgreSQL and on SQLite.

Searches run on ``RecordSearch`` (table ``catalogue_record_search``), one narrow row per
record kept by the database itself, so that the importer has nothing to do:

- PostgreSQL: a table filled by triggers on ``catalogue_record`` (migrations 0003-0004)
  with ``search_vector``, computed with the ``french_unaccent`` configuration
  (``unaccent`` then the French Snowball stemmer) from the title (weight A),
  ``authors_text`` (B), ``subjects_text`` (C) and series, summary, publisher and ISBN (D),
  indexed by GIN, next to the columns the facets count; ``available_now`` (the record has
  an available item) is kept by triggers on ``catalogue_item`` (migration 0005).
- SQLite: a view of the records (``available_now`` computed by the view); the words live
  in the FTS5 table ``catalogue_record_fts`` (``unicode61 remove_diacritics 2``) kept in
  sync by triggers.

User text never reaches SQL or the FTS syntax: it is cut into words (``\\w+``), each word
is lower-cased, quoted and given a prefix operator, and the words are joined with AND; the
result is passed as a bound parameter.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorExact, SearchVectorField
from django.db import connection
from django.db.models import Expression, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from catalogue.models import RecordSearch

SEARCH_CONFIG = "french_unaccent"
MAX_TERMS = 12
MAX_TERM_LENGTH = 60
# Words shorter than this are matched exactly: "a*" would match half of the catalogue.
MIN_PREFIX_LENGTH = 3

_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(text: str) -> list[str]:
    """The words of a user query, lower-cased, at most ``MAX_TERMS`` of them, without repeats."""
    terms: list[str] = []
    for match in _WORD.finditer((text or "")[:2000]):
        word = match.group().replace("_", "").lower()[:MAX_TERM_LENGTH]
        if word and word not in terms:
            terms.append(word)
        if len(terms) >= MAX_TERMS:
            break
    return terms


def _tsquery(terms: list[str]) -> str:
    """``to_tsquery`` input: each term quoted (quotes doubled) and prefixed, joined by ``&``."""
    parts = []
    for term in terms:
        quoted = "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
        parts.append(quoted + ":*" if len(term) >= MIN_PREFIX_LENGTH else quoted)
    return " & ".join(parts)


def _fts5_query(terms: list[str]) -> str:
    """FTS5 MATCH input: each term a quoted string (so NEAR, AND, -, * are plain words), prefixed."""
    parts = []
    for term in terms:
        quoted = '"' + term.replace('"', '""') + '"'
        parts.append(quoted + "*" if len(term) >= MIN_PREFIX_LENGTH else quoted)
    return " ".join(parts)


class SearchVectorColumn(Expression):
    """``catalogue_record_search.search_vector`` (PostgreSQL), a column the model does not declare
    (SQLite has no such column).

    Resolved against the query's own alias of the table, so that it keeps working when the
    queryset becomes a subquery (facet counts) and the table is renamed ``U0``.
    """

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None) -> None:
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map: dict[str, str]) -> SearchVectorColumn:
        return self.__class__(change_map.get(self.alias, self.alias))

    def get_group_by_cols(self):
        return [self]

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.search_vector", []


def _search_query(terms: list[str]) -> SearchQuery:
    return SearchQuery(_tsquery(terms), search_type="raw", config=SEARCH_CONFIG)


def matching_rows(queryset: QuerySet[RecordSearch], text: str) -> QuerySet[RecordSearch]:
    """Search rows of ``queryset`` containing every word of ``text`` (unchanged when ``text`` has none)."""
    terms = query_terms(text)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(SearchVectorExact(SearchVectorColumn(), _search_query(terms)))
    return queryset.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM catalogue_record_fts WHERE catalogue_record_fts MATCH %s", [_fts5_query(terms)]
        )
    )


def with_relevance(queryset: QuerySet[RecordSearch], text: str) -> QuerySet[RecordSearch]:
    """``queryset`` (already filtered by ``matching_rows``) annotated with ``relevance``, higher first.

    PostgreSQL: ``ts_rank`` with the default weights (A 1.0, B 0.4, C 0.2, D 0.1).
    SQLite: ``bm25`` with weights 10/4/2/1 (negated: bm25 is lower for better matches).
    """
    terms = query_terms(text)
    if not terms:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        return queryset.annotate(relevance=SearchRank(SearchVectorColumn(), _search_query(terms)))
    rank = RawSQL(
        "(SELECT -bm25(catalogue_record_fts, 10.0, 4.0, 2.0, 1.0, 1.0, 1.0, 1.0) FROM catalogue_record_fts "
        "WHERE catalogue_record_fts MATCH %s AND catalogue_record_fts.rowid = catalogue_record_search.record_id)",
        [_fts5_query(terms)],
        output_field=FloatField(),
    )
    return queryset.annotate(relevance=rank)


def search_rows(text: str) -> QuerySet[RecordSearch]:
    """Search rows of the records matching ``text``, annotated with ``relevance``."""
    return with_relevance(matching_rows(RecordSearch.objects.all(), text), text)
