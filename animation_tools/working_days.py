"""Working days of the BDVO: no weekends, no French public holidays."""

from __future__ import annotations

import datetime
from functools import cache

from dateutil.easter import easter


@cache
def french_public_holidays(year: int) -> frozenset[datetime.date]:
    easter_sunday = easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [easter_sunday + datetime.timedelta(days=days) for days in (1, 39, 50)]  # Monday, Ascension, Whit Monday
    return frozenset([datetime.date(year, month, day) for month, day in fixed] + movable)


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
