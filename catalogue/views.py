"""Record pages and document reservations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from catalogue.models import Record, Reservation
from catalogue.selectors import facet_search_url, language_label, record_for_page
from catalogue.services.reservations import reservation_create, reservation_refusal
from extranet.tenancy import manager_required


def _record_or_404(pk: int) -> Record:
    try:
        return record_for_page(pk)
    except Record.DoesNotExist as exc:
        raise Http404 from exc


def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_or_404(pk)
    authors = [(author, facet_search_url("author", author.name)) for author in record.authors.all()]
    subjects = [(subject, facet_search_url("subject", subject.label)) for subject in record.subjects.all()]
    user = request.user
    active_reservation = None
    if user.is_authenticated and user.is_manager:
        active_reservation = Reservation.objects.active().filter(record=record, library_id=user.library_id).first()
    context = {
        "record": record,
        "active_reservation": active_reservation,
        "authors": authors,
        "subjects": subjects,
        "items": record.items.all(),
        "language": language_label(record.language),
        "reservation_refusal": reservation_refusal(user=request.user) if request.user.is_authenticated else "",
    }
    return render(request, "catalogue/record_detail.html", context)


@manager_required
def record_reserve(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page (GET, the no-JavaScript path) and the reservation itself (POST)."""
    record = _record_or_404(pk)
    if request.method == "POST":
        try:
            reservation_create(record=record, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Votre demande de réservation a bien été enregistrée"))
        return redirect("catalogue:record_detail", pk=record.pk)
    return render(request, "catalogue/reserve_confirm.html", {"record": record})
