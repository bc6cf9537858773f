"""Staff pages of the animation tools: the navette plan and the convention document.

Both show the libraries the staff member manages only (``for_referent``): a referent plans
the navette of their territories and opens their conventions; another territory's booking
is a 404.
"""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from animation_tools import selectors
from animation_tools.filters import NavetteFilter
from animation_tools.models import ToolBooking
from animation_tools.views import convention_context
from extranet.models import User
from extranet.permissions import referent_territories, staff_required


@staff_required
def navette(request: HttpRequest) -> HttpResponse:
    """Per day, the tools the navette delivers (loan date) and collects (return date); printable, CSV."""
    user = cast(User, request.user)  # staff_required ran
    form = NavetteFilter(request.GET or None, territories=referent_territories(user))
    start, end, territory = form.period(timezone.localdate())
    query = request.GET.urlencode()
    context = {
        "form": form,
        "plan": selectors.navette_plan(start, end, territory, user=user),
        "start": start,
        "end": end,
        "territory": territory,
        "export_url": reverse("exports_staff:export", args=["navette_plan"]) + (f"?{query}" if query else ""),
    }
    return render(request, "animation_tools/navette.html", context)


@staff_required
def booking_convention(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable convention of a booking that needs one, of a library the staff member manages."""
    booking = get_object_or_404(
        ToolBooking.objects.for_referent(request.user).select_related("tool__type", "library__territory"), pk=pk
    )
    if not booking.convention_required:
        raise Http404
    return render(request, "animation_tools/convention.html", convention_context(booking))
