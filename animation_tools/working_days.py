"""Working days of the BDVO for the turnaround gap: no weekends, no French public holidays
(those of ``extranet.navette``, from the ``holidays`` package, so that rounds and turnarounds
agree on them)."""

from __future__ import annotations

import datetime
from functools import cache

from extranet import navette


@cache
def french_public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(navette.french_public_holidays(year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in french_public_holidays(day.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself when ``count`` is 0)."""
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
