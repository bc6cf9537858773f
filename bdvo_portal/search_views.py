"""Site-wide search page ("Partout" / "Catalogue")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def search(request: HttpRequest) -> HttpResponse:
    """Placeholder until the catalogue search lands: says so instead of pretending."""
    return render(request, "pages/search_placeholder.html", {"query": request.GET.get("q", "")[:500]})
