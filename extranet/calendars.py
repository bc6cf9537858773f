"""iCalendar feeds of a library, addressed by secret links: the signing every feed shares, and
the navette rounds' feed (the tool bookings' feed is ``animation_tools.ics``).

Calendar programs send no session cookie: a feed URL carries a token signed with
``SECRET_KEY`` (``django.core.signing``) that names the library and the version of its links.
Each feed signs with its own ``salt``, so a token of one feed opens no other. A forged or
altered token is refused; when a Gestionnaire renews the library's links
(``Library.calendar_link_version`` goes up) every old link ends, whichever feed it was for;
rotating ``SECRET_KEY`` ends them all.
"""

from __future__ import annotations

import datetime

import icalendar
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from extranet import navette
from extranet.models import Library

NAVETTE_SALT = "extranet.navette_feed"
# The feed shows the rounds of the last weeks too, so that a calendar keeps them.
NAVETTE_FEED_PAST_DAYS = 28


def library_token(library: Library, *, salt: str) -> str:
    """The secret part of a feed URL: the library and its link version, signed with ``salt``."""
    value = str(library.pk) if not library.calendar_link_version else f"{library.pk}.{library.calendar_link_version}"
    return signing.Signer(salt=salt).sign(value).replace(":", "-")


def library_from_token(token: str, *, salt: str) -> Library | None:
    """The active library ``token`` was made for with ``salt``, or None when it is forged, unknown or renewed."""
    try:
        value = signing.Signer(salt=salt).unsign(token.replace("-", ":", 1))
    except signing.BadSignature:
        return None
    pk, _dot, version = value.partition(".")
    try:
        return Library.objects.filter(pk=int(pk), calendar_link_version=int(version or 0), is_active=True).first()
    except ValueError:  # only a value signed with this salt by something else
        return None


def navette_feed_url(library: Library) -> str:
    """The library's navette feed, to paste into a calendar program."""
    return settings.SITE_URL + reverse("navette:calendar_feed", args=[library_token(library, salt=NAVETTE_SALT)])


def navette_calendar(library: Library, today: datetime.date) -> bytes:
    """RFC 5545 calendar of the library's rounds, from four weeks ago to a year ahead: one all-day
    event per round, its cut-off in the description and as an alarm."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//BDVO//Portail des bibliothèques partenaires//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Navette BDVO — {library.name}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    start = today - datetime.timedelta(days=NAVETTE_FEED_PAST_DAYS)
    for one in navette.rounds_for(library, start, today + datetime.timedelta(days=navette.SEARCH_DAYS)):
        event = icalendar.Event()
        event.add("uid", f"navette-{library.pk}-{one.day:%Y%m%d}@bdvo.valdoise.fr")
        event.add("dtstamp", stamp)
        event.add("dtstart", one.day)
        event.add("dtend", one.day + datetime.timedelta(days=1))  # DTEND of an all-day event is exclusive
        event.add("summary", "Navette BDVO")
        description = f"Tournée de la navette de la BDVO pour {library.name}. Commandes et retours à annoncer avant le {navette.format_cutoff(one.cutoff, today=today)}."
        if one.moved_from:
            description += f" Tournée déplacée (prévue le {navette.format_day(one.moved_from, today=today)})."
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Dernier délai pour annoncer commandes et retours de la navette")
        # RFC 5545: an absolute trigger is a UTC date-time, said so (the default value type is a duration).
        trigger = (one.cutoff - datetime.timedelta(hours=2)).astimezone(datetime.UTC)
        alarm.add("trigger", trigger, parameters={"VALUE": "DATE-TIME"})
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())
