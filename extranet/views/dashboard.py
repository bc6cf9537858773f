"""Dashboard of the espace professionnel."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalogue.models import Loan, Reservation
from extranet.tenancy import partner_required, scoped


@partner_required
def dashboard(request: HttpRequest) -> HttpResponse:
    library = request.library  # type: ignore[attr-defined]
    context = {
        "extranet_section": "dashboard",
        "library": library,
        "referents": library.referents(),
        "loans_in_progress": scoped(request, Loan.objects.in_progress()).count(),
        "active_reservations": scoped(request, Reservation.objects.active()).count(),
    }
    return render(request, "extranet/dashboard.html", context)
