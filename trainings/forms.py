"""Forms of the trainings app: the public « Première inscription » request."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from extranet.lists import MAX_ID
from extranet.models import Library, User
from trainings.models import EmploymentStatus, TrainingSession

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# French numbers: 10 digits starting with 0, or +33 / 0033 followed by 9 digits; spaces, dots, dashes allowed.
PHONE_RE = re.compile(r"^(?:0|\+33|0033)[1-9]\d{8}$")


def _required(message: StrOrPromise) -> dict[str, StrOrPromise]:
    return {"required": message}


def _beyond_any_id(value: object) -> bool:
    try:
        return not -MAX_ID <= int(str(value).strip()) <= MAX_ID
    except ValueError:
        return False  # not a number: the field's own check says so


class LibraryChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Library | None:
        if value not in self.empty_values and _beyond_any_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if _beyond_any_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)  # type: ignore[misc]  # private Django method the stubs leave out

    def label_from_instance(self, session: TrainingSession) -> str:
        when = formats.date_format(timezone.localtime(session.starts_at), "j F Y")
        label = f"{session.training.title} — {when}, {session.place}"
        if session.is_full:
            label += " " + str(_("(complète : liste d'attente)"))
        return label


class TraineeRequestForm(forms.Form):
    last_name = forms.CharField(label=_("Nom"), max_length=150, error_messages=_required(_("Indiquez votre nom.")))
    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, error_messages=_required(_("Indiquez votre prénom."))
    )
    postal_address = forms.CharField(
        label=_("Adresse postale"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        max_length=500,
        error_messages=_required(_("Indiquez votre adresse postale.")),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Le lien pour choisir le mot de passe de votre compte y sera envoyé."),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Cette adresse e-mail n'est pas valide : vérifiez-la (par ex. prenom.nom@mairie.fr)."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        help_text=_("Par ex. 01 34 25 00 00 ou 06 12 34 56 78."),
        error_messages=_required(_("Indiquez un numéro de téléphone.")),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    library = LibraryChoiceField(
        label=_("Bibliothèque"),
        queryset=Library.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("— Ma structure n'est pas dans la liste —"),
        help_text=_("La bibliothèque du réseau pour laquelle vous travaillez."),
        error_messages={"invalid_choice": _("Cette bibliothèque n'est pas dans la liste : choisissez-en une autre.")},
    )
    structure_name = forms.CharField(
        label=_("Autre structure"),
        max_length=200,
        required=False,
        help_text=_("Si votre structure n'est pas dans la liste : son nom et sa commune."),
    )
    employment_status = forms.ChoiceField(
        label=_("Statut"),
        choices=EmploymentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez votre statut."),
            "invalid_choice": _("Ce statut n'existe pas : choisissez A, B, C, contractuel·le, bénévole ou autre."),
        },
    )
    sessions = SessionChoiceField(
        label=_("Sessions souhaitées"),
        queryset=TrainingSession.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choisissez au moins une session."),
            "invalid_choice": _("Cette session n'est plus ouverte aux inscriptions : choisissez-en une autre."),
            "invalid_pk_value": _("Cette session n'existe pas."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(SessionChoiceField, self.fields["sessions"]).queryset = (
            TrainingSession.objects.published()
            .open_for_registration()
            .select_related("training")
            .with_counts()
            .order_by("starts_at")
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Vous avez déjà un compte sur le portail : connectez-vous pour vous inscrire directement.")
            )
        return email

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        compact = re.sub(r"[\s.\-()]", "", phone)
        if not PHONE_RE.match(compact):
            raise forms.ValidationError(
                _("Ce numéro de téléphone n'est pas valide : 10 chiffres commençant par 0, ou +33 suivi de 9 chiffres.")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("library") and not cleaned.get("structure_name", "").strip():
            self.add_error(
                "library", _("Choisissez votre bibliothèque dans la liste, ou indiquez le nom de votre structure.")
            )
        return cleaned
