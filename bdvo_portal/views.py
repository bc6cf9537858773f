"""Home page and the portal's legal pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from content.models import Event

HOME_EVENTS = 3


def home(request: HttpRequest) -> HttpResponse:
    """Entry points of the portal and the next events of the network's agenda."""
    events = list(Event.objects.upcoming().published()[:HOME_EVENTS])
    return render(request, "pages/home.html", {"events": events})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/legal.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")
