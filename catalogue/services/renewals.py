"""Renewals (prolongations) of loans, asked by a library's Gestionnaire.

A loan in progress may be renewed unless another library is waiting for its title (a
reservation « En attente »: the item must come back for it), a request is already waiting
for the BDVO, or the loan was renewed ``LOAN_MAX_RENEWALS`` times (1 by default). A renewal
moves the due date by ``LOAN_RENEWAL_DAYS`` (60 by default) from the current one. It is
granted at once, or — when ``LOAN_RENEWALS_NEED_STAFF`` is set — left « Demandée » for BDVO
staff, who grant or refuse it in the administration (the territory's referents are e-mailed
the request, the library's Gestionnaires the answer).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue.models import Loan, LoanRenewal
from extranet.mail import MailKind, absolute_url, send_templated_email
from extranet.models import User


def renewal_refusal(loan: Loan, *, pending_counts: bool = True) -> str:
    """Why ``loan`` may not be renewed now, in French; empty string when it may.

    ``loan`` comes from ``Loan.objects….with_renewal_facts()`` (its ``renewal_pending`` and
    ``reserved_elsewhere`` annotations). ``pending_counts=False`` when deciding the waiting
    request itself."""
    if loan.returned_on is not None:
        return _("Ce document est déjà rendu : il n'y a plus rien à prolonger.")
    if pending_counts and loan.renewal_pending:  # type: ignore[attr-defined]
        return _("Une demande de prolongation de ce prêt attend déjà la réponse de la BDVO.")
    limit = settings.LOAN_MAX_RENEWALS
    if loan.renewal_count >= limit:
        if limit == 0:
            return _("Les prêts de la BDVO ne se prolongent pas : rendez le document à la date prévue.")
        return ngettext(
            "Ce prêt a déjà été prolongé %(count)d fois : c'est le maximum (%(limit)d).",
            "Ce prêt a déjà été prolongé %(count)d fois : c'est le maximum (%(limit)d).",
            loan.renewal_count,
        ) % {"count": loan.renewal_count, "limit": limit}
    if loan.reserved_elsewhere:  # type: ignore[attr-defined]
        return _(
            "Une autre bibliothèque a réservé ce document : il ne peut pas être prolongé. "
            "Rendez-le pour le %(date)s, il lui est destiné."
        ) % {"date": loan.due_on.strftime("%d/%m/%Y")}
    return ""


def _locked(loan: Loan) -> Loan:
    return (
        Loan.objects.for_library(loan.library_id)
        .with_renewal_facts()
        .select_related("item__record", "library")
        .select_for_update(of=("self",))
        .get(pk=loan.pk)
    )


def loan_renew(*, loan: Loan, user: User) -> LoanRenewal:
    """Ask for ``loan`` to be renewed. Returns the renewal: « Accordée » (the loan's ``due_on``
    moved by ``LOAN_RENEWAL_DAYS``) or, with ``LOAN_RENEWALS_NEED_STAFF``, « Demandée ».

    Raises ``PermissionDenied`` (French) unless ``user.may_act_for`` the loan's library (a
    Gestionnaire of it, or BDVO staff), and ``ValidationError`` with the French reason of
    ``renewal_refusal``. The loan row is locked: two requests at once make one renewal.
    """
    if not (user.is_authenticated and user.may_act_for(loan.library_id)):
        raise PermissionDenied(_("Seul·e un·e Gestionnaire de la bibliothèque peut demander une prolongation."))
    with transaction.atomic():
        current = _locked(loan)
        refusal = renewal_refusal(current)
        if refusal:
            raise ValidationError(refusal, code="refused")
        renewal = LoanRenewal(loan=current, requested_by=user, previous_due_on=current.due_on)
        if settings.LOAN_RENEWALS_NEED_STAFF:
            renewal.save()
            _notify_referents(renewal)
        else:
            _grant(current, renewal, by=None)
    loan.due_on, loan.renewal_count = current.due_on, current.renewal_count
    return renewal


def renewal_grant(*, renewal: LoanRenewal, user: User) -> LoanRenewal:
    """BDVO staff grant a waiting request: the loan's due date moves by ``LOAN_RENEWAL_DAYS``.

    Raises ``PermissionDenied`` for non-staff and for staff who do not manage the library,
    ``ValidationError`` (French) when the request was already answered or a rule now refuses it
    (returned, limit, another library waiting)."""
    _require_staff(user, renewal)
    with transaction.atomic():
        current = _locked_request(renewal)
        loan = _locked(current.loan)
        refusal = renewal_refusal(loan, pending_counts=False)
        if refusal:
            raise ValidationError(refusal, code="refused")
        _grant(loan, current, by=user)
        _notify_library(current)
    return current


def renewal_refuse(*, renewal: LoanRenewal, user: User, reason: str) -> LoanRenewal:
    """BDVO staff refuse a waiting request, with ``reason`` (sent to the library's Gestionnaires).

    Raises ``PermissionDenied`` for non-staff and for staff who do not manage the library,
    ``ValidationError`` (French) when the request was already answered or ``reason`` is empty."""
    _require_staff(user, renewal)
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif du refus : il est envoyé à la bibliothèque."))
    with transaction.atomic():
        current = _locked_request(renewal)
        current.status = LoanRenewal.Status.REFUSED
        current.refusal_reason = reason.strip()[:255]
        current.decided_by = user
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        _notify_library(current)
    return current


def _grant(loan: Loan, renewal: LoanRenewal, *, by: User | None) -> None:
    loan.due_on = loan.due_on + datetime.timedelta(days=settings.LOAN_RENEWAL_DAYS)
    loan.renewal_count += 1
    loan.save(update_fields=["due_on", "renewal_count"])
    renewal.loan = loan
    renewal.status = LoanRenewal.Status.GRANTED
    renewal.new_due_on = loan.due_on
    renewal.decided_by = by
    renewal.decided_at = timezone.now()
    renewal.save()


def _locked_request(renewal: LoanRenewal) -> LoanRenewal:
    current = (
        LoanRenewal.objects.all_libraries()
        .select_for_update(of=("self",))
        .select_related("loan__item__record", "loan__library")
        .get(pk=renewal.pk)
    )
    if current.status != LoanRenewal.Status.PENDING:
        raise ValidationError(
            _("Cette demande de prolongation est déjà « %(status)s ».") % {"status": current.get_status_display()},
            code="status",
        )
    return current


def _require_staff(user: User, renewal: LoanRenewal) -> None:
    """BDVO staff who manage the loan's library (a referent: their territories' libraries)."""
    if not (user.is_active and user.is_staff):
        raise PermissionDenied(_("Seuls les personnels de la BDVO répondent aux demandes de prolongation."))
    if not user.manages_library(renewal.loan.library_id):
        raise PermissionDenied(
            _(
                "Cette bibliothèque n'est pas dans vos territoires : ses référent·es ou le personnel BDVO "
                "de tout le réseau répondent à ses demandes."
            )
        )


def _notify_referents(renewal: LoanRenewal) -> None:
    """Tell the referents of the library's territory that a request waits for them; their
    replies go to the person who asked."""
    loan, requester = renewal.loan, renewal.requested_by
    send_templated_email(
        kind=MailKind.DOCUMENTS,
        template="catalogue/emails/renewal_to_review",
        context={
            "loan": loan,
            "requested_by_label": f"{requester.get_full_name() or requester.username} <{requester.email}>"
            if requester
            else "",
            "admin_url": absolute_url(reverse("admin:catalogue_loanrenewal_changelist") + "?status__exact=pending"),
        },
        subject=_("[BDVO] Prolongation demandée : %(title)s") % {"title": loan.item.record.title},
        to=list(loan.library.referents().values_list("email", flat=True)),
        reply_to=[requester.email] if requester and requester.email else None,
    )


def _notify_library(renewal: LoanRenewal) -> None:
    """Tell the library's active Gestionnaires the BDVO's answer to their request."""
    loan = renewal.loan
    send_templated_email(
        kind=MailKind.DOCUMENTS,
        template="catalogue/emails/renewal_answer",
        context={
            "loan": loan,
            "renewal": renewal,
            "granted": renewal.status == LoanRenewal.Status.GRANTED,
            "loans_url": absolute_url(reverse("extranet:loans")),
        },
        subject=_("[BDVO] Prolongation %(status)s : « %(title)s »")
        % {"status": renewal.get_status_display().lower(), "title": loan.item.record.title},
        to=list(loan.library.active_managers().values_list("email", flat=True)),
    )
