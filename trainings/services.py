"""Training workflows: registering, cancelling, the waiting list, session changes, trainee requests.

Every function is keyword-only, runs in one transaction and is called by the views *and*
the admin. The capacity check is safe under concurrency: each workflow that counts places
first locks the session row (``select_for_update`` on PostgreSQL; on SQLite the settings
open every transaction with ``BEGIN IMMEDIATE``, which serialises writers). Every change
seen by a person is e-mailed to them with an iCalendar attachment, after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from extranet.mail import MailKind, absolute_url, send_templated_email
from extranet.models import Library, User
from extranet.services import user_create
from trainings.ics import ICS_FILENAME, ICS_MIMETYPE, registration_ics
from trainings.models import Registration, TraineeRequest, TrainingSession

# Fields whose change moves the event in the registrants' calendars.
SCHEDULE_FIELDS = frozenset({"starts_at", "ends_at", "schedule", "place", "address"})


# --- E-mails -------------------------------------------------------------------------------


def _send_registration_email(
    *, registration: Registration, subject: str, message: str, method: str = "REQUEST"
) -> None:
    send_templated_email(
        kind=MailKind.TRAININGS,
        template="trainings/emails/registration",
        context={
            **_session_context(registration),
            "message": message,
        },
        subject=f"[BDVO] {subject}",
        to=[registration.user.email],
        attachments=[(ICS_FILENAME, registration_ics(registration=registration, method=method), ICS_MIMETYPE)],
    )


def _session_context(registration: Registration) -> dict[str, object]:
    """What the e-mails about one registration show: the session, its training and the links."""
    return {
        "registration": registration,
        "session": registration.session,
        "training": registration.session.training,
        "my_registrations_url": absolute_url(reverse("trainings:my_registrations")),
        "training_url": absolute_url(registration.session.training.get_absolute_url()),
    }


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "j F Y")


# --- Registrations -------------------------------------------------------------------------


def _locked_session(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update(of=("self",)).select_related("training").get(pk=session.pk)


def _waiting_rank(registration: Registration) -> int:
    rank: int = (
        Registration.objects.for_library(registration.library_id)
        .filter(pk=registration.pk)
        .with_rank()
        .values_list("waiting_rank", flat=True)  # type: ignore[misc]  # django-stubs cannot see with_rank()'s annotation
        .get()
    )
    return rank


@transaction.atomic
def registration_create(*, session: TrainingSession, user: User) -> Registration:
    """Register ``user`` to ``session``: a confirmed place, or the waiting list when it is full.

    Registering oneself is not an operation on the library's data: any active partner
    account may do it, Gestionnaire or Consulter. The person receives an e-mail with the
    invitation (.ics). Raises ``ValidationError`` (French message) when the account is not
    a partner's, the session is cancelled or started, the deadline has passed, or the
    person is already registered or waiting.
    """
    if not user.is_active or user.library is None:  # not a partner account
        raise ValidationError(
            _("Seuls les comptes des bibliothèques partenaires peuvent s'inscrire à une formation."), code="not_partner"
        )
    session = _locked_session(session)
    if not session.training.is_published:
        raise ValidationError(_("Cette formation n'est plus proposée."), code="unpublished")
    if session.is_cancelled:
        raise ValidationError(
            _("Cette session est annulée : choisissez une autre session de la formation."), code="cancelled"
        )
    if session.starts_at <= timezone.now() or not session.registrations_open():
        raise ValidationError(
            _(
                "Les inscriptions à cette session sont closes depuis le %(date)s. Pour une demande tardive, écrivez à %(email)s."
            )
            % {"date": _date(session.registration_deadline), "email": settings.BDVO_CONTACT_EMAIL},
            code="deadline",
        )
    if Registration.objects.all_libraries().active().filter(session=session, user=user).exists():
        raise ValidationError(
            _("Vous êtes déjà inscrit·e à cette session (ou sur sa liste d'attente)."), code="duplicate"
        )
    has_room = (
        Registration.objects.all_libraries().filter(session=session, status=Registration.Status.REGISTERED).count()
        < session.capacity
    )
    registration = Registration.objects.create(
        session=session,
        user=user,
        library=user.library,
        status=Registration.Status.REGISTERED if has_room else Registration.Status.WAITING,
    )
    if has_room:
        _send_registration_email(
            registration=registration,
            subject=_("Inscription confirmée : %(title)s") % {"title": session.training.title},
            message=_("Votre inscription à cette formation est confirmée."),
        )
    else:
        _send_registration_email(
            registration=registration,
            subject=_("Liste d'attente : %(title)s") % {"title": session.training.title},
            message=_(
                "La session est complète : vous êtes sur la liste d'attente, au rang %(rank)s. "
                "Si une place se libère, vous serez inscrit·e automatiquement et prévenu·e par e-mail."
            )
            % {"rank": _waiting_rank(registration)},
        )
    return registration


def _fill_from_waiting_list(session: TrainingSession) -> list[Registration]:
    """Promote waiting people, first come first served, while places are free. Session must be locked."""
    if session.is_cancelled or session.starts_at <= timezone.now():
        return []
    free = (
        session.capacity
        - Registration.objects.all_libraries().filter(session=session, status=Registration.Status.REGISTERED).count()
    )
    promoted = []
    for registration in (
        Registration.objects.all_libraries()
        .in_waiting_order()
        .filter(session=session)
        .select_related("user")[: max(free, 0)]
    ):
        registration.status = Registration.Status.REGISTERED
        registration.promoted_at = timezone.now()
        registration.calendar_sequence += 1
        registration.save(update_fields=["status", "promoted_at", "calendar_sequence"])
        registration.session = session
        _send_registration_email(
            registration=registration,
            subject=_("Une place s'est libérée : %(title)s") % {"title": session.training.title},
            message=_("Une place s'est libérée : vous quittez la liste d'attente et votre inscription est confirmée."),
        )
        promoted.append(registration)
    return promoted


def can_cancel(*, registration: Registration, by: User) -> bool:
    """The person themself, or whoever may act for the registration's library
    (``User.may_act_for``: a Gestionnaire of that active library, or BDVO staff)."""
    return (by.is_active and by.pk == registration.user_id) or by.may_act_for(registration.library_id)


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User) -> Registration:
    """Cancel ``registration`` and give its place to the first person waiting (who is e-mailed).

    Allowed to the person, to a Gestionnaire of the same library and to BDVO staff
    (``PermissionDenied`` otherwise). Partners may cancel until the registration deadline;
    staff at any time. Raises ``ValidationError`` when already cancelled or too late.
    """
    if not can_cancel(registration=registration, by=by):
        raise PermissionDenied(_("Vous ne pouvez pas annuler l'inscription d'une autre personne."))
    session = _locked_session(registration.session)
    registration = (
        Registration.objects.for_library(registration.library_id)
        .select_for_update(of=("self",))
        .select_related("user")
        .get(pk=registration.pk)
    )
    registration.session = session
    if not registration.is_active:
        raise ValidationError(_("Cette inscription est déjà annulée."), code="already_cancelled")
    if not by.is_staff and not session.registrations_open():
        raise ValidationError(
            _("La date limite d'annulation (%(date)s) est passée : pour vous désister, écrivez à %(email)s.")
            % {"date": _date(session.registration_deadline), "email": settings.BDVO_CONTACT_EMAIL},
            code="deadline",
        )
    was_confirmed = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.calendar_sequence += 1
    registration.save(update_fields=["status", "cancelled_at", "calendar_sequence"])
    _send_registration_email(
        registration=registration,
        subject=_("Inscription annulée : %(title)s") % {"title": session.training.title},
        message=_("Votre inscription à cette formation est annulée."),
        method="CANCEL",
    )
    if was_confirmed:
        _fill_from_waiting_list(session)
    return registration


@transaction.atomic
def registration_set_attendance(*, registrations: Iterable[Registration], attended: bool) -> int:
    """Mark registrations present or absent (attendance sheet). Returns how many changed."""
    pks = [registration.pk for registration in registrations]
    return (
        Registration.objects.all_libraries()
        .filter(pk__in=pks, status=Registration.Status.REGISTERED)
        .update(attended=attended)
    )


# --- Session changes (admin) ----------------------------------------------------------------


def _notify_registrants(*, session: TrainingSession, subject: str, message: str, method: str) -> int:
    registrations = list(Registration.objects.all_libraries().active().filter(session=session).select_related("user"))
    for registration in registrations:
        registration.session = session
        _send_registration_email(registration=registration, subject=subject, message=message, method=method)
    return len(registrations)


@transaction.atomic
def session_save(*, session: TrainingSession, changed_fields: Collection[str] = ()) -> TrainingSession:
    """Save a session edited by staff and tell its registrants what changed.

    A new date, time or place e-mails every registered or waiting person an updated
    invitation; cancelling the session (status « annulée ») e-mails a cancellation; a larger
    capacity promotes people from the waiting list.
    """
    is_new = session.pk is None
    if not is_new:
        TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
    cancelled_now = "status" in changed_fields and session.is_cancelled
    moved = bool(SCHEDULE_FIELDS & set(changed_fields)) and not session.is_cancelled
    if not is_new and (cancelled_now or moved):
        session.sequence += 1
    session.save()
    if is_new:
        return session
    session = _locked_session(session)
    title = session.training.title
    if cancelled_now:
        _notify_registrants(
            session=session,
            subject=_("Session annulée : %(title)s") % {"title": title},
            message=_(
                "La BDVO a dû annuler cette session. Nous vous prions de nous en excuser ; "
                "les autres sessions de la formation sont au catalogue."
            ),
            method="CANCEL",
        )
    elif moved:
        _notify_registrants(
            session=session,
            subject=_("Session modifiée : %(title)s") % {"title": title},
            message=_("La date, l'horaire ou le lieu de cette session a changé : voici les nouvelles informations."),
            method="REQUEST",
        )
    if "capacity" in changed_fields:
        _fill_from_waiting_list(session)
    return session


@transaction.atomic
def session_cancel(*, session: TrainingSession) -> TrainingSession:
    """Cancel a session and e-mail its registrants (no-op when already cancelled)."""
    if session.is_cancelled:
        return session
    session.status = TrainingSession.Status.CANCELLED
    return session_save(session=session, changed_fields=["status"])


# --- First-time trainee requests ------------------------------------------------------------


def trainee_request_recipients(trainee_request: TraineeRequest) -> list[str]:
    """The library's territory referents and the BDVO training staff, without duplicates."""
    addresses: list[str] = []
    if trainee_request.library is not None:
        addresses += [referent.email for referent in trainee_request.library.referents() if referent.email]
    addresses += list(settings.TRAININGS_STAFF_EMAILS)
    return list(dict.fromkeys(addresses))


@transaction.atomic
def trainee_request_create(
    *,
    last_name: str,
    first_name: str,
    postal_address: str,
    email: str,
    phone: str,
    employment_status: str,
    sessions: Iterable[TrainingSession],
    library: Library | None = None,
    structure_name: str = "",
) -> TraineeRequest:
    """Record a first-time trainee's request and e-mail it to whoever answers it.

    The form has validated the fields; this raises ``ValidationError`` only when neither a
    library nor a structure name is given, or no session is wished.
    """
    sessions = list(sessions)
    if library is None and not structure_name.strip():
        raise ValidationError(_("Indiquez votre bibliothèque ou le nom de votre structure."))
    if not sessions:
        raise ValidationError(_("Choisissez au moins une session."))
    trainee_request = TraineeRequest.objects.create(
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        postal_address=postal_address.strip(),
        email=email.strip(),
        phone=phone.strip(),
        employment_status=employment_status,
        library=library,
        structure_name="" if library else structure_name.strip(),
    )
    trainee_request.sessions.set(sessions)
    context = {
        "trainee_request": trainee_request,
        "sessions": sessions,
        "admin_url": absolute_url(reverse("admin:trainings_traineerequest_change", args=[trainee_request.pk])),
    }
    send_templated_email(
        kind=MailKind.TRAININGS,
        template="trainings/emails/request_to_staff",
        context=context,
        subject=_("[BDVO] Première inscription à confirmer : %(name)s") % {"name": trainee_request.full_name},
        to=trainee_request_recipients(trainee_request),
        reply_to=[trainee_request.email],
    )
    send_templated_email(
        kind=MailKind.TRAININGS,
        template="trainings/emails/request_received",
        context=context,
        subject=_("[BDVO] Votre demande d'inscription aux formations est bien reçue"),
        to=[trainee_request.email],
    )
    return trainee_request


@dataclass
class TraineeConfirmation:
    """What confirming a request did: the account, its registrations, the sessions that refused it."""

    trainee_request: TraineeRequest
    registrations: list[Registration] = field(default_factory=list)
    refused: list[tuple[TrainingSession, str]] = field(default_factory=list)
    already_done: bool = False


def _ensure_may_handle(*, by: User, library: Library | None) -> None:
    if by.is_superuser:
        return
    if library is None or not Library.objects.for_referent(by).filter(pk=library.pk).exists():
        raise PermissionDenied(_("Cette demande concerne une bibliothèque hors de vos territoires."))


@transaction.atomic
def trainee_request_confirm(
    *, trainee_request: TraineeRequest, by: User, library: Library | None = None
) -> TraineeConfirmation:
    """Create the person's partner account (Consulter) and register them to the wished sessions.

    Idempotent: a request already confirmed returns its existing account, never a second
    one. ``library`` is required when the request names a structure outside the portal.
    The account receives the set-password e-mail, then one e-mail per registration (full
    sessions → waiting list; closed ones are reported in ``refused``). Raises
    ``PermissionDenied`` outside the referent's territories and ``ValidationError`` when the
    request was declined, no library is known, or the e-mail already has an account.
    """
    trainee_request = TraineeRequest.objects.all_libraries().select_for_update().get(pk=trainee_request.pk)
    if trainee_request.status == TraineeRequest.Status.CONFIRMED:
        return TraineeConfirmation(trainee_request=trainee_request, already_done=True)
    if trainee_request.status == TraineeRequest.Status.DECLINED:
        raise ValidationError(_("Cette demande a déjà été refusée."), code="declined")
    library = library or trainee_request.library
    if library is None:
        raise ValidationError(
            _(
                "La structure de cette personne n'est pas une bibliothèque du portail : choisissez sa "
                "bibliothèque de rattachement, ou refusez la demande."
            ),
            code="library_required",
        )
    _ensure_may_handle(by=by, library=library)
    if User.objects.filter(email__iexact=trainee_request.email).exists():
        raise ValidationError(
            _(
                "Un compte du portail utilise déjà l'adresse %(email)s : la personne peut se connecter et "
                "s'inscrire elle-même. Refusez la demande en le lui indiquant."
            )
            % {"email": trainee_request.email},
            code="email_taken",
        )
    account = user_create(
        library=library,
        first_name=trainee_request.first_name,
        last_name=trainee_request.last_name,
        email=trainee_request.email,
        profile=User.Profile.VIEWER,
        phone=trainee_request.phone,
    )
    result = TraineeConfirmation(trainee_request=trainee_request)
    for session in trainee_request.sessions.select_related("training").order_by("starts_at"):
        try:
            with transaction.atomic():
                result.registrations.append(registration_create(session=session, user=account))
        except ValidationError as exc:
            result.refused.append((session, " ".join(exc.messages)))
    trainee_request.status = TraineeRequest.Status.CONFIRMED
    trainee_request.library = library
    trainee_request.created_account = account
    trainee_request.handled_by = by
    trainee_request.handled_at = timezone.now()
    trainee_request.save(update_fields=["status", "library", "created_account", "handled_by", "handled_at"])
    return result


@transaction.atomic
def trainee_request_decline(*, trainee_request: TraineeRequest, by: User, reason: str) -> TraineeRequest:
    """Decline a pending request and e-mail the reason to the person.

    Raises ``ValidationError`` without a reason or when the request was confirmed, and
    ``PermissionDenied`` outside the referent's territories. Declining twice changes nothing.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du refus : il est envoyé à la personne."), code="reason_required")
    trainee_request = (
        TraineeRequest.objects.all_libraries()
        .select_for_update(of=("self",))
        .select_related("library")
        .get(pk=trainee_request.pk)
    )
    _ensure_may_handle(by=by, library=trainee_request.library)
    if trainee_request.status == TraineeRequest.Status.DECLINED:
        return trainee_request
    if trainee_request.status == TraineeRequest.Status.CONFIRMED:
        raise ValidationError(_("Cette demande est déjà confirmée : son compte existe."), code="confirmed")
    trainee_request.status = TraineeRequest.Status.DECLINED
    trainee_request.decline_reason = reason
    trainee_request.handled_by = by
    trainee_request.handled_at = timezone.now()
    trainee_request.save(update_fields=["status", "decline_reason", "handled_by", "handled_at"])
    send_templated_email(
        kind=MailKind.TRAININGS,
        template="trainings/emails/request_declined",
        context={"trainee_request": trainee_request},
        subject=_("[BDVO] Votre demande d'inscription aux formations"),
        to=[trainee_request.email],
    )
    return trainee_request


@transaction.atomic
def trainee_request_purge(*, older_than_days: int = TraineeRequest.RETENTION_DAYS) -> int:
    """Delete requests received more than ``older_than_days`` days ago (privacy notice). Returns the count."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be positive")
    stale = TraineeRequest.objects.all_libraries().older_than(older_than_days)
    count = stale.count()
    stale.delete()
    return count


# --- Reminders ------------------------------------------------------------------------------

# Registered people are reminded of their session about this many days before it starts.
SESSION_REMINDER_DAYS = 7


def registration_send_session_reminders(*, now: datetime.datetime | None = None) -> int:
    """E-mail each registered person a reminder of their session about a week before it starts — once.

    Reminded: confirmed places (not the waiting list) in open sessions starting within
    ``SESSION_REMINDER_DAYS`` days, confirmed before that window opened (see
    ``RegistrationQuerySet.session_reminder_due``). Each registration is claimed by a
    conditional update of ``session_reminder_sent_at`` in its own transaction, so running this
    twice, or twice at once, sends one reminder; the e-mail leaves after that commit. Returns
    how many were queued. Run daily by Celery beat (``trainings.tasks.send_session_reminders``).
    """
    now = now or timezone.now()
    due = (
        Registration.objects.all_libraries()
        .session_reminder_due(now, SESSION_REMINDER_DAYS)
        .select_related("user", "session__training")
        .order_by("session__starts_at", "pk")
    )
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = (
                Registration.objects.all_libraries()
                .filter(pk=registration.pk, session_reminder_sent_at__isnull=True)
                .update(session_reminder_sent_at=timezone.now())
            )
            if not claimed or not registration.user.email:
                continue
            send_templated_email(
                kind=MailKind.TRAININGS,
                template="trainings/emails/session_reminder",
                context={
                    **_session_context(registration),
                    "can_cancel": registration.session.registrations_open(timezone.localdate(now)),
                },
                subject=_("[BDVO] Rappel : formation « %(title)s » le %(date)s")
                % {
                    "title": registration.session.training.title,
                    "date": _date(timezone.localtime(registration.session.starts_at)),
                },
                to=[registration.user.email],
            )
            sent += 1
    return sent
