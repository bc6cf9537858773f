"""Reservations meet circulation: set aside in order with the navette round, delivered by a
loan, released on cancellation; the desks' messages; e-mails to the Gestionnaires."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from catalogue.models import Item, Loan, Reservation
from catalogue.services import circulation
from catalogue.services.loans import loan_create, loan_return
from catalogue.services.renewals import loan_renew
from catalogue.services.reservations import reservation_cancel, reservation_create
from extranet import navette
from extranet.models import Weekday
from tests.factories import ItemFactory, LibraryFactory, NavetteRuleFactory, RecordFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def title(db):
    return RecordFactory(title="Le Petit Prince")


@pytest.fixture
def third_manager(db):
    return UserFactory(library=LibraryFactory(name="Médiathèque de Vigny", code="VDO-VIGNY"))


def _lent_out(title, *barcodes, to=None):
    """Items of ``title`` lent to ``to`` (a fresh library by default): none is free."""
    borrower = to or LibraryFactory(name="Médiathèque d'Auvers")
    for barcode in barcodes:
        ItemFactory(record=title, barcode=barcode)
        loan_create(library=borrower, barcode=barcode, by=None)
    return borrower


def _status(reservation) -> str:
    reservation.refresh_from_db()
    return reservation.status


# --- set aside -------------------------------------------------------------------------------


def test_a_free_item_is_set_aside_at_once_for_the_next_navette_round(
    manager, library, title, django_capture_on_commit_callbacks
):
    NavetteRuleFactory(territory=library.territory, weekday=Weekday.TUESDAY)
    item = ItemFactory(record=title, barcode="PP-1")
    with django_capture_on_commit_callbacks(execute=True):
        reservation = reservation_create(record=title, user=manager)
    expected = navette.next_round(library, timezone.now())
    assert expected is not None and expected.day > timezone.localdate()
    assert reservation.status == Reservation.Status.SET_ASIDE
    assert (reservation.item_id, reservation.delivery_on) == (item.pk, expected.day)
    assert reservation.set_aside_at is not None
    item.refresh_from_db()
    assert item.status == Item.Status.SET_ASIDE
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert message.subject == "[BDVO] Réservation mise de côté : « Le Petit Prince »"
    assert f"Il partira avec la navette du {navette.format_day(expected.day)}." in message.body
    assert "http://testserver/espace-pro/reservations/" in message.body


def test_without_a_planned_round_the_mail_says_the_next_navette(title, django_capture_on_commit_callbacks):
    without_rounds = UserFactory(library=LibraryFactory(name="Médiathèque de Nulle-Part"))
    ItemFactory(record=title)
    with django_capture_on_commit_callbacks(execute=True):
        reservation = reservation_create(record=title, user=without_rounds)
    assert reservation.status == Reservation.Status.SET_ASIDE and reservation.delivery_on is None
    assert "Il partira avec la prochaine navette." in mail.outbox[0].body


def test_libraries_are_served_in_order_and_see_their_rank(manager, other_manager, third_manager, title):
    _lent_out(title, "PP-1", "PP-2")
    first = reservation_create(record=title, user=other_manager)
    second = reservation_create(record=title, user=manager)
    third = reservation_create(record=title, user=third_manager)
    ranks = dict(Reservation.objects.all_libraries().with_queue_rank().values_list("pk", "queue_rank"))
    assert [ranks[first.pk], ranks[second.pk], ranks[third.pk]] == [1, 2, 3]

    loan_return(barcode="PP-2", by=None)
    assert [_status(first), _status(second), _status(third)] == ["set_aside", "pending", "pending"]
    assert first.item.barcode == "PP-2"
    ranks = dict(Reservation.objects.all_libraries().with_queue_rank().values_list("pk", "queue_rank"))
    assert [ranks[first.pk], ranks[second.pk], ranks[third.pk]] == [None, 1, 2]

    loan_return(barcode="PP-1", by=None)
    assert [_status(second), _status(third)] == ["set_aside", "pending"]


def test_reservations_made_at_the_same_instant_are_served_by_their_number(manager, other_manager, title):
    _lent_out(title, "PP-1")
    later_pk = reservation_create(record=title, user=manager)
    earlier_pk = reservation_create(record=title, user=other_manager)
    instant = timezone.now()
    Reservation.objects.all_libraries().update(created_at=instant)
    loan_return(barcode="PP-1", by=None)
    assert (_status(later_pk), _status(earlier_pk)) == ("set_aside", "pending")


def test_an_inactive_library_is_skipped_and_not_counted_ahead(manager, other_manager, other_library, title):
    _lent_out(title, "PP-1")
    theirs = reservation_create(record=title, user=other_manager)
    mine = reservation_create(record=title, user=manager)
    other_library.is_active = False
    other_library.save()
    assert Reservation.objects.for_library(manager.library).with_queue_rank().get().queue_rank == 1
    loan_return(barcode="PP-1", by=None)
    assert (_status(theirs), _status(mine)) == ("pending", "set_aside")


# --- delivered by a loan ---------------------------------------------------------------------


def test_lending_fulfils_the_librarys_reservation_at_once(manager, library, title, admin_user):
    _lent_out(title, "PP-1")
    reservation = reservation_create(record=title, user=manager)
    assert reservation.status == Reservation.Status.PENDING
    ItemFactory(record=title, barcode="PP-NEW", status=Item.Status.IN_PROCESSING)
    loan = loan_create(library=library, barcode="PP-NEW", by=admin_user)
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.FULFILLED
    assert (reservation.loan, reservation.item_id) == (loan, loan.item_id)
    assert reservation.fulfilled_at is not None


def test_lending_the_item_set_aside_to_its_library_delivers_it(manager, library, other_library, title):
    ItemFactory(record=title, barcode="PP-1")
    reservation = reservation_create(record=title, user=manager)
    assert reservation.status == Reservation.Status.SET_ASIDE
    with pytest.raises(ValidationError, match="mis de côté pour Médiathèque de Marines"):
        loan_create(library=other_library, barcode="PP-1", by=None)
    assert not Loan.objects.all_libraries().exists()
    loan_create(library=library, barcode="PP-1", by=None)
    assert _status(reservation) == "fulfilled"
    assert Item.objects.get(barcode="PP-1").status == Item.Status.ON_LOAN


def test_lending_another_item_releases_the_one_set_aside_for_the_next_library(manager, other_manager, library, title):
    ItemFactory(record=title, barcode="PP-1")
    mine = reservation_create(record=title, user=manager)
    theirs = reservation_create(record=title, user=other_manager)
    assert (mine.status, theirs.status) == ("set_aside", "pending")
    ItemFactory(record=title, barcode="PP-2", status=Item.Status.IN_PROCESSING)
    loan_create(library=library, barcode="PP-2", by=None)
    mine.refresh_from_db()
    assert (mine.status, mine.item.barcode) == ("fulfilled", "PP-2")
    theirs.refresh_from_db()
    assert (theirs.status, theirs.item.barcode) == ("set_aside", "PP-1")


def test_a_loan_without_reservation_changes_no_reservation(manager, other_library, title):
    _lent_out(title, "PP-1")
    reservation = reservation_create(record=title, user=manager)
    ItemFactory(record=title, barcode="PP-2")  # free, but nobody ran the queue: it is lent elsewhere
    loan_create(library=other_library, barcode="PP-2", by=None)
    assert _status(reservation) == "pending"


# --- cancelled -------------------------------------------------------------------------------


def test_cancelling_a_set_aside_reservation_passes_the_item_on_and_mails_the_reason(
    manager, other_manager, title, django_capture_on_commit_callbacks
):
    ItemFactory(record=title, barcode="PP-1")
    mine = reservation_create(record=title, user=manager)
    theirs = reservation_create(record=title, user=other_manager)
    with django_capture_on_commit_callbacks(execute=True):
        reservation_cancel(reservation=mine, user=manager)
    assert mine.status == Reservation.Status.CANCELLED
    assert mine.cancellation_reason == "Annulée par la bibliothèque (Sophie Martin)"
    assert mine.cancelled_at is not None
    assert _status(theirs) == "set_aside"
    cancelled, set_aside = mail.outbox
    assert cancelled.subject == "[BDVO] Réservation annulée : « Le Petit Prince »"
    assert "Motif : Annulée par la bibliothèque (Sophie Martin)" in cancelled.body
    assert cancelled.to == [manager.email]
    assert set_aside.to == [other_manager.email]


def test_cancelling_the_last_reservation_puts_the_item_back_on_the_shelf(manager, title):
    ItemFactory(record=title, barcode="PP-1")
    reservation = reservation_create(record=title, user=manager)
    reservation_cancel(reservation=reservation, user=manager, reason="Déjà acheté")
    assert Item.objects.get(barcode="PP-1").status == Item.Status.AVAILABLE
    reservation.refresh_from_db()
    assert reservation.cancellation_reason == "Déjà acheté"


# --- the desks -------------------------------------------------------------------------------


def test_returns_desk_flags_the_item_to_set_aside_for_the_next_library(
    client_for, admin_user, manager, other_manager, other_library, title
):
    NavetteRuleFactory(territory=other_library.territory, weekday=Weekday.THURSDAY)
    _lent_out(title, "PP-1", to=manager.library)
    reservation_create(record=title, user=other_manager)
    response = client_for(admin_user).post(reverse("catalogue_staff:returns"), {"barcode": "PP-1"})
    html = response.content.decode()
    day = navette.next_round(other_library, timezone.now()).day
    assert "« Le Petit Prince » rendu par Médiathèque de Marines." in html
    assert (
        f"Réservé par Médiathèque de Goussainville — mettre de côté pour la navette du {navette.format_day(day)}."
        in html
    )
    assert 'class="line-flag"' in html


def test_returns_desk_without_reservation_shows_no_flag(client_for, admin_user, library, title):
    _lent_out(title, "PP-1", to=library)
    html = client_for(admin_user).post(reverse("catalogue_staff:returns"), {"barcode": "PP-1"}).content.decode()
    assert "rendu par Médiathèque de Marines" in html and "line-flag" not in html
    assert Item.objects.get(barcode="PP-1").status == Item.Status.AVAILABLE


def test_lending_desk_says_the_reservation_is_delivered(client_for, admin_user, manager, library, title):
    ItemFactory(record=title, barcode="PP-1")
    reservation = reservation_create(record=title, user=manager)
    html = (
        client_for(admin_user)
        .post(reverse("catalogue_staff:lending"), {"library": library.pk, "barcode": "PP-1"})
        .content.decode()
    )
    day = timezone.localtime(reservation.created_at).strftime("%d/%m/%Y")
    assert "prêté à Médiathèque de Marines" in html and f"Réservation du {day} livrée." in html


# --- the library's list and dashboard ----------------------------------------------------------


def test_the_list_shows_rank_round_delivery_and_reason(client_for, manager, other_manager, library, title):
    NavetteRuleFactory(territory=library.territory, weekday=Weekday.TUESDAY)
    _lent_out(title, "PP-1")
    reservation_create(record=title, user=other_manager)
    waiting = reservation_create(record=title, user=manager)
    shelf = RecordFactory(title="Vol de nuit")
    ItemFactory(record=shelf, barcode="VN-1")
    set_aside = reservation_create(record=shelf, user=manager)
    delivered_title = RecordFactory(title="Terre des hommes")
    ItemFactory(record=delivered_title, barcode="TH-1")
    reservation_create(record=delivered_title, user=manager)
    loan_create(library=library, barcode="TH-1", by=None)
    cancelled = reservation_create(record=RecordFactory(title="Citadelle"), user=manager)
    reservation_cancel(reservation=cancelled, user=manager, reason="Commandé ailleurs")

    html = client_for(manager).get(reverse("extranet:reservations")).content.decode()
    assert "Rang 2 dans la file d&#x27;attente" in html or "Rang 2 dans la file d'attente" in html
    assert f"Navette du {date_format(set_aside.delivery_on, 'l j F Y')}" in html
    assert "Mise de côté" in html and "Livrée" in html and "En attente" in html
    assert f"Prêtée le {timezone.localdate():%d/%m/%Y}" in html
    assert "Commandé ailleurs" in html
    assert waiting.status == "pending"


def test_dashboard_counts_and_links(client_for, manager, library, title):
    _lent_out(title, "PP-1")
    reservation_create(record=title, user=manager)
    ItemFactory(record=RecordFactory(title="Vol de nuit"), barcode="VN-1")
    reservation_create(record=Item.objects.get(barcode="VN-1").record, user=manager)
    ItemFactory(record=RecordFactory(title="Courrier sud"), barcode="CS-1")
    reservation_create(record=Item.objects.get(barcode="CS-1").record, user=manager)
    loan_create(library=library, barcode="CS-1", by=None)
    response = client_for(manager).get(reverse("extranet:dashboard"))
    context = response.context
    assert (context["active_reservations"], context["set_aside_reservations"], context["pending_reservations"]) == (
        2,
        1,
        1,
    )
    assert context["delivered_reservations"] == 1
    html = response.content.decode()
    assert "?status=set_aside" in html and "?status=fulfilled" in html
    assert "<strong>1</strong> réservation livrée ces 30 derniers jours" in html


# --- the whole cycle, and two desks at once (PostgreSQL) ---------------------------------------


def test_the_whole_cycle(manager, other_manager, library, other_library, title, admin_user):
    """Marines and Goussainville want the only copy, lent to a third library: served in turn."""
    _lent_out(title, "PP-1")
    mine = reservation_create(record=title, user=manager)
    theirs = reservation_create(record=title, user=other_manager)
    loan_return(barcode="PP-1", by=admin_user)
    assert (_status(mine), _status(theirs)) == ("set_aside", "pending")
    loan_create(library=library, barcode="PP-1", by=admin_user)
    assert (_status(mine), _status(theirs)) == ("fulfilled", "pending")
    loan_return(barcode="PP-1", by=admin_user)
    assert _status(theirs) == "set_aside"
    loan_create(library=other_library, barcode="PP-1", by=admin_user)
    assert _status(theirs) == "fulfilled"
    assert Item.objects.get(barcode="PP-1").status == Item.Status.ON_LOAN


@pytest.fixture
def slow_rounds(monkeypatch):
    """The navette date of a set-aside is looked up a little slowly, between reading the queue
    and writing the reservation: two desks then overlap for sure, not by luck of timing."""
    lookup = circulation.planned_delivery_on

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return lookup(*args, **kwargs)

    monkeypatch.setattr(circulation, "planned_delivery_on", slow)


def _at_once(*actions):
    """Run ``actions`` in threads released together (each with its connection open already);
    each returns ``"ok"`` or its French refusal."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action):
        connection.ensure_connection()
        barrier.wait()
        try:
            action()
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        except Exception as exc:  # a server error: the outcome the test must never see
            outcomes.append(repr(exc))
        else:
            outcomes.append("ok")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


needs_postgres = pytest.mark.skipif(not settings.IS_POSTGRES, reason="row locks between connections: PostgreSQL only")


@pytest.mark.parametrize("round_", range(3))
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_returns_at_once_set_one_item_aside_for_one_reservation(manager, title, round_, slow_rounds):
    _lent_out(title, "PP-1", "PP-2")
    reservation = reservation_create(record=title, user=manager)
    outcomes = _at_once(lambda: loan_return(barcode="PP-1", by=None), lambda: loan_return(barcode="PP-2", by=None))
    assert outcomes == ["ok", "ok"]
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.SET_ASIDE
    statuses = sorted(Item.objects.filter(record=title).values_list("status", flat=True))
    assert statuses == [Item.Status.AVAILABLE, Item.Status.SET_ASIDE]


@pytest.mark.parametrize("round_", range(3))
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_returns_at_once_serve_two_reservations_with_two_items(manager, other_manager, title, round_, slow_rounds):
    _lent_out(title, "PP-1", "PP-2")
    first = reservation_create(record=title, user=manager)
    second = reservation_create(record=title, user=other_manager)
    _at_once(lambda: loan_return(barcode="PP-1", by=None), lambda: loan_return(barcode="PP-2", by=None))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("set_aside", "set_aside")
    assert {first.item.barcode, second.item.barcode} == {"PP-1", "PP-2"}


@pytest.mark.parametrize("round_", range(3))
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_loan_and_a_return_at_once_deliver_and_set_aside_once(
    manager, other_manager, library, title, round_, slow_rounds
):
    """Marines is first in line, Goussainville second: PP-2 comes back while PP-3 is lent to
    Marines. Marines is delivered by PP-3, PP-2 goes to Goussainville; never one item for two."""
    _lent_out(title, "PP-1", "PP-2")
    ItemFactory(record=title, barcode="PP-3", status=Item.Status.IN_PROCESSING)
    mine = reservation_create(record=title, user=manager)
    theirs = reservation_create(record=title, user=other_manager)
    outcomes = _at_once(
        lambda: loan_create(library=library, barcode="PP-3", by=None), lambda: loan_return(barcode="PP-2", by=None)
    )
    assert outcomes == ["ok", "ok"]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.item.barcode) == ("fulfilled", "PP-3")
    assert (theirs.status, theirs.item.barcode) == ("set_aside", "PP-2")
    set_aside = Reservation.objects.all_libraries().filter(status="set_aside")
    assert set_aside.count() == 1


@pytest.mark.parametrize("round_", range(3))
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_libraries_reserving_the_last_free_item_at_once(manager, other_manager, title, round_, slow_rounds):
    """Both find the item free; the title lock makes the second wait and find it kept for the first."""
    ItemFactory(record=title, barcode="PP-1")
    outcomes = _at_once(
        lambda: reservation_create(record=title, user=manager),
        lambda: reservation_create(record=title, user=other_manager),
    )
    assert outcomes == ["ok", "ok"]
    statuses = sorted(Reservation.objects.all_libraries().values_list("status", flat=True))
    assert statuses == [Reservation.Status.PENDING, Reservation.Status.SET_ASIDE]
    assert Reservation.objects.all_libraries().with_queue_rank().get(status="pending").queue_rank == 1
    assert Item.objects.get(barcode="PP-1").status == Item.Status.SET_ASIDE


@pytest.mark.parametrize("round_", range(3))
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_loan_and_a_reservation_of_the_free_item_at_once(manager, other_library, title, round_, slow_rounds):
    """The desk lends the free item while a library reserves it: either it is lent (the
    reservation waits) or set aside first (the loan is refused) — never both."""
    ItemFactory(record=title, barcode="PP-1")
    outcomes = _at_once(
        lambda: loan_create(library=other_library, barcode="PP-1", by=None),
        lambda: reservation_create(record=title, user=manager),
    )
    reservation = Reservation.objects.for_library(manager.library).get()
    item = Item.objects.get(barcode="PP-1")
    if "ok" in outcomes and len(set(outcomes)) == 1:  # lent first, then reserved
        assert (item.status, reservation.status) == (Item.Status.ON_LOAN, Reservation.Status.PENDING)
        assert Loan.objects.all_libraries().in_progress().count() == 1
    else:  # set aside first: the loan is refused with the reason
        assert any("mis de côté pour Médiathèque de Marines" in outcome for outcome in outcomes)
        assert (item.status, reservation.status) == (Item.Status.SET_ASIDE, Reservation.Status.SET_ASIDE)
        assert not Loan.objects.all_libraries().exists()


# --- constant queries --------------------------------------------------------------------------


def _busy_library(manager, other_manager, index: int) -> None:
    """One more title in each state for the manager's library, with another library in line."""
    library = manager.library
    waiting = RecordFactory(title=f"Attente {index}")
    ItemFactory(record=waiting, barcode=f"W-{index}", status=Item.Status.ON_LOAN)
    reservation_create(record=waiting, user=other_manager)
    reservation_create(record=waiting, user=manager)
    shelf = RecordFactory(title=f"Rayon {index}")
    ItemFactory(record=shelf, barcode=f"S-{index}")
    reservation_create(record=shelf, user=manager)
    delivered = RecordFactory(title=f"Livré {index}")
    ItemFactory(record=delivered, barcode=f"D-{index}")
    reservation_create(record=delivered, user=manager)
    long_ago = timezone.localdate() - datetime.timedelta(days=200)
    loan = loan_create(library=library, barcode=f"D-{index}", loaned_on=long_ago, by=None)
    loan_renew(loan=loan, user=manager)  # renewed, and still overdue
    cancelled = reservation_create(record=RecordFactory(title=f"Annulé {index}"), user=manager)
    reservation_cancel(reservation=cancelled, user=manager)


@pytest.mark.parametrize("name", ["extranet:reservations", "extranet:loans", "extranet:dashboard"])
def test_pages_run_the_same_queries_whatever_the_activity(client_for, manager, other_manager, name):
    client = client_for(manager)
    client.get(reverse(name))  # the header's cached parts are warm from then on
    counts = []
    for batch in (range(0, 2), range(2, 12)):
        for index in batch:
            _busy_library(manager, other_manager, index)
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse(name), {"per_page": 200} if name != "extranet:dashboard" else {}).status_code == 200
            )
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_dashboard_stays_within_two_queries_of_its_former_count(
    client_for, library, other_library, manager, other_manager
):
    """Before issue 16 the dashboard of ``tests.extranet.test_dashboard._activity`` ran 9
    queries (session, user, library, loans, reservations, tool bookings, registrations, and
    the layout's two); the navette panel caches its rounds. At most 11 now."""
    from tests.extranet.test_dashboard import _activity

    client = client_for(manager)
    client.get(reverse("extranet:dashboard"))
    _activity(library, other_library, manager, other_manager)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("extranet:dashboard"))
    assert len(queries.captured_queries) <= 9 + 2


# --- referents: the library of another territory is never named ----------------------------------


def test_a_referent_is_refused_an_item_kept_for_another_territory_without_its_name(
    referent, manager, other_manager, library, title
):
    ItemFactory(record=title, barcode="PP-1")
    reservation_create(record=title, user=other_manager)  # Goussainville, Plaine de France
    with pytest.raises(ValidationError) as refusal:
        loan_create(library=library, barcode="PP-1", by=referent)
    message = " ".join(refusal.value.messages)
    assert "hors de vos territoires" in message and "Goussainville" not in message


def test_the_returns_desk_of_a_referent_does_not_name_another_territorys_library(
    client_for, referent, other_manager, library, title
):
    _lent_out(title, "PP-1", to=library)
    reservation_create(record=title, user=other_manager)
    html = client_for(referent).post(reverse("catalogue_staff:returns"), {"barcode": "PP-1"}).content.decode()
    assert "Réservé par une bibliothèque hors de vos territoires — mettre de côté pour la " in html
    assert "Goussainville" not in html


# --- the staff navette plan ----------------------------------------------------------------------


def test_documents_set_aside_travel_in_the_staff_navette_plan(
    client_for, admin_user, manager, library, title, django_assert_num_queries
):
    from catalogue.navette import document_lines

    ItemFactory(record=title, barcode="PP-1", call_number="R SAI")
    reservation = reservation_create(record=title, user=manager)
    day = reservation.delivery_on
    assert day is not None  # the library has navette rounds
    with django_assert_num_queries(1):
        [line] = document_lines(day, day, [library])
    assert (line.day, line.library, line.direction, line.item) == (day, library, "deliver", "Le Petit Prince")
    assert line.detail == "PP-1 — R SAI"
    assert document_lines(day + datetime.timedelta(days=1), day + datetime.timedelta(days=9), [library]) == []

    period = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    html = client_for(admin_user).get(reverse("animation_tools:navette"), period).content.decode()
    assert "Documents réservés mis de côté" in html and "Le Petit Prince" in html and "PP-1 — R SAI" in html
    response = client_for(admin_user).get(reverse("exports_staff:export", args=["navette_plan"]), period)
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ";Documents réservés mis de côté;Le Petit Prince;PP-1 — R SAI;" in csv
