"""The navette rounds' iCalendar feed, read by calendar programs through a secret link (no session)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control

from extranet import calendars


# The feed is read without a session through a capability URL: no cache may keep it.
@cache_control(private=True, no_store=True)
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The library's navette rounds as an iCalendar feed; 404 for a forged, renewed or unknown link."""
    library = calendars.library_from_token(token, salt=calendars.NAVETTE_SALT)
    if library is None:
        raise Http404
    response = HttpResponse(
        calendars.navette_calendar(library, timezone.localdate()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="navette-bdvo.ics"'
    return response
