"""Loans and returns of items, recorded by BDVO staff (staff page, admin, demo data).

A staff member lends to and takes back from the libraries they manage only
(``User.manages_library``: every library for BDVO-wide staff, their territories' for a
referent); anything else is refused in French without naming the other library.

Both services lock the item row (``select_for_update``, after its title's: see
``catalogue.services.circulation``) inside a transaction, so two scans of one barcode at the
same moment cannot both succeed; the partial unique constraint ``loan_one_active_per_item``
is the last line of defence and is reported in French too.

Loans meet reservations: lending an item of a title fulfils the library's open reservation
of it (« Livrée »), an item set aside for another library is not lent, and a returned item
is set aside for the first library waiting for its title.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Item, Loan
from catalogue.services import circulation
from extranet.models import Library, User

# The BDVO lends for long periods: four months unless settings say otherwise.
DEFAULT_LOAN_DAYS = 120


def default_due_on(loaned_on: datetime.date) -> datetime.date:
    """Due date of a loan made on ``loaned_on`` (``settings.LOAN_DEFAULT_DAYS``, 120 by default)."""
    return loaned_on + datetime.timedelta(days=getattr(settings, "LOAN_DEFAULT_DAYS", DEFAULT_LOAN_DAYS))


def _normalise(barcode: str) -> str:
    return (barcode or "").strip()


def loan_create(
    *,
    library: Library,
    barcode: str,
    loaned_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
    by: User | None,
) -> Loan:
    """Lend the item with ``barcode`` to ``library``; the item becomes "en prêt", and the
    library's open reservation of the title, if any, « Livrée » (``circulation.fulfil_with_loan``).

    ``loaned_on`` defaults to today, ``due_on`` to ``default_due_on(loaned_on)``. ``by`` is the
    staff member scanning (``None`` for data loaded by the BDVO itself: demo, imports).
    Raises ``ValidationError`` (French message giving the reason) when ``by`` does not manage
    ``library`` (a referent of another territory), the library is inactive, the barcode is
    unknown, the item is lost, withdrawn, already on loan or set aside for another library's
    reservation, or the due date precedes the loan date.
    """
    barcode = _normalise(barcode)
    if not barcode:
        raise ValidationError(_("Saisissez ou scannez un code-barres."))
    if by is not None and not by.manages_library(library):
        raise ValidationError(
            _(
                "Cette bibliothèque n'est pas dans vos territoires : vous ne pouvez pas lui prêter de documents. "
                "Ses référent·es ou le personnel BDVO de tout le réseau enregistrent ses prêts."
            )
        )
    if not library.is_active:
        raise ValidationError(
            _("La bibliothèque %(library)s est inactive : aucun prêt ne peut lui être enregistré.")
            % {"library": library.name}
        )
    loaned_on = loaned_on or timezone.localdate()
    due_on = due_on or default_due_on(loaned_on)
    if due_on < loaned_on:
        raise ValidationError(_("La date de retour prévue doit suivre la date de prêt."))
    try:
        with transaction.atomic():
            item = circulation.lock_item(barcode)
            if item is None:
                raise ValidationError(
                    _("Code-barres inconnu : %(barcode)s. Vérifiez la saisie ou l'étiquette de l'exemplaire.")
                    % {"barcode": barcode}
                )
            if item.status in (Item.Status.LOST, Item.Status.WITHDRAWN):
                raise ValidationError(
                    _("L'exemplaire %(barcode)s est marqué « %(status)s » : il ne peut pas être prêté.")
                    % {"barcode": barcode, "status": item.get_status_display()}
                )
            # An item is on loan to one library at a time, whichever it is.
            current = (
                Loan.objects.all_libraries()
                .filter(item=item, returned_on__isnull=True)
                .select_related("library")
                .first()
            )
            if current is not None:
                raise ValidationError(_already_on_loan(barcode, current, by))
            circulation.check_item_may_go_to(item, library, by=by)
            loan = Loan.objects.create(item=item, library=library, loaned_on=loaned_on, due_on=due_on, created_by=by)
            item.status = Item.Status.ON_LOAN
            item.save(update_fields=["status"])
            circulation.fulfil_with_loan(loan)
    except IntegrityError as exc:
        # Another scan of the same barcode committed first (constraint loan_one_active_per_item).
        current = (
            Loan.objects.all_libraries()
            .filter(item__barcode=barcode, returned_on__isnull=True)
            .select_related("library")
            .first()
        )
        if current is None:
            raise
        raise ValidationError(_already_on_loan(barcode, current, by)) from exc
    return loan


def _already_on_loan(barcode: str, current: Loan, by: User | None) -> str:
    if by is not None and not by.manages_library(current.library_id):
        # Which library of another territory holds it is not this referent's business.
        return _(
            "L'exemplaire %(barcode)s est déjà en prêt à une bibliothèque hors de vos territoires : "
            "il ne peut pas être prêté avant son retour."
        ) % {"barcode": barcode}
    return _(
        "L'exemplaire %(barcode)s est déjà en prêt à %(library)s depuis le %(date)s. Enregistrez d'abord son retour."
    ) % {"barcode": barcode, "library": current.library.name, "date": current.loaned_on.strftime("%d/%m/%Y")}


def loan_return(*, barcode: str, returned_on: datetime.date | None = None, by: User | None) -> Loan:
    """Record the return of the item with ``barcode``; the item becomes "disponible", or is set
    aside for the first library waiting for its title (``circulation.serve_waiting``: the
    desk shows it with ``circulation.holding_reservation``).

    ``returned_on`` defaults to today. Raises ``ValidationError`` (French) when the barcode
    is unknown, no loan is in progress for it, the loan is to a library ``by`` does not
    manage (a referent of another territory), or the return date precedes the loan date.
    """
    barcode = _normalise(barcode)
    if not barcode:
        raise ValidationError(_("Saisissez ou scannez un code-barres."))
    returned_on = returned_on or timezone.localdate()
    with transaction.atomic():
        item = circulation.lock_item(barcode)
        if item is None:
            raise ValidationError(
                _("Code-barres inconnu : %(barcode)s. Vérifiez la saisie ou l'étiquette de l'exemplaire.")
                % {"barcode": barcode}
            )
        loan = Loan.objects.all_libraries().select_for_update().filter(item=item, returned_on__isnull=True).first()
        if loan is None:
            raise ValidationError(
                _("Pas de prêt en cours pour le code-barres %(barcode)s : rien à rendre.") % {"barcode": barcode}
            )
        if by is not None and not by.manages_library(loan.library_id):
            raise ValidationError(
                _(
                    "L'exemplaire %(barcode)s est en prêt à une bibliothèque hors de vos territoires : "
                    "son retour est enregistré par les référent·es de son territoire ou le personnel BDVO de tout le réseau."
                )
                % {"barcode": barcode}
            )
        if returned_on < loan.loaned_on:
            raise ValidationError(_("La date de retour ne peut pas précéder la date de prêt."))
        loan.returned_on = returned_on
        loan.save(update_fields=["returned_on"])
        if item.status == Item.Status.ON_LOAN:
            item.status = Item.Status.AVAILABLE
            item.save(update_fields=["status"])
            circulation.serve_waiting(item.record_id)
    return loan
