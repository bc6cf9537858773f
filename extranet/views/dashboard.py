"""Dashboard of the espace professionnel."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from animation_tools.selectors import upcoming_bookings_count
from catalogue.models import Loan, Reservation
from extranet.permissions import partner_required
from extranet.tenancy import scoped
from trainings.selectors import upcoming_registrations_count


@partner_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The library's referent and its activity at a glance, each figure linking to its list."""
    library = request.library  # type: ignore[attr-defined]
    today = timezone.localdate()
    loans = scoped(request, Loan.objects.in_progress()).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    reservations = scoped(request, Reservation.objects.active()).aggregate(
        total=Count("pk"), available=Count("pk", filter=Q(status=Reservation.Status.AVAILABLE))
    )
    context = {
        "extranet_section": "dashboard",
        "library": library,
        "referents": library.referents(),
        "loans_in_progress": loans["total"],
        "overdue_loans": loans["overdue"],
        "active_reservations": reservations["total"],
        "available_reservations": reservations["available"],
        "upcoming_tool_bookings": upcoming_bookings_count(library, today),
        "upcoming_registrations": upcoming_registrations_count(request),
    }
    return render(request, "extranet/dashboard.html", context)
