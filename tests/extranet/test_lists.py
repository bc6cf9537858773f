"""Loans, returns and reservations lists of the espace professionnel."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from catalogue.models import Reservation
from tests.factories import ItemFactory, LoanFactory, RecordFactory, ReservationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 9, 1)


def _loan(
    library, *, title="Les Misérables", author="Hugo, Victor", barcode=None, loaned_on=DAY, returned_on=None, **item
):
    record = RecordFactory(title=title, main_author=author)
    item_kwargs = {"record": record, **item}
    if barcode:
        item_kwargs["barcode"] = barcode
    return LoanFactory(
        library=library,
        item=ItemFactory(**item_kwargs),
        loaned_on=loaned_on,
        due_on=loaned_on + datetime.timedelta(days=120),
        returned_on=returned_on,
    )


def _rows(response):
    return list(response.context["page"].object_list)


def test_loans_list_shows_only_own_library_loans_in_progress(client_for, manager, library, other_library):
    mine = _loan(library, title="Œuvres complètes")
    _loan(library, title="Déjà rendu", returned_on=DAY + datetime.timedelta(days=3))
    _loan(other_library, title="Chez les voisins")
    response = client_for(manager).get(reverse("extranet:loans"))
    assert response.status_code == 200
    assert _rows(response) == [mine]
    assert response.context["count"] == 1
    content = response.content.decode()
    assert "Œuvres complètes" in content
    assert "Chez les voisins" not in content and "Déjà rendu" not in content


def test_returns_list_shows_returned_loans_with_return_date(client_for, viewer, library):
    _loan(library, title="En cours")
    back = _loan(library, title="Rendu", returned_on=DAY + datetime.timedelta(days=5))
    response = client_for(viewer).get(reverse("extranet:returns"))
    assert _rows(response) == [back]
    assert "06/09/2026" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"title": "misér"}, {"Les Misérables"}),
        ({"author": "zola"}, {"Germinal"}),
        ({"barcode": "ZZ42"}, {"Ærø"}),
        ({"loaned_on": "2026-09-01"}, {"Les Misérables"}),
        ({"loaned_from": "2026-09-02", "loaned_to": "2026-09-10"}, {"Germinal"}),
        ({"loaned_from": "2026-09-02"}, {"Germinal", "Ærø"}),
    ],
)
def test_loans_filters(client_for, viewer, library, params, expected):
    _loan(library, title="Les Misérables", loaned_on=DAY)
    _loan(library, title="Germinal", author="Zola, Émile", loaned_on=DAY + datetime.timedelta(days=5))
    _loan(library, title="Ærø", author="Andersen", barcode="ZZ42", loaned_on=DAY + datetime.timedelta(days=20))
    response = client_for(viewer).get(reverse("extranet:loans"), params)
    assert {loan.item.record.title for loan in _rows(response)} == expected
    assert response.context["count"] == len(expected)


def test_default_sort_is_loan_date_descending_and_headers_toggle(client_for, viewer, library):
    old = _loan(library, title="B ancien", loaned_on=DAY)
    new = _loan(library, title="A récent", loaned_on=DAY + datetime.timedelta(days=9))
    client = client_for(viewer)
    response = client.get(reverse("extranet:loans"))
    assert _rows(response) == [new, old]
    assert 'aria-sort="descending"' in response.content.decode()
    assert _rows(client.get(reverse("extranet:loans"), {"o": "title"})) == [new, old]
    assert _rows(client.get(reverse("extranet:loans"), {"o": "-title"})) == [old, new]
    assert _rows(client.get(reverse("extranet:loans"), {"o": "loaned_on"})) == [old, new]
    response = client.get(reverse("extranet:loans"), {"o": "title"})
    title = next(column for column in response.context["columns"] if column["key"] == "title")
    assert title["aria_sort"] == "ascending" and "o=-title" in title["url"]


@pytest.mark.parametrize(
    "key", ["title", "author", "barcode", "call_number", "document_type", "loaned_on", "due_on", "returned_on"]
)
def test_every_column_sorts_on_returns(client_for, viewer, library, key):
    _loan(library, title="A", returned_on=DAY + datetime.timedelta(days=1))
    _loan(library, title="B", returned_on=DAY + datetime.timedelta(days=2))
    response = client_for(viewer).get(reverse("extranet:returns"), {"o": f"-{key}"})
    assert response.status_code == 200
    assert len(_rows(response)) == 2


def test_pagination_and_page_size(client_for, viewer, library):
    for index in range(30):
        _loan(library, title=f"Titre {index:02d}", loaned_on=DAY + datetime.timedelta(days=index))
    client = client_for(viewer)
    response = client.get(reverse("extranet:loans"))
    assert len(_rows(response)) == 25 and response.context["count"] == 30
    response = client.get(reverse("extranet:loans"), {"page": 2})
    assert len(_rows(response)) == 5
    assert _rows(response)[-1].item.record.title == "Titre 00"
    response = client.get(reverse("extranet:loans"), {"per_page": 50})
    assert len(_rows(response)) == 30
    response = client.get(reverse("extranet:loans"), {"per_page": 7})  # not offered → default
    assert response.context["per_page"] == 25


@pytest.mark.parametrize("name", ["extranet:loans", "extranet:returns", "extranet:reservations"])
def test_constant_number_of_queries(client_for, manager, library, django_assert_max_num_queries, name):
    """The same queries for 5 rows as for 200 (the page layout adds a few of its own)."""

    def add_rows(count):
        for index in range(count):
            if name == "extranet:reservations":
                ReservationFactory(library=library)
            else:
                returned = DAY + datetime.timedelta(days=1) if name == "extranet:returns" else None
                _loan(library, title=f"T{index}", returned_on=returned)

    client = client_for(manager)
    client.get(reverse(name))  # the header's predefined searches are cached from then on
    counts = []
    for rows in (5, 195):
        add_rows(rows)
        with django_assert_max_num_queries(10) as captured:
            response = client.get(reverse(name), {"per_page": 200})
        counts.append(len(captured))
        assert len(_rows(response)) == (5 if rows == 5 else 200)
    assert counts[0] == counts[1]


# --- reservations --------------------------------------------------------------------------


def test_reservations_list_filters_by_status_and_sorts(client_for, viewer, library, other_library):
    pending = ReservationFactory(library=library, record=RecordFactory(title="Attente"))
    cancelled = ReservationFactory(
        library=library, record=RecordFactory(title="Annulée"), status=Reservation.Status.CANCELLED
    )
    ReservationFactory(library=other_library)
    client = client_for(viewer)
    response = client.get(reverse("extranet:reservations"))
    assert set(_rows(response)) == {pending, cancelled}
    response = client.get(reverse("extranet:reservations"), {"status": "pending"})
    assert _rows(response) == [pending]
    response = client.get(reverse("extranet:reservations"), {"o": "title"})
    assert _rows(response) == [cancelled, pending]
    today = pending.created_at.date().isoformat()
    response = client.get(reverse("extranet:reservations"), {"created_from": today, "created_to": today})
    assert response.context["count"] == 2


def test_viewer_sees_no_delete_button_and_gets_403(client_for, viewer, library):
    reservation = ReservationFactory(library=library)
    client = client_for(viewer)
    assert "reservations_delete" not in client.get(reverse("extranet:reservations")).content.decode()
    response = client.post(reverse("extranet:reservations_delete"), {"selected": [reservation.pk], "confirm": "1"})
    assert response.status_code == 403
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.PENDING


def test_manager_gets_confirmation_page_before_delete(client_for, manager, library):
    reservation = ReservationFactory(library=library, record=RecordFactory(title="À confirmer"))
    response = client_for(manager).post(reverse("extranet:reservations_delete"), {"selected": [reservation.pk]})
    assert response.status_code == 200
    assert "À confirmer" in response.content.decode()
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.PENDING


def test_manager_deletes_selected_reservation(client_for, manager, library):
    reservation = ReservationFactory(library=library)
    kept = ReservationFactory(library=library)
    response = client_for(manager).post(
        reverse("extranet:reservations_delete"), {"selected": [reservation.pk], "confirm": "1"}
    )
    assert response.status_code == 302
    reservation.refresh_from_db()
    kept.refresh_from_db()
    assert reservation.status == Reservation.Status.CANCELLED
    assert kept.status == Reservation.Status.PENDING


def test_deleting_an_inactive_reservation_says_why(client_for, manager, library):
    done = ReservationFactory(
        library=library, record=RecordFactory(title="Déjà là"), status=Reservation.Status.FULFILLED
    )
    response = client_for(manager).post(
        reverse("extranet:reservations_delete"), {"selected": [done.pk], "confirm": "1"}, follow=True
    )
    assert "Déjà là" in response.content.decode() and "ne peut plus être annulée" in response.content.decode()
    done.refresh_from_db()
    assert done.status == Reservation.Status.FULFILLED


def test_other_library_reservation_gives_404(client_for, other_manager, library):
    reservation = ReservationFactory(library=library)
    response = client_for(other_manager).post(
        reverse("extranet:reservations_delete"), {"selected": [reservation.pk], "confirm": "1"}
    )
    assert response.status_code == 404
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.PENDING


@pytest.mark.parametrize("name", ["extranet:loans", "extranet:returns", "extranet:reservations"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ["extranet:loans", "extranet:returns", "extranet:reservations"])
def test_staff_without_library_gets_403(client_for, admin_user, name):
    assert client_for(admin_user).get(reverse(name)).status_code == 403


def test_anonymous_delete_is_sent_to_login(client, library):
    reservation = ReservationFactory(library=library)
    response = client.post(reverse("extranet:reservations_delete"), {"selected": [reservation.pk], "confirm": "1"})
    assert response.status_code == 302


def test_reservations_csv_export_follows_filters(client_for, manager, viewer, other_manager, library):
    import csv
    import io

    ReservationFactory(library=library, record=RecordFactory(title="Ærø"))
    ReservationFactory(library=library, record=RecordFactory(title="Œuvres"), status=Reservation.Status.CANCELLED)
    url = reverse("extranet:export", kwargs={"identifier": "reservations"})
    response = client_for(manager).get(url, {"status": "pending"})
    assert response.status_code == 200 and "_reservations_" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Titre", "Auteur", "Date de la demande", "Statut"]
    assert [row[0] for row in rows[1:]] == ["Ærø"] and rows[1][3] == "En attente"
    assert client_for(viewer).get(url).status_code == 200  # exporting is reading
    other = b"".join(client_for(other_manager).get(url).streaming_content).decode("utf-8")
    assert "Ærø" not in other


def test_document_type_sort_follows_the_displayed_type(client_for, viewer, library):
    from catalogue.models import DocumentType

    comic = _loan(library, title="BD", document_type=DocumentType.COMIC)
    record_type = _loan(library, title="Sans type propre", document_type="")
    record_type.item.record.document_type = DocumentType.AUDIO
    record_type.item.record.save()
    book = _loan(library, title="Livre", document_type=DocumentType.BOOK)
    response = client_for(viewer).get(reverse("extranet:loans"), {"o": "document_type"})
    assert _rows(response) == [record_type, book, comic]  # audio, book, comic
