"""Document reservations: a partner library asks for a record, and may cancel it.

Statuses go « En attente » (``pending``) → « Mise de côté » (``set_aside``) → « Livrée »
(``fulfilled``), or « Annulée » (``cancelled``, with a reason) from either open status. How
items meet reservations (set aside in order, delivered by a loan, released) is
``catalogue.services.circulation``. A library holds at most one open reservation per
record: the partial unique constraint ``reservation_one_active_per_library_record`` enforces
it, and its violation is reported in French instead of a server error.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Record, Reservation
from catalogue.services import circulation
from extranet.models import User


def reservation_refusal(*, user: User) -> str:
    """Why ``user`` may not reserve documents, in French; empty string when they may.

    Used by the record page to show the reason instead of the "Réserver" button, and by
    ``reservation_create`` which refuses with the same words.
    """
    if not user.is_authenticated:
        return _("Connectez-vous avec le compte de votre bibliothèque pour réserver ce document.")
    if not user.is_active:
        return _("Ce compte est désactivé.")
    if not user.is_partner or user.library is None:
        return _(
            "Les réservations sont faites par les bibliothèques partenaires. "
            "Les personnels de la BDVO traitent les demandes dans l'administration."
        )
    if not user.library.is_active:
        return _("Cette bibliothèque n'est plus active sur le portail. Contactez votre référent·e.")
    if not user.is_manager:
        return _(
            "Votre profil « Consulter » permet de consulter le catalogue, pas de réserver. "
            "Demandez à un·e Gestionnaire de votre bibliothèque."
        )
    return ""


def _duplicate_message() -> str:
    return _(
        "Votre bibliothèque a déjà une réservation en cours pour ce document. "
        "Retrouvez-la dans l'espace professionnel, rubrique « Réservations »."
    )


def reservation_create(*, record: Record, user: User) -> Reservation:
    """Reserve ``record`` for the library of ``user`` (a Gestionnaire of an active library).

    The reservation starts « En attente » with today's date and the user who asked, and is
    set aside at once when an item of the title is free and nobody is ahead of it (see
    ``circulation.serve_waiting``). Raises ``PermissionDenied`` (French reason of
    ``reservation_refusal``) for anyone else, and ``ValidationError`` (French) when the
    library already holds an open reservation of this record.
    """
    refusal = reservation_refusal(user=user)
    if refusal or user.library_id is None:  # an account without a library always has a refusal
        raise PermissionDenied(refusal)
    if Reservation.objects.for_library(user.library_id).active().filter(record=record).exists():
        raise ValidationError(_duplicate_message(), code="duplicate")
    try:
        with transaction.atomic():
            circulation.lock_title(record.pk)
            reservation = Reservation.objects.create(
                record=record,
                library_id=user.library_id,
                created_by=user,
                status=Reservation.Status.PENDING,
                status_changed_at=timezone.now(),
            )
            served = circulation.serve_waiting(record.pk)
    except IntegrityError as exc:
        # A concurrent request of the same library committed first.
        if Reservation.objects.for_library(user.library_id).active().filter(record=record).exists():
            raise ValidationError(_duplicate_message(), code="duplicate") from exc
        raise
    return next((other for other in served if other.pk == reservation.pk), reservation)


def reservation_cancel(*, reservation: Reservation, user: User, reason: str = "") -> Reservation:
    """Cancel ``reservation`` (« Annulée »), asked by a Gestionnaire of its library or BDVO staff.

    ``reason`` is kept and e-mailed to the library's Gestionnaires; by default « Annulée par
    la bibliothèque » (a partner) or « Annulée par la BDVO » (staff), with the person's name.
    An item set aside for it goes to the next reservation of the title, or back on the shelf.
    Raises ``PermissionDenied`` (French) unless ``user.may_act_for`` the reservation's library
    (a Consulter, another library's account, an inactive account or library), and
    ``ValidationError`` (French) when the reservation is no longer open (delivered or cancelled).
    """
    if not (user.is_authenticated and user.may_act_for(reservation.library_id)):
        refusal = reservation_refusal(user=user)
        raise PermissionDenied(refusal or _("Cette réservation appartient à une autre bibliothèque."))
    reason = reason.strip() or _default_reason(user)
    with transaction.atomic():
        circulation.lock_title(reservation.record_id)
        current = _locked(reservation)
        if current.status not in Reservation.ACTIVE_STATUSES:
            raise ValidationError(
                _("Cette réservation est déjà « %(status)s » : elle ne peut plus être annulée.")
                % {"status": current.get_status_display()},
                code="status",
            )
        kept_item_id = current.item_id if current.status == Reservation.Status.SET_ASIDE else None
        current.status = Reservation.Status.CANCELLED
        current.cancelled_at = current.status_changed_at = timezone.now()
        current.cancellation_reason = reason[:255]
        current.save(update_fields=["status", "cancelled_at", "status_changed_at", "cancellation_reason"])
        circulation.notify_cancelled(current)
        if kept_item_id is not None:
            circulation.release(kept_item_id)
    return _mirrored(reservation, current)


def reservation_set_aside(*, reservation: Reservation, user: User) -> Reservation:
    """BDVO staff: set a free item of the title aside for ``reservation`` now, out of turn
    (e.g. an item made available in the administration).

    Raises ``PermissionDenied`` for non-staff, and ``ValidationError`` (French) unless the
    reservation is « En attente » and an item of the title is free.
    """
    _require_staff(user, reservation)
    with transaction.atomic():
        circulation.lock_title(reservation.record_id)
        current = _locked(reservation)
        if current.status != Reservation.Status.PENDING:
            raise ValidationError(
                _("Seule une réservation « En attente » peut être mise de côté (statut actuel : « %(status)s »).")
                % {"status": current.get_status_display()},
                code="status",
            )
        circulation.set_aside(current)
    return _mirrored(reservation, current)


def _mirrored(reservation: Reservation, current: Reservation) -> Reservation:
    """``reservation`` (the caller's instance) updated to ``current`` (the row just saved)."""
    for field in ("status", "status_changed_at", "item_id", "delivery_on", "set_aside_at", "cancelled_at"):
        setattr(reservation, field, getattr(current, field))
    reservation.cancellation_reason = current.cancellation_reason
    return reservation


def _default_reason(user: User) -> str:
    if user.is_staff:
        return _("Annulée par la BDVO (%(name)s)") % {"name": user.get_full_name() or user.get_username()}
    return _("Annulée par la bibliothèque (%(name)s)") % {"name": user.get_full_name() or user.get_username()}


def _require_staff(user: User, reservation: Reservation) -> None:
    """BDVO staff who manage the reservation's library (a referent: their territories' libraries)."""
    if not (user.is_active and user.is_staff):
        raise PermissionDenied(_("Seuls les personnels de la BDVO traitent les réservations."))
    if not user.manages_library(reservation.library_id):
        raise PermissionDenied(
            _(
                "Cette bibliothèque n'est pas dans vos territoires : ses référent·es ou le personnel BDVO "
                "de tout le réseau traitent ses réservations."
            )
        )


def _locked(reservation: Reservation) -> Reservation:
    return (
        Reservation.objects.for_library(reservation.library_id)
        .select_for_update(of=("self",))
        .select_related("library", "record")
        .get(pk=reservation.pk)
    )
