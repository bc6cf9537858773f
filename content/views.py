"""Editorial pages (help) and agenda events."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "content/help_index.html")
