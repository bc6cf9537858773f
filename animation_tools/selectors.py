"""Reads of the animation tools: the month grid of a tool's availability, the navette plan."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from animation_tools import rules
from animation_tools.filters import BookingFilter
from animation_tools.models import Tool, ToolBooking
from extranet import navette
from extranet.models import Library, Territory, User
from extranet.navette_plan import PlanDay, build_plan

MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@dataclass(frozen=True)
class CalendarDay:
    """One day of the month grid: the tool's availability (``state``) and, for a library, whether a
    tool may leave or come back that day (``movement``): ``"round"`` (a navette round of the
    library), ``"open"`` (a BDVO open day without round: only when the library collects the tool
    itself), ``"closed"`` (neither), ``""`` when no library is known (anonymous, staff)."""

    date: datetime.date
    in_month: bool
    state: str  # "free", "loan", "turnaround", "too_soon"
    movement: str = ""

    @property
    def label(self) -> str:
        label = {
            "free": _("disponible"),
            "loan": _("indisponible : déjà prêté"),
            "turnaround": _("indisponible : retour et vérification à la BDVO"),
            "too_soon": _("trop proche (délai de 7 jours)"),
        }[self.state]
        if self.state == "free" and self.movement:
            label = {
                "round": _("disponible, jour de navette"),
                "open": _("pas de navette : retrait par la bibliothèque seulement"),
                "closed": _("pas de navette, BDVO fermée"),
            }[self.movement]
        return label

    @property
    def is_free(self) -> bool:
        return self.state == "free"

    @property
    def is_pickable(self) -> bool:
        """A day a loan or return date may be (``movement`` says with or without navette)."""
        return self.is_free and self.movement != "closed"


@dataclass(frozen=True)
class MonthGrid:
    first_day: datetime.date
    weeks: list[list[CalendarDay]]

    @property
    def title(self) -> str:
        return f"{MONTH_NAMES[self.first_day.month - 1]} {self.first_day.year}"

    @property
    def previous(self) -> datetime.date:
        return (self.first_day - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.first_day + datetime.timedelta(days=32)).replace(day=1)


MONTH_RANGE_YEARS = 10


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    """``"2026-10"`` → 1 October 2026; anything else, or beyond 10 years away → the month of ``default``."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first_day = datetime.date(year, month, 1)
    except ValueError:
        return default.replace(day=1)
    if abs(first_day.year - default.year) > MONTH_RANGE_YEARS:  # the grid links one month further
        return default.replace(day=1)
    return first_day


def month_grid(
    tool: Tool, first_day: datetime.date, *, today: datetime.date, library: Library | None = None
) -> MonthGrid:
    """The weeks (Monday first) of ``first_day``'s month with each day's availability for ``tool``
    and, given ``library``, the days a tool may leave or come back (its rounds, the BDVO's open days)."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first_day.year, first_day.month)
    start, end = weeks[0][0], weeks[-1][-1]
    blocked = rules.unavailable_days(tool, start, end)
    earliest = rules.earliest_loan_date(today=today, convention_required=False)
    movements: dict[datetime.date, str] = {}
    if library is not None:
        movements = dict.fromkeys(_days(start, end), "closed")
        movements.update(dict.fromkeys(rules.possible_days(library, start, end, self_collect=True), "open"))
        movements.update(dict.fromkeys(rules.possible_days(library, start, end, self_collect=False), "round"))
    return MonthGrid(
        first_day=first_day,
        weeks=[
            [
                CalendarDay(
                    date=day,
                    in_month=day.month == first_day.month,
                    state=blocked.get(day) or ("too_soon" if day < earliest else "free"),
                    movement=movements.get(day, ""),
                )
                for day in week
            ]
            for week in weeks
        ],
    )


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]


NEXT_ROUND_DAYS_SHOWN = 6


def next_round_days(library: Library, *, today: datetime.date) -> list[datetime.date]:
    """The library's next navette days from the earliest loan date (the lead time without
    convention): offered under the booking form, which works without the grid. Read from
    ``navette.coming_rounds`` (cached until the navette changes: no query on most requests)."""
    earliest = rules.earliest_loan_date(today=today, convention_required=False)
    return [one.day for one in navette.coming_rounds(library, today) if one.day >= earliest][:NEXT_ROUND_DAYS_SHOWN]


def navette_libraries(territory: Territory | None = None, *, user: User) -> QuerySet[Library]:
    """The libraries of the navette plan ``user`` may see: those they manage (``for_referent``:
    every library for BDVO-wide staff, their territories' for a referent), all of them or those
    of ``territory``."""
    libraries = Library.objects.for_referent(user).select_related("territory").order_by("territory__name", "name")
    return libraries.filter(territory=territory) if territory is not None else libraries


def navette_plan(
    start: datetime.date, end: datetime.date, territory: Territory | None = None, *, user: User
) -> list[PlanDay]:
    """Per day and per library ``user`` manages, what the navette delivers and collects (the
    tools, and whatever the other apps register into ``extranet.navette_plan``). Days without
    any are left out."""
    return build_plan(start, end, navette_libraries(territory, user=user))


def upcoming_bookings_count(library: Library, today: datetime.date) -> int:
    """For the dashboard of the espace professionnel: requested or validated bookings still to come."""
    return ToolBooking.objects.for_library(library).upcoming(today).count()


def library_bookings(library: Library, query: QueryDict) -> tuple[BookingFilter, QuerySet[ToolBooking]]:
    """The library's bookings page (and its export): the filter of ``query`` and the rows it keeps,
    latest loan date first."""
    bookings = ToolBooking.objects.for_library(library).select_related("tool__type").order_by("-loan_date", "-pk")
    booking_filter = BookingFilter(query or None, queryset=bookings)
    return booking_filter, booking_filter.qs if booking_filter.is_bound else bookings
