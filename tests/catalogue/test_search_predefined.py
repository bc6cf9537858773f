"""Predefined searches: offered under the search bar, they open their results page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from catalogue.models import DocumentType, PredefinedSearch
from catalogue.search.predefined import header_predefined_searches
from tests.catalogue.factories import AVAILABLE, ON_LOAN, make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def comics():
    make_record("Blacksad", document_type=DocumentType.COMIC, items=[AVAILABLE])
    make_record("Blake et Mortimer", document_type=DocumentType.COMIC, items=[ON_LOAN])
    make_record("Le Horla", document_type=DocumentType.BOOK, items=[AVAILABLE])


def test_absolute_url_opens_the_matching_results(client, comics):
    predefined = PredefinedSearch.objects.create(
        label="BD disponibles", query="", facets={"type": ["comic"], "available": "1"}, scope="catalogue"
    )
    url = predefined.get_absolute_url()
    assert urlsplit(url).path == reverse("search")
    assert set(parse_qsl(urlsplit(url).query, keep_blank_values=True)) == {
        ("q", ""),
        ("scope", "catalogue"),
        ("type", "comic"),
        ("available", "1"),
    }
    response = client.get(url)
    assert [record.title for record in response.context["results"].page.object_list] == ["Blacksad"]
    assert len(response.context["results"].chips) == 2


def test_search_bar_offers_active_searches_without_javascript(client, comics):
    PredefinedSearch.objects.create(label="Romans policiers", query="policier", position=2)
    PredefinedSearch.objects.create(label="BD", query="", facets={"type": "comic"}, position=1)
    PredefinedSearch.objects.create(label="Ancienne", query="vieux", is_active=False)
    assert [search["label"] for search in header_predefined_searches()] == ["BD", "Romans policiers"]
    content = client.get(reverse("home")).content.decode()
    assert '<option value="policier">Romans policiers</option>' in content
    assert "Ancienne" not in content
    bd_url = PredefinedSearch.objects.get(label="BD").get_absolute_url().replace("&", "&amp;")
    assert f'<a href="{bd_url}">BD</a>' in content


def test_admin_lists_and_links_predefined_searches(client_for, admin_user):
    predefined = PredefinedSearch.objects.create(label="Jeux", query="", facets={"type": ["game"]})
    response = client_for(admin_user).get(reverse("admin:catalogue_predefinedsearch_changelist"))
    assert response.status_code == 200
    assert predefined.get_absolute_url().replace("&", "&amp;") in response.content.decode()
