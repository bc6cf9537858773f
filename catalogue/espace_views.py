"""Pages of the espace professionnel: loans ("Prêts en cours"), returns ("Retours") and
reservations of the user's library, with their filters, sort orders and pagination, and the
library's export profile ("Mon SIGB / Profil d'export").
They are mounted by ``catalogue/espace.py`` into the espace site (``extranet:loans``…).

Every page runs a constant number of queries (the count and the page of rows, joined to
their item and record). Their exports go through the export service of the ground
(``extranet:export`` with the exporters of ``catalogue.exports``): any partner may export
what they may see.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from catalogue.espace_filters import (
    LOAN_COLUMNS,
    LOAN_FILTERS,
    LOAN_SORTS,
    RESERVATION_COLUMNS,
    RESERVATION_SORTS,
    RETURN_COLUMNS,
    TEXT_COLUMNS,
    ReservationFilter,
    loans_of_kind,
)
from catalogue.exports import LoansExporter
from catalogue.forms import ExportProfileForm
from catalogue.models import ExportProfile, Loan, LoanQuerySet, LoanRenewal, Reservation, ReservationQuerySet
from catalogue.services.renewals import loan_renew, renewal_refusal
from catalogue.services.reservations import reservation_cancel
from catalogue.services.returns import no_round_refusal, return_announce, return_refusal, return_round
from extranet import navette
from extranet.lists import ordered, paginate, parse_sort, query_string, selected_ids, sortable_columns
from extranet.permissions import manager_required, partner_required
from extranet.tenancy import PartnerRequest

KIND_HEADINGS = {"loans": gettext_lazy("Prêts en cours"), "returns": gettext_lazy("Retours")}


def _export_url(identifier: str) -> str:
    return reverse("extranet:export", kwargs={"identifier": identifier})


# --- loans and returns -------------------------------------------------------------------------


def _loan_list(request: PartnerRequest, kind: str) -> HttpResponse:
    base = loans_of_kind(Loan.objects.for_library(request.library), kind)
    if kind == "loans":
        base = base.with_renewal_facts()
    filterset = LOAN_FILTERS[kind](request.GET, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    key, descending = parse_sort(request.GET.get("o"), LOAN_SORTS, "-loaned_on")
    queryset = ordered(queryset, LOAN_SORTS, key, descending)
    columns = LOAN_COLUMNS if kind == "loans" else RETURN_COLUMNS
    context = {
        "extranet_section": kind,
        "kind": kind,
        "heading": KIND_HEADINGS[kind],
        "filter": filterset,
        "columns": sortable_columns(request.GET, columns, key, descending, ascending_first=TEXT_COLUMNS),
        "export_url": _export_url(kind),
        "export_formats": [(code, export_format.label) for code, export_format in LoansExporter.formats.items()],
        "query": request.GET.urlencode(),
        "today": timezone.localdate(),
        "can_renew": kind == "loans" and request.user.is_manager,
        **paginate(request, queryset),
    }
    return render(request, "catalogue/espace/loans.html", context)


@partner_required
def loans(request: PartnerRequest) -> HttpResponse:
    return _loan_list(request, "loans")


@partner_required
def returns(request: PartnerRequest) -> HttpResponse:
    return _loan_list(request, "returns")


# --- reservations ------------------------------------------------------------------------------


def _reservations(request: PartnerRequest) -> ReservationQuerySet:
    return (
        Reservation.objects.for_library(request.library)
        .select_related("record")
        .only(
            "id",
            "created_at",
            "status",
            "library_id",
            "record_id",
            "delivery_on",
            "fulfilled_at",
            "cancellation_reason",
            "record__title",
            "record__main_author",
        )
    )


@partner_required
def reservations(request: PartnerRequest) -> HttpResponse:
    base = _reservations(request).with_queue_rank()
    filterset = ReservationFilter(request.GET, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    key, descending = parse_sort(request.GET.get("o"), RESERVATION_SORTS, "-created_at")
    queryset = ordered(queryset, RESERVATION_SORTS, key, descending)
    context = {
        "extranet_section": "reservations",
        "filter": filterset,
        "columns": sortable_columns(request.GET, RESERVATION_COLUMNS, key, descending, ascending_first=TEXT_COLUMNS),
        "extra_columns": [gettext_lazy("Suivi")],
        "can_delete": request.user.is_manager,
        "export_url": _export_url("reservations") + query_string(request.GET, page=None, per_page=None),
        "active_statuses": [str(status) for status in Reservation.ACTIVE_STATUSES],
        **paginate(request, queryset),
    }
    return render(request, "catalogue/espace/reservations.html", context)


@require_POST
@manager_required
def reservations_delete(request: PartnerRequest) -> HttpResponse:
    """Confirmation page (no JavaScript) then cancellation of the selected reservations."""
    ids = selected_ids(request)
    if not ids:
        messages.error(request, _("Cochez au moins une réservation à supprimer."))
        return redirect("extranet:reservations")
    selected = list(_reservations(request).filter(pk__in=ids))
    if len(selected) != len(ids):
        raise Http404
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "catalogue/espace/reservations_confirm_delete.html",
            {"extranet_section": "reservations", "reservations": selected},
        )
    cancelled = 0
    for reservation in selected:
        try:
            reservation_cancel(reservation=reservation, user=request.user)
        except ValidationError as exc:
            messages.error(request, f"{reservation.record.title} : {' '.join(exc.messages)}")
        else:
            cancelled += 1
    if cancelled:
        messages.success(request, _("Réservation(s) supprimée(s) : %(count)d.") % {"count": cancelled})
    return redirect("extranet:reservations")


# --- renewals ----------------------------------------------------------------------------------


def _renewal_outcome(loan: Loan) -> tuple[bool, str]:
    """What a renewal request of ``loan`` would do (before confirmation), in French."""
    refusal = renewal_refusal(loan)
    if refusal:
        return False, refusal
    if settings.LOAN_RENEWALS_NEED_STAFF:
        return True, _("La demande sera transmise à la BDVO, qui vous répondra par e-mail.")
    new_due = loan.due_on + datetime.timedelta(days=settings.LOAN_RENEWAL_DAYS)
    return True, _("Retour repoussé au %(date)s.") % {"date": new_due.strftime("%d/%m/%Y")}


def _renewal_result(loan: Loan, renewal: LoanRenewal) -> str:
    if renewal.status == LoanRenewal.Status.GRANTED:
        return _("prolongé, retour prévu le %(date)s.") % {"date": loan.due_on.strftime("%d/%m/%Y")}
    return _("demande de prolongation transmise à la BDVO.")


@require_POST
@manager_required
def loans_renew(request: PartnerRequest) -> HttpResponse:
    """Renewal of the selected loans: a confirmation page saying what each would get (no
    JavaScript), then the requests, with one French result per loan."""
    loans = Loan.objects.for_library(request.library).in_progress().with_renewal_facts()
    selected = _selected_loans(request, loans, _("Cochez au moins un prêt à prolonger."))
    if selected is None:
        return redirect("extranet:loans")
    if request.POST.get("confirm") != "1":
        rows = [(loan, *_renewal_outcome(loan)) for loan in selected]
        return _confirm_page(request, "catalogue/espace/loans_confirm_renew.html", rows)
    _act_on_each(
        request,
        selected,
        lambda loan: _renewal_result(loan, loan_renew(loan=loan, user=request.user)),
    )
    return redirect("extranet:loans")


def _selected_loans(request: PartnerRequest, loans: LoanQuerySet, nothing_selected: str) -> list[Loan] | None:
    """The ticked rows among ``loans`` (the library's), by due date; ``None`` (with the French
    ``nothing_selected`` message) when none is ticked; 404 when one is not among ``loans``."""
    ids = selected_ids(request)
    if not ids:
        messages.error(request, nothing_selected)
        return None
    selected = list(loans.select_related("item__record").filter(pk__in=ids).order_by("due_on", "pk"))
    if len(selected) != len(ids):
        raise Http404
    return selected


def _confirm_page(
    request: PartnerRequest, template: str, rows: list[tuple[Loan, bool, str]], **context: object
) -> HttpResponse:
    """The no-JavaScript confirmation page of an action on ticked loans: what each would get."""
    any_allowed = any(allowed for _loan, allowed, _text in rows)
    return render(request, template, {"extranet_section": "loans", "rows": rows, "any_allowed": any_allowed, **context})


def _act_on_each(request: PartnerRequest, loans: list[Loan], act: Callable[[Loan], str]) -> None:
    """``act`` on each loan, one French message per loan: its result, or why it was refused."""
    for loan in loans:
        label = f"« {loan.item.record.title} » ({loan.item.barcode})"
        try:
            result = act(loan)
        except ValidationError as exc:
            messages.error(request, f"{label} : {' '.join(exc.messages)}")
        else:
            messages.success(request, f"{label} : {result}")


# --- returns announced for the navette --------------------------------------------------------


@require_POST
@manager_required
def loans_announce_return(request: PartnerRequest) -> HttpResponse:
    """Announcement of the selected loans' return with the library's next navette round: a
    confirmation page naming the round (or the refusal) for each (no JavaScript), then the
    announcements, with one French result per loan."""
    loans = Loan.objects.for_library(request.library)
    selected = _selected_loans(request, loans, _("Cochez au moins un prêt dont vous annoncez le retour."))
    if selected is None:
        return redirect("extranet:loans")
    if request.POST.get("confirm") != "1":
        round_ = return_round(request.library)
        rows = []
        for loan in selected:
            refusal = return_refusal(loan) or ("" if round_ else no_round_refusal())
            rows.append((loan, not refusal, refusal))
        return _confirm_page(request, "catalogue/espace/loans_confirm_return.html", rows, round=round_)
    _act_on_each(
        request,
        selected,
        lambda loan: (
            _("Retour annoncé pour la navette du %(day)s.")
            % {"day": navette.format_day(return_announce(loan=loan, user=request.user))}
        ),
    )
    return redirect("extranet:loans")


# --- export profile (« Mon SIGB / Profil d'export ») -------------------------------------------


def _export_profile_page(request: PartnerRequest, form: ExportProfileForm, current: ExportProfile) -> HttpResponse:
    context = {
        "extranet_section": "export_profile",
        "form": form,
        "current": current,
        "preview": current.preview_995(request.library),
        "can_change": request.user.is_manager,
        "portal_code": request.library.code,
        "territory": request.library.territory,
    }
    return render(request, "catalogue/espace/export_profile.html", context)


@partner_required
@require_safe
def export_profile(request: PartnerRequest) -> HttpResponse:
    """The SIGB of the library and how its ISO 2709 / MARCXML exports write the 995: any partner
    reads it, a Gestionnaire changes it (``export_profile_save``)."""
    current = ExportProfile.effective_for(request.library)
    form = ExportProfileForm(instance=ExportProfile.to_edit_for(request.library), disabled=not request.user.is_manager)
    return _export_profile_page(request, form, current)


@require_POST
@manager_required
def export_profile_save(request: PartnerRequest) -> HttpResponse:
    """Save the library's own export profile (its first save makes it the library's, in place of
    its territory's default); the page again with the errors in French otherwise."""
    current = ExportProfile.effective_for(request.library)
    form = ExportProfileForm(request.POST, instance=ExportProfile.to_edit_for(request.library))
    if not form.is_valid():
        return _export_profile_page(request, form, current)
    form.save(user=request.user)
    messages.success(request, _("Profil d'export enregistré : vos prochains exports ISO 2709 et MARCXML l'appliquent."))
    return redirect("extranet:export_profile")
