"""Animation tools catalogue and pre-bookings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from extranet.tenancy import partner_required


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "animation_tools/index.html")


@partner_required
def library_bookings(request: HttpRequest) -> HttpResponse:
    return render(request, "animation_tools/library_bookings.html", {"extranet_section": "tool_bookings"})
