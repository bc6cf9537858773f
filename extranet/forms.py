"""Forms of the espace professionnel's account management."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from extranet.models import User


class UserCreateForm(forms.Form):
    """A colleague to invite into the Gestionnaire's library (``extranet.services.user_invite``)."""

    user_type = forms.ChoiceField(
        label=_("Type d'utilisateur"),
        choices=[("partner", _("partenaire"))],
        initial="partner",
        help_text=_("Les comptes de la BDVO sont créés par l'administration."),
    )
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_(
            "Une invitation y sera envoyée : le compte sera créé quand la personne aura choisi son mot de passe."
        ),
    )
    job_title = forms.CharField(label=_("Fonction"), max_length=120, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    profile = forms.ChoiceField(
        label=_("Profil"),
        choices=User.Profile.choices,
        initial=User.Profile.VIEWER,
        widget=forms.RadioSelect,
        help_text=_("Gestionnaire : peut réserver, exporter et gérer les comptes. Consulter : lecture seule."),
    )

    # No check of the address here: an answer that depended on accounts of other libraries or of
    # the BDVO would tell whether they exist (issue 15). ``services.user_invite`` decides.


class UserEditForm(forms.Form):
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    job_title = forms.CharField(label=_("Fonction"), max_length=120, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    profile = forms.ChoiceField(label=_("Profil"), choices=User.Profile.choices, widget=forms.RadioSelect)
