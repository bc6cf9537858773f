"""Search over records imported from a real UNIMARC file of ../shared/data/marc."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import Record
from catalogue.services.imports import marc_import_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.shared_data]


@pytest.fixture
def sciences_po(shared_marc_dir):
    report = marc_import_file(path=shared_marc_dir / "unimarc" / "fr_sciencespo_monographs_995_205.mrc", workers=1)
    assert report.created > 100
    return report


def _titles(client, **params) -> list[str]:
    response = client.get(reverse("search"), {"scope": "catalogue", **params})
    assert response.status_code == 200
    return [record.title for record in response.context["results"].page.object_list]


def test_imported_records_are_searchable_without_accents(client, sciences_po):
    titles = _titles(client, q="traite science finances")
    assert any(title.startswith("Traité de la science des finances") for title in titles)
    assert any(title.startswith("L'empire des tsars et les Russes") for title in _titles(client, q="TSARS russes"))
    assert any(title.startswith("La monnaie, le crédit et le change") for title in _titles(client, q="credit monnaie"))


def test_imported_subjects_feed_the_facets(client, sciences_po):
    response = client.get(reverse("search"), {"scope": "catalogue", "q": "finances"})
    subjects = next(facet for facet in response.context["results"].facets if facet.param == "subject")
    assert subjects.values
    first = subjects.values[0]
    narrowed = client.get(first.url)
    assert narrowed.context["results"].count == first.count
    assert narrowed.context["results"].count <= response.context["results"].count
    assert Record.objects.filter(subjects__label=first.value).exists()
