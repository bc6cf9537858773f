"""Forms of the animation tools (dates only: the rules are in ``rules.py``, applied by the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The date picker sends ISO dates; typed by hand (no picker), dates are French.
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class BookingForm(forms.Form):
    loan_date = forms.DateField(
        label=_("Date de prêt (départ de la BDVO)"),
        widget=_DATE,
        input_formats=_DATE_FORMATS,
        help_text=_("Au format JJ/MM/AAAA si votre navigateur n'affiche pas de calendrier."),
    )
    return_date = forms.DateField(label=_("Date de retour"), widget=_DATE, input_formats=_DATE_FORMATS)
    self_collect = forms.BooleanField(
        label=_("Retrait et retour par la bibliothèque"),
        required=False,
        help_text=_(
            "Cochez si votre bibliothèque vient chercher l'outil à la BDVO et le rapporte elle-même : "
            "les dates sont alors des jours d'ouverture de la BDVO (du lundi au vendredi, hors jours fériés "
            "et fermetures) plutôt que des jours de navette."
        ),
    )


class RefusalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (envoyé à la bibliothèque)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la dérogation"), widget=forms.Textarea(attrs={"rows": 3}))
    waive_convention = forms.BooleanField(label=_("Dispenser aussi de convention"), required=False)


class ConventionReturnForm(forms.Form):
    returned_on = forms.DateField(
        label=_("Convention signée reçue le"), widget=_DATE, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
