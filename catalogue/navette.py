"""What the catalogue sends with the navette: the documents set aside for a library's
reservations, on the day of the round that carries them (``Reservation.delivery_on``), and
what it brings back: the returns the library announced (``Loan.return_announced_for``).
Registered into the ground's navette plan (``extranet.navette_plan``), read by the staff plan
page and its export."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from catalogue.models import Loan, Reservation
from extranet.models import Library
from extranet.navette_plan import PlanLine, register_source


def document_lines(start: datetime.date, end: datetime.date, libraries: Sequence[Library]) -> list[PlanLine]:
    """One line per reservation of ``libraries`` set aside for a round of ``start``..``end``:
    its title, and the item to take from the shelf. One query."""
    by_pk = {library.pk: library for library in libraries}
    # The plan's libraries are the scope: the caller chose them for the staff member.
    reservations = (
        Reservation.objects.all_libraries()
        .filter(status=Reservation.Status.SET_ASIDE, delivery_on__range=(start, end), library_id__in=by_pk)
        .select_related("record", "item")
        .only("delivery_on", "library_id", "status", "record__title", "item__barcode", "item__call_number")
        .order_by("record__title", "pk")
    )
    lines = []
    for reservation in reservations:
        if reservation.delivery_on is None:  # filtered on a range: never, but typed so
            continue
        item = reservation.item
        detail = f"{item.barcode} — {item.call_number}".rstrip(" —") if item is not None else ""
        lines.append(
            PlanLine(
                day=reservation.delivery_on,
                library=by_pk[reservation.library_id],
                direction=PlanLine.DELIVER,
                kind="documents",
                item=reservation.record.title,
                detail=detail,
                status=reservation.get_status_display(),
            )
        )
    return lines


def return_lines(start: datetime.date, end: datetime.date, libraries: Sequence[Library]) -> list[PlanLine]:
    """One collection line per loan of ``libraries`` still in progress whose return was announced
    for a round of ``start``..``end``: its title, its barcode and call number. One query."""
    by_pk = {library.pk: library for library in libraries}
    # The plan's libraries are the scope: the caller chose them for the staff member.
    loans = (
        Loan.objects.all_libraries()
        .in_progress()
        .filter(return_announced_for__range=(start, end), library_id__in=by_pk)
        .select_related("item__record")
        .only("return_announced_for", "library_id", "item__barcode", "item__call_number", "item__record__title")
        .order_by("item__record__title", "pk")
    )
    lines = []
    for loan in loans:
        if loan.return_announced_for is None:  # filtered on a range: never, but typed so
            continue
        lines.append(
            PlanLine(
                day=loan.return_announced_for,
                library=by_pk[loan.library_id],
                direction=PlanLine.COLLECT,
                kind="documents",
                item=loan.item.record.title,
                detail=f"{loan.item.barcode} — {loan.item.call_number}".rstrip(" —"),
                status=str(_("Retour annoncé")),
            )
        )
    return lines


register_source("reservations", _("Documents réservés mis de côté"), document_lines, order=20)
register_source("returns", _("Retours annoncés"), return_lines, order=30)
