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

def type_detail(request, slug): pass
def library_calendar_feed(request, token): pass
def tool_detail(request, slug): pass
def tool_book_intro(request, slug): pass
def tool_calendar(request, slug): pass
def tool_book(request, slug): pass
def booking_cancel(request, pk): pass
def booking_convention(request, pk): pass
