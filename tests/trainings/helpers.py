"""Helpers of the trainings tests."""

from __future__ import annotations

import icalendar


def ics_of(message) -> icalendar.Calendar:
    """The parsed ``formation.ics`` attachment of an e-mail."""
    (filename, content, mimetype), *_rest = message.attachments
    assert filename == "formation.ics"
    assert mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)
