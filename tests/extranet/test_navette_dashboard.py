"""The library's next navette on its dashboard, and its rounds as an iCalendar feed."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from animation_tools import ics
from animation_tools.services import calendar_link_renew
from extranet import calendars, navette
from extranet.espace import navette_figures
from extranet.models import NavetteRoundChange
from tests.factories import LibraryFactory, NavetteRoundChangeFactory, NavetteRuleFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
D = datetime.date


@pytest.fixture
def library(db):
    """Library A without the suite's default weekday rounds: these tests write their own."""
    return LibraryFactory(
        name="Médiathèque de Marines", code="VDO-MARINES", territory=TerritoryFactory(name="Vexin français")
    )


@pytest.fixture
def other_library(db):
    return LibraryFactory(
        name="Médiathèque de Goussainville", code="VDO-GOUSS", territory=TerritoryFactory(name="Plaine de France")
    )


@pytest.fixture
def every_other_tuesday(library):
    return NavetteRuleFactory(territory=library.territory, interval_weeks=2, starts_on=D(2026, 12, 29))


def at(monkeypatch, moment: datetime.datetime) -> None:
    """Make ``moment`` the current instant (``timezone.localdate`` reads ``timezone.now``)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_dashboard_shows_the_next_round_and_its_cutoff(client_for, manager, every_other_tuesday, monkeypatch):
    at(monkeypatch, datetime.datetime(2027, 1, 6, 10, tzinfo=PARIS))
    html = client_for(manager).get(reverse("extranet:dashboard")).content.decode()
    assert "Prochaine navette : mardi 12 janvier" in html
    assert "Commandes et retours à annoncer avant le vendredi 8 janvier, 12 h." in html
    assert calendars.navette_feed_url(manager.library) in html


def test_after_the_cutoff_the_dashboard_names_the_round_that_will_carry_orders(
    client_for, manager, every_other_tuesday, monkeypatch
):
    at(monkeypatch, datetime.datetime(2027, 1, 8, 12, tzinfo=PARIS))
    html = client_for(manager).get(reverse("extranet:dashboard")).content.decode()
    assert "Prochaine navette : mardi 12 janvier" in html
    assert "Les commandes et retours pour cette tournée sont clos." in html
    assert "Ils partiront avec celle du mardi 26 janvier : à annoncer avant le vendredi 22 janvier, 12 h." in html


def test_a_library_without_rounds_is_told_to_contact_its_referent(client_for, manager):
    html = client_for(manager).get(reverse("extranet:dashboard")).content.decode()
    assert "Aucune tournée de navette n'est prévue pour votre bibliothèque" in html


def test_a_change_in_admin_shows_at_once_despite_the_cache(
    client_for, manager, library, every_other_tuesday, monkeypatch
):
    at(monkeypatch, datetime.datetime(2027, 1, 6, 10, tzinfo=PARIS))
    client = client_for(manager)
    assert "Prochaine navette : mardi 12 janvier" in client.get(reverse("extranet:dashboard")).content.decode()
    NavetteRoundChangeFactory(
        territory=library.territory,
        kind=NavetteRoundChange.Kind.MOVED,
        original_date=D(2027, 1, 12),
        new_date=D(2027, 1, 14),
    )
    assert "Prochaine navette : jeudi 14 janvier" in client.get(reverse("extranet:dashboard")).content.decode()


def test_the_panel_runs_no_query_once_the_rounds_are_cached(
    django_assert_num_queries, library, manager, every_other_tuesday
):
    today = D(2027, 1, 6)
    with django_assert_num_queries(3):  # rules, changes, closures
        navette_figures(library, manager, today)
    with django_assert_num_queries(0):
        figures = navette_figures(library, manager, today)
    assert figures["next_navette"].day == D(2027, 1, 12)


def test_dashboard_queries_do_not_grow_with_rounds(
    client_for, manager, library, monkeypatch, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    at(monkeypatch, datetime.datetime(2027, 1, 6, 10, tzinfo=PARIS))
    client = client_for(manager)
    client.get(reverse("extranet:dashboard"))
    with CaptureQueriesContext(connection) as without_rounds:
        client.get(reverse("extranet:dashboard"))
    NavetteRuleFactory(territory=library.territory)
    NavetteRuleFactory(territory=None, library=library, weekday=3, starts_on=D(2027, 1, 7))
    NavetteRoundChangeFactory(territory=library.territory, original_date=D(2027, 1, 12))
    client.get(reverse("extranet:dashboard"))
    with CaptureQueriesContext(connection) as with_rounds:
        response = client.get(reverse("extranet:dashboard"))
    assert "Prochaine navette : jeudi 7 janvier" in response.content.decode()
    assert len(with_rounds.captured_queries) == len(without_rounds.captured_queries)


# --- the feed ----------------------------------------------------------------------------------


def feed_path(library) -> str:
    return reverse("navette:calendar_feed", args=[calendars.library_token(library, salt=calendars.NAVETTE_SALT)])


def test_feed_lists_the_rounds_as_all_day_events_with_their_cutoff(client, library, other_library, every_other_tuesday):
    NavetteRuleFactory(territory=other_library.territory, weekday=4)
    response = client.get(feed_path(library))  # no session: calendar programs send no cookie
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    today = timezone.localdate()
    expected = navette.rounds_for(library, today - datetime.timedelta(days=28), today + datetime.timedelta(days=400))
    assert [event.decoded("DTSTART") for event in events] == [one.day for one in expected]
    assert all(event.decoded("DTSTART").weekday() == 1 for event in events)  # Tuesdays only: not B's Fridays
    first = events[0]
    assert (first.decoded("DTEND") - first.decoded("DTSTART")).days == 1
    assert str(first["UID"]) == f"navette-{library.pk}-{expected[0].day:%Y%m%d}@bdvo.valdoise.fr"
    assert "Commandes et retours à annoncer avant le" in str(first["DESCRIPTION"])
    alarm = first.walk("VALARM")[0]
    assert alarm.decoded("TRIGGER") == expected[0].cutoff - datetime.timedelta(hours=2)
    assert b"TRIGGER;VALUE=DATE-TIME:" in response.content and b"Z\r\n" in response.content


def test_feed_tokens_are_per_feed_and_end_when_the_library_renews_its_links(client, library, manager):
    assert client.get(reverse("navette:calendar_feed", args=[ics.library_token(library)])).status_code == 404
    path = feed_path(library)
    assert client.get(path).status_code == 200
    calendar_link_renew(library=library, user=manager)
    assert client.get(path).status_code == 404
    assert client.get(feed_path(library)).status_code == 200


def test_forged_tokens_and_inactive_libraries_are_404(client, library):
    path = feed_path(library)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.get(reverse("navette:calendar_feed", args=[forged])).status_code == 404
    library.is_active = False
    library.save()
    assert client.get(path).status_code == 404
