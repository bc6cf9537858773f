"""Full-text matching and relevance of the search rows, on PostgreSQL and on SQLite.

Searches run on ``RecordSearch`` (table ``catalogue_record_search``), one narrow row per
record kept by the database itself, so that the importer has nothing to do (the live SQL is
in ``catalogue/sql/``):

- PostgreSQL: a table filled by triggers on ``catalogue_record`` with ``search_vector``,
  computed with the ``french_unaccent`` configuration (``unaccent`` then the French
  Snowball stemmer) from the title (weight A), ``authors_text`` (B), ``subjects_text`` (C)
  and series, summary, publisher and ISBN (D), indexed by GIN, next to the columns the
  facets count; ``available_now`` (the record has an available item) is kept by triggers
  on ``catalogue_item``.
- SQLite: a view of the records (``available_now`` computed by the view); the words live
  in the FTS5 table ``catalogue_record_fts`` (``unicode61 remove_diacritics 2``) kept in
  sync by triggers.

User text never reaches SQL or the FTS syntax: it is cut into words
(``params.query_terms``), each word is quoted and given a prefix operator, and the words
are joined with AND; the result is passed as a bound parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorExact, SearchVectorField
from django.db import connection
from django.db.models import Expression, FloatField, QuerySet, Value
from django.db.models.expressions import BaseExpression, RawSQL

from catalogue.models import RecordSearch

SEARCH_CONFIG = "french_unaccent"
# Words shorter than this are matched exactly: "a*" would match half of the catalogue.
MIN_PREFIX_LENGTH = 3


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

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> SearchVectorColumn:
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map: Mapping[str, str]) -> SearchVectorColumn:
        if self.alias is None:  # not resolved yet: nothing to relabel
            return self.__class__()
        return self.__class__(change_map.get(self.alias, self.alias))

    def get_group_by_cols(self) -> list[BaseExpression]:
        return [self]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[str | int]]:
        return f"{compiler.quote_name_unless_alias(self.alias)}.search_vector", []


class PostgreSQLSearch:
    """``tsvector`` of the search rows, ``ts_rank`` with the default weights (A 1.0, B 0.4, C 0.2, D 0.1)."""

    # The facet sample's membership test in the results statement (``query.summarise``): the
    # ids as an array computed once (an InitPlan), so that PostgreSQL probes the record_id
    # indexes instead of joining every author and subject row to the sample.
    in_sample = "= ANY(ARRAY(SELECT record_id FROM sample))"

    @staticmethod
    def tsquery(terms: list[str]) -> str:
        """``to_tsquery`` input: each term quoted (quotes doubled) and prefixed, joined by ``&``."""
        parts = []
        for term in terms:
            quoted = "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
            parts.append(quoted + ":*" if len(term) >= MIN_PREFIX_LENGTH else quoted)
        return " & ".join(parts)

    def _query(self, terms: list[str]) -> SearchQuery:
        return SearchQuery(self.tsquery(terms), search_type="raw", config=SEARCH_CONFIG)

    def matching(self, rows: QuerySet[RecordSearch], terms: list[str]) -> QuerySet[RecordSearch]:
        """The rows of ``rows`` containing every term (``terms`` not empty)."""
        return rows.filter(SearchVectorExact(SearchVectorColumn(), self._query(terms)))

    def ranked(self, rows: QuerySet[RecordSearch], terms: list[str]) -> QuerySet[RecordSearch]:
        """``rows`` annotated with ``relevance`` for ``terms`` (not empty), higher first."""
        return rows.annotate(relevance=SearchRank(SearchVectorColumn(), self._query(terms)))


class SQLiteSearch:
    """FTS5 table of the records, ``bm25`` with weights 10/4/2/1 (negated: bm25 is lower for better matches)."""

    in_sample = "IN (SELECT record_id FROM sample)"

    @staticmethod
    def fts5_query(terms: list[str]) -> str:
        """FTS5 MATCH input: each term a quoted string (so NEAR, AND, -, * are plain words), prefixed."""
        parts = []
        for term in terms:
            quoted = '"' + term.replace('"', '""') + '"'
            parts.append(quoted + "*" if len(term) >= MIN_PREFIX_LENGTH else quoted)
        return " ".join(parts)

    def matching(self, rows: QuerySet[RecordSearch], terms: list[str]) -> QuerySet[RecordSearch]:
        """The rows of ``rows`` containing every term (``terms`` not empty)."""
        return rows.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM catalogue_record_fts WHERE catalogue_record_fts MATCH %s", [self.fts5_query(terms)]
            )
        )

    def ranked(self, rows: QuerySet[RecordSearch], terms: list[str]) -> QuerySet[RecordSearch]:
        """``rows`` annotated with ``relevance`` for ``terms`` (not empty), higher first."""
        rank = RawSQL(
            "(SELECT -bm25(catalogue_record_fts, 10.0, 4.0, 2.0, 1.0, 1.0, 1.0, 1.0) FROM catalogue_record_fts "
            "WHERE catalogue_record_fts MATCH %s AND catalogue_record_fts.rowid = catalogue_record_search.record_id)",
            [self.fts5_query(terms)],
            output_field=FloatField(),
        )
        return rows.annotate(relevance=rank)


SearchBackend = PostgreSQLSearch | SQLiteSearch
_POSTGRESQL = PostgreSQLSearch()
_SQLITE = SQLiteSearch()


def backend() -> SearchBackend:
    """The backend of the default database: PostgreSQL's full-text search, or SQLite's FTS5."""
    return _POSTGRESQL if connection.vendor == "postgresql" else _SQLITE


def matching_rows(rows: QuerySet[RecordSearch], terms: list[str]) -> QuerySet[RecordSearch]:
    """Search rows of ``rows`` containing every term (unchanged when there are none)."""
    return backend().matching(rows, terms) if terms else rows


def with_relevance(rows: QuerySet[RecordSearch], terms: list[str]) -> QuerySet[RecordSearch]:
    """``rows`` (already filtered by ``matching_rows``) annotated with ``relevance``, higher first
    (0 for every row when there are no terms)."""
    if not terms:
        return rows.annotate(relevance=Value(0.0, output_field=FloatField()))
    return backend().ranked(rows, terms)
