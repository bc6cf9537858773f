"""Demo reservations in every state, and a renewed loan, made through the services the
libraries and the desks use (after ``catalogue.demo_loans``):

- two libraries waiting in line for a title whose copies are all lent (« En attente », ranks 1 and 2);
- a copy returned at the desk and set aside for the library waiting for it (« Mise de côté »);
- a copy on the shelf set aside at once for a new reservation (« Mise de côté »);
- a reservation delivered by a loan (« Livrée »), another cancelled with its reason (« Annulée »);
- a loan of Marines renewed once (« Prolongé »); the overdue loans come from ``demo_loans``.

Idempotent: nothing is done when the demo Gestionnaires' libraries already hold reservations.
"""

from __future__ import annotations

from typing import TextIO

from django.db.models import QuerySet
from django.utils import timezone

from catalogue.models import Item, Loan, Record, Reservation
from catalogue.services.loans import loan_create, loan_return
from catalogue.services.renewals import loan_renew
from catalogue.services.reservations import reservation_cancel, reservation_create
from extranet.models import Library, User

MARINES, GOUSSAINVILLE, VIGNY = "VDO-MARINES", "VDO-GOUSSAINVILLE", "VDO-VIGNY"


def _all_lent() -> QuerySet[Record]:
    """Titles whose every copy is on loan, one of them at Vigny, and nobody reserved yet."""
    return (
        Record.objects.filter(items__loans__library__code=VIGNY, items__loans__returned_on__isnull=True)
        .filter(reservations__isnull=True)
        .exclude(items__status__in=[Item.Status.AVAILABLE, Item.Status.SET_ASIDE])
        .distinct()
        .order_by("pk")
    )


def _on_the_shelf() -> QuerySet[Record]:
    """Titles with a copy available, and nobody reserved yet."""
    return (
        Record.objects.filter(items__status=Item.Status.AVAILABLE, reservations__isnull=True).distinct().order_by("pk")
    )


def load(stdout: TextIO) -> None:
    managers = {
        user.library.code: user
        for user in User.objects.filter(
            profile=User.Profile.MANAGER, is_active=True, library__code__in=[MARINES, GOUSSAINVILLE]
        )
        .select_related("library")
        .order_by("pk")
    }
    if set(managers) != {MARINES, GOUSSAINVILLE}:
        stdout.write("  réservations : Gestionnaires de démonstration absents, aucune réservation créée")
        return
    marines, goussainville = managers[MARINES], managers[GOUSSAINVILLE]
    if Reservation.objects.for_library(marines.library).exists():
        stdout.write("  réservations : déjà présentes")
        return
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("-is_superuser", "pk").first()
    vigny = Library.objects.filter(code=VIGNY).first()
    lent, shelf = list(_all_lent()[:2]), list(_on_the_shelf()[:3])
    if len(lent) < 2 or len(shelf) < 3 or vigny is None:
        stdout.write(
            "  réservations : catalogue ou prêts de démonstration insuffisants (lancez d'abord catalogue.demo)"
        )
        return

    # A queue: Goussainville first, then Marines, for a title lent out.
    reservation_create(record=lent[0], user=goussainville)
    reservation_create(record=lent[0], user=marines)
    # Marines waits for another lent title; one of its copies comes back at the desk.
    reservation_create(record=lent[1], user=marines)
    returned = (
        Loan.objects.all_libraries()
        .in_progress()
        .filter(item__record=lent[1], library=vigny)
        .select_related("item")
        .first()
    )
    if returned is not None:
        loan_return(barcode=returned.item.barcode, by=staff)
    # On the shelf: set aside at once for Goussainville.
    reservation_create(record=shelf[0], user=goussainville)
    # Delivered: Marines reserves a title on the shelf, the desk lends its copy.
    delivered = reservation_create(record=shelf[1], user=marines)
    if delivered.item is not None:
        loan_create(library=marines.library, barcode=delivered.item.barcode, by=staff)
    # Cancelled by the library, with its reason.
    cancelled = reservation_create(record=shelf[2], user=goussainville)
    reservation_cancel(reservation=cancelled, user=goussainville, reason="Document acheté entre-temps par la commune")

    renewed = (
        Loan.objects.for_library(marines.library)
        .in_progress()
        .filter(due_on__gte=timezone.localdate(), renewal_count=0)
        .order_by("due_on", "pk")
        .first()
    )
    if renewed is not None:
        loan_renew(loan=renewed, user=marines)
    counts = {
        label: Reservation.objects.all_libraries().filter(status=status).count()
        for status, label in Reservation.Status.choices
    }
    overdue = Loan.objects.all_libraries().overdue(timezone.localdate()).count()
    summary = ", ".join(f"{count} « {label} »" for label, count in counts.items())
    stdout.write(f"  réservations : {summary} ; {overdue} prêts en retard, 1 prêt prolongé")
