"""Editorial pages (help) and agenda events: public, read-only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from content.models import Event, Page


def help_index(request: HttpRequest) -> HttpResponse:
    pages = Page.objects.published().only("title", "slug", "summary")
    return render(request, "content/help_index.html", {"pages": pages})


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return render(request, "content/page_detail.html", {"page": page})


def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.upcoming().published()
    return render(request, "content/event_list.html", {"events": events})


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), pk=pk)
    return render(request, "content/event_detail.html", {"event": event})
