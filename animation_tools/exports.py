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
from extranet.exports import ExportFormat, ExportParameters, PartnerExporter, StaffExporter
from extranet.navette_plan import PlanDay


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
        gettext_lazy("Date de prêt"),
        gettext_lazy("Date de retour"),
        gettext_lazy("Statut"),
        gettext_lazy("Convention"),
        gettext_lazy("Motif du refus"),
        gettext_lazy("Demandée le"),
    ]

    def get_queryset(self, parameters: ExportParameters) -> QuerySet[ToolBooking]:
        _filter, bookings = selectors.library_bookings(self.library(parameters), parameters.query)
        return bookings

    def row(self, booking: ToolBooking) -> list[Any]:
        return [
            booking.tool.name,
            booking.tool.type.name,
            booking.loan_date.strftime("%d/%m/%Y"),
            booking.return_date.strftime("%d/%m/%Y"),
            booking.get_status_display(),
            booking.convention_state,
            booking.refusal_reason,
            timezone.localtime(booking.created_at).strftime("%d/%m/%Y"),
        ]

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        return f"pre-reservations-outils.{export_format.extension}"

    def list_url(self, parameters: ExportParameters) -> str:
        return _with_query(reverse("animation_tools:library_bookings"), parameters)


class NavettePlanExporter(StaffExporter):
    """The navette plan: per day and per library, what to deliver and to collect (tools, and what
    the other apps register into ``extranet.navette_plan``), for the chosen territory.

    The plan page shows every territory to any BDVO staff member (the navette serves them
    all), so its export lists the same rows as the page, through the same selector, rather
    than the referent's territories only.
    """

    identifier = "navette_plan"
    verbose_name = gettext_lazy("Plan de navette des outils d'animation")
    columns = [
        gettext_lazy("Date"),
        gettext_lazy("Mouvement"),
        gettext_lazy("Territoire"),
        gettext_lazy("Bibliothèque"),
        gettext_lazy("Code"),
        gettext_lazy("Adresse"),
        gettext_lazy("Nature"),
        gettext_lazy("Objet"),
        gettext_lazy("Détail"),
        gettext_lazy("Caisses"),
        gettext_lazy("Statut"),
        gettext_lazy("Tournée"),
    ]

    def _plan(self, parameters: ExportParameters) -> tuple[Any, Any, list[PlanDay]]:
        start, end, territory = NavetteFilter(parameters.query or None).period(timezone.localdate())
        return start, end, selectors.navette_plan(start, end, territory)

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
                                day.day.strftime("%d/%m/%Y"),
                                movement,
                                library.territory.name,
                                library.name,
                                library.code,
                                f"{library.address} {library.postal_code} {library.commune}".strip(),
                                group.label,
                                line.item,
                                line.detail,
                                line.crates if line.crates is not None else "",
                                line.status,
                                how,
                            ]

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        start, end, _territory = NavetteFilter(parameters.query or None).period(timezone.localdate())
        return f"navette-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{export_format.extension}"

    def list_url(self, parameters: ExportParameters) -> str:
        return _with_query(reverse("animation_tools:navette"), parameters)


EXPORTERS = [ToolBookingsExporter, NavettePlanExporter]
