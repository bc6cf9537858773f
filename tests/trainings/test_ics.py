"""The iCalendar invitation is valid RFC 5545 and stable per session and person."""

from __future__ import annotations

import pytest

from tests.trainings.factories import RegistrationFactory, TrainingSessionFactory
from trainings.ics import registration_ics

pytestmark = pytest.mark.django_db


def test_invitation_is_parseable_with_crlf_and_utc_times(viewer):
    session = TrainingSessionFactory(place="Médiathèque de Marines; salle 2, étage", schedule="jeudi, 9h30")
    registration = RegistrationFactory(session=session, user=viewer)
    text = registration_ics(registration=registration, method="REQUEST")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "METHOD:REQUEST\r\n" in text
    assert "LOCATION:Médiathèque de Marines\\; salle 2\\, étage" in text.replace("\r\n ", "")
    import icalendar

    calendar = icalendar.Calendar.from_ical(text)
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert "DTSTAMP" in event
    assert str(event["ATTENDEE"]) == f"mailto:{viewer.email}"
    assert all(line.endswith("Z") for line in text.split("\r\n") if line.startswith(("DTSTART", "DTEND", "DTSTAMP")))


def test_uid_is_stable_per_session_and_person(viewer, manager):
    session = TrainingSessionFactory()
    mine = RegistrationFactory(session=session, user=viewer)
    import icalendar

    def uid(registration, method):
        return str(
            icalendar.Calendar.from_ical(registration_ics(registration=registration, method=method)).walk("VEVENT")[0][
                "UID"
            ]
        )

    assert uid(mine, "REQUEST") == uid(mine, "CANCEL")
    assert uid(mine, "REQUEST") != uid(RegistrationFactory(session=session, user=manager), "REQUEST")


def test_unknown_method_is_refused(viewer):
    with pytest.raises(ValueError):
        registration_ics(registration=RegistrationFactory(user=viewer), method="PUBLISH")
