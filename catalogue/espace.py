"""What the catalogue adds to the espace professionnel (see ``extranet.site``): the loans,
returns and reservations lists, the library's export profile (« Mon SIGB »), their menu
entries, their figures on the dashboard. Their
exporters are listed in ``catalogue.exports`` (registered by ``extranet.exports.autodiscover``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from catalogue import urls_espace
from catalogue.models import Loan, Reservation
from extranet.models import Library, User
from extranet.site import site


def dashboard_figures(library: Library, user: User, today: datetime.date) -> dict[str, Any]:
    """Loans in progress (and overdue ones); open reservations (set aside for the navette,
    waiting for an item) and those delivered in the last 30 days, of ``library``: two queries."""
    loans = (
        Loan.objects.for_library(library)
        .in_progress()
        .aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    Status = Reservation.Status
    delivered_since = today - datetime.timedelta(days=30)
    reservations = Reservation.objects.for_library(library).aggregate(
        total=Count("pk", filter=Q(status__in=Reservation.ACTIVE_STATUSES)),
        set_aside=Count("pk", filter=Q(status=Status.SET_ASIDE)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        delivered=Count("pk", filter=Q(status=Status.FULFILLED, fulfilled_at__date__gte=delivered_since)),
    )
    return {
        "loans_in_progress": loans["total"],
        "overdue_loans": loans["overdue"],
        "active_reservations": reservations["total"],
        "set_aside_reservations": reservations["set_aside"],
        "pending_reservations": reservations["pending"],
        "delivered_reservations": reservations["delivered"],
    }


site.register_urls("catalogue", urls_espace.urlpatterns)
site.register_menu_entry("loans", _("Prêts en cours"), "extranet:loans", order=10)
site.register_menu_entry("returns", _("Retours"), "extranet:returns", order=20)
site.register_menu_entry("reservations", _("Réservations"), "extranet:reservations", order=30)
site.register_menu_entry("export_profile", _("Mon SIGB / Profil d'export"), "extranet:export_profile", order=90)
site.register_panel("catalogue", order=10, template="catalogue/espace/dashboard_panel.html", context=dashboard_figures)
