"""Training catalogue, sessions and registrations."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from extranet.tenancy import partner_required


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "trainings/index.html")


@partner_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    return render(request, "trainings/my_registrations.html", {"extranet_section": "trainings"})
