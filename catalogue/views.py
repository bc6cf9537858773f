"""Record pages and document reservations."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from catalogue.models import Record


def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record.objects.prefetch_related("authors", "subjects", "items"), pk=pk)
    return render(request, "catalogue/record_detail.html", {"record": record})
