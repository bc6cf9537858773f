"""Returns announced by a library: a Gestionnaire says which loans the navette will bring back.

A loan in progress is announced for the library's next navette round whose cut-off is still
to come (``extranet.navette.next_round(library, now)``): once a round's cut-off has passed,
the announcement goes to the round after. The round's day is kept on the loan
(``Loan.return_announced_for``, with ``return_announced_at``) and the staff navette plan
lists it among the collections of that day (``catalogue.navette``). Refused, in French, when
the loan is already returned, already announced, or the library has no round planned.
Returning the item at the desk ends the loan as usual: nothing else to clear.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Loan
from extranet import navette
from extranet.models import Library, User


def return_refusal(loan: Loan) -> str:
    """Why the return of ``loan`` may not be announced, in French (round aside); ``""`` when it may."""
    if loan.returned_on is not None:
        return _("Ce document est déjà rendu.")
    if loan.return_announced_for is not None:
        return _("Retour déjà annoncé pour la navette du %(day)s.") % {
            "day": navette.format_day(loan.return_announced_for)
        }
    return ""


def return_round(library: Library, at: datetime.datetime | None = None) -> navette.Round | None:
    """The round a return announced at ``at`` (default: now) travels with: the library's next
    round whose cut-off is later than ``at``; ``None`` when none is planned within a year."""
    return navette.next_round(library, at or timezone.now())


def no_round_refusal() -> str:
    """The French refusal when the library has no navette round planned."""
    return _(
        "Aucune tournée de navette n'est prévue pour votre bibliothèque : rapportez le document à la BDVO "
        "ou contactez-la."
    )


def return_announce(*, loan: Loan, user: User, at: datetime.datetime | None = None) -> datetime.date:
    """Announce that ``loan`` comes back with the library's next navette round still open at
    ``at`` (default: now). Returns the round's day, also set on ``loan``.

    Raises ``PermissionDenied`` (French) unless ``user.may_act_for`` the loan's library, and
    ``ValidationError`` (French) when ``return_refusal`` refuses or no round is planned. The
    loan row is locked: two announcements at once make one.
    """
    if not (user.is_authenticated and user.may_act_for(loan.library_id)):
        raise PermissionDenied(_("Seul·e un·e Gestionnaire de la bibliothèque peut annoncer un retour."))
    moment = at or timezone.now()
    with transaction.atomic():
        current = (
            Loan.objects.for_library(loan.library_id)
            .select_related("library")
            .select_for_update(of=("self",))
            .get(pk=loan.pk)
        )
        refusal = return_refusal(current)
        if refusal:
            raise ValidationError(refusal, code="refused")
        round_ = return_round(current.library, moment)
        if round_ is None:
            raise ValidationError(no_round_refusal(), code="no_round")
        current.return_announced_for = round_.day
        current.return_announced_at = moment
        current.save(update_fields=["return_announced_for", "return_announced_at"])
    loan.return_announced_for, loan.return_announced_at = current.return_announced_for, current.return_announced_at
    return round_.day
