"""The navette calendar: each library's round days, their cut-offs, and the BDVO's open days.

The rules staff keep in admin (``NavetteRule``, ``NavetteRoundChange``, ``ClosurePeriod`` in
``extranet.models``) become dates here, in plain functions every app calls:

- ``rounds_for(library, start, end)``: the library's rounds between two days (included);
- ``next_rounds(library, after, count)`` / ``next_round(library, after)``: the rounds after a
  day (``datetime.date``: rounds dated later than that day) or after an instant
  (``datetime.datetime``: the rounds whose cut-off is still to come at that instant, i.e. the
  rounds that can still carry an order or a return announced then);
- ``is_round_day(library, day)``;
- ``bdvo_open_days(start, end)`` / ``is_bdvo_open(day)``: Monday to Friday, neither a French
  public holiday nor a closure day (the days a library may collect and bring back a tool itself);
- ``rounds_by_library(libraries, start, end)``: the same for many libraries in three queries.

The rules, decided once:

- a library follows its own rules on the days one of them covers (``starts_on``..``ends_on``),
  its territory's rules on every other day; a day when several rules fall is one round;
- Sundays, French public holidays (the ``holidays`` package: Easter Monday, Ascension, Whit
  Monday included) and BDVO closure periods are never round days: a rule day falling on one
  is skipped, and staff add the replacement round explicitly (a « tournée déplacée »);
- changes of the library always apply to it; its territory's apply on the days it follows
  its territory (the cancelled or moved round's day, the added round's day);
- a round's cut-off is ``cutoff_open_days`` BDVO open days before it at ``cutoff_time``,
  Europe/Paris (a moved round keeps its rule's cut-off settings, an added one takes those of
  a rule covering its day, else two open days at noon). Orders are on time strictly before it.

Every function queries at most three tables (rules, changes, closures), whatever the period.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from extranet.models import ClosurePeriod, Library, NavetteRoundChange, NavetteRule

DEFAULT_CUTOFF_OPEN_DAYS = 2
DEFAULT_CUTOFF_TIME = datetime.time(12, 0)
# How far ``next_rounds`` looks ahead: a year covers the sparsest (monthly) rule many times.
SEARCH_DAYS = 400
# Closures are loaded this far before a period, to count the open days back to a cut-off.
CUTOFF_MARGIN_DAYS = 120
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Round:
    """One navette round of a library: its day and the last instant to announce orders and returns.

    ``moved_from`` is the rule's day when staff moved the round (``None`` otherwise).
    """

    day: datetime.date
    cutoff: datetime.datetime = field(compare=False)
    moved_from: datetime.date | None = field(default=None, compare=False)

    def is_open_at(self, moment: datetime.datetime) -> bool:
        """Whether an order or return announced at ``moment`` (aware) is in time for this round."""
        return moment < self.cutoff

    @property
    def label(self) -> str:
        """« mardi 12 janvier »."""
        return format_day(self.day)

    @property
    def cutoff_label(self) -> str:
        """« vendredi 8 janvier, 12 h »."""
        return format_cutoff(self.cutoff)


# --- days the BDVO is closed -------------------------------------------------------------------


@functools.cache
def french_public_holidays(year: int) -> dict[datetime.date, str]:
    """France's public holidays of ``year`` (metropolitan), with their French names."""
    return dict(holidays.country_holidays("FR", years=year, language="fr").items())


def public_holiday_name(day: datetime.date) -> str:
    """The French name of the public holiday on ``day``, or ``""``."""
    return french_public_holidays(day.year).get(day, "")


def _closures_between(start: datetime.date, end: datetime.date) -> list[ClosurePeriod]:
    return list(ClosurePeriod.objects.filter(starts_on__lte=end, ends_on__gte=start).order_by("starts_on"))


class _Closures:
    """The closure periods of a span of days, answered without another query."""

    def __init__(self, periods: Sequence[ClosurePeriod]) -> None:
        self.periods = list(periods)

    def period_on(self, day: datetime.date) -> ClosurePeriod | None:
        for period in self.periods:
            if period.starts_on <= day <= period.ends_on:
                return period
        return None

    def closed_reason(self, day: datetime.date) -> str:
        """Why no round runs on ``day`` (Sunday, holiday, closure), in French; ``""`` when one may."""
        if day.weekday() == 6:
            return _("c'est un dimanche")
        holiday = public_holiday_name(day)
        if holiday:
            return _("jour férié (%(name)s)") % {"name": holiday}
        period = self.period_on(day)
        if period is not None:
            return _("la BDVO est fermée (%(label)s)") % {"label": period.label}
        return ""

    def is_open(self, day: datetime.date) -> bool:
        """A BDVO open day: Monday to Friday, no holiday, no closure."""
        return day.weekday() < 5 and not public_holiday_name(day) and self.period_on(day) is None

    def cutoff(self, day: datetime.date, open_days: int, at: datetime.time) -> datetime.datetime:
        """``open_days`` open days before ``day`` (``day`` itself for 0), at ``at`` in Europe/Paris."""
        cutoff_day = day
        remaining = open_days
        while remaining > 0:
            cutoff_day -= ONE_DAY
            if self.is_open(cutoff_day):
                remaining -= 1
        return datetime.datetime.combine(cutoff_day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def closed_reason(day: datetime.date) -> str:
    """Why ``day`` can carry no round (« c'est un dimanche », « jour férié (Noël) », a closure), or ``""``."""
    return _Closures(_closures_between(day, day)).closed_reason(day)


def is_bdvo_open(day: datetime.date) -> bool:
    """Whether the BDVO is open on ``day`` (Monday to Friday, not a holiday, not a closure)."""
    return _Closures(_closures_between(day, day)).is_open(day)


def bdvo_open_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every day of ``start``..``end`` (included) the BDVO is open. One query."""
    closures = _Closures(_closures_between(start, end))
    return [day for day in _days(start, end) if closures.is_open(day)]


def _days(start: datetime.date, end: datetime.date) -> Iterable[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


# --- rounds ------------------------------------------------------------------------------------


class _Schedule:
    """The rules and changes of one library (its own and its territory's) turned into rounds."""

    def __init__(
        self,
        library: Library,
        rules: Sequence[NavetteRule],
        changes: Sequence[NavetteRoundChange],
        closures: _Closures,
    ) -> None:
        self.own_rules = [rule for rule in rules if rule.library_id == library.pk]
        self.territory_rules = [rule for rule in rules if rule.territory_id == library.territory_id]
        self.changes = [
            change
            for change in changes
            if change.library_id == library.pk or change.territory_id == library.territory_id
        ]
        self.closures = closures

    def _rules_on(self, day: datetime.date) -> list[NavetteRule]:
        """The rules the library follows on ``day``: its own if one covers the day, else its territory's."""
        own = [rule for rule in self.own_rules if rule.covers(day)]
        return own or [rule for rule in self.territory_rules if rule.covers(day)]

    def _applies(self, change: NavetteRoundChange) -> bool:
        """A library's change always applies; its territory's on the days it follows its territory."""
        if change.library_id is not None:
            return True
        # The database constraint gives every change one of the two dates.
        day = change.original_date or change.new_date
        return day is not None and not any(rule.covers(day) for rule in self.own_rules)

    def _round(
        self, day: datetime.date, rules: Sequence[NavetteRule], moved_from: datetime.date | None = None
    ) -> Round:
        cutoffs = [self.closures.cutoff(day, rule.cutoff_open_days, rule.cutoff_time) for rule in rules]
        cutoff = min(cutoffs) if cutoffs else self.closures.cutoff(day, DEFAULT_CUTOFF_OPEN_DAYS, DEFAULT_CUTOFF_TIME)
        return Round(day=day, cutoff=cutoff, moved_from=moved_from)

    def rounds(self, start: datetime.date, end: datetime.date) -> list[Round]:
        by_day: dict[datetime.date, Round] = {}
        for day in _days(start, end):
            falling = [rule for rule in self._rules_on(day) if rule.falls_on(day)]
            if falling and not self.closures.closed_reason(day):
                by_day[day] = self._round(day, falling)
        for change in self.changes:
            if not self._applies(change):
                continue
            if change.original_date is not None:
                by_day.pop(change.original_date, None)
        for change in self.changes:
            new_date = change.new_date
            if not self._applies(change) or new_date is None or not start <= new_date <= end:
                continue
            if self.closures.closed_reason(new_date):
                continue  # never a round there, whatever staff entered
            if change.original_date is not None:
                rules = [rule for rule in self._rules_on(change.original_date) if rule.falls_on(change.original_date)]
            else:
                rules = self._rules_on(new_date)
            candidate = self._round(new_date, rules, moved_from=change.original_date)
            existing = by_day.get(new_date)
            if existing is None or candidate.cutoff < existing.cutoff:
                by_day[new_date] = candidate
        return [by_day[day] for day in sorted(by_day)]


def rounds_by_library(libraries: Iterable[Library], start: datetime.date, end: datetime.date) -> dict[int, list[Round]]:
    """The rounds of each library of ``libraries`` in ``start``..``end`` (included), by library pk.

    Three queries, whatever the number of libraries (their ``territory_id`` is read, not their territory).
    """
    libraries = list(libraries)
    if not libraries or end < start:
        return {library.pk: [] for library in libraries}
    library_ids = {library.pk for library in libraries}
    territory_ids = {library.territory_id for library in libraries}
    owners = Q(library_id__in=library_ids) | Q(territory_id__in=territory_ids)
    rules = list(
        NavetteRule.objects.filter(owners, starts_on__lte=end).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    )
    # A moved round may come from a day outside the period, or leave it.
    changes = list(
        NavetteRoundChange.objects.filter(owners).filter(
            Q(original_date__range=(start, end)) | Q(new_date__range=(start, end))
        )
    )
    # A moved round keeps its rule: those of the original days outside the period are needed too.
    outside = {
        change.original_date
        for change in changes
        if change.original_date is not None and not start <= change.original_date <= end
    }
    if outside:
        rules = list(
            NavetteRule.objects.filter(owners, starts_on__lte=max(end, *outside)).filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=min(start, *outside))
            )
        )
    closures = _Closures(_closures_between(start - datetime.timedelta(days=CUTOFF_MARGIN_DAYS), end))
    return {library.pk: _Schedule(library, rules, changes, closures).rounds(start, end) for library in libraries}


def rounds_for(library: Library, start: datetime.date, end: datetime.date) -> list[Round]:
    """The rounds of ``library`` from ``start`` to ``end`` (included), in date order, with their cut-offs."""
    return rounds_by_library([library], start, end)[library.pk]


def next_rounds(library: Library, after: datetime.date | datetime.datetime, count: int) -> list[Round]:
    """The next ``count`` rounds of ``library`` (fewer when the coming year has fewer).

    ``after`` a day: the rounds dated after it. ``after`` an aware instant: the rounds whose
    cut-off is later than it (those an order or a return announced then can still make).
    """
    if isinstance(after, datetime.datetime):
        start = after.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        rounds = [
            one
            for one in rounds_for(library, start, start + datetime.timedelta(days=SEARCH_DAYS))
            if one.is_open_at(after)
        ]
    else:
        start = after + ONE_DAY
        rounds = rounds_for(library, start, start + datetime.timedelta(days=SEARCH_DAYS))
    return rounds[:count]


def next_round(library: Library, after: datetime.date | datetime.datetime) -> Round | None:
    """The first of ``next_rounds(library, after, 1)``, or ``None`` when no round is planned within a year."""
    rounds = next_rounds(library, after, 1)
    return rounds[0] if rounds else None


def is_round_day(library: Library, day: datetime.date) -> bool:
    """Whether ``library`` has a navette round on ``day``."""
    return bool(rounds_for(library, day, day))


def rule_days(rule: NavetteRule, start: datetime.date, *, count: int) -> list[tuple[datetime.date, str]]:
    """The next ``count`` days from ``start`` (included) ``rule`` falls on, each with the French reason
    it is skipped (« jour férié (Noël) »…) or ``""``, within a year — for staff to move the skipped ones."""
    end = start + datetime.timedelta(days=SEARCH_DAYS)
    closures = _Closures(_closures_between(start, end))
    falling = [day for day in _days(start, end) if rule.falls_on(day)][:count]
    return [(day, closures.closed_reason(day)) for day in falling]


def format_day(day: datetime.date, *, today: datetime.date | None = None) -> str:
    """« mardi 12 janvier »; with the year (« mardi 12 janvier 2027 ») when ``day`` is 300 days or more
    from ``today`` (default: the local date), where the month alone would be ambiguous."""
    today = today or timezone.localdate()
    return f"{date_format(day, 'l')} {format_date(day, with_year=abs((day - today).days) >= 300)}"


def format_date(day: datetime.date, *, with_year: bool = True) -> str:
    """« 25 décembre 2026 », « 1er janvier 2027 » (French writes the first of the month « 1er »)."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {date_format(day, 'F')}"
    return f"{text} {day.year}" if with_year else text


def format_cutoff(cutoff: datetime.datetime, *, today: datetime.date | None = None) -> str:
    """« vendredi 8 janvier, 12 h » (« 12 h 30 » with minutes)."""
    local = cutoff.astimezone(ZoneInfo(settings.TIME_ZONE))
    hour = f"{local.hour} h" if not local.minute else f"{local.hour} h {local.minute:02d}"
    return f"{format_day(local.date(), today=today)}, {hour}"


# --- the coming rounds, cached for the pages that show them -------------------------------------

GENERATION_KEY = "extranet:navette:generation"
COMING_ROUNDS_SECONDS = 6 * 3600


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY) or ""
    return str(generation)


def forget_cached_rounds() -> None:
    """End every cached ``coming_rounds``: called once a change to a rule, a round change or a
    closure is committed (signals connected by ``ExtranetConfig.ready``). Writes that send no
    signal (``QuerySet.update``, raw SQL) wait for the cache's expiry, at most six hours."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def coming_rounds(library: Library, today: datetime.date) -> list[Round]:
    """``rounds_for(library, today, today + SEARCH_DAYS)``, kept in the cache until the navette
    changes (the dashboard then runs no query for it). For display: rules decide on ``rounds_for``."""
    key = f"extranet:navette:coming:{_generation()}:{library.pk}:{library.territory_id}:{today.isoformat()}"
    rounds: list[Round] | None = cache.get(key)
    if rounds is None:
        rounds = rounds_for(library, today, today + datetime.timedelta(days=SEARCH_DAYS))
        cache.set(key, rounds, COMING_ROUNDS_SECONDS)
    return rounds
