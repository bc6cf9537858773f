"""Account workflows: creating partner accounts, changing profiles, (de)activating.

Every function here is called by the views of the espace professionnel *and* by the
admin, so the rule "a library always keeps one active Gestionnaire" holds everywhere.
"""

from __future__ import annotations

import re
import unicodedata

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from extranet.mail import MailKind, absolute_url, send_templated_email
from extranet.models import Library, User


class LastManagerError(ValidationError):
    """Raised when a change would leave a library without any active Gestionnaire."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Votre bibliothèque doit garder au moins un·e Gestionnaire actif·ve. "
                "Donnez d'abord le profil Gestionnaire à un·e collègue."
            ),
            code="last_manager",
        )


def _username_from(first_name: str, last_name: str, email: str) -> str:
    base = f"{first_name}.{last_name}" if first_name and last_name else email.split("@")[0]
    ascii_base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9._-]+", "-", ascii_base).strip(".-_")[:120] or "utilisateur"
    candidate, suffix = slug, 1
    while User.objects.filter(username__iexact=candidate).exists():
        suffix += 1
        candidate = f"{slug}{suffix}"
    return candidate


def set_password_url(user: User) -> str:
    """Absolute link that lets ``user`` choose a password (allauth's reset-from-key view)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return absolute_url(path)


def send_set_password_email(user: User) -> None:
    """E-mail ``user`` a link to set their first password (never a password in clear)."""
    send_templated_email(
        kind=MailKind.ACCOUNTS,
        template="extranet/emails/set_password",
        context={"user": user, "url": set_password_url(user)},
        subject=_("[BDVO] Votre compte sur le portail des bibliothèques partenaires"),
        to=[user.email],
    )


@transaction.atomic
def user_create(
    *,
    library: Library | None,
    first_name: str,
    last_name: str,
    email: str,
    profile: str = "",
    username: str = "",
    job_title: str = "",
    phone: str = "",
    is_staff: bool = False,
) -> User:
    """Create an individual account with no usable password and e-mail its set-password link.

    Raises ``ValidationError`` when the e-mail is already used.
    """
    email = email.strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Un compte utilise déjà cette adresse e-mail.")})
    user = User(
        username=username or _username_from(first_name, last_name, email),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        library=library,
        profile=profile if library else "",
        job_title=job_title,
        phone=phone,
        is_staff=is_staff,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    send_set_password_email(user)
    return user


def ensure_keeps_a_manager(user: User, *, profile: str, active: bool) -> None:
    """Raise ``LastManagerError`` if giving ``user`` this profile/state leaves its library without Gestionnaire.

    Call inside a transaction: the library's Gestionnaires are locked until it ends, so two
    colleagues cannot downgrade each other at the same time.
    """
    stored = User.objects.get(pk=user.pk) if user.pk else None
    if stored is None or not stored.library_id or not stored.is_manager:
        return
    if profile == User.Profile.MANAGER and active:
        return
    managers = list(
        User.objects.select_for_update().filter(
            library_id=stored.library_id, is_active=True, profile=User.Profile.MANAGER
        )
    )
    if all(manager.pk == stored.pk for manager in managers):
        raise LastManagerError()


@transaction.atomic
def user_update(
    *, user: User, profile: str, first_name: str, last_name: str, job_title: str = "", phone: str = ""
) -> User:
    """Change a partner account's profile and details. Raises ``LastManagerError``."""
    ensure_keeps_a_manager(user, profile=profile, active=user.is_active)
    user.profile = profile
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.job_title, user.phone = job_title, phone
    user.save(update_fields=["profile", "first_name", "last_name", "job_title", "phone"])
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool) -> User:
    """Deactivate or reactivate an account. Raises ``LastManagerError``."""
    if not active:
        ensure_keeps_a_manager(user, profile=user.profile, active=False)
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user
