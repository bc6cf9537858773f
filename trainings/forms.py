"""Forms of the trainings app: the public « Première inscription » request.

The form is anonymous, so it carries two checks against robots besides the rate limits of
``trainings.services.trainee_request_create``: a honeypot field that people never see (nor
assistive technologies, nor the keyboard) and robots fill, and a signed timestamp of when the
page was served (``fill_token``) — a form sent back within
``settings.TRAINEE_REQUEST_MIN_FILL_SECONDS`` was not filled in by a person. Both refuse with
the same neutral French message and keep everything typed.
"""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from extranet.lists import MAX_ID
from extranet.models import Library
from trainings.models import EmploymentStatus, TrainingSession

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# French numbers: 10 digits starting with 0, or +33 / 0033 followed by 9 digits; spaces, dots, dashes allowed.
PHONE_RE = re.compile(r"^(?:0|\+33|0033)[1-9]\d{8}$")

FILL_SIGNING_SALT = "trainings.trainee_request.form"
# What a refused robot (honeypot filled, form sent too fast, token forged) reads: it says
# nothing of which check refused, and a person who gets it only has to send the form again.
NEUTRAL_REFUSAL = _(
    "Votre demande n'a pas pu être envoyée. Vérifiez les informations saisies, puis envoyez de nouveau le formulaire."
)


def fill_token(issued_at: float | None = None) -> str:
    """A signed record of when the form page was served (now by default)."""
    return signing.dumps({"served": time.time() if issued_at is None else issued_at}, salt=FILL_SIGNING_SALT)


def fill_seconds(token: str, now: float | None = None) -> float | None:
    """Seconds since the page carrying ``token`` was served; ``None`` for a missing or forged token."""
    try:
        served = signing.loads(token, salt=FILL_SIGNING_SALT)["served"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if not isinstance(served, int | float):
        return None
    return (time.time() if now is None else now) - served


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
    # Named as robots like it; hidden from people by the template (see trainee_request.html).
    HONEYPOT = "website"

    form_started = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(
        label=_("Laissez ce champ vide (il sert à repérer les envois automatiques)"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
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
        self.fields["form_started"].initial = fill_token
        cast(SessionChoiceField, self.fields["sessions"]).queryset = (
            TrainingSession.objects.published()
            .open_for_registration()
            .select_related("training")
            .with_counts()
            .order_by("starts_at")
        )

    def clean_email(self) -> str:
        # Whether the address has an account is not said here (anyone could learn it): the
        # service e-mails its owner a link to log in instead.
        email: str = self.cleaned_data["email"].strip()
        return email

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        compact = re.sub(r"[\s.\-()]", "", phone)
        if not PHONE_RE.match(compact):
            raise forms.ValidationError(
                _("Ce numéro de téléphone n'est pas valide : 10 chiffres commençant par 0, ou +33 suivi de 9 chiffres.")
            )
        return phone

    def visible_fields(self) -> list[forms.BoundField]:
        """The fields people fill in: the honeypot is rendered apart, hidden from them."""
        return [field for field in super().visible_fields() if field.name != self.HONEYPOT]

    @property
    def honeypot(self) -> forms.BoundField:
        return self[self.HONEYPOT]

    def _looks_automated(self) -> str | None:
        """Why the submission looks sent by a robot (for the log), or ``None``."""
        if self.cleaned_data.get(self.HONEYPOT, ""):
            return "honeypot filled"
        seconds = fill_seconds(self.cleaned_data.get("form_started", ""))
        if seconds is None:
            return "missing or forged fill token"
        if seconds < settings.TRAINEE_REQUEST_MIN_FILL_SECONDS:
            return f"sent {seconds:.1f} s after the page was served"
        return None

    def _renew(self, name: str, value: str) -> None:
        """Send ``value`` back in field ``name`` when the form is shown again."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix(name)] = value
        self.data = data

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("library") and not cleaned.get("structure_name", "").strip():
            self.add_error(
                "library", _("Choisissez votre bibliothèque dans la liste, ou indiquez le nom de votre structure.")
            )
        reason = self._looks_automated()
        if reason is not None and not self.errors:
            # A form with field errors is refused for them already: the neutral message would
            # only puzzle the person who clicked « Envoyer » before filling it in.
            logger.info("First-time trainee request refused as automated: %s", reason)
            self.add_error(None, forms.ValidationError(NEUTRAL_REFUSAL, code="automated"))
        # When the form is shown again, a person sends it without what a browser may have
        # autofilled in the honeypot, and with a valid stamp (a valid one is kept: it only ages).
        if cleaned.get(self.HONEYPOT, ""):
            self._renew(self.HONEYPOT, "")
        if fill_seconds(cleaned.get("form_started", "")) is None:
            self._renew("form_started", fill_token())
        return cleaned
