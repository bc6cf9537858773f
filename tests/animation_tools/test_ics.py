"""iCalendar feed of a library's validated bookings (secret token URL, RFC 5545)."""

from __future__ import annotations

import icalendar
import pytest
from django.urls import reverse

from animation_tools import ics
from animation_tools.models import ToolBooking
from tests.animation_tools.factories import ToolBookingFactory, ToolFactory

pytestmark = pytest.mark.django_db
Status = ToolBooking.Status


def feed_path(library) -> str:
    return reverse("animation_tools:calendar_feed", args=[ics.library_token(library)])


def test_feed_lists_the_validated_bookings_as_all_day_events(client, library, other_library):
    validated = ToolBookingFactory(
        library=library, tool=ToolFactory(name="Exposition, « Mangas »; le récit"), status=Status.VALIDATED
    )
    ToolBookingFactory(library=library, status=Status.REQUESTED)
    ToolBookingFactory(library=library, status=Status.CANCELLED)
    ToolBookingFactory(library=other_library, status=Status.VALIDATED)
    response = client.get(feed_path(library))  # no session: calendar programs send no cookie
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF line endings only
    unfolded = raw.decode().replace("\r\n ", "")
    assert "SUMMARY:Outil d'animation : Exposition\\, « Mangas »\\; le récit" in unfolded  # escaped text
    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"outil-{validated.pk}@bdvo.valdoise.fr"
    assert "DTSTAMP" in event
    assert event.decoded("DTSTART") == validated.loan_date
    assert (event.decoded("DTEND") - validated.return_date).days == 1  # exclusive end of an all-day event
    assert b"DTSTART;VALUE=DATE:" in raw and b"DTEND;VALUE=DATE:" in raw
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar


def test_forged_or_unknown_tokens_are_404(client, library):
    token = ics.library_token(library)
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.get(reverse("animation_tools:calendar_feed", args=[forged])).status_code == 404
    assert client.get(reverse("animation_tools:calendar_feed", args=["12"])).status_code == 404
    other_pk = token.replace(f"{library.pk}-", f"{library.pk + 1}-", 1)
    assert client.get(reverse("animation_tools:calendar_feed", args=[other_pk])).status_code == 404


def test_token_of_an_inactive_library_is_404(client, library):
    path = feed_path(library)
    library.is_active = False
    library.save()
    assert client.get(path).status_code == 404


def test_a_manager_renews_the_link_and_the_old_one_stops_working(client, client_for, library, manager):
    ToolBookingFactory(library=library, status=Status.VALIDATED)
    old_path = feed_path(library)
    assert client.get(old_path).status_code == 200
    response = client_for(manager).post(reverse("animation_tools:calendar_link_renew"), follow=True)
    assert "Le lien d&#x27;agenda est renouvelé" in response.content.decode()
    library.refresh_from_db()
    new_path = feed_path(library)
    assert new_path != old_path
    assert new_path in response.content.decode()  # the page shows the new link
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200
    # renewed again: the second link ends too
    client_for(manager).post(reverse("animation_tools:calendar_link_renew"))
    library.refresh_from_db()
    assert client.get(new_path).status_code == 404
    assert client.get(feed_path(library)).status_code == 200


def test_only_the_librarys_manager_renews_its_link(client, client_for, library, manager, viewer, other_manager):
    path = feed_path(library)
    url = reverse("animation_tools:calendar_link_renew")
    assert client_for(viewer).post(url).status_code == 403
    assert client.post(url).status_code == 302  # anonymous: to the login page
    client_for(other_manager).post(url)  # renews the other library's link, never this one
    assert client.get(path).status_code == 200
    assert client_for(manager).get(url).status_code == 405  # a change is a POST
