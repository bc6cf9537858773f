"""Document reservations: a partner library asks for a record, BDVO staff process the request.

Statuses go ``pending`` (en attente) → ``available`` (disponible) → ``fulfilled``
(satisfaite), or ``cancelled`` (annulée) from either active status. A library holds at most
one active (pending or available) reservation per record: the partial unique constraint
``reservation_one_active_per_library_record`` enforces it, and its violation is reported in
French instead of a server error.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Record, Reservation
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

    The reservation starts "en attente" with today's date and the user who asked.
    Raises ``PermissionDenied`` (French reason of ``reservation_refusal``) for anyone else,
    and ``ValidationError`` (French) when the library already holds an active reservation
    of this record.
    """
    refusal = reservation_refusal(user=user)
    if refusal or user.library_id is None:  # an account without a library always has a refusal
        raise PermissionDenied(refusal)
    if Reservation.objects.for_library(user.library_id).active().filter(record=record).exists():
        raise ValidationError(_duplicate_message(), code="duplicate")
    try:
        with transaction.atomic():
            return Reservation.objects.create(
                record=record,
                library_id=user.library_id,
                created_by=user,
                status=Reservation.Status.PENDING,
                status_changed_at=timezone.now(),
            )
    except IntegrityError as exc:
        # A concurrent request of the same library committed first.
        if Reservation.objects.for_library(user.library_id).active().filter(record=record).exists():
            raise ValidationError(_duplicate_message(), code="duplicate") from exc
        raise


def reservation_cancel(*, reservation: Reservation, user: User) -> Reservation:
    """Cancel ``reservation`` (status "annulée"), asked by a Gestionnaire of its library or BDVO staff.

    Raises ``PermissionDenied`` (French) unless ``user.may_act_for`` the reservation's library
    (a Consulter, another library's account, an inactive account or library), and
    ``ValidationError`` (French) when the reservation is no longer active (already satisfied
    or cancelled).
    """
    if not (user.is_authenticated and user.may_act_for(reservation.library_id)):
        refusal = reservation_refusal(user=user)
        raise PermissionDenied(refusal or _("Cette réservation appartient à une autre bibliothèque."))
    return _change_status(
        reservation,
        to=Reservation.Status.CANCELLED,
        allowed_from=Reservation.ACTIVE_STATUSES,
        refusal=_("Cette réservation est déjà « %(status)s » : elle ne peut plus être annulée."),
    )


def reservation_mark_available(*, reservation: Reservation, user: User) -> Reservation:
    """BDVO staff: the document is set aside for the library (status "disponible").

    Raises ``PermissionDenied`` for non-staff and for staff who do not manage the library
    (``User.manages_library``), ``ValidationError`` unless pending.
    """
    _require_staff(user, reservation)
    return _change_status(
        reservation,
        to=Reservation.Status.AVAILABLE,
        allowed_from=(Reservation.Status.PENDING,),
        refusal=_("Seule une réservation « En attente » peut devenir disponible (statut actuel : « %(status)s »)."),
    )


def reservation_mark_fulfilled(*, reservation: Reservation, user: User) -> Reservation:
    """BDVO staff: the document left for the library (status "satisfaite").

    Raises ``PermissionDenied`` for non-staff and for staff who do not manage the library,
    ``ValidationError`` unless active.
    """
    _require_staff(user, reservation)
    return _change_status(
        reservation,
        to=Reservation.Status.FULFILLED,
        allowed_from=Reservation.ACTIVE_STATUSES,
        refusal=_("Cette réservation est déjà « %(status)s » : elle ne peut plus être satisfaite."),
    )


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


def _change_status(reservation: Reservation, *, to: str, allowed_from: tuple[str, ...], refusal: str) -> Reservation:
    with transaction.atomic():
        current = Reservation.objects.for_library(reservation.library_id).select_for_update().get(pk=reservation.pk)
        if current.status not in allowed_from:
            raise ValidationError(refusal % {"status": current.get_status_display()}, code="status")
        reservation.status = to
        reservation.status_changed_at = timezone.now()
        reservation.save(update_fields=["status", "status_changed_at"])
    return reservation
