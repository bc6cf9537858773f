"""Full-text search of the catalogue: the same tests on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import Audience, DocumentType, Record
from catalogue.search.params import query_terms
from catalogue.search.query import search_rows
from content.models import Event, Page
from tests.catalogue.factories import AVAILABLE, make_record

pytestmark = pytest.mark.django_db


def _titles(text: str) -> list[str]:
    return list(search_rows(text).order_by("-relevance", "record__title").values_list("record__title", flat=True))


def _page_titles(response) -> list[str]:
    return [record.title for record in response.context["results"].page.object_list]


def test_search_ignores_case_and_accents():
    make_record("Pratiques décloisonnées en bibliothèque")
    make_record("Le Petit Prince")
    assert _titles("decloisonnees") == ["Pratiques décloisonnées en bibliothèque"]
    assert _titles("DÉCLOISONNÉES BIBLIOTHEQUE") == ["Pratiques décloisonnées en bibliothèque"]
    assert _titles("décloisonne") == ["Pratiques décloisonnées en bibliothèque"]


def test_search_matches_word_prefixes():
    make_record("La montagne secrète")
    make_record("Le désert des Tartares")
    assert _titles("montag") == ["La montagne secrète"]
    assert _titles("tart dés") == ["Le désert des Tartares"]


def test_all_words_must_match():
    make_record("Le château de ma mère")
    make_record("La gloire de mon père")
    assert _titles("château mère") == ["Le château de ma mère"]
    assert _titles("château père") == []


def test_search_covers_authors_subjects_series_summary_publisher_and_isbn():
    record = make_record(
        "Titre neutre",
        authors=["Pennac, Daniel"],
        subjects=["Famille -- Romans"],
        series="Folio junior",
        summary="Une histoire de Belleville.",
        publisher="Gallimard jeunesse",
        isbn="9782070612758",
    )
    make_record("Autre titre", authors=["Autre, Personne"])
    for text in ["pennac", "famille", "folio", "belleville", "gallimard jeunesse", "9782070612758"]:
        assert _titles(text) == [record.title], text


@pytest.mark.postgres_only
def test_french_stemming_on_postgresql():
    make_record("Le cheval de mon grand-père")
    make_record("Les journaux de guerre")
    assert _titles("chevaux") == ["Le cheval de mon grand-père"]
    assert _titles("journal") == ["Les journaux de guerre"]


def test_title_match_ranks_above_summary_match():
    make_record("Aventure au jardin", summary="Un roman jeunesse.")
    make_record("Histoire courte", summary="Une aventure dans un jardin potager, racontée aux enfants.")
    make_record("Le potager", subjects=["Jardin -- Ouvrages pour la jeunesse"])
    assert _titles("jardin") == ["Aventure au jardin", "Le potager", "Histoire courte"]


def test_index_follows_updates_and_deletions():
    record = make_record("Ancien titre")
    Record.objects.filter(pk=record.pk).update(title="Nouveau titre lumineux")
    assert _titles("lumineux") == ["Nouveau titre lumineux"]
    assert _titles("ancien") == []
    Record.objects.filter(pk=record.pk).delete()
    assert _titles("lumineux") == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        "NEAR(chat chien)",
        "chat NOT chien",
        "chat OR chien AND",
        "*",
        "-chat",
        "((((",
        "title:chat",
        "^chat",
        "chat\\",
        "' OR 1=1; DROP TABLE catalogue_record; --",
        "<script>alert(1)</script>",
        "a" * 2000,
        "mot " * 500,
        "é" * 300,
        "\x00",
        "_ __ ___",
        "!@#$%^&|:",
    ],
)
def test_hostile_queries_give_a_normal_page(client, text):
    make_record("Le chat et le chien")
    response = client.get(reverse("search"), {"q": text})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert Record.objects.count() == 1


def test_operators_are_plain_words():
    make_record("Le chat et le chien")
    make_record("Near Dark")
    assert _titles("near") == ["Near Dark"]
    assert _titles("chat -chien") == ["Le chat et le chien"]
    assert _titles('"chat') == ["Le chat et le chien"]


def test_query_terms_are_bounded():
    terms = query_terms(" ".join(f"mot{index}" for index in range(100)))
    assert len(terms) == 12
    assert query_terms("x" * 2000) == ["x" * 60]
    assert query_terms("Chat chat CHAT") == ["chat"]


def test_results_page_shows_count_and_paginates(client):
    for index in range(25):
        make_record(f"Voyage numéro {index:02d}")
    make_record("Autre chose")
    response = client.get(reverse("search"), {"q": "voyage", "scope": "catalogue", "sort": "title"})
    assert response.status_code == 200
    assert response.context["results"].count == 25
    assert "25 documents trouvés dans le catalogue pour « voyage »" in response.content.decode()
    assert len(_page_titles(response)) == 20
    second = client.get(reverse("search"), {"q": "voyage", "scope": "catalogue", "sort": "title", "page": 2})
    assert _page_titles(second) == [f"Voyage numéro {index:02d}" for index in range(20, 25)]
    last = client.get(reverse("search"), {"q": "voyage", "page": 99999})
    assert last.status_code == 200
    assert len(_page_titles(last)) == 5
    assert client.get(reverse("search"), {"q": "voyage", "page": "abc"}).status_code == 200


@pytest.mark.parametrize("sort", ["relevance", "title"])
@pytest.mark.parametrize(
    ("page", "number", "first"),
    [("2", 2, 20), ("3", 3, 40), ("99999", 3, 40), ("0", 3, 40), ("-1", 3, 40), ("abc", 1, 0), ("2.5", 1, 0)],
)
def test_page_numbers_are_read_like_django_paginator(client, sort, page, number, first):
    for index in range(45):
        make_record(f"Voyage numéro {index:02d}")
    response = client.get(reverse("search"), {"q": "voyage", "sort": sort, "page": page})
    results = response.context["results"]
    assert results.page.number == number
    everything = client.get(reverse("search"), {"q": "voyage", "sort": sort}).context["results"]
    ordered = [record.pk for record in everything.page.object_list]
    for following in range(2, 4):
        following_page = client.get(reverse("search"), {"q": "voyage", "sort": sort, "page": following})
        ordered += [record.pk for record in following_page.context["results"].page.object_list]
    assert len(ordered) == len(set(ordered)) == 45
    assert [record.pk for record in results.page.object_list] == ordered[first : first + 20]


def test_sorts_by_title_author_and_date(client):
    make_record("Bravo", authors=["Zola, Émile"], publication_year=1990)
    make_record("Alpha", authors=["Balzac, Honoré de"], publication_year=2010)
    make_record("Charlie", authors=["Camus, Albert"], publication_year=None)

    def sorted_titles(sort):
        return _page_titles(client.get(reverse("search"), {"scope": "catalogue", "sort": sort}))

    assert sorted_titles("title") == ["Alpha", "Bravo", "Charlie"]
    assert sorted_titles("author") == ["Alpha", "Charlie", "Bravo"]
    assert sorted_titles("newest") == ["Alpha", "Bravo", "Charlie"]
    assert sorted_titles("oldest") == ["Bravo", "Alpha", "Charlie"]
    assert sorted_titles("nonsense") == ["Alpha", "Bravo", "Charlie"]


def test_relevance_is_the_default_sort_of_a_query(client):
    make_record("Histoire", summary="Le loup et l'agneau")
    make_record("Le loup")
    response = client.get(reverse("search"), {"q": "loup"})
    assert response.context["results"].sort == "relevance"
    assert _page_titles(response) == ["Le loup", "Histoire"]


def test_empty_query_browses_the_whole_catalogue(client):
    make_record("Alpha")
    make_record("Bravo")
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert _page_titles(response) == ["Alpha", "Bravo"]
    assert "Parcourir le catalogue" in response.content.decode()


def test_scope_all_also_lists_help_pages_and_events(client):
    make_record("Réserver un document ancien")
    Page.objects.create(title="Comment réserver un document ?", slug="reserver", body="Cliquez sur Réserver.")
    Page.objects.create(title="Page brouillon réserver", slug="brouillon", body="…", is_published=False)
    Event.objects.create(title="Atelier : réserver en ligne", starts_at="2030-01-10T10:00:00Z", place="BDVO")
    response = client.get(reverse("search"), {"q": "reserver", "scope": "all"})
    content = response.content.decode()
    assert [page.title for page in response.context["pages"]] == ["Comment réserver un document ?"]
    assert [event.title for event in response.context["events"]] == ["Atelier : réserver en ligne"]
    assert "Pages du portail" in content and "Agenda" in content
    assert _page_titles(response) == ["Réserver un document ancien"]

    catalogue_only = client.get(reverse("search"), {"q": "reserver", "scope": "catalogue"})
    assert catalogue_only.context["pages"] == [] and catalogue_only.context["events"] == []
    assert "Pages du portail" not in catalogue_only.content.decode()
    assert _page_titles(catalogue_only) == ["Réserver un document ancien"]


def test_default_scope_is_all(client):
    Page.objects.create(title="Comment me connecter ?", slug="connexion", body="Identifiant et mot de passe.")
    response = client.get(reverse("search"), {"q": "connecter"})
    assert response.context["scope"] == "all"
    assert [page.title for page in response.context["pages"]] == ["Comment me connecter ?"]


def test_result_list_shows_type_audience_and_availability(client):
    make_record(
        "Les cigares du pharaon", document_type=DocumentType.COMIC, audience=Audience.CHILDREN, items=[AVAILABLE]
    )
    make_record("Le pharaon oublié", document_type=DocumentType.BOOK)
    response = client.get(reverse("search"), {"q": "pharaon", "sort": "title"})
    list_html = response.content.decode().split('class="record-list"', 1)[1]
    assert '<span class="doc-type">Bande dessinée</span>\n      · Jeunesse' in list_html
    assert (
        '<span class="doc-type">Livre</span>\n      \n      · <span class="availability availability-no">' in list_html
    )


def test_long_titles_and_responsibilities_are_shortened_in_the_results_only(client):
    long_title = "Chroniques du Vexin " + "et de la vallée " * 30
    responsibility = "textes réunis par " + "Martin, " * 40
    make_record(long_title, responsibility=responsibility)
    make_record("Chroniques brèves", responsibility="Anne Durand")
    html = client.get(reverse("search"), {"q": "chroniques", "scope": "catalogue"}).content.decode()
    # As the truncatechars filter shows them: 300 and 200 characters, ellipsis included.
    assert long_title[:299] + "…" in html
    assert long_title not in html
    assert responsibility[:199] + "…" in html
    assert responsibility.strip() not in html
    assert "Chroniques brèves" in html and "Anne Durand" in html
