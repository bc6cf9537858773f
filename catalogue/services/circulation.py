"""Where items meet reservations: set aside, delivered with a loan, released.

A title's waiting reservations (« En attente ») are served in order (``created_at``, then
``pk``): whenever an item of the title is free — returned at the desk, released by a
cancelled reservation, already on the shelf when a reservation is made — it is set aside
(« Mise de côté ») for the first reservation in line, with the navette round that will
carry it, and the library's Gestionnaires are e-mailed. Lending an item of the title to a
library fulfils that library's open reservation (« Livrée »).

Concurrency: every function here runs inside the caller's transaction after
``lock_title`` (or ``lock_item``, which takes the title first), so two desks working on
items of one title at the same moment are serialised on the title's row. The locks are
always taken in the same order — title, item, loan, reservation — so they cannot deadlock;
the partial unique constraints ``reservation_item_set_aside_once`` and
``reservation_one_active_per_library_record`` are the last line of defence.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Item, Loan, Record, Reservation
from extranet import navette
from extranet.mail import MailKind, absolute_url, send_templated_email
from extranet.models import Library, User
from extranet.navette import format_day


def planned_delivery_on(library: Library, at: datetime.datetime | None = None) -> datetime.date | None:
    """The day of the navette round that carries a document set aside for ``library`` at ``at``
    (now by default): its first round whose cut-off is still to come (``extranet.navette``),
    or ``None`` when no round is planned for it within a year."""
    round_ = navette.next_round(library, at or timezone.now())
    return round_.day if round_ is not None else None


# --- locks ---------------------------------------------------------------------------------------


def lock_title(record_id: int) -> None:
    """Lock the record's row until the transaction ends: the one lock every change of the
    title's items and reservations takes first."""
    list(Record.objects.select_for_update().filter(pk=record_id).values_list("pk", flat=True))


def lock_item(barcode: str) -> Item | None:
    """The item with ``barcode`` locked after its title (``None`` when unknown)."""
    record_id = Item.objects.filter(barcode=barcode).values_list("record_id", flat=True).first()
    if record_id is None:
        return None
    lock_title(record_id)
    return Item.objects.select_for_update().filter(barcode=barcode).first()


# --- the desk's questions ------------------------------------------------------------------------


def holding_reservation(item: Item) -> Reservation | None:
    """The reservation ``item`` is set aside for, with its library, or ``None``."""
    return Reservation.objects.all_libraries().holding(item).select_related("library").first()


def check_item_may_go_to(item: Item, library: Library, *, by: User | None = None) -> None:
    """Refuse (``ValidationError``, French) to lend ``item`` to ``library`` when it is set aside
    for another library's reservation. That library is named only to staff who manage it
    (``by``: ``None`` for the BDVO's own data loading)."""
    if item.status != Item.Status.SET_ASIDE:
        return
    reservation = holding_reservation(item)
    if reservation is None or reservation.library_id == library.pk:
        return
    if by is not None and not by.manages_library(reservation.library_id):
        raise ValidationError(
            _(
                "L'exemplaire %(barcode)s est mis de côté pour la réservation d'une bibliothèque hors de vos "
                "territoires : il ne peut pas être prêté à une autre."
            )
            % {"barcode": item.barcode}
        )
    raise ValidationError(
        _(
            "L'exemplaire %(barcode)s est mis de côté pour %(library)s (réservation du %(date)s) : "
            "prêtez-le à cette bibliothèque, ou annulez d'abord sa réservation."
        )
        % {
            "barcode": item.barcode,
            "library": reservation.library.name,
            "date": timezone.localtime(reservation.created_at).strftime("%d/%m/%Y"),
        }
    )


# --- serving the queue ---------------------------------------------------------------------------


def serve_waiting(record_id: int) -> list[Reservation]:
    """Set aside each free item of the title for the next waiting reservation, in order.

    The title must be locked (``lock_title``). Returns the reservations set aside (their
    libraries' Gestionnaires are e-mailed after commit)."""
    items = list(
        Item.objects.select_for_update().filter(record_id=record_id, status=Item.Status.AVAILABLE).order_by("pk")
    )
    if not items:
        return []
    waiting = list(
        Reservation.objects.all_libraries()
        .waiting()
        .filter(record_id=record_id)
        .select_related("library", "record")
        .select_for_update(of=("self",))[: len(items)]
    )
    for reservation, item in zip(waiting, items, strict=False):
        _keep(item, reservation)
    return waiting


def _keep(item: Item, reservation: Reservation) -> None:
    reservation.status = Reservation.Status.SET_ASIDE
    reservation.item = item
    reservation.delivery_on = planned_delivery_on(reservation.library)
    reservation.set_aside_at = reservation.status_changed_at = timezone.now()
    reservation.save(update_fields=["status", "item", "delivery_on", "set_aside_at", "status_changed_at"])
    item.status = Item.Status.SET_ASIDE
    item.save(update_fields=["status"])
    notify_set_aside(reservation)


def set_aside(reservation: Reservation) -> Reservation:
    """Set a free item of the title aside for ``reservation`` (locked, « En attente »), out of
    turn: BDVO staff's decision. Raises ``ValidationError`` (French) when no item is free."""
    item = (
        Item.objects.select_for_update()
        .filter(record_id=reservation.record_id, status=Item.Status.AVAILABLE)
        .order_by("pk")
        .first()
    )
    if item is None:
        raise ValidationError(
            _(
                "Aucun exemplaire de ce titre n'est disponible : la réservation sera mise de côté "
                "au retour du premier exemplaire, à son tour."
            )
        )
    _keep(item, reservation)
    return reservation


def release(item_id: int) -> list[Reservation]:
    """The item set aside for a reservation that no longer needs it (cancelled, or served by
    another item): free again, it goes to the next reservation in line. Title locked."""
    item = Item.objects.select_for_update().get(pk=item_id)
    if item.status != Item.Status.SET_ASIDE:
        return []
    item.status = Item.Status.AVAILABLE
    item.save(update_fields=["status"])
    return serve_waiting(item.record_id)


def fulfil_with_loan(loan: Loan) -> Reservation | None:
    """The loan just made (title and item locked) delivers the library's open reservation of
    the title, if any: « Livrée », with the loan and the item lent. An item that was set aside
    for it and is not the one lent is released for the next library in line."""
    reservation = (
        Reservation.objects.for_library(loan.library_id)
        .active()
        .filter(record_id=loan.item.record_id)
        .select_for_update()
        .first()
    )
    if reservation is None:
        return None
    kept_item_id = reservation.item_id if reservation.status == Reservation.Status.SET_ASIDE else None
    now = timezone.now()
    reservation.status = Reservation.Status.FULFILLED
    reservation.item = loan.item
    reservation.loan = loan
    reservation.fulfilled_at = reservation.status_changed_at = now
    reservation.save(update_fields=["status", "item", "loan", "fulfilled_at", "status_changed_at"])
    if kept_item_id is not None and kept_item_id != loan.item_id:
        release(kept_item_id)
    return reservation


# --- e-mails to the library ----------------------------------------------------------------------


def notify_set_aside(reservation: Reservation) -> None:
    """E-mail the library's active Gestionnaires that ``reservation`` is set aside, with the
    navette round that brings it."""
    send_templated_email(
        kind=MailKind.DOCUMENTS,
        template="catalogue/emails/reservation_set_aside",
        context={
            "reservation": reservation,
            "round_day": format_day(reservation.delivery_on) if reservation.delivery_on else "",
            "reservations_url": absolute_url(reverse("extranet:reservations")),
        },
        subject=_("[BDVO] Réservation mise de côté : « %(title)s »") % {"title": reservation.record.title},
        to=list(reservation.library.active_managers().values_list("email", flat=True)),
    )


def notify_cancelled(reservation: Reservation) -> None:
    """E-mail the library's active Gestionnaires that ``reservation`` is cancelled, and why."""
    send_templated_email(
        kind=MailKind.DOCUMENTS,
        template="catalogue/emails/reservation_cancelled",
        context={"reservation": reservation, "reservations_url": absolute_url(reverse("extranet:reservations"))},
        subject=_("[BDVO] Réservation annulée : « %(title)s »") % {"title": reservation.record.title},
        to=list(reservation.library.active_managers().values_list("email", flat=True)),
    )
