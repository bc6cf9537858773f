"""RFC 5545 invitations attached to every registration e-mail.

One event per (session, person): its UID never changes, so calendar programs update or
remove the same entry when the session moves, the person is promoted or cancels.
Times are written in UTC (``…Z``), valid everywhere without a VTIMEZONE block.
"""

from __future__ import annotations

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from trainings.models import Registration, TrainingSession

UID_DOMAIN = "formations.bdvo.valdoise.fr"
ICS_FILENAME = "formation.ics"
ICS_MIMETYPE = "text/calendar"


def event_uid(*, session: TrainingSession, user_pk: int) -> str:
    return f"session-{session.pk}-personne-{user_pk}@{UID_DOMAIN}"


def registration_ics(*, registration: Registration, method: str) -> str:
    """The iCalendar text for ``registration``: ``REQUEST`` (invite / update) or ``CANCEL``."""
    if method not in {"REQUEST", "CANCEL"}:
        raise ValueError(f"Unsupported iTIP method: {method}")
    session, user = registration.session, registration.user
    if method == "CANCEL":
        status = "CANCELLED"
    elif registration.status == Registration.Status.REGISTERED:
        status = "CONFIRMED"
    else:
        status = "TENTATIVE"

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Bibliotheque departementale du Val-d'Oise//Portail BDVO//FR")
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = icalendar.Event()
    event.add("uid", event_uid(session=session, user_pk=user.pk))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("sequence", session.sequence + registration.calendar_sequence)
    event.add("status", status)
    event.add("summary", f"Formation BDVO : {session.training.title}")
    event.add("location", f"{session.place}, {session.address}")
    description = [session.training.summary]
    if session.schedule:
        description.append(f"Calendrier : {session.schedule}")
    description.append(f"Formateur·rices : {session.training.trainers}")
    description.append(f"{settings.SITE_URL}{session.training.get_absolute_url()}")
    event.add("description", "\n".join(description))
    organizer = icalendar.vCalAddress(f"mailto:{settings.BDVO_CONTACT_EMAIL}")
    organizer.params["cn"] = icalendar.vText("BDVO — Formations")
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{user.email}")
    attendee.params["cn"] = icalendar.vText(user.get_full_name() or user.username)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
