"""Dashboard of the espace professionnel."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from extranet.permissions import partner_required
from extranet.site import site
from extranet.tenancy import PartnerRequest


@partner_required
def dashboard(request: PartnerRequest) -> HttpResponse:
    """The library's referent and its activity at a glance: the figures of every panel registered
    into the espace site (``extranet.site``), each linking to its list."""
    library = request.library
    context = {
        **site.dashboard_context(library, request.user, timezone.localdate()),
        "extranet_section": "dashboard",
        "library": library,
        "referents": library.referents(),
    }
    return render(request, "extranet/dashboard.html", context)
