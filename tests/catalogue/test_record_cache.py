"""The cached part of the record page (``catalogue.record_page``): served from the cache,
rendered again after every write that changes it, never carrying anything of a user."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalogue.marc.iso2709 import serialise
from catalogue.marc.record import MarcField, MarcRecord
from catalogue.models import Item, Loan, PredefinedSearch, Record
from catalogue.services.loans import loan_create, loan_return
from tests.catalogue.factories import make_record
from tests.factories import ItemFactory, ReservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    record = make_record("Le Petit Prince", authors=["Saint-Exupéry, Antoine de"], subjects=["Contes"])
    ItemFactory(record=record, barcode="BDVO100001", call_number="R SAI")
    return record


def _page(client, record_id: int) -> str:
    response = client.get(reverse("catalogue:record_detail", args=[record_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_anonymous_visit_makes_no_query(client, record, django_assert_num_queries):
    first = _page(client, record.pk)
    with django_assert_num_queries(0):
        second = _page(client, record.pk)
    assert second == first
    assert "Le Petit Prince" in second and "Saint-Exupéry, Antoine de" in second and "Disponible" in second


def test_a_loan_and_its_return_through_the_services_show_at_once(
    client, record, library, admin_user, django_capture_on_commit_callbacks
):
    assert "Disponible" in _page(client, record.pk)

    with django_capture_on_commit_callbacks(execute=True):
        loan = loan_create(library=library, barcode="BDVO100001", due_on=datetime.date(2027, 4, 2), by=admin_user)
    content = _page(client, record.pk)
    assert "En prêt, retour prévu le 2 avril 2027" in content and "Disponible" not in content

    with django_capture_on_commit_callbacks(execute=True):
        loan_return(barcode="BDVO100001", returned_on=loan.loaned_on, by=admin_user)
    content = _page(client, record.pk)
    assert "Disponible" in content and "En prêt" not in content


def test_a_page_rendered_before_the_commit_is_not_served_after_it(
    client, record, library, admin_user, django_capture_on_commit_callbacks
):
    """Another process may render the page from the rows of before the commit, between the
    write and the commit: the bump at commit time makes that body unreachable."""
    _page(client, record.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        loan = loan_create(library=library, barcode="BDVO100001", by=admin_user)
        # The other process still sees the rows of before the loan, and caches them.
        Loan.objects.all_libraries().filter(pk=loan.pk).update(returned_on=loan.loaned_on)
        Item.objects.filter(pk=loan.item_id).update(status=Item.Status.AVAILABLE)
        assert "Disponible" in _page(client, record.pk)
        Loan.objects.all_libraries().filter(pk=loan.pk).update(returned_on=None)
        Item.objects.filter(pk=loan.item_id).update(status=Item.Status.ON_LOAN)
    for callback in callbacks:
        callback()
    assert "En prêt, retour prévu le" in _page(client, record.pk)


def test_an_item_changed_in_the_admin_shows_at_once(client, client_for, record, admin_user):
    assert "Disponible" in _page(client, record.pk)
    item = record.items.get()
    response = client_for(admin_user).post(
        reverse("admin:catalogue_item_change", args=[item.pk]),
        {
            "barcode": item.barcode,
            "record": record.pk,
            "call_number": "R SAI",
            "section": "Jeunesse",
            "document_type": "book",
            "status": Item.Status.LOST,
        },
    )
    assert response.status_code == 302
    content = _page(client, record.pk)
    assert "Perdu" in content and "Jeunesse" in content and "Disponible" not in content


def test_a_deleted_record_is_404(client, record):
    record_id = record.pk
    _page(client, record_id)
    record.items.all().delete()
    record.delete()
    assert client.get(reverse("catalogue:record_detail", args=[record_id])).status_code == 404


def _unimarc(number: str, title: str) -> bytes:
    fields = [
        MarcField("001", data=number),
        MarcField("200", "1 ", [("a", title)]),
        MarcField("700", " 1", [("a", "Hugo"), ("4", "070")]),
        MarcField("995", "  ", [("f", f"BC-{number}"), ("k", "R HUG")]),
    ]
    data, _ = serialise(MarcRecord("00000nam  2200000   450 ", fields), flavour="unimarc")
    return data


def test_an_import_that_changes_the_title_shows_the_new_title(client, tmp_path):
    path = tmp_path / "notices.mrc"
    path.write_bytes(_unimarc("IMP-1", "Notre-Dame de Paris"))
    call_command("import_marc", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    record = Record.objects.get(source_id="IMP-1")
    assert "Notre-Dame de Paris" in _page(client, record.pk)

    path.write_bytes(_unimarc("IMP-1", "Notre-Dame de Paris, édition revue"))
    call_command("import_marc", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert "Notre-Dame de Paris, édition revue" in _page(client, record.pk)


def test_nothing_of_a_user_is_cached(client, client_for, record, manager, other_manager):
    ReservationFactory(record=record, library=other_manager.library, created_by=other_manager)

    mine = _page(client_for(manager), record.pk)
    assert "Réserver ce document ?" in mine and "csrfmiddlewaretoken" in mine and "Sophie Martin" in mine
    assert manager.library.name in mine

    other = _page(client_for(other_manager), record.pk)
    assert "Votre bibliothèque a déjà réservé ce document" in other and "Réserver ce document ?" not in other
    assert "Nadia Haddad" in other and "Sophie Martin" not in other and manager.library.name not in other

    anonymous = _page(client, record.pk)
    assert "Se connecter pour réserver" in anonymous
    for private in ["csrfmiddlewaretoken", "Sophie Martin", "Nadia Haddad", "déjà réservé", manager.library.name]:
        assert private not in anonymous, private


def test_header_predefined_searches_follow_their_changes(client, record):
    assert "Recherches prédéfinies" not in _page(client, record.pk)

    search = PredefinedSearch.objects.create(label="Contes pour la veillée", query="contes")
    content = _page(client, record.pk)
    assert "Contes pour la veillée" in content and search.get_absolute_url().replace("&", "&amp;") in content

    search.is_active = False
    search.save()
    assert "Contes pour la veillée" not in _page(client, record.pk)
