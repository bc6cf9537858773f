"""Loans ("Prêts en cours"), returns ("Retours") and reservations of the user's library."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from extranet.tenancy import partner_required


@partner_required
def loans(request: HttpRequest) -> HttpResponse:
    return render(request, "extranet/lists_placeholder.html", {"extranet_section": "loans", "heading": "Prêts en cours"})


@partner_required
def returns(request: HttpRequest) -> HttpResponse:
    return render(request, "extranet/lists_placeholder.html", {"extranet_section": "returns", "heading": "Retours"})


@partner_required
def reservations(request: HttpRequest) -> HttpResponse:
    return render(
        request, "extranet/lists_placeholder.html", {"extranet_section": "reservations", "heading": "Réservations"}
    )
