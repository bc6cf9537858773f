"""Exports of the animation tools: the library's bookings (espace professionnel) and the
staff's navette plan. Registered from ``AnimationToolsConfig.ready()``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from animation_tools import selectors
from animation_tools.filters import NavetteFilter
from animation_tools.models import ToolBooking
from extranet.exports import (
    CODE,
    CSV,
    DATE,
    NUMBER,
    XLSX,
    Column,
    ExportFormat,
    ExportParameters,
    PartnerExporter,
    StaffExporter,
)
from extranet.navette_plan import PlanDay
from extranet.permissions import referent_territories


def _with_query(url: str, parameters: ExportParameters) -> str:
    query = parameters.query.urlencode()
    return f"{url}?{query}" if query else url


class ToolBookingsExporter(PartnerExporter):
    """« Outils d'animation » of the espace professionnel: the library's bookings, as filtered."""

    identifier = "tool_bookings"
    verbose_name = gettext_lazy("Pré-réservations d'outils d'animation")
    menu_section = "tool_bookings"
    columns = [
        gettext_lazy("Outil"),
        gettext_lazy("Type"),
        Column(gettext_lazy("Date de prêt"), DATE),
        Column(gettext_lazy("Date de retour"), DATE),
        gettext_lazy("Statut"),
        gettext_lazy("Convention"),
        gettext_lazy("Motif du refus"),
        Column(gettext_lazy("Demandée le"), DATE),
    ]
    formats = {CSV.code: CSV, XLSX.code: XLSX}
    default_format = CSV.code  # the list's « Exporter » link

    def get_queryset(self, parameters: ExportParameters) -> QuerySet[ToolBooking]:
        _filter, bookings = selectors.library_bookings(self.library(parameters), parameters.query)
        return bookings

    def row(self, booking: ToolBooking) -> list[Any]:
        return [
            booking.tool.name,
            booking.tool.type.name,
            booking.loan_date,
            booking.return_date,
            booking.get_status_display(),
            booking.convention_state,
            booking.refusal_reason,
            timezone.localtime(booking.created_at).date(),
        ]

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        return f"pre-reservations-outils.{export_format.extension}"

    def list_url(self, parameters: ExportParameters) -> str:
        return _with_query(reverse("animation_tools:library_bookings"), parameters)


class NavettePlanExporter(StaffExporter):
    """The navette plan: per day and per library, what to deliver and to collect (tools, and what
    the other apps register into ``extranet.navette_plan``), for the chosen territory.

    The same rows as the plan page, through the same selector and filter: the libraries the
    staff member manages (every library for BDVO-wide staff, their territories' for a referent).
    """

    identifier = "navette_plan"
    verbose_name = gettext_lazy("Plan de navette des outils d'animation")
    columns = [
        Column(gettext_lazy("Date"), DATE),
        gettext_lazy("Mouvement"),
        gettext_lazy("Territoire"),
        gettext_lazy("Bibliothèque"),
        Column(gettext_lazy("Code"), CODE),
        gettext_lazy("Adresse"),
        gettext_lazy("Nature"),
        gettext_lazy("Objet"),
        gettext_lazy("Détail"),
        Column(gettext_lazy("Caisses"), NUMBER),
        gettext_lazy("Statut"),
        gettext_lazy("Tournée"),
    ]
    formats = {CSV.code: CSV, XLSX.code: XLSX}
    default_format = CSV.code  # the plan's « Exporter » link

    def _plan(self, parameters: ExportParameters) -> tuple[Any, Any, list[PlanDay]]:
        start, end, territory = self._filter(parameters).period(timezone.localdate())
        return start, end, selectors.navette_plan(start, end, territory, user=parameters.user)

    @staticmethod
    def _filter(parameters: ExportParameters) -> NavetteFilter:
        return NavetteFilter(parameters.query or None, territories=referent_territories(parameters.user))

    def count(self, parameters: ExportParameters) -> int:
        _start, _end, plan = self._plan(parameters)
        return sum(
            len(group.lines) for day in plan for stop in day.stops for group in (*stop.deliveries, *stop.collections)
        )

    def rows(self, parameters: ExportParameters) -> Iterator[list[Any]]:
        _start, _end, plan = self._plan(parameters)
        for day in plan:
            for stop in day.stops:
                library = stop.library
                if stop.self_collect:
                    how = _("retrait à la BDVO par la bibliothèque")
                else:
                    how = _("navette") if stop.on_round else _("hors tournée")
                for movement, groups in ((_("Livraison"), stop.deliveries), (_("Collecte"), stop.collections)):
                    for group in groups:
                        for line in group.lines:
                            yield [
                                day.day,
                                movement,
                                library.territory.name,
                                library.name,
                                library.code,
                                f"{library.address} {library.postal_code} {library.commune}".strip(),
                                group.label,
                                line.item,
                                line.detail,
                                line.crates,
                                line.status,
                                how,
                            ]

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        start, end, _territory = self._filter(parameters).period(timezone.localdate())
        return f"navette-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{export_format.extension}"

    def list_url(self, parameters: ExportParameters) -> str:
        return _with_query(reverse("animation_tools:navette"), parameters)


EXPORTERS = [ToolBookingsExporter, NavettePlanExporter]
