"""Reads of the animation tools: the month grid of a tool's availability, the navette plan."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from animation_tools import rules
from animation_tools.filters import BookingFilter
from animation_tools.models import Tool, ToolBooking
from extranet.models import Library, Territory, User

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
    date: datetime.date
    in_month: bool
    state: str  # "free", "loan", "turnaround", "too_soon"

    @property
    def label(self) -> str:
        return {
            "free": _("disponible"),
            "loan": _("indisponible : déjà prêté"),
            "turnaround": _("indisponible : retour et vérification à la BDVO"),
            "too_soon": _("trop proche (délai de 7 jours)"),
        }[self.state]

    @property
    def is_free(self) -> bool:
        return self.state == "free"


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


def month_grid(tool: Tool, first_day: datetime.date, *, today: datetime.date) -> MonthGrid:
    """The weeks (Monday first) of ``first_day``'s month with each day's availability for ``tool``."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first_day.year, first_day.month)
    blocked = rules.unavailable_days(tool, weeks[0][0], weeks[-1][-1])
    earliest = rules.earliest_loan_date(today=today, convention_required=False)
    return MonthGrid(
        first_day=first_day,
        weeks=[
            [
                CalendarDay(
                    date=day,
                    in_month=day.month == first_day.month,
                    state=blocked.get(day) or ("too_soon" if day < earliest else "free"),
                )
                for day in week
            ]
            for week in weeks
        ],
    )


@dataclass(frozen=True)
class NavetteDay:
    date: datetime.date
    deliveries: list[ToolBooking]
    collections: list[ToolBooking]


NAVETTE_STATUSES = (ToolBooking.Status.VALIDATED, ToolBooking.Status.OUT)


def navette_bookings(
    start: datetime.date, end: datetime.date, territory: Territory | None = None, *, user: User
) -> QuerySet[ToolBooking]:
    """Validated (or already out) bookings leaving or coming back between ``start`` and ``end``
    for the libraries ``user`` manages (``for_referent``: every library for BDVO-wide staff,
    their territories' for a referent), all of them or those of ``territory``."""
    bookings = ToolBooking.objects.for_referent(user).filter(
        Q(loan_date__range=(start, end)) | Q(return_date__range=(start, end)), status__in=NAVETTE_STATUSES
    )
    if territory is not None:
        bookings = bookings.filter(library__territory=territory)
    return bookings.select_related("tool__type", "library__territory").order_by(
        "library__territory__name", "library__name"
    )


def navette_plan(
    start: datetime.date, end: datetime.date, territory: Territory | None = None, *, user: User
) -> list[NavetteDay]:
    """Per day: the tools to deliver (loan date) and to collect (return date) for the libraries
    ``user`` manages (see ``navette_bookings``). Days without any are left out."""
    bookings = list(navette_bookings(start, end, territory, user=user))
    days = []
    day = start
    while day <= end:
        deliveries = [booking for booking in bookings if booking.loan_date == day]
        collections = [booking for booking in bookings if booking.return_date == day]
        if deliveries or collections:
            days.append(NavetteDay(day, deliveries, collections))
        day += datetime.timedelta(days=1)
    return days


def upcoming_bookings_count(library: Library, today: datetime.date) -> int:
    """For the dashboard of the espace professionnel: requested or validated bookings still to come."""
    return ToolBooking.objects.for_library(library).upcoming(today).count()


def library_bookings(library: Library, query: QueryDict) -> tuple[BookingFilter, QuerySet[ToolBooking]]:
    """The library's bookings page (and its export): the filter of ``query`` and the rows it keeps,
    latest loan date first."""
    bookings = ToolBooking.objects.for_library(library).select_related("tool__type").order_by("-loan_date", "-pk")
    booking_filter = BookingFilter(query or None, queryset=bookings)
    return booking_filter, booking_filter.qs if booking_filter.is_bound else bookings
