"""What each navette round carries, gathered from the apps that send things with it.

The ground owns the plan (per day, per library: what to deliver, what to collect) and imports
no domain app. Each app that sends things with the navette registers a *source* of lines, in
its ``navette.py`` module (imported once at start-up by ``ExtranetConfig.ready()``, as
``espace.py`` modules are)::

    from extranet.navette_plan import PlanLine, register_source

    def document_lines(start, end, libraries):  # the documents set aside for these libraries
        return [PlanLine(day=…, library=…, direction=PlanLine.DELIVER, kind="documents", item=…), …]

    register_source("documents", _("Documents mis de côté"), document_lines, order=20)

A source receives the first and last days of the plan and the libraries it covers (already
scoped to the staff member, and to a territory when one was chosen) and returns its lines in
that period, in at most a constant number of queries. ``build_plan(start, end, libraries)`` groups
every source's lines per day and per library, in the sources' order, and says for each
library whether the day is one of its rounds (``extranet.navette``) or a counter pick-up
(``self_collect``: the library comes to the BDVO).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from django.utils.functional import Promise

from extranet import navette
from extranet.models import Library


class AlreadyRegistered(Exception):
    """Two sources under one key."""


@dataclass(frozen=True)
class PlanLine:
    """One thing that travels on ``day`` between the BDVO and ``library``.

    ``item`` names it (« Tapis « La ferme » », a document's title), ``detail`` says more (its
    type, a barcode), ``crates`` how many crates it fills, ``status`` its state in its app.
    ``self_collect``: the library fetches or brings it back itself, at the BDVO.
    """

    DELIVER: ClassVar[str] = "deliver"
    COLLECT: ClassVar[str] = "collect"

    day: datetime.date
    library: Library
    direction: str
    kind: str
    item: str
    detail: str = ""
    crates: int | None = None
    status: str = ""
    self_collect: bool = False


LineSource = Callable[[datetime.date, datetime.date, Sequence[Library]], Iterable[PlanLine]]


@dataclass(frozen=True)
class Source:
    key: str
    label: str | Promise
    lines: LineSource
    order: int


_sources: dict[str, Source] = {}


def register_source(key: str, label: str | Promise, lines: LineSource, *, order: int) -> None:
    """Add an app's lines to the plan, under the French heading ``label``, sorted by ``order``.
    AlreadyRegistered if ``key`` was used."""
    if key in _sources:
        raise AlreadyRegistered(f"Navette source {key!r} is already registered.")
    _sources[key] = Source(key=key, label=label, lines=lines, order=order)


def unregister_source(key: str) -> None:
    """Remove a source (tests)."""
    _sources.pop(key, None)


def sources() -> list[Source]:
    """Every registered source, in plan order."""
    return sorted(_sources.values(), key=lambda source: (source.order, source.key))


@dataclass
class LineGroup:
    """The lines of one source for one library, one direction."""

    label: str
    lines: list[PlanLine]


@dataclass
class Stop:
    """One library on one day: what the navette (or the counter, ``self_collect``) hands over and takes back."""

    library: Library
    self_collect: bool
    on_round: bool
    deliveries: list[LineGroup] = field(default_factory=list)
    collections: list[LineGroup] = field(default_factory=list)

    @property
    def crates(self) -> int:
        """Crates to load for this stop (deliveries)."""
        return sum(line.crates or 0 for group in self.deliveries for line in group.lines)


@dataclass
class PlanDay:
    day: datetime.date
    stops: list[Stop]

    @property
    def round_stops(self) -> list[Stop]:
        return [stop for stop in self.stops if not stop.self_collect]

    @property
    def counter_stops(self) -> list[Stop]:
        return [stop for stop in self.stops if stop.self_collect]


def lines(start: datetime.date, end: datetime.date, libraries: Sequence[Library]) -> list[tuple[Source, PlanLine]]:
    """Every source's lines for ``libraries`` from ``start`` to ``end``, with their source, in
    source order (the CSV export's rows)."""
    return [(source, line) for source in sources() for line in source.lines(start, end, libraries)]


def build_plan(start: datetime.date, end: datetime.date, libraries: Iterable[Library]) -> list[PlanDay]:
    """The plan from ``start`` to ``end``: per day with lines, per library (navette stops ordered
    by territory and name, then counter pick-ups), each source's deliveries and collections.

    ``on_round`` is False when a navette line falls on a day that is none of the library's
    rounds (a booking made before the rounds changed, or with a staff override): staff see it.
    Queries: the sources' own, plus three for the rounds.
    """
    every_line = lines(start, end, list(libraries))
    # The rounds of the libraries that have something to carry only.
    concerned = {line.library.pk: line.library for _source, line in every_line}
    rounds = navette.rounds_by_library(concerned.values(), start, end)
    round_days = {library_id: {one.day for one in days} for library_id, days in rounds.items()}
    days: dict[datetime.date, dict[tuple[int, bool], Stop]] = {}
    for source, line in every_line:
        key = (line.library.pk, line.self_collect)
        stop = days.setdefault(line.day, {}).get(key)
        if stop is None:
            stop = Stop(
                library=line.library,
                self_collect=line.self_collect,
                on_round=line.self_collect or line.day in round_days.get(line.library.pk, set()),
            )
            days[line.day][key] = stop
        groups = stop.deliveries if line.direction == PlanLine.DELIVER else stop.collections
        if not groups or groups[-1].label != str(source.label):
            groups.append(LineGroup(label=str(source.label), lines=[]))
        groups[-1].lines.append(line)

    def stop_order(stop: Stop) -> tuple[bool, str, str]:
        return (stop.self_collect, str(stop.library.territory), stop.library.name)

    return [PlanDay(day=day, stops=sorted(days[day].values(), key=stop_order)) for day in sorted(days)]
