"""Staff pages of the BDVO: lending and returns by barcode (scanner or keyboard).

Each page posts one barcode and re-renders with the running list of the session's lines,
each confirmed or refused with its reason; the barcode field keeps the focus (``autofocus``)
so that a scanner can chain items. Works without JavaScript.
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

from catalogue.services.loans import loan_create, loan_return
from extranet.models import Library
from extranet.permissions import StaffRequest, staff_required

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
    library = forms.ModelChoiceField(
        label=gettext_lazy("Bibliothèque emprunteuse"),
        queryset=Library.objects.filter(is_active=True).select_related("territory").order_by("name"),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Date de retour prévue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Laissez vide pour la durée de prêt habituelle."),
    )
    barcode = BarcodeField()


class ReturnForm(forms.Form):
    barcode = BarcodeField()


def _lines(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    return request.session.get(SESSION_LINES[key], [])


def _add_line(request: HttpRequest, key: str, *, barcode: str, ok: bool, message: str) -> None:
    lines = [{"barcode": barcode, "ok": ok, "message": message, "at": timezone.localtime().strftime("%H:%M:%S")}]
    request.session[SESSION_LINES[key]] = (lines + _lines(request, key))[:MAX_LINES]


@staff_required
def lending(request: StaffRequest) -> HttpResponse:
    """Lend items to a library, one barcode per post."""
    initial = {"library": request.session.get("staff_lending_library")}
    form = LendingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        library, barcode = form.cleaned_data["library"], form.cleaned_data["barcode"].strip()
        request.session["staff_lending_library"] = library.pk
        try:
            loan = loan_create(library=library, barcode=barcode, due_on=form.cleaned_data["due_on"], by=request.user)
        except ValidationError as exc:
            _add_line(request, "lend", barcode=barcode, ok=False, message=" ".join(exc.messages))
        else:
            _add_line(
                request,
                "lend",
                barcode=barcode,
                ok=True,
                message=_("« %(title)s » prêté à %(library)s, retour prévu le %(due)s.")
                % {"title": loan.item.record.title, "library": library.name, "due": loan.due_on.strftime("%d/%m/%Y")},
            )
        # A fresh form keeps the library and due date, empties the barcode field.
        form = LendingForm(initial={"library": library.pk, "due_on": form.cleaned_data["due_on"]})
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
            )
        form = ReturnForm()
    return render(request, "catalogue/staff/returns.html", {"form": form, "lines": _lines(request, "return")})


@staff_required
def clear_lines(request: HttpRequest, kind: str) -> HttpResponse:
    """Start a new series: empty the running list (POST only)."""
    if request.method == "POST" and kind in SESSION_LINES:
        request.session.pop(SESSION_LINES[kind], None)
    return redirect("catalogue_staff:lending" if kind == "lend" else "catalogue_staff:returns")
