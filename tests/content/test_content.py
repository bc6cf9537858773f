"""Help pages and agenda events: public pages, search, demo data."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from content import demo
from content.models import Event, Page

pytestmark = pytest.mark.django_db


def _event(title: str, days: int, **fields) -> Event:
    start = timezone.now() + datetime.timedelta(days=days)
    return Event.objects.create(title=title, starts_at=start, place=fields.pop("place", "BDVO"), **fields)


def test_help_index_lists_published_pages_in_order(client):
    Page.objects.create(title="Comment réserver un document ?", slug="reserver", body="…", position=2)
    Page.objects.create(title="Comment me connecter ?", slug="connexion", body="…", position=1)
    Page.objects.create(title="Brouillon", slug="brouillon", body="…", is_published=False)
    response = client.get(reverse("content:help"))
    assert response.status_code == 200
    assert [page.title for page in response.context["pages"]] == [
        "Comment me connecter ?",
        "Comment réserver un document ?",
    ]


def test_page_detail_shows_paragraphs_and_hides_drafts(client):
    Page.objects.create(title="Aide", slug="aide-test", body="Premier paragraphe.\n\nSecond paragraphe.")
    Page.objects.create(title="Brouillon", slug="brouillon", body="…", is_published=False)
    content = client.get(reverse("content:page_detail", args=["aide-test"])).content.decode()
    assert "<p>Premier paragraphe.</p>" in content and "<p>Second paragraphe.</p>" in content
    assert client.get(reverse("content:page_detail", args=["brouillon"])).status_code == 404


def test_agenda_lists_upcoming_published_events(client):
    _event("Rencontre du réseau", 10)
    _event("Journée passée", -10)
    _event("Événement masqué", 5, is_published=False)
    response = client.get(reverse("content:event_list"))
    assert [event.title for event in response.context["events"]] == ["Rencontre du réseau"]
    event = Event.objects.get(title="Rencontre du réseau")
    assert "Rencontre du réseau" in client.get(event.get_absolute_url()).content.decode()
    hidden = Event.objects.get(title="Événement masqué")
    assert client.get(reverse("content:event_detail", args=[hidden.pk])).status_code == 404


def test_search_ignores_case_and_accents_and_needs_every_word():
    Page.objects.create(
        title="Comment pré-réserver un outil d'animation ?", slug="outil", body="Kamishibaï et expositions."
    )
    Page.objects.create(title="Comment me connecter ?", slug="connexion", body="Identifiant.")
    assert [p.slug for p in Page.objects.search("PRE RESERVER")] == ["outil"]
    assert [p.slug for p in Page.objects.search("kamishibai")] == ["outil"]
    assert [p.slug for p in Page.objects.search("kamishibai connecter")] == []
    assert list(Page.objects.search("  ")) == []


def test_search_text_follows_edits():
    page = Page.objects.create(title="Ancien", slug="p", body="…")
    page.title = "Nouveau titre"
    page.save(update_fields=["title"])
    assert list(Page.objects.search("nouveau")) == [page]


def test_demo_loader_is_idempotent():
    demo.load(io.StringIO())
    counts = (Page.objects.count(), Event.objects.count())
    demo.load(io.StringIO())
    assert (Page.objects.count(), Event.objects.count()) == counts
    titles = set(Page.objects.values_list("title", flat=True))
    assert {
        "Comment me connecter ?",
        "Comment réserver un document ?",
        "Comment exporter mes prêts vers mon SIGB ?",
        "Comment pré-réserver un outil d'animation ?",
        "S'inscrire à une formation",
    } <= titles
    assert Event.objects.upcoming().count() >= 3


def test_home_page_shows_the_next_three_published_events(client):
    for days, title in [(40, "Quatrième"), (1, "Première"), (10, "Deuxième"), (20, "Troisième"), (-3, "Passée")]:
        _event(title, days)
    _event("Brouillon", 2, is_published=False)
    response = client.get(reverse("home"))
    assert [event.title for event in response.context["events"]] == ["Première", "Deuxième", "Troisième"]
    html = response.content.decode()
    assert "Prochains rendez-vous du réseau" in html
    assert reverse("content:event_list") in html


def test_home_page_without_events_says_so(client):
    assert "Aucun événement à venir pour le moment." in client.get(reverse("home")).content.decode()
