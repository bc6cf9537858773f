"""iCalendar feed of a library's validated tool bookings, addressed by a secret token.

Calendar programs send no session cookie: the feed URL carries a token signed by
``extranet.calendars`` with this feed's salt (the library and the version of its links).
A forged or altered token is refused; a Gestionnaire renews the link (the library's
``calendar_link_version`` goes up), which ends the old one — and the old navette feed link
too; rotating ``SECRET_KEY`` ends them all.
"""

from __future__ import annotations

import datetime

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from animation_tools.models import ToolBooking
from extranet import calendars
from extranet.models import Library

SALT = "animation_tools.calendar_feed"


def library_token(library: Library) -> str:
    """The secret part of the feed URL: the library and its link version, signed."""
    return calendars.library_token(library, salt=SALT)


def library_from_token(token: str) -> Library | None:
    """The active library the token was made for, or None when it is forged, unknown or renewed."""
    return calendars.library_from_token(token, salt=SALT)


def feed_url(library: Library) -> str:
    return settings.SITE_URL + reverse("animation_tools:calendar_feed", args=[library_token(library)])


def library_calendar(library: Library) -> bytes:
    """RFC 5545 calendar: one all-day event per validated booking, from loan date to return date."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//BDVO//Portail des bibliothèques partenaires//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Outils d'animation BDVO — {library.name}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    bookings = ToolBooking.objects.for_library(library).validated_for_calendar().select_related("tool__type")
    stamp = timezone.now()
    for booking in bookings.order_by("loan_date"):
        event = icalendar.Event()
        event.add("uid", f"outil-{booking.pk}@bdvo.valdoise.fr")
        event.add("dtstamp", stamp)
        event.add("last-modified", booking.updated_at)
        event.add("dtstart", booking.loan_date)
        event.add("dtend", booking.return_date + datetime.timedelta(days=1))  # DTEND of an all-day event is exclusive
        event.add("summary", f"Outil d'animation : {booking.tool.name}")
        how = "Retrait à la BDVO par la bibliothèque" if booking.self_collect else "Livraison par la navette"
        event.add(
            "description",
            f"{booking.tool.type.name}, {booking.get_status_display()}. "
            f"{how} le {booking.loan_date:%d/%m/%Y}, retour le {booking.return_date:%d/%m/%Y}.",
        )
        event.add("url", settings.SITE_URL + booking.tool.get_absolute_url())
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
