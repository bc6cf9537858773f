"""Staff pages of the BDVO: lending and returns by barcode (scanner or keyboard).

Each page posts one barcode and re-renders with the running list of the session's lines,
each confirmed or refused with its reason; the barcode field keeps the focus (``autofocus``)
so that a scanner can chain items. Works without JavaScript.

A referent lends to and takes back from their territories' libraries only: the lending form
offers those (``referent_libraries``), and the services refuse anything else in French.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Loan
from catalogue.services.circulation import holding_reservation
from catalogue.services.loans import loan_create, loan_return
from extranet.models import Library, User
from extranet.navette import format_day
from extranet.permissions import StaffRequest, referent_libraries, staff_required

SESSION_LINES = {"lend": "staff_lending_lines", "return": "staff_return_lines"}
MAX_LINES = 200  # the running list shows the latest scans


class BarcodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=gettext_lazy("Code-barres"),
            max_length=40,
            widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}),
            help_text=gettext_lazy("Scannez l'étiquette ou tapez le code puis Entrée."),
            **kwargs,
        )


class LendingForm(forms.Form):
    library = forms.ModelChoiceField(label=gettext_lazy("Bibliothèque emprunteuse"), queryset=Library.objects.none())
    due_on = forms.DateField(
        label=gettext_lazy("Date de retour prévue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Laissez vide pour la durée de prêt habituelle."),
    )
    barcode = BarcodeField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        libraries = referent_libraries(user).filter(is_active=True).select_related("territory").order_by("name")
        self.fields["library"].queryset = libraries  # type: ignore[attr-defined]


class ReturnForm(forms.Form):
    barcode = BarcodeField()


def _lines(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    return request.session.get(SESSION_LINES[key], [])


def _add_line(request: HttpRequest, key: str, *, barcode: str, ok: bool, message: str, flag: str = "") -> None:
    """One line of the running list; ``flag`` is what the desk must do with the item (set it aside)."""
    line = {"barcode": barcode, "ok": ok, "message": message, "flag": flag}
    line["at"] = timezone.localtime().strftime("%H:%M:%S")
    request.session[SESSION_LINES[key]] = [line, *_lines(request, key)][:MAX_LINES]


def _delivered_note(loan: Loan) -> str:
    """« — réservation du … livrée » when the loan delivered the library's reservation."""
    reservation = getattr(loan, "reservation", None)
    if reservation is None:
        return ""
    return " " + _("Réservation du %(date)s livrée.") % {
        "date": timezone.localtime(reservation.created_at).strftime("%d/%m/%Y")
    }


def _set_aside_flag(loan: Loan, user: User) -> str:
    """« Réservé par … — mettre de côté pour la navette du … » when the returned item was set
    aside for the next library waiting for its title; empty otherwise. A library outside the
    territories ``user`` manages is not named (as in ``catalogue.services.loans``)."""
    reservation = holding_reservation(loan.item)
    if reservation is None:
        return ""
    if user.manages_library(reservation.library_id):
        who = _("Réservé par %(library)s") % {"library": reservation.library.name}
    else:
        who = _("Réservé par une bibliothèque hors de vos territoires")
    if reservation.delivery_on is None:
        return _("%(who)s — mettre de côté pour la prochaine navette.") % {"who": who}
    return _("%(who)s — mettre de côté pour la navette du %(day)s.") % {
        "who": who,
        "day": format_day(reservation.delivery_on),
    }


@staff_required
def lending(request: StaffRequest) -> HttpResponse:
    """Lend items to a library, one barcode per post."""
    user = request.user
    initial = {"library": request.session.get("staff_lending_library")}
    form = LendingForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        library, barcode = form.cleaned_data["library"], form.cleaned_data["barcode"].strip()
        request.session["staff_lending_library"] = library.pk
        try:
            loan = loan_create(library=library, barcode=barcode, due_on=form.cleaned_data["due_on"], by=user)
        except ValidationError as exc:
            _add_line(request, "lend", barcode=barcode, ok=False, message=" ".join(exc.messages))
        else:
            _add_line(
                request,
                "lend",
                barcode=barcode,
                ok=True,
                message=_("« %(title)s » prêté à %(library)s, retour prévu le %(due)s.")
                % {"title": loan.item.record.title, "library": library.name, "due": loan.due_on.strftime("%d/%m/%Y")}
                + _delivered_note(loan),
            )
        # A fresh form keeps the library and due date, empties the barcode field.
        form = LendingForm(initial={"library": library.pk, "due_on": form.cleaned_data["due_on"]}, user=user)
    return render(request, "catalogue/staff/lending.html", {"form": form, "lines": _lines(request, "lend")})


@staff_required
def returns(request: StaffRequest) -> HttpResponse:
    """Record returns, one barcode per post."""
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        barcode = form.cleaned_data["barcode"].strip()
        try:
            loan = loan_return(barcode=barcode, by=request.user)
        except ValidationError as exc:
            _add_line(request, "return", barcode=barcode, ok=False, message=" ".join(exc.messages))
        else:
            _add_line(
                request,
                "return",
                barcode=barcode,
                ok=True,
                message=_("« %(title)s » rendu par %(library)s.")
                % {"title": loan.item.record.title, "library": loan.library.name},
                flag=_set_aside_flag(loan, request.user),
            )
        form = ReturnForm()
    return render(request, "catalogue/staff/returns.html", {"form": form, "lines": _lines(request, "return")})


@staff_required
def clear_lines(request: HttpRequest, kind: str) -> HttpResponse:
    """Start a new series: empty the running list (POST only)."""
    if request.method == "POST" and kind in SESSION_LINES:
        request.session.pop(SESSION_LINES[kind], None)
    return redirect("catalogue_staff:lending" if kind == "lend" else "catalogue_staff:returns")
