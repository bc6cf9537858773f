"""Booking workflow of the animation tools: request, then the BDVO's decisions.

demandée → validée | refusée (reason); validée → sortie (en prêt) → retournée → vérifiée;
the library may cancel while the tool is not out. Every status change e-mails the
library's active Gestionnaires (after commit, through ``extranet.mail.send_templated_email``).

Each service raises ``ValidationError`` with a French message saying which rule refused
and what to do, and ``PermissionDenied`` when the user may not take the action (the staff's
decisions: BDVO staff who manage the booking's library, ``User.manages_library``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from animation_tools import rules
from animation_tools.conf import booking_settings
from animation_tools.models import Tool, ToolBooking
from extranet.mail import MailKind, absolute_url, send_templated_email
from extranet.models import Library, User

Status = ToolBooking.Status


def _require_staff(user: User, booking: ToolBooking) -> None:
    """BDVO staff who manage the booking's library (a referent: their territories' libraries)."""
    if not (user.is_active and user.is_staff):
        raise PermissionDenied(_("Seuls les personnels de la BDVO peuvent faire ce changement."))
    if not user.manages_library(booking.library_id):
        raise PermissionDenied(_territory_refusal())


def _territory_refusal() -> str:
    return _(
        "Cette bibliothèque n'est pas dans vos territoires : ses référent·es ou le personnel BDVO "
        "de tout le réseau traitent ses pré-réservations."
    )


def _require_status(booking: ToolBooking, allowed: tuple[str, ...], action: str) -> None:
    if booking.status not in allowed:
        expected = " ou ".join(f"« {Status(status).label} »" for status in allowed)
        raise ValidationError(
            _(
                "Changement impossible : cette pré-réservation est « %(status)s » ; on ne peut %(action)s qu'une pré-réservation %(expected)s."
            )
            % {"status": booking.get_status_display(), "action": action, "expected": expected}
        )


def _locked(booking: ToolBooking) -> ToolBooking:
    """The booking re-read under a row lock, so two staff clicks cannot both apply."""
    return (
        ToolBooking.objects.for_library(booking.library_id)
        .select_for_update()
        .select_related("tool", "library")
        .get(pk=booking.pk)
    )


def _library_bookings_url() -> str:
    return absolute_url(reverse("animation_tools:library_bookings"))


def _notify(booking: ToolBooking, *, extra: str = "") -> None:
    """E-mail the library's active Gestionnaires about the booking's new status."""
    send_templated_email(
        kind=MailKind.TOOLS,
        template="animation_tools/emails/booking_status",
        context={"booking": booking, "extra": extra, "bookings_url": _library_bookings_url()},
        subject=_("[BDVO] Outil « %(tool)s » : pré-réservation %(status)s")
        % {"tool": booking.tool.name, "status": booking.get_status_display()},
        to=list(booking.library.active_managers().values_list("email", flat=True)),
    )


def _notify_referents(booking: ToolBooking) -> None:
    """Tell the referents of the library's territory that a request waits for a decision.

    Their replies go to the person who asked (the BDVO contact when unknown)."""
    requester = booking.requested_by
    send_templated_email(
        kind=MailKind.TOOLS,
        template="animation_tools/emails/booking_to_review",
        context={
            "booking": booking,
            "requested_by_label": f"{requester.get_full_name() or requester.username} <{requester.email}>"
            if requester
            else "",
            "admin_url": absolute_url(reverse("admin:animation_tools_toolbooking_change", args=[booking.pk])),
        },
        subject=_("[BDVO] Pré-réservation à valider : %(tool)s") % {"tool": booking.tool.name},
        to=list(booking.library.referents().values_list("email", flat=True)),
        reply_to=[requester.email] if requester and requester.email else None,
    )


@transaction.atomic
def booking_request(
    *,
    tool: Tool,
    library: Library,
    user: User,
    loan_date: datetime.date,
    return_date: datetime.date,
    today: datetime.date | None = None,
    override_reason: str = "",
    self_collect: bool = False,
) -> ToolBooking:
    """Pre-book ``tool`` for ``library`` (status « demandée »), checking every rule of ``rules``.

    ``self_collect``: the library collects the tool at the BDVO and brings it back itself (its
    dates are then BDVO open days rather than days of its navette rounds).

    ``user`` may act for ``library`` (``User.may_act_for``: a Gestionnaire of the active
    library, or BDVO staff who manage it); staff may give an
    ``override_reason`` to set aside the lead time (rule 2). The library's Gestionnaires are
    e-mailed, and for a partner's request the territory's referents too. Raises ``ValidationError``
    listing the French refusals, ``PermissionDenied`` for anyone else.

    No two active bookings of one tool overlap, even when requests arrive together: on
    SQLite this transaction takes the write lock at its start (``transaction_mode=IMMEDIATE``)
    so the check and the insert are serialised; on PostgreSQL the exclusion constraint
    refuses the second insert, turned here into the same French refusal. Requests of one
    library are serialised by a lock on its row, so that the convention total (rule 3) sees
    every booking already made.
    """
    if not user.may_act_for(library):
        if user.is_active and user.is_staff:
            raise PermissionDenied(_territory_refusal())
        raise PermissionDenied(_("Seul·e un·e Gestionnaire de la bibliothèque peut pré-réserver un outil."))
    override_reason = override_reason.strip()
    if override_reason and not user.is_staff:
        raise PermissionDenied(_("Seuls les personnels de la BDVO peuvent accorder une dérogation."))
    today = today or timezone.localdate()
    # One booking request of a library at a time: rule 3 adds up the library's overlapping
    # bookings across tools, which two simultaneous requests must not both miss (PostgreSQL;
    # SQLite already serialises the whole transaction).
    list(Library.objects.select_for_update().filter(pk=library.pk).values_list("pk", flat=True))
    verdict = rules.check_booking(
        tool=tool,
        library=library,
        loan_date=loan_date,
        return_date=return_date,
        today=today,
        override=bool(override_reason),
        self_collect=self_collect,
    )
    if not verdict.accepted:
        raise ValidationError(verdict.messages)
    booking = ToolBooking(
        tool=tool,
        library=library,
        requested_by=user,
        loan_date=loan_date,
        return_date=return_date,
        self_collect=self_collect,
        blocked_until=verdict.blocked_until,
        convention_required=verdict.convention_required,
        rules_overridden=bool(override_reason),
        override_reason=override_reason,
        overridden_by=user if override_reason else None,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        raise ValidationError(rules.overlap_message()) from exc
    extra = ""
    if booking.convention_required:
        extra = _(
            "Une convention de prêt est nécessaire (%(reason)s). Téléchargez-la depuis votre espace professionnel, "
            "faites-la signer et renvoyez-la à la BDVO : l'outil ne peut pas partir sans elle."
        ) % {"reason": verdict.convention_reason}
    _notify(booking, extra=extra)
    if not user.is_staff:
        _notify_referents(booking)
    return booking


@transaction.atomic
def booking_validate(*, booking: ToolBooking, user: User) -> ToolBooking:
    """Staff accept a « demandée » booking: its dates become the ones the navette follows."""
    _require_staff(user, booking)
    booking = _locked(booking)
    _require_status(booking, (Status.REQUESTED,), _("valider"))
    booking.status = Status.VALIDATED
    booking.save(update_fields=["status", "updated_at"])
    _notify(booking)
    return booking


@transaction.atomic
def booking_refuse(*, booking: ToolBooking, user: User, reason: str) -> ToolBooking:
    """Staff refuse a « demandée » booking; ``reason`` (required) is sent to the library."""
    _require_staff(user, booking)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Motif manquant : indiquez à la bibliothèque pourquoi la pré-réservation est refusée."))
    booking = _locked(booking)
    _require_status(booking, (Status.REQUESTED,), _("refuser"))
    booking.status = Status.REFUSED
    booking.refusal_reason = reason
    booking.save(update_fields=["status", "refusal_reason", "updated_at"])
    _notify(booking, extra=_("Motif du refus : %(reason)s") % {"reason": reason})
    return booking


@transaction.atomic
def booking_cancel(*, booking: ToolBooking, user: User) -> ToolBooking:
    """The library (a Gestionnaire) or staff cancel a booking while the tool is not out."""
    if not user.may_act_for(booking.library_id):
        raise PermissionDenied(_("Seul·e un·e Gestionnaire de la bibliothèque peut annuler cette pré-réservation."))
    booking = _locked(booking)
    if booking.status in (Status.OUT, Status.RETURNED, Status.CHECKED):
        raise ValidationError(
            _(
                "Annulation impossible : l'outil est déjà parti (« %(status)s »). Contactez la BDVO pour organiser son retour."
            )
            % {"status": booking.get_status_display()}
        )
    _require_status(booking, (Status.REQUESTED, Status.VALIDATED), _("annuler"))
    booking.status = Status.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    _notify(booking)
    return booking


@transaction.atomic
def booking_mark_out(*, booking: ToolBooking, user: User) -> ToolBooking:
    """The tool leaves the BDVO. A booking that needs a convention cannot go out without it."""
    _require_staff(user, booking)
    booking = _locked(booking)
    _require_status(booking, (Status.VALIDATED,), _("faire sortir"))
    if booking.convention_required and booking.convention_returned_on is None:
        raise ValidationError(
            _(
                "Convention manquante : cet outil ne peut pas sortir tant que la convention signée n'est pas revenue à la BDVO. "
                "Enregistrez la date de retour de la convention signée, ou relancez la bibliothèque."
            )
        )
    booking.status = Status.OUT
    booking.save(update_fields=["status", "updated_at"])
    _notify(booking)
    return booking


@transaction.atomic
def booking_mark_returned(*, booking: ToolBooking, user: User) -> ToolBooking:
    """The tool is back at the BDVO (it still has to be checked)."""
    _require_staff(user, booking)
    booking = _locked(booking)
    _require_status(booking, (Status.OUT,), _("marquer comme retournée"))
    booking.status = Status.RETURNED
    booking.save(update_fields=["status", "updated_at"])
    _notify(booking)
    return booking


@transaction.atomic
def booking_mark_checked(*, booking: ToolBooking, user: User) -> ToolBooking:
    """The returned tool has been checked: the loan is over."""
    _require_staff(user, booking)
    booking = _locked(booking)
    _require_status(booking, (Status.RETURNED,), _("marquer comme vérifiée"))
    booking.status = Status.CHECKED
    booking.save(update_fields=["status", "updated_at"])
    _notify(booking)
    return booking


@transaction.atomic
def booking_record_convention(*, booking: ToolBooking, user: User, returned_on: datetime.date) -> ToolBooking:
    """Staff record the day the signed convention came back (not a status change: no e-mail)."""
    _require_staff(user, booking)
    booking = _locked(booking)
    if not booking.convention_required:
        raise ValidationError(_("Pas de convention pour cette pré-réservation : il n'y a rien à enregistrer."))
    if not booking.is_active:
        raise ValidationError(
            _("Cette pré-réservation est « %(status)s » : sa convention n'a plus d'objet.")
            % {"status": booking.get_status_display()}
        )
    booking.convention_returned_on = returned_on
    booking.save(update_fields=["convention_returned_on", "updated_at"])
    return booking


@transaction.atomic
def booking_override(*, booking: ToolBooking, user: User, reason: str, waive_convention: bool = False) -> ToolBooking:
    """Staff grant an exception to rules 2 (lead time) and, with ``waive_convention``, 3 (convention).

    The reason and the staff member are recorded on the booking. Only bookings not yet out.
    """
    _require_staff(user, booking)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Motif manquant : une dérogation aux règles doit être justifiée."))
    booking = _locked(booking)
    _require_status(booking, (Status.REQUESTED, Status.VALIDATED), _("accorder une dérogation à"))
    booking.rules_overridden = True
    booking.override_reason = reason
    booking.overridden_by = user
    if waive_convention:
        booking.convention_required = False
    booking.save(
        update_fields=["rules_overridden", "override_reason", "overridden_by", "convention_required", "updated_at"]
    )
    return booking


@transaction.atomic
def calendar_link_renew(*, library: Library, user: User) -> Library:
    """End the library's current iCalendar feed link and make a new one (a leaked link).

    Only a Gestionnaire of the library (or BDVO staff) may; raises ``PermissionDenied``."""
    if not user.may_act_for(library):
        raise PermissionDenied(_("Seul·e un·e Gestionnaire de la bibliothèque peut renouveler le lien d'agenda."))
    Library.objects.filter(pk=library.pk).update(calendar_link_version=F("calendar_link_version") + 1)
    library.refresh_from_db(fields=["calendar_link_version"])
    return library


def booking_send_return_reminders(*, today: datetime.date | None = None) -> int:
    """E-mail the Gestionnaires of each library whose borrowed tool is due back within
    ``RETURN_REMINDER_DAYS`` (settings ``ANIMATION_TOOLS``) — once per booking. Returns how many
    e-mails were queued (a library without an active Gestionnaire is marked reminded, nobody to tell).

    A booking is reminded when validated or out, its loan date reached and its return date
    between ``today`` and ``today + RETURN_REMINDER_DAYS``. Each booking is claimed by a
    conditional update of ``return_reminder_sent_at`` in its own transaction, so running
    this twice, or twice at once, sends one reminder; the e-mail leaves after that commit.
    Run daily by Celery beat (``animation_tools.tasks.send_tool_return_reminders``).
    """
    today = today or timezone.localdate()
    due = (
        ToolBooking.objects.all_libraries()
        .return_reminder_due(today, booking_settings().return_reminder_days)
        .select_related("tool", "library")
        .order_by("return_date", "pk")
    )
    sent = 0
    for booking in due:
        with transaction.atomic():
            claimed = (
                ToolBooking.objects.all_libraries()
                .filter(pk=booking.pk, return_reminder_sent_at__isnull=True)
                .update(return_reminder_sent_at=timezone.now())
            )
            recipients = [email for email in booking.library.active_managers().values_list("email", flat=True) if email]
            if not claimed or not recipients:
                continue
            send_templated_email(
                kind=MailKind.TOOLS,
                template="animation_tools/emails/return_reminder",
                context={"booking": booking, "bookings_url": _library_bookings_url()},
                subject=_("[BDVO] Rappel : outil « %(tool)s » à rendre le %(date)s")
                % {"tool": booking.tool.name, "date": rules.format_date(booking.return_date)},
                to=recipients,
            )
            sent += 1
    return sent
