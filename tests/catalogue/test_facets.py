"""Facets of the catalogue search: counts, combination, chips, bad values, query count."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.models import Audience, DocumentType, Record
from tests.catalogue.factories import AVAILABLE, ON_LOAN, make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    make_record(
        "Astérix le Gaulois",
        authors=["Goscinny, René", "Uderzo, Albert"],
        subjects=["Gaule -- Bandes dessinées"],
        document_type=DocumentType.COMIC,
        audience=Audience.CHILDREN,
        language="fre",
        publication_year=1961,
        items=[AVAILABLE],
    )
    make_record(
        "Astérix chez les Bretons",
        authors=["Goscinny, René", "Uderzo, Albert"],
        subjects=["Grande-Bretagne -- Bandes dessinées"],
        document_type=DocumentType.COMIC,
        audience=Audience.CHILDREN,
        language="fre",
        publication_year=1966,
        items=[ON_LOAN],
    )
    make_record(
        "Asterix and the Goths",
        authors=["Goscinny, René"],
        subjects=["Gaule -- Bandes dessinées"],
        document_type=DocumentType.COMIC,
        audience=Audience.ALL,
        language="eng",
        publication_year=1974,
        items=[AVAILABLE, ON_LOAN],
    )
    make_record(
        "Astérix et Obélix : mission Cléopâtre",
        authors=["Chabat, Alain"],
        subjects=["Films comiques"],
        document_type=DocumentType.VIDEO,
        audience=Audience.ALL,
        language="fre",
        publication_year=2002,
        items=[],
    )
    make_record("Le Petit Nicolas", authors=["Goscinny, René"], document_type=DocumentType.BOOK, publication_year=1960)


def _search(client, **params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return response


def _titles(response) -> set[str]:
    return {record.title for record in response.context["results"].page.object_list}


def _facet(response, param) -> dict[str, int]:
    for facet in response.context["results"].facets:
        if facet.param == param:
            return {value.value: value.count for value in facet.values}
    return {}


def _params(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def test_facet_counts_describe_the_results(client, catalogue):
    response = _search(client, q="asterix", scope="catalogue")
    assert response.context["results"].count == 4
    assert _facet(response, "type") == {"comic": 3, "video": 1}
    assert _facet(response, "author") == {"Goscinny, René": 3, "Uderzo, Albert": 2, "Chabat, Alain": 1}
    assert _facet(response, "subject") == {
        "Gaule -- Bandes dessinées": 2,
        "Grande-Bretagne -- Bandes dessinées": 1,
        "Films comiques": 1,
    }
    assert _facet(response, "language") == {"fre": 3, "eng": 1}
    assert _facet(response, "period") == {"2000": 1, "1970": 1, "1960": 2}
    assert _facet(response, "audience") == {"children": 2, "all": 2}
    assert _facet(response, "available") == {"1": 2}
    content = response.content.decode()
    assert "Bande dessinée" in content and "Anglais" in content and "1960–1969" in content


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("type", "video", {"Astérix et Obélix : mission Cléopâtre"}),
        ("author", "Uderzo, Albert", {"Astérix le Gaulois", "Astérix chez les Bretons"}),
        ("subject", "Gaule -- Bandes dessinées", {"Astérix le Gaulois", "Asterix and the Goths"}),
        ("language", "eng", {"Asterix and the Goths"}),
        ("period", "1960", {"Astérix le Gaulois", "Astérix chez les Bretons"}),
        ("audience", "children", {"Astérix le Gaulois", "Astérix chez les Bretons"}),
        ("available", "1", {"Astérix le Gaulois", "Asterix and the Goths"}),
    ],
)
def test_each_facet_filters_the_results(client, catalogue, param, value, expected):
    response = _search(client, q="asterix", **{param: value})
    assert _titles(response) == expected
    chip = response.context["results"].chips[0]
    assert (param, value) not in _params(chip.remove_url)
    assert ("q", "asterix") in _params(chip.remove_url)


def test_facets_combine_and_keep_the_query(client, catalogue):
    response = _search(client, q="asterix")
    comic_link = next(
        v.url for f in response.context["results"].facets if f.param == "type" for v in f.values if v.value == "comic"
    )
    assert ("q", "asterix") in _params(comic_link)

    response = client.get(comic_link)
    available_link = next(v.url for f in response.context["results"].facets if f.param == "available" for v in f.values)
    assert {("q", "asterix"), ("type", "comic"), ("available", "1")} <= set(_params(available_link))

    response = client.get(available_link)
    assert _titles(response) == {"Astérix le Gaulois", "Asterix and the Goths"}
    chips = response.context["results"].chips
    assert [chip.label for chip in chips] == [
        "Type de document : Bande dessinée",
        "Disponibilité : Disponible maintenant",
    ]
    assert "Retirer le filtre Type de document : Bande dessinée" in response.content.decode()

    # Removing one chip keeps the other filter and the query.
    response = client.get(chips[0].remove_url)
    assert _titles(response) == {"Astérix le Gaulois", "Asterix and the Goths"}
    assert [chip.label for chip in response.context["results"].chips] == ["Disponibilité : Disponible maintenant"]
    response = client.get(response.context["results"].chips[0].remove_url)
    assert response.context["results"].chips == []
    assert response.context["results"].count == 4


def test_author_facets_narrow_and_other_facets_widen(client, catalogue):
    both = _search(client, author=["Goscinny, René", "Uderzo, Albert"])
    assert _titles(both) == {"Astérix le Gaulois", "Astérix chez les Bretons"}
    either = _search(client, type=["video", "book"])
    assert _titles(either) == {"Astérix et Obélix : mission Cléopâtre", "Le Petit Nicolas"}


def test_selected_facet_value_links_to_its_removal(client, catalogue):
    response = _search(client, q="asterix", language="eng")
    value = next(v for f in response.context["results"].facets if f.param == "language" for v in f.values)
    assert value.selected
    assert ("language", "eng") not in _params(value.url)


@pytest.mark.parametrize(
    "params",
    [
        {"type": "spaceship"},
        {"audience": "martians"},
        {"language": "<b>xx</b>"},
        {"period": "19x0"},
        {"period": "99999"},
        {"available": "maybe"},
        {"author": "' OR 1=1 --"},
        {"subject": "x" * 5000},
        {"sort": "'; DROP TABLE x"},
        {"page": "-1"},
        {"page": "99999"},
        {"scope": "<script>"},
        {"author": "\x00"},
    ],
)
def test_unknown_facet_values_give_a_normal_page(client, catalogue, params):
    response = _search(client, q="asterix", **params)
    assert b"<b>xx</b>" not in response.content
    assert b"<script>" not in response.content.split(b"<body", 1)[1]


def test_constant_number_of_queries_whatever_the_page_size(client, django_assert_max_num_queries):
    counts = []
    _search(client, q="policier")  # whatever the header caches, they are warm for both counts
    for total in (3, 40):
        for index in range(Record.objects.count(), total):
            make_record(
                f"Roman policier {total}-{index}",
                authors=[f"Auteur {index}"],
                subjects=[f"Sujet {index % 4}"],
                items=[AVAILABLE, ON_LOAN],
            )
        with django_assert_max_num_queries(10) as captured:
            response = _search(client, q="policier", type="book", available="1")
        assert response.context["results"].count == total
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_same_number_of_queries_whatever_the_sort_and_the_page(client, django_assert_max_num_queries):
    for index in range(45):
        make_record(f"Roman policier {index}", authors=[f"Auteur {index % 7}"], items=[AVAILABLE])
    _search(client, q="policier", scope="catalogue")  # header caches, if any, warm
    counts = set()
    for params in (
        {},
        {"sort": "title"},
        {"sort": "newest", "page": "2"},
        {"page": "3"},
        {"page": "99"},
        {"available": "1", "sort": "author"},
    ):
        with django_assert_max_num_queries(6) as captured:
            _search(client, q="policier", scope="catalogue", **params)
        counts.add(len(captured))
    with django_assert_max_num_queries(6) as captured:
        _search(client, scope="catalogue", page="2")  # browsing, no words
    counts.add(len(captured))
    # One statement for the total, the facets and the page's ids, one for its records.
    assert counts == {2}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.text(max_size=80),
    facets=st.dictionaries(
        st.sampled_from(
            ["type", "author", "subject", "language", "period", "audience", "available", "sort", "page", "scope"]
        ),
        st.text(max_size=30),
        max_size=4,
    ),
)
def test_random_parameters_never_fail(client, catalogue, query, facets):
    response = client.get(reverse("search"), {"q": query, **facets})
    assert response.status_code == 200


def test_authors_and_subjects_of_huge_result_sets_are_counted_on_a_sample(client, catalogue, monkeypatch):
    from catalogue.search import facets

    monkeypatch.setattr(facets, "FACET_SAMPLE_THRESHOLD", 3)
    monkeypatch.setattr(facets, "FACET_SAMPLE_SIZE", 2)
    response = _search(client, q="asterix")
    facets = {facet.param: facet for facet in response.context["results"].facets}
    assert facets["author"].sample_size == 2 and facets["subject"].sample_size == 2
    assert facets["type"].sample_size == 0
    assert sum(_facet(response, "type").values()) == 4  # exact
    assert "Décompte sur 2 documents parmi les résultats." in response.content.decode()
