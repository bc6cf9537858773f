"""Demo loans: items of the demo catalogue lent to the demo libraries on the navette dates
of the last months, some already returned. Made through the same services as the staff
lending page. Idempotent: an item already lent to its planned library is left alone."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.core.exceptions import ValidationError
from django.utils import timezone

from catalogue.models import Item, Loan
from catalogue.services.loans import loan_create, loan_return
from extranet.models import Library, User

# Library code → number of items it borrows.
PLAN = [
    ("VDO-MARINES", 70),
    ("VDO-GOUSSAINVILLE", 45),
    ("VDO-VIGNY", 20),
    ("VDO-CHARS", 15),
    ("VDO-LOUVRES", 15),
    ("VDO-LUZARCHES", 10),
]
# Navette rounds: days before today.
ROUNDS = [8, 22, 43, 71, 104, 150]
RETURN_AFTER_DAYS = 63


def load(stdout: TextIO) -> None:
    libraries = {library.code: library for library in Library.objects.filter(code__in=[code for code, _ in PLAN])}
    # Items set aside for a reservation (demo_reservations) keep their place in the plan.
    lendable = [Item.Status.AVAILABLE, Item.Status.ON_LOAN, Item.Status.SET_ASIDE]
    items = list(Item.objects.filter(status__in=lendable).order_by("barcode"))
    if not items:
        stdout.write("  prêts : catalogue de démonstration vide, aucun prêt créé (lancez d'abord catalogue.demo)")
        return
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("-is_superuser", "pk").first()
    today = timezone.localdate()
    created = returned = skipped = 0
    position = 0
    for code, count in PLAN:
        library = libraries.get(code)
        if library is None:
            continue
        for index in range(count):
            if position >= len(items):
                break
            item = items[position]
            position += 1
            if Loan.objects.for_library(library).filter(item=item).exists():
                skipped += 1
                continue
            loaned_on = today - datetime.timedelta(days=ROUNDS[index % len(ROUNDS)])
            try:
                loan_create(library=library, barcode=item.barcode, loaned_on=loaned_on, by=staff)
            except ValidationError:
                skipped += 1
                continue
            created += 1
            return_on = loaned_on + datetime.timedelta(days=RETURN_AFTER_DAYS)
            if index % 3 == 0 and return_on < today:
                loan_return(barcode=item.barcode, returned_on=return_on, by=staff)
                returned += 1
    stdout.write(f"  prêts : {created} créés dont {returned} rendus, {skipped} déjà présents")
