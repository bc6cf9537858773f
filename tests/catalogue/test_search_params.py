"""Reading the search page's query string (``catalogue.search.params``)."""

from __future__ import annotations

from django.db import connection
from django.http import QueryDict

from catalogue.search.backends import PostgreSQLSearch, SQLiteSearch, backend
from catalogue.search.params import SORT_LABELS, SearchParams, query_terms
from catalogue.search.query import ORDERINGS


def _params(query_string: str) -> SearchParams:
    return SearchParams.from_query_dict(QueryDict(query_string))


def test_words_sort_by_relevance_and_browsing_by_title():
    assert _params("q=petit+prince").sort == "relevance"
    assert _params("type=comic").sort == "title"
    assert _params("q=prince&sort=newest").sort == "newest"


def test_relevance_without_words_and_unknown_sorts_fall_back():
    assert _params("sort=relevance").sort == "title"
    assert _params("q=prince&sort=price").sort == "relevance"
    assert ("sort", "price") not in _params("q=prince&sort=price").params


def test_relevance_is_offered_only_with_words():
    assert _params("q=prince").sort_keys == list(SORT_LABELS)
    assert _params("q=%2A%2A").sort_keys == [key for key in SORT_LABELS if key != "relevance"]


def test_scope_is_catalogue_only_when_asked():
    assert _params("q=conte&scope=catalogue").scope == "catalogue"
    assert _params("q=conte&scope=all").scope == "all"
    assert _params("q=conte&scope=elsewhere").scope == "all"
    assert _params("q=conte").scope == "all"


def test_links_keep_everything_but_the_sort_and_the_page():
    params = _params("page=3&sort=title&language=fre&q=++Contes%00++&type=comic&type=comic&scope=catalogue&x=1")
    assert params.query == "Contes"
    assert params.terms == ["contes"]
    assert params.page == "3"
    assert params.params == [
        ("q", "Contes"),
        ("scope", "catalogue"),
        ("type", "comic"),
        ("language", "fre"),
        ("sort", "title"),
    ]
    assert params.links == [("q", "Contes"), ("scope", "catalogue"), ("type", "comic"), ("language", "fre")]
    assert params.facet_values == [("type", "comic"), ("language", "fre")]


def test_query_terms_are_bounded_words():
    assert query_terms("L'été, l'ÉTÉ : NEAR(a* -b)") == ["l", "été", "near", "a", "b"]
    assert len(query_terms(" ".join(f"mot{n}" for n in range(50)))) == 12


def test_every_sort_has_an_ordering():
    assert set(ORDERINGS) == set(SORT_LABELS)


def test_the_backend_is_the_database_s_own():
    expected = PostgreSQLSearch if connection.vendor == "postgresql" else SQLiteSearch
    assert isinstance(backend(), expected)
