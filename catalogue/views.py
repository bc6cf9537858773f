"""Record pages and document reservations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalogue.models import Record, Reservation
from catalogue.record_page import record_page
from catalogue.services.reservations import reservation_create, reservation_refusal
from extranet.permissions import manager_required
from extranet.tenancy import PartnerRequest


def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The record (its shared part from the cache, see ``catalogue.record_page``) and, for
    each request, what belongs to the user: the reservation button or why it is refused."""
    try:
        record = record_page(pk)
    except Record.DoesNotExist as exc:
        raise Http404 from exc
    user = request.user
    active_reservation = None
    if user.is_authenticated and user.is_manager:
        active_reservation = Reservation.objects.for_library(user.library_id).active().filter(record_id=pk).first()
    context = {
        "record": record,
        "active_reservation": active_reservation,
        "reservation_refusal": reservation_refusal(user=user) if user.is_authenticated else "",
    }
    return render(request, "catalogue/record_detail.html", context)


@manager_required
def record_reserve(request: PartnerRequest, pk: int) -> HttpResponse:
    """Confirmation page (GET, the no-JavaScript path) and the reservation itself (POST)."""
    record = get_object_or_404(Record.objects.only("id", "title"), pk=pk)
    if request.method == "POST":
        try:
            reservation_create(record=record, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Votre demande de réservation a bien été enregistrée"))
        return redirect("catalogue:record_detail", pk=record.pk)
    return render(request, "catalogue/reserve_confirm.html", {"record": record})
