"""Renewals (prolongations) of loans: the rules, granted at once or by BDVO staff, the
Gestionnaire's page with its confirmation, the new due date in the list and the export."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Item, Loan, LoanRenewal, Reservation
from catalogue.services.renewals import loan_renew, renewal_grant, renewal_refuse
from catalogue.services.reservations import reservation_create
from tests.factories import ItemFactory, LoanFactory, RecordFactory, ReservationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DUE = TODAY + datetime.timedelta(days=20)


@pytest.fixture
def loan(library):
    item = ItemFactory(record=RecordFactory(title="Le Petit Prince"), barcode="PP-1", status=Item.Status.ON_LOAN)
    return LoanFactory(item=item, library=library, loaned_on=TODAY - datetime.timedelta(days=100), due_on=DUE)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the rules -------------------------------------------------------------------------------


def test_a_renewal_is_granted_at_once_by_default(manager, loan):
    renewal = loan_renew(loan=loan, user=manager)
    assert renewal.status == LoanRenewal.Status.GRANTED
    assert (renewal.previous_due_on, renewal.new_due_on) == (DUE, DUE + datetime.timedelta(days=60))
    assert (loan.due_on, loan.renewal_count) == (DUE + datetime.timedelta(days=60), 1)
    loan.refresh_from_db()
    assert (loan.due_on, loan.renewal_count) == (DUE + datetime.timedelta(days=60), 1)
    assert renewal.requested_by == manager and renewal.decided_at is not None


def test_the_length_and_the_limit_are_settings(manager, loan, settings):
    settings.LOAN_RENEWAL_DAYS = 30
    settings.LOAN_MAX_RENEWALS = 2
    loan_renew(loan=loan, user=manager)
    loan_renew(loan=loan, user=manager)
    assert loan.due_on == DUE + datetime.timedelta(days=60)
    with pytest.raises(ValidationError, match=r"déjà été prolongé 2 fois : c'est le maximum \(2\)"):
        loan_renew(loan=loan, user=manager)


def test_the_limit_is_reached_after_one_renewal(manager, loan):
    loan_renew(loan=loan, user=manager)
    with pytest.raises(ValidationError, match=r"déjà été prolongé 1 fois : c'est le maximum \(1\)"):
        loan_renew(loan=loan, user=manager)
    assert LoanRenewal.objects.all_libraries().count() == 1


def test_no_renewal_at_all_when_the_limit_is_zero(manager, loan, settings):
    settings.LOAN_MAX_RENEWALS = 0
    with pytest.raises(ValidationError, match="ne se prolongent pas"):
        loan_renew(loan=loan, user=manager)


def test_refused_when_another_library_waits_for_the_title(manager, other_manager, loan):
    reservation_create(record=loan.item.record, user=other_manager)
    with pytest.raises(ValidationError, match="Une autre bibliothèque a réservé ce document"):
        loan_renew(loan=loan, user=manager)
    loan.refresh_from_db()
    assert (loan.due_on, loan.renewal_count) == (DUE, 0)


def test_a_reservation_already_served_or_of_an_inactive_library_does_not_block(manager, other_library, loan):
    ReservationFactory(record=loan.item.record, library=other_library, status=Reservation.Status.SET_ASIDE)
    ReservationFactory(
        record=loan.item.record, library__is_active=False, status=Reservation.Status.PENDING
    )  # a library no longer on the portal is not served
    assert loan_renew(loan=loan, user=manager).status == LoanRenewal.Status.GRANTED


def test_returned_loans_and_other_people_are_refused(manager, viewer, other_manager, admin_user, loan):
    with pytest.raises(PermissionDenied):
        loan_renew(loan=loan, user=viewer)
    with pytest.raises(PermissionDenied):
        loan_renew(loan=loan, user=other_manager)
    loan.returned_on = TODAY
    loan.save()
    with pytest.raises(ValidationError, match="déjà rendu"):
        loan_renew(loan=loan, user=admin_user)


# --- queued for staff --------------------------------------------------------------------------


@pytest.fixture
def staff_decides(settings):
    settings.LOAN_RENEWALS_NEED_STAFF = True


def test_staff_grant_a_waiting_request(
    staff_decides, manager, referent, admin_user, loan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        renewal = loan_renew(loan=loan, user=manager)
    assert renewal.status == LoanRenewal.Status.PENDING
    loan.refresh_from_db()
    assert (loan.due_on, loan.renewal_count) == (DUE, 0)
    [to_referent] = mail.outbox
    assert to_referent.to == [referent.email] and to_referent.reply_to == [manager.email]
    assert to_referent.subject == "[BDVO] Prolongation demandée : Le Petit Prince"
    assert "/admin/catalogue/loanrenewal/?status__exact=pending" in to_referent.body
    with pytest.raises(ValidationError, match="attend déjà la réponse de la BDVO"):
        loan_renew(loan=loan, user=manager)
    with pytest.raises(PermissionDenied):
        renewal_grant(renewal=renewal, user=manager)

    with django_capture_on_commit_callbacks(execute=True):
        renewal_grant(renewal=renewal, user=admin_user)
    loan.refresh_from_db()
    assert (loan.due_on, loan.renewal_count) == (DUE + datetime.timedelta(days=60), 1)
    renewal.refresh_from_db()
    assert (renewal.status, renewal.decided_by) == (LoanRenewal.Status.GRANTED, admin_user)
    answer = mail.outbox[-1]
    assert answer.to == [manager.email]
    assert f"La prolongation est accordée : retour prévu le {loan.due_on:%d/%m/%Y}." in answer.body
    with pytest.raises(ValidationError, match="déjà « Accordée »"):
        renewal_grant(renewal=renewal, user=admin_user)


def test_staff_cannot_grant_what_the_rules_now_refuse(staff_decides, manager, other_manager, admin_user, loan):
    renewal = loan_renew(loan=loan, user=manager)
    reservation_create(record=loan.item.record, user=other_manager)
    with pytest.raises(ValidationError, match="Une autre bibliothèque a réservé ce document"):
        renewal_grant(renewal=renewal, user=admin_user)
    renewal_refuse(renewal=renewal, user=admin_user, reason="Réservé par une autre bibliothèque")
    renewal.refresh_from_db()
    assert renewal.status == LoanRenewal.Status.REFUSED
    # Answered: the library may ask again (and is refused by the rule, with its reason).
    with pytest.raises(ValidationError, match="Une autre bibliothèque"):
        loan_renew(loan=loan, user=manager)


def test_admin_actions_grant_and_refuse_with_a_reason(
    staff_decides, client_for, admin_user, manager, library, loan, django_capture_on_commit_callbacks
):
    other = LoanFactory(library=library, item=ItemFactory(barcode="VN-1", status=Item.Status.ON_LOAN), due_on=DUE)
    first = loan_renew(loan=loan, user=manager)
    second = loan_renew(loan=other, user=manager)
    client = client_for(admin_user)
    changelist = reverse("admin:catalogue_loanrenewal_changelist")
    assert client.get(changelist, {"status__exact": "pending"}).status_code == 200
    response = client.post(changelist, {"action": "grant", "_selected_action": [first.pk]}, follow=True)
    assert "1 prolongation accordée." in response.content.decode()
    page = client.post(changelist, {"action": "refuse", "_selected_action": [second.pk]})
    assert page.status_code == 200 and "Motif" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {"action": "refuse", "_selected_action": [second.pk], "apply": "1", "reason": "Document attendu"},
            follow=True,
        )
    assert "1 prolongation refusée." in response.content.decode()
    second.refresh_from_db()
    assert (second.status, second.refusal_reason) == (LoanRenewal.Status.REFUSED, "Document attendu")
    assert "La prolongation est refusée : Document attendu." in mail.outbox[-1].body


def test_referent_answers_only_the_requests_of_their_territories(
    staff_decides, client_for, referent, manager, other_manager, loan, other_library
):
    far = LoanFactory(library=other_library, item=ItemFactory(barcode="FAR-1", status=Item.Status.ON_LOAN))
    mine = loan_renew(loan=loan, user=manager)
    theirs = loan_renew(loan=far, user=other_manager)
    client = client_for(referent)  # through the « Référents de territoire » group only
    changelist = reverse("admin:catalogue_loanrenewal_changelist")
    content = client.get(changelist).content.decode()
    assert "PP-1" in content and "FAR-1" not in content
    client.post(changelist, {"action": "grant", "_selected_action": [mine.pk, theirs.pk]})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (LoanRenewal.Status.GRANTED, LoanRenewal.Status.PENDING)


# --- the Gestionnaire's page ---------------------------------------------------------------------


def test_confirmation_page_says_what_each_loan_will_get_then_renews(client_for, manager, other_manager, library, loan):
    blocked = LoanFactory(
        library=library,
        item=ItemFactory(record=RecordFactory(title="Vol de nuit"), barcode="VN-1", status=Item.Status.ON_LOAN),
        due_on=DUE,
    )
    reservation_create(record=blocked.item.record, user=other_manager)
    client = client_for(manager)
    url = reverse("extranet:loans_renew")
    page = client.post(url, {"selected": [loan.pk, blocked.pk]})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Retour repoussé au {DUE + datetime.timedelta(days=60):%d/%m/%Y}." in html
    assert "Une autre bibliothèque a réservé ce document" in html
    assert f'<input type="hidden" name="selected" value="{loan.pk}">' in html
    assert f'name="selected" value="{blocked.pk}"' not in html  # only what may be renewed is sent on
    loan.refresh_from_db()
    assert loan.renewal_count == 0

    response = client.post(url, {"selected": [loan.pk, blocked.pk], "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("extranet:loans")
    assert _messages(response) == [
        f"« Le Petit Prince » (PP-1) : prolongé, retour prévu le {DUE + datetime.timedelta(days=60):%d/%m/%Y}.",
        f"« Vol de nuit » (VN-1) : Une autre bibliothèque a réservé ce document : il ne peut pas être prolongé. "
        f"Rendez-le pour le {DUE:%d/%m/%Y}, il lui est destiné.",
    ]


def test_queued_requests_are_announced_as_such(staff_decides, client_for, manager, loan):
    client = client_for(manager)
    html = client.post(reverse("extranet:loans_renew"), {"selected": [loan.pk]}).content.decode()
    assert "La demande sera transmise à la BDVO" in html
    response = client.post(reverse("extranet:loans_renew"), {"selected": [loan.pk], "confirm": "1"}, follow=True)
    assert "« Le Petit Prince » (PP-1) : demande de prolongation transmise à la BDVO." in response.content.decode()
    assert "Prolongation demandée" in response.content.decode()  # the loan's row


def test_nothing_renewable_offers_no_button(client_for, manager, loan):
    loan_renew(loan=loan, user=manager)
    html = client_for(manager).post(reverse("extranet:loans_renew"), {"selected": [loan.pk]}).content.decode()
    assert "Aucun des prêts cochés ne peut être prolongé." in html
    assert 'name="confirm"' not in html


def test_renewal_page_guards(client_for, manager, viewer, other_manager, library, loan):
    url = reverse("extranet:loans_renew")
    assert client_for(viewer).post(url, {"selected": [loan.pk], "confirm": "1"}).status_code == 403
    assert client_for(other_manager).post(url, {"selected": [loan.pk], "confirm": "1"}).status_code == 404
    returned = LoanFactory(library=library, returned_on=TODAY)
    assert client_for(manager).post(url, {"selected": [returned.pk]}).status_code == 404
    response = client_for(manager).post(url, {})
    assert response.status_code == 302 and _messages(response) == ["Cochez au moins un prêt à prolonger."]
    assert client_for(manager).get(url).status_code == 405
    loan.refresh_from_db()
    assert loan.renewal_count == 0


def test_the_list_offers_renewal_to_managers_only(client_for, manager, viewer, loan):
    button = 'formaction="/espace-pro/prets/prolongation/"'
    assert button in client_for(manager).get(reverse("extranet:loans")).content.decode()
    assert button not in client_for(viewer).get(reverse("extranet:loans")).content.decode()
    assert button not in client_for(manager).get(reverse("extranet:returns")).content.decode()


def test_the_new_due_date_shows_in_the_list_and_the_export(client_for, manager, loan):
    loan_renew(loan=loan, user=manager)
    new_due = f"{DUE + datetime.timedelta(days=60):%d/%m/%Y}"
    client = client_for(manager)
    html = client.get(reverse("extranet:loans")).content.decode()
    assert new_due in html and "Prolongé" in html
    response = client.post(
        reverse("extranet:export", kwargs={"identifier": "loans"}), {"scope": "filtered", "format": "csv", "query": ""}
    )
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert f"PP-1;R HUG;Livre;{TODAY - datetime.timedelta(days=100):%d/%m/%Y};{new_due}" in content


# --- two requests at once (PostgreSQL) ---------------------------------------------------------


@pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="row locks between connections: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_renew_once(manager, loan):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def ask():
        connection.ensure_connection()
        barrier.wait()
        try:
            loan_renew(loan=Loan.objects.for_library(loan.library_id).get(pk=loan.pk), user=manager)
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        else:
            outcomes.append("ok")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[-1] == "ok" and "c'est le maximum" in sorted(outcomes)[0]
    loan.refresh_from_db()
    assert (loan.due_on, loan.renewal_count) == (DUE + datetime.timedelta(days=60), 1)
    assert LoanRenewal.objects.all_libraries().count() == 1


def test_a_referent_of_another_territory_answers_nothing(staff_decides, manager, loan, db):
    from django.contrib.auth.models import Group

    from tests.factories import StaffFactory, TerritoryFactory

    stranger = StaffFactory()
    stranger.groups.add(Group.objects.get(name="Référents de territoire"))
    TerritoryFactory(name="Pays de France").referents.add(stranger)
    renewal = loan_renew(loan=loan, user=manager)
    with pytest.raises(PermissionDenied, match="pas dans vos territoires"):
        renewal_grant(renewal=renewal, user=stranger)
    with pytest.raises(PermissionDenied, match="pas dans vos territoires"):
        renewal_refuse(renewal=renewal, user=stranger, reason="Non")
    renewal.refresh_from_db()
    assert renewal.status == LoanRenewal.Status.PENDING
