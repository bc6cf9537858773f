"""Staff pages of the animation tools: the navette plan and the convention document."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from animation_tools import selectors
from animation_tools.filters import NavetteFilter
from animation_tools.models import ToolBooking
from animation_tools.views import convention_context
from extranet.csv_export import csv_response
from extranet.permissions import staff_required

NAVETTE_DEFAULT_DAYS = 7
NAVETTE_MAX_DAYS = 92


NAVETTE_CSV_HEADER = [
    "Date",
    "Mouvement",
    "Territoire",
    "Bibliothèque",
    "Code",
    "Adresse",
    "Outil",
    "Type",
    "Caisses",
    "Statut",
]


@staff_required
def navette(request: HttpRequest) -> HttpResponse:
    """Per day, the tools the navette delivers (loan date) and collects (return date); printable, CSV."""
    form = NavetteFilter(request.GET or None)
    today = timezone.localdate()
    start, end, territory = today, today + datetime.timedelta(days=NAVETTE_DEFAULT_DAYS - 1), None
    if form.is_valid():
        start = form.cleaned_data["date_from"] or start
        end = form.cleaned_data["date_to"] or start + datetime.timedelta(days=NAVETTE_DEFAULT_DAYS - 1)
        territory = form.cleaned_data["territory"]
    end = min(max(start, end), start + datetime.timedelta(days=NAVETTE_MAX_DAYS))
    plan = selectors.navette_plan(start, end, territory)
    if request.GET.get("export") == "csv":
        return csv_response(f"navette-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv", NAVETTE_CSV_HEADER, _navette_rows(plan))
    query = request.GET.copy()
    query["export"] = "csv"
    context = {
        "form": form,
        "plan": plan,
        "start": start,
        "end": end,
        "territory": territory,
        "csv_query": query.urlencode(),
    }
    return render(request, "animation_tools/navette.html", context)


def _navette_rows(plan: list[selectors.NavetteDay]):
    for day in plan:
        for movement, bookings in ((_("Livraison"), day.deliveries), (_("Collecte"), day.collections)):
            for booking in bookings:
                library = booking.library
                yield [
                    day.date.strftime("%d/%m/%Y"),
                    movement,
                    library.territory.name,
                    library.name,
                    library.code,
                    f"{library.address} {library.postal_code} {library.commune}".strip(),
                    booking.tool.name,
                    booking.tool.type.name,
                    booking.tool.crates,
                    booking.get_status_display(),
                ]


@staff_required
def booking_convention(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable convention of any booking that needs one (staff side)."""
    booking = get_object_or_404(
        ToolBooking.objects.all_libraries().select_related("tool__type", "library__territory"), pk=pk
    )
    if not booking.convention_required:
        raise Http404
    return render(request, "animation_tools/convention.html", convention_context(booking))
