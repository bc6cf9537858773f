"""Site-wide search page: scope "Partout" (catalogue, help pages, agenda) or "Catalogue"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalogue.selectors import search_catalogue
from content.models import Event, Page

CONTENT_GROUP_SIZE = 5


def search(request: HttpRequest) -> HttpResponse:
    scope = "catalogue" if request.GET.get("scope") == "catalogue" else "all"
    results = search_catalogue(request.GET)
    pages: list[Page] = []
    events: list[Event] = []
    if scope == "all" and results.query:
        pages = list(
            Page.objects.published().search(results.query).only("title", "slug", "summary")[:CONTENT_GROUP_SIZE]
        )
        events = list(
            Event.objects.published().search(results.query).only("title", "starts_at", "place")[:CONTENT_GROUP_SIZE]
        )
    context = {"results": results, "scope": scope, "pages": pages, "events": events}
    return render(request, "catalogue/search/results.html", context)
