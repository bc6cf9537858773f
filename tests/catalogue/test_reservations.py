"""Document reservations: the record page flow, the services and the staff admin."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalogue.models import Item, Reservation
from catalogue.services.loans import loan_create
from catalogue.services.reservations import (
    reservation_cancel,
    reservation_create,
    reservation_set_aside,
)
from tests.catalogue.factories import make_record
from tests.factories import ItemFactory, ReservationFactory

CONFIRMED = "Votre demande de réservation a bien été enregistrée"


@pytest.fixture
def record(db):
    return make_record("Le Petit Prince", authors=["Saint-Exupéry, Antoine de"])


def _reserve_url(record) -> str:
    return reverse("catalogue:record_reserve", args=[record.pk])


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- record page and confirmation -----------------------------------------------------------


def test_manager_sees_the_button_and_the_confirmation_dialog(client_for, manager, record):
    content = client_for(manager).get(reverse("catalogue:record_detail", args=[record.pk])).content.decode()
    assert f'href="{_reserve_url(record)}" data-dialog="reserve-dialog"' in content
    assert '<dialog id="reserve-dialog"' in content
    assert f'<form method="post" action="{_reserve_url(record)}"' in content


def test_confirmation_page_works_without_javascript(client_for, manager, record):
    client = client_for(manager)
    page = client.get(_reserve_url(record))
    assert page.status_code == 200
    assert "Réserver ce document ?" in page.content.decode()
    assert Reservation.objects.all_libraries().count() == 0

    response = client.post(_reserve_url(record), follow=True)
    assert response.redirect_chain[-1][0] == reverse("catalogue:record_detail", args=[record.pk])
    assert CONFIRMED in response.content.decode()
    reservation = Reservation.objects.all_libraries().get()
    assert (reservation.record, reservation.library, reservation.created_by) == (record, manager.library, manager)
    assert reservation.status == Reservation.Status.PENDING
    assert reservation.created_at is not None


def test_success_message_is_exactly_the_expected_text(client_for, manager, record):
    response = client_for(manager).post(_reserve_url(record))
    assert _messages(response) == [CONFIRMED]


def test_duplicate_reservation_is_refused_in_french(client_for, manager, record):
    client = client_for(manager)
    client.post(_reserve_url(record), follow=True)
    response = client.post(_reserve_url(record))
    assert response.status_code == 302
    assert _messages(response) == [
        "Votre bibliothèque a déjà une réservation en cours pour ce document. "
        "Retrouvez-la dans l'espace professionnel, rubrique « Réservations »."
    ]
    assert Reservation.objects.all_libraries().count() == 1
    content = client.get(reverse("catalogue:record_detail", args=[record.pk])).content.decode()
    assert "Votre bibliothèque a déjà réservé ce document" in content
    assert 'data-dialog="reserve-dialog"' not in content


def test_other_library_may_reserve_the_same_record(client_for, manager, other_manager, record):
    client_for(manager).post(_reserve_url(record))
    response = client_for(other_manager).post(_reserve_url(record))
    assert _messages(response) == [CONFIRMED]
    assert sorted(r.library.code for r in Reservation.objects.all_libraries()) == ["VDO-GOUSS", "VDO-MARINES"]


def test_a_cancelled_reservation_does_not_block_a_new_one(manager, record):
    first = reservation_create(record=record, user=manager)
    reservation_cancel(reservation=first, user=manager)
    second = reservation_create(record=record, user=manager)
    assert second.status == Reservation.Status.PENDING


def test_viewer_sees_why_and_gets_403(client_for, viewer, record):
    client = client_for(viewer)
    content = client.get(reverse("catalogue:record_detail", args=[record.pk])).content.decode()
    assert "Votre profil « Consulter » permet de consulter le catalogue, pas de réserver." in content
    assert 'data-dialog="reserve-dialog"' not in content
    assert client.get(_reserve_url(record)).status_code == 403
    assert client.post(_reserve_url(record)).status_code == 403
    assert Reservation.objects.all_libraries().count() == 0


def test_staff_sees_why_and_gets_403(client_for, admin_user, record):
    client = client_for(admin_user)
    content = client.get(reverse("catalogue:record_detail", args=[record.pk])).content.decode()
    assert "Les réservations sont faites par les bibliothèques partenaires." in content
    assert client.post(_reserve_url(record)).status_code == 403
    assert Reservation.objects.all_libraries().count() == 0


def test_anonymous_is_sent_to_log_in_and_back_to_the_record(client, record):
    record_url = reverse("catalogue:record_detail", args=[record.pk])
    content = client.get(record_url).content.decode()
    assert f'href="{reverse("account_login")}?next={quote(record_url)}"' in content
    response = client.post(_reserve_url(record))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Reservation.objects.all_libraries().count() == 0


def test_inactive_library_cannot_reserve(client_for, manager, library, record):
    library.is_active = False
    library.save()
    assert client_for(manager).post(_reserve_url(record)).status_code == 403


def test_unknown_record_is_404(client_for, manager, db):
    assert client_for(manager).post(reverse("catalogue:record_reserve", args=[999999])).status_code == 404


# --- services --------------------------------------------------------------------------------


def test_services_recheck_the_rules(manager, viewer, other_manager, admin_user, record):
    with pytest.raises(PermissionDenied):
        reservation_create(record=record, user=viewer)
    with pytest.raises(PermissionDenied):
        reservation_create(record=record, user=admin_user)
    reservation = reservation_create(record=record, user=manager)
    with pytest.raises(ValidationError):
        reservation_create(record=record, user=manager)
    with pytest.raises(PermissionDenied):
        reservation_cancel(reservation=reservation, user=other_manager)
    with pytest.raises(PermissionDenied):
        reservation_cancel(reservation=reservation, user=viewer)
    with pytest.raises(PermissionDenied):
        reservation_set_aside(reservation=reservation, user=manager)


def test_status_flow(manager, admin_user, record):
    reservation = reservation_create(record=record, user=manager)
    assert reservation.status == Reservation.Status.PENDING
    with pytest.raises(ValidationError, match="Aucun exemplaire de ce titre n'est disponible"):
        reservation_set_aside(reservation=reservation, user=admin_user)
    item = ItemFactory(record=record, barcode="PP-1")  # catalogued in the admin: nobody served yet
    reservation_set_aside(reservation=reservation, user=admin_user)
    assert (reservation.status, reservation.item_id) == (Reservation.Status.SET_ASIDE, item.pk)
    with pytest.raises(ValidationError):
        reservation_set_aside(reservation=reservation, user=admin_user)
    loan_create(library=manager.library, barcode="PP-1", by=admin_user)
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.FULFILLED
    assert reservation.status_changed_at is not None and reservation.fulfilled_at is not None
    with pytest.raises(ValidationError, match="Livrée"):
        reservation_cancel(reservation=reservation, user=manager)


def test_the_database_constraint_is_reported_in_french(manager, record):
    """Two active reservations written behind the service's back still meet the constraint."""
    ReservationFactory(record=record, library=manager.library)
    with pytest.raises(ValidationError, match="déjà une réservation en cours"):
        reservation_create(record=record, user=manager)


# --- admin -----------------------------------------------------------------------------------


def test_staff_process_reservations_in_admin(client_for, admin_user, manager, other_manager, record):
    mine = reservation_create(record=record, user=manager)
    theirs = reservation_create(record=record, user=other_manager)
    client = client_for(admin_user)
    changelist = reverse("admin:catalogue_reservation_changelist")

    response = client.get(
        changelist, {"status__exact": "pending", "library__territory__id__exact": manager.library.territory_id}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [mine]

    ItemFactory(record=record)
    response = client.post(changelist, {"action": "set_aside", "_selected_action": [theirs.pk]}, follow=True)
    assert "1 réservation mise de côté." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == Reservation.Status.SET_ASIDE

    # Cancelling asks for the reason first, then sends it.
    selection = {"action": "cancel", "_selected_action": [mine.pk, theirs.pk]}
    response = client.post(changelist, selection)
    assert response.status_code == 200 and "Motif" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Reservation.Status.PENDING
    response = client.post(changelist, {**selection, "apply": "1", "reason": "Document épuisé"}, follow=True)
    assert "2 réservations annulées." in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (Reservation.Status.CANCELLED, Reservation.Status.CANCELLED)
    assert mine.cancellation_reason == theirs.cancellation_reason == "Document épuisé"
    assert Item.objects.get(record=record).status == Item.Status.AVAILABLE  # theirs released it
    response = client.post(changelist, {**selection, "apply": "1", "reason": "Encore"}, follow=True)
    assert "ne peut plus être annulée" in response.content.decode()


def test_admin_list_query_count_is_constant(client_for, admin_user, django_assert_max_num_queries, db):
    client = client_for(admin_user)
    counts = []
    for total in (2, 20):
        while Reservation.objects.all_libraries().count() < total:
            ReservationFactory()
        with django_assert_max_num_queries(20) as captured:
            assert client.get(reverse("admin:catalogue_reservation_changelist")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- territory referents (issue 15): their territories' reservations only -------------------


@pytest.mark.django_db
@pytest.mark.parametrize("service", [reservation_set_aside, reservation_cancel])
def test_a_referent_of_another_territory_processes_nothing(service, record, referent, other_library):
    reservation = ReservationFactory(record=record, library=other_library)
    ItemFactory(record=record)  # free: only the territory refuses
    with pytest.raises(PermissionDenied):
        service(reservation=reservation, user=referent)
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.PENDING


@pytest.mark.django_db
def test_the_referent_of_the_territory_and_bdvo_wide_staff_process(record, referent, network_staff, library):
    mine = ReservationFactory(record=record, library=library)
    ItemFactory(record=record)
    assert reservation_set_aside(reservation=mine, user=referent).status == Reservation.Status.SET_ASIDE
    assert reservation_cancel(reservation=mine, user=network_staff).status == Reservation.Status.CANCELLED
