"""Whatever the query string of the search page, it answers a French page, never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalogue.factories import AVAILABLE, make_record
from tests.property.conftest import assert_answers_in_french

pytestmark = pytest.mark.django_db
FAST = settings(
    max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text a user or a bot may type, including full-text search syntax and control characters.
TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(['"', "*", "NEAR(", "AND", "OR NOT", "-", "()", "'", "\\", "%", "\x00", "a:b", "^", "--", ";"]),
    st.from_regex(r"[\w\s\"*():'-]{0,40}", fullmatch=True),
)
NUMBER_LIKE = st.one_of(st.integers().map(str), st.text(max_size=12), st.just("last"), st.just("99999999999999999999"))
FACETS = ["type", "author", "subject", "language", "period", "audience", "available", "sort"]


@pytest.fixture
def records(db):
    make_record("Le Petit Prince", authors=["Saint-Exupéry, Antoine de"], subjects=["Aviateurs"], items=[AVAILABLE])
    make_record("Vol de nuit", authors=["Saint-Exupéry, Antoine de"], subjects=["Aviateurs"])


@FAST
@given(
    q=TEXT,
    scope=st.one_of(st.sampled_from(["all", "catalogue"]), st.text(max_size=10)),
    facets=st.lists(st.tuples(st.sampled_from(FACETS), TEXT), max_size=6),
    page=NUMBER_LIKE,
)
def test_search_never_fails(client, records, q, scope, facets, page):
    query = urlencode([("q", q), ("scope", scope), *facets, ("page", page)])
    assert_answers_in_french(client.get(f"/recherche/?{query}"))


@FAST
@given(raw=st.text(max_size=80))
def test_search_survives_a_raw_query_string(client, records, raw):
    """Not even url-encoded: what a crawler or a broken link may send."""
    assert_answers_in_french(
        client.get("/recherche/", QUERY_STRING=raw.encode("utf-8", "surrogatepass").decode("latin-1"))
    )
