"""The booking pages offer the library's navette days (or the BDVO's open days when the library
collects the tool itself), with JavaScript or without, and refuse other days in French."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from animation_tools.models import ToolBooking
from extranet import navette
from tests.factories import next_weekday

pytestmark = pytest.mark.django_db


def next_sunday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(6 - day.weekday()) % 7 or 7)


def book(client, tool, loan, back, **extra):
    return client.post(
        reverse("animation_tools:tool_book", args=[tool.slug]),
        {"loan_date": loan.isoformat(), "return_date": back.isoformat(), **extra},
    )


def test_a_booking_on_a_sunday_is_refused_with_the_next_possible_days(client_for, tool, manager):
    sunday = next_sunday(timezone.localdate() + datetime.timedelta(days=14))
    back = next_weekday(sunday + datetime.timedelta(days=14))
    response = book(client_for(manager), tool, sunday, back)
    assert response.status_code == 200
    body = response.content.decode()
    following = [one.day for one in navette.next_rounds(manager.library, sunday, 2)]
    assert f"Le {navette.format_date(sunday)} n&#x27;est pas un jour de navette pour votre bibliothèque." in body
    assert "Prochains jours possibles : " + ", ".join(navette.format_day(day) for day in following) in body
    assert not ToolBooking.objects.all_libraries().exists()


def test_the_library_collecting_itself_books_open_days_and_it_is_recorded(client_for, manager, library):
    from tests.animation_tools.factories import ToolFactory
    from tests.factories import NavetteRuleFactory

    # Only the library's own round on Saturdays: weekdays are open days without a round for it.
    NavetteRuleFactory(territory=None, library=library, weekday=5, starts_on=datetime.date(2021, 1, 2))
    tool = ToolFactory()
    loan = next_weekday(timezone.localdate() + datetime.timedelta(days=14))
    back = next_weekday(loan + datetime.timedelta(days=7))
    client = client_for(manager)
    refused = book(client, tool, loan, back).content.decode()
    assert "n&#x27;est pas un jour de navette pour votre bibliothèque" in refused
    response = book(client, tool, loan, back, self_collect="on")
    assert response.status_code == 302
    booking = ToolBooking.objects.for_library(library).get()
    assert booking.self_collect and booking.loan_date == loan


def test_the_calendar_lists_the_librarys_next_round_days_and_marks_the_grid(client_for, tool, manager):
    today = timezone.localdate()
    response = client_for(manager).get(reverse("animation_tools:tool_calendar", args=[tool.slug]))
    body = response.content.decode()
    assert "Prochains jours de navette pour votre bibliothèque :" in body
    days = response.context["next_round_days"]
    assert len(days) == 6 and days[0] >= today + datetime.timedelta(days=7)
    assert all(navette.is_round_day(manager.library, day) for day in days)
    cells = [day for week in response.context["grid"].weeks for day in week]
    sunday = next(day for day in cells if day.date.weekday() == 6)
    assert sunday.movement == "closed" and not sunday.is_pickable
    for day in cells:
        if day.is_free and day.movement == "round":
            assert f'data-date="{day.date.isoformat()}" data-movement="round"' in body


def test_anonymous_visitors_see_availability_without_navette_days(client, tool):
    response = client.get(reverse("animation_tools:tool_calendar", args=[tool.slug]))
    assert response.context["next_round_days"] == []
    assert all(day.movement == "" for week in response.context["grid"].weeks for day in week)


def test_a_library_without_rounds_is_told_to_collect_itself_or_ask_its_referent(client_for, tool):
    from tests.factories import LibraryFactory, UserFactory

    lonely = UserFactory(library=LibraryFactory())
    body = client_for(lonely).get(reverse("animation_tools:tool_calendar", args=[tool.slug])).content.decode()
    assert "Aucune tournée de navette n'est prévue pour votre bibliothèque" in body


def test_calendar_queries_do_not_grow_with_rounds_changes_and_closures(client_for, tool, manager, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ClosurePeriodFactory, NavetteRoundChangeFactory, NavetteRuleFactory

    client = client_for(manager)
    url = reverse("animation_tools:tool_calendar", args=[tool.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    today = timezone.localdate()
    NavetteRuleFactory(territory=None, library=library, weekday=5, starts_on=datetime.date(2021, 1, 2))
    for offset in range(5):
        day = today + datetime.timedelta(days=10 + offset)
        NavetteRoundChangeFactory(territory=library.territory, original_date=day)
        ClosurePeriodFactory(starts_on=day + datetime.timedelta(days=40), ends_on=day + datetime.timedelta(days=41))
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
