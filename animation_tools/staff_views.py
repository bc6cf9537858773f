"""Staff pages of the animation tools: the navette plan and the convention document."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from animation_tools import selectors
from animation_tools.filters import NavetteFilter
from animation_tools.models import ToolBooking
from animation_tools.views import convention_context


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """BDVO staff only: anonymous → login page, partner accounts → 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied(_("Cette page est réservée aux personnels de la BDVO."))
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def navette(request: HttpRequest) -> HttpResponse:
    """Per day, the tools the navette delivers (loan date) and collects (return date); printable, CSV."""
    form = NavetteFilter(request.GET or None)
    start, end, territory = form.period(timezone.localdate())
    query = request.GET.urlencode()
    context = {
        "form": form,
        "plan": selectors.navette_plan(start, end, territory),
        "start": start,
        "end": end,
        "territory": territory,
        "export_url": reverse("exports_staff:export", args=["navette_plan"]) + (f"?{query}" if query else ""),
    }
    return render(request, "animation_tools/navette.html", context)


@staff_required
def booking_convention(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable convention of any booking that needs one (staff side)."""
    booking = get_object_or_404(ToolBooking.objects.select_related("tool__type", "library__territory"), pk=pk)
    if not booking.convention_required:
        raise Http404
    return render(request, "animation_tools/convention.html", convention_context(booking))
