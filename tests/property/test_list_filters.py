"""The lists of the espace professionnel and their exports: any filter, sort, page or
selection answers a French page (or a file), never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import LoanFactory, ReservationFactory
from tests.property.conftest import assert_answers_in_french

pytestmark = pytest.mark.django_db
FAST = settings(
    max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

VALUE = st.one_of(
    st.text(max_size=30),
    st.dates().map(lambda day: day.isoformat()),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    st.integers().map(str),
    st.sampled_from(["", "-", "--loaned_on", "-title", "2026-02-30", "31/12/9999", "0000-00-00", "\x00"]),
)
LISTS = {
    "/espace-pro/prets/": [
        "title",
        "author",
        "barcode",
        "loaned_on",
        "loaned_from",
        "loaned_to",
        "o",
        "per_page",
        "page",
    ],
    "/espace-pro/retours/": [
        "title",
        "author",
        "barcode",
        "loaned_on",
        "loaned_from",
        "loaned_to",
        "o",
        "per_page",
        "page",
    ],
    "/espace-pro/reservations/": ["status", "created_from", "created_to", "o", "per_page", "page"],
    "/espace-pro/outils-animation/": ["status", "loan_from", "loan_to", "export"],
    "/espace-pro/formations/": ["periode", "format"],
    "/formations/": ["theme", "audience", "month"],
}


@pytest.fixture
def data(manager):
    LoanFactory.create_batch(3, library=manager.library)
    ReservationFactory.create_batch(2, library=manager.library)


@FAST
@given(path=st.sampled_from(sorted(LISTS)), data_=st.data())
def test_list_filters_never_fail(client_for, manager, data, path, data_):
    params = data_.draw(st.lists(st.tuples(st.sampled_from(LISTS[path]), VALUE), max_size=6))
    response = client_for(manager).get(f"{path}?{urlencode(params)}")
    assert_answers_in_french(response)


# Any integer, within and beyond 64 bits, or any text.
SELECTED = st.lists(st.one_of(st.integers().map(str), st.text(max_size=8)), max_size=4)


@FAST
@given(
    url=st.sampled_from(["/espace-pro/prets/export/", "/espace-pro/retours/export/"]),
    selected=SELECTED,
    scope=st.one_of(st.sampled_from(["selected", "filtered"]), st.text(max_size=8)),
    fmt=st.one_of(st.sampled_from(["mrc", "xml", "csv"]), st.text(max_size=8)),
    query=st.text(max_size=40),
)
def test_exports_never_fail(client_for, manager, data, url, selected, scope, fmt, query):
    response = client_for(manager).post(url, {"selected": selected, "scope": scope, "format": fmt, "query": query})
    assert_answers_in_french(response)


@FAST
@given(selected=SELECTED, confirm=st.one_of(st.just("1"), st.text(max_size=4)))
def test_reservation_deletion_never_fails(client_for, manager, data, selected, confirm):
    response = client_for(manager).post(
        "/espace-pro/reservations/suppression/", {"selected": selected, "confirm": confirm}
    )
    assert_answers_in_french(response)


@pytest.mark.parametrize("url", ["/espace-pro/prets/export/", "/espace-pro/reservations/suppression/"])
def test_export_of_an_id_beyond_64_bits(client_for, manager, data, url):
    response = client_for(manager).post(
        url, {"selected": ["9223372036854775808"], "scope": "selected", "format": "mrc"}
    )
    assert_answers_in_french(response)
    assert response.status_code == 404
