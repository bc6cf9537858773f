"""Site-wide search page: scope « Partout » (catalogue, help pages, agenda) or « Catalogue ».

The catalogue's search is ``catalogue.search``; the help pages and agenda events search
themselves (``content.models.SearchableQuerySet.search``). This page, above both, combines
them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalogue.search.params import SearchParams
from catalogue.search.results import search_catalogue
from content.models import Event, Page

CONTENT_GROUP_SIZE = 5


def search(request: HttpRequest) -> HttpResponse:
    params = SearchParams.from_query_dict(request.GET)
    results = search_catalogue(params)
    pages: list[Page] = []
    events: list[Event] = []
    if params.scope == "all" and params.query:
        pages = list(
            Page.objects.published().search(params.query).only("title", "slug", "summary")[:CONTENT_GROUP_SIZE]
        )
        events = list(
            Event.objects.published().search(params.query).only("title", "starts_at", "place")[:CONTENT_GROUP_SIZE]
        )
    context = {"results": results, "scope": params.scope, "pages": pages, "events": events}
    return render(request, "pages/search.html", context)
