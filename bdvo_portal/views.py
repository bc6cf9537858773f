"""Home page, the staff home and the portal's legal pages."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from content.models import Event
from extranet.models import User
from extranet.permissions import is_network_wide, referent_territories, staff_required

HOME_EVENTS = 3


def home(request: HttpRequest) -> HttpResponse:
    """Entry points of the portal and the next events of the network's agenda."""
    events = list(Event.objects.upcoming().published()[:HOME_EVENTS])
    return render(request, "pages/home.html", {"events": events})


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """« Espace personnel BDVO »: where staff land after logging in. Says whose libraries this
    account manages (every library, or its territories') and links the staff pages it may use."""
    user = cast(User, request.user)
    network_wide = is_network_wide(user)
    territories = [] if network_wide else list(referent_territories(user))
    return render(request, "pages/staff_home.html", {"network_wide": network_wide, "territories": territories})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/legal.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")
