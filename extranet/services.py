"""Account workflows: creating partner accounts, inviting colleagues, changing profiles, (de)activating.

Every function here is called by the views of the espace professionnel *and* by the
admin, so the rule "a library always keeps one active Gestionnaire" holds everywhere.

Staff (admin, trainee requests) create accounts directly (``user_create``); a Gestionnaire
invites a colleague (``user_invite``), so that the answer never tells them whether an address
has an account in another library or at the BDVO.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
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


# --- invitations: a Gestionnaire adds a colleague without learning who else has an account ---------

INVITATION_SALT = "extranet.invitation"


class InvitationError(ValidationError):
    """An invitation link that cannot create an account; the French message says what to do."""


@dataclass(frozen=True)
class Invitation:
    """What a signed invitation link carries: the account to create and who asked for it."""

    library_id: int
    invited_by_id: int
    first_name: str
    last_name: str
    email: str
    profile: str
    job_title: str = ""
    phone: str = ""

    def token(self) -> str:
        """The signed, tamper-proof value of the link (``signing``, salted for invitations only)."""
        return signing.dumps(dataclasses.asdict(self), salt=INVITATION_SALT, compress=True)

    @classmethod
    def from_token(cls, token: str) -> Invitation:
        """The invitation of ``token``. Raises ``InvitationError`` (French) when the link was
        altered, or is older than ``settings.PASSWORD_RESET_TIMEOUT`` (the set-password links' age)."""
        try:
            data = signing.loads(token, salt=INVITATION_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
        except signing.SignatureExpired as exc:
            raise InvitationError(
                _(
                    "Ce lien d'invitation a expiré. Demandez à un·e Gestionnaire de votre bibliothèque de vous "
                    "inviter à nouveau."
                ),
                code="expired",
            ) from exc
        except signing.BadSignature as exc:
            raise InvitationError(
                _("Ce lien d'invitation n'est pas valide : copiez-le en entier depuis l'e-mail reçu."), code="invalid"
            ) from exc
        return cls(**data)

    def url(self) -> str:
        return f"{settings.SITE_URL}{reverse('invitation_accept', kwargs={'token': self.token()})}"


def invitation_days() -> int:
    """How many days an invitation link stays valid (``settings.PASSWORD_RESET_TIMEOUT``)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600))


@transaction.atomic
def user_invite(
    *,
    library: Library,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    profile: str,
    job_title: str = "",
    phone: str = "",
) -> None:
    """A Gestionnaire of ``library`` invites a colleague; what they learn never depends on
    accounts outside their library (issue 15: no enumeration of e-mail addresses).

    - The address is used by an account of ``library``: ``ValidationError`` naming that
      account (the Gestionnaire sees it in their list anyway).
    - The address is used by any other account (another library, BDVO staff): no account is
      created; the owner of the address gets a French notice that names the library that
      asked and says what to do, with no text typed by the Gestionnaire.
    - Otherwise: the address gets an invitation link (``Invitation``); the account is created
      when the person chooses their password (``invitation_accept``).

    Both last cases return the same nothing, and each sends one e-mail to the address typed.
    Raises ``PermissionDenied`` unless ``by`` may act for ``library`` (an active Gestionnaire).
    """
    if not (by.is_partner and by.may_act_for(library)):
        raise PermissionDenied(_("Seul·e un·e Gestionnaire de la bibliothèque peut inviter un·e collègue."))
    email = email.strip()
    owner = User.objects.filter(email__iexact=email).select_related("library").first()
    if owner is not None and owner.library_id == library.pk:
        raise ValidationError(
            {
                "email": _("Un compte de votre bibliothèque utilise déjà cette adresse : %(name)s.")
                % {"name": owner.get_full_name() or owner.username}
            }
        )
    context = {"library": library, "site_url": settings.SITE_URL, "days": invitation_days()}
    if owner is not None:
        send_templated_email(
            kind=MailKind.ACCOUNTS,
            template="extranet/emails/invitation_existing_account",
            subject=_("[BDVO] Demande de compte pour votre adresse e-mail"),
            context={
                **context,
                "owner": owner,
                "login_url": absolute_url(reverse("account_login")),
                "reset_url": absolute_url(reverse("account_reset_password")),
                "contact_email": settings.BDVO_CONTACT_EMAIL,
            },
            to=[owner.email],
        )
        return
    invitation = Invitation(
        library_id=library.pk,
        invited_by_id=by.pk,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        profile=profile,
        job_title=job_title.strip(),
        phone=phone.strip(),
    )
    send_templated_email(
        kind=MailKind.ACCOUNTS,
        template="extranet/emails/invitation",
        subject=_("[BDVO] Votre compte sur le portail des bibliothèques partenaires"),
        context={**context, "invitation": invitation, "invited_by": by, "url": invitation.url()},
        to=[email],
    )


def invitation_check(invitation: Invitation) -> tuple[Library, str]:
    """The library of a still valid ``invitation`` and the label of its profile.

    Raises ``InvitationError`` (French) when the library is no longer active, the person who
    invited is no longer an active Gestionnaire of it, or the address has an account now (the
    link was already used)."""
    library = Library.objects.filter(pk=invitation.library_id, is_active=True).first()
    inviter = User.objects.filter(pk=invitation.invited_by_id).first()
    if library is None or inviter is None or not (inviter.is_manager and inviter.library_id == library.pk):
        raise InvitationError(
            _(
                "Cette invitation n'est plus valable. Demandez à un·e Gestionnaire de votre bibliothèque de vous "
                "inviter à nouveau."
            ),
            code="withdrawn",
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(
            _(
                "Un compte existe déjà pour cette adresse : connectez-vous, ou utilisez « Mot de passe oublié » "
                "sur la page de connexion."
            ),
            code="used",
        )
    return library, str(User.Profile(invitation.profile).label)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Create the account of ``invitation`` with ``password`` (already validated by the form).

    Raises ``InvitationError`` (French) when the invitation is no longer valid
    (``invitation_check``), also when the same link is used twice at the same moment."""
    library, _profile = invitation_check(invitation)
    user = User(
        username=_username_from(invitation.first_name, invitation.last_name, invitation.email),
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        email=invitation.email,
        library=library,
        profile=invitation.profile,
        job_title=invitation.job_title,
        phone=invitation.phone,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the other click of a double submission committed first
        raise InvitationError(_("Un compte existe déjà pour cette adresse : connectez-vous."), code="used") from exc
    return user
