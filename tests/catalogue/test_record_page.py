"""The record page: description, links to new searches, items and their availability."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from catalogue.models import Audience, DocumentType, Item
from tests.catalogue.factories import AVAILABLE, make_record
from tests.factories import ItemFactory, LoanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    record = make_record(
        "L'Arabe du futur",
        authors=["Sattouf, Riad"],
        subjects=["Syrie -- Bandes dessinées", "Enfance -- Bandes dessinées"],
        responsibility="Riad Sattouf",
        publisher="Allary éditions",
        publication_year=2014,
        isbn="9782370730015",
        language="fre",
        document_type=DocumentType.COMIC,
        audience=Audience.ADULT,
        series="L'Arabe du futur ; 1",
        summary="Riad raconte son enfance entre la Libye, la Syrie et la Bretagne.",
    )
    ItemFactory(record=record, barcode="BDVO000001", call_number="BD SAT 1", section="Adultes", status=AVAILABLE)
    return record


def test_record_page_shows_the_description(client, record):
    response = client.get(reverse("catalogue:record_detail", args=[record.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for text in [
        "L&#x27;Arabe du futur",
        "Riad Sattouf",
        "Allary éditions, 2014",
        "9782370730015",
        "Français",
        "Bande dessinée",
        "Adultes",
        "L&#x27;Arabe du futur ; 1",
        "son enfance entre la Libye",
    ]:
        assert text in content, text


def _links(content: str) -> dict[str, str]:
    """Text → href of the links of a page."""
    return {
        html.unescape(text): html.unescape(href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', content)
    }


def test_authors_and_subjects_link_to_new_searches(client, record):
    links = _links(client.get(reverse("catalogue:record_detail", args=[record.pk])).content.decode())
    author_url, subject_url = links["Sattouf, Riad"], links["Syrie -- Bandes dessinées"]
    assert parse_qsl(urlsplit(author_url).query) == [("scope", "catalogue"), ("author", "Sattouf, Riad")]
    assert ("subject", "Syrie -- Bandes dessinées") in parse_qsl(urlsplit(subject_url).query)

    results = client.get(author_url)
    assert [r.title for r in results.context["results"].page.object_list] == ["L'Arabe du futur"]


def test_items_show_call_number_section_and_availability(client, record, other_library):
    LoanFactory(
        item=ItemFactory(record=record, barcode="BDVO000002", call_number="BD SAT 1", status=Item.Status.ON_LOAN),
        library=other_library,
        due_on="2027-03-15",
        loaned_on="2026-11-15",
    )
    ItemFactory(record=record, barcode="BDVO000003", status=Item.Status.IN_PROCESSING)
    content = client.get(reverse("catalogue:record_detail", args=[record.pk])).content.decode()
    assert "BD SAT 1" in content and "Adultes" in content
    assert "Disponible" in content
    assert "En prêt, retour prévu le 15 mars 2027" in content
    assert "En traitement" in content


def test_record_without_items_says_so(client):
    record = make_record("Sans exemplaire")
    content = client.get(reverse("catalogue:record_detail", args=[record.pk])).content.decode()
    assert "La BDVO n'a pas d'exemplaire de ce document" in content


def test_unknown_record_is_404(client):
    assert client.get(reverse("catalogue:record_detail", args=[999999])).status_code == 404


def test_constant_number_of_queries_whatever_the_number_of_items(client_for, manager, django_assert_max_num_queries):
    client = client_for(manager)
    client.get(reverse("catalogue:record_detail", args=[make_record("Pour le cache de l'en-tête").pk]))
    counts = []
    for items in (1, 12):
        record = make_record(f"Notice à {items} exemplaires", subjects=["Un", "Deux"])
        for index in range(items):
            if index % 2:
                LoanFactory(item=ItemFactory(record=record))
            else:
                ItemFactory(record=record)
        with django_assert_max_num_queries(14) as captured:
            response = client.get(reverse("catalogue:record_detail", args=[record.pk]))
        assert response.content.decode().count("<td>B0") == items
        counts.append(len(captured))
    assert counts[0] == counts[1]
