"""Staff lending and returns by barcode, and the loans admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import Item, Loan
from tests.factories import ItemFactory, LoanFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(admin_user):
    return admin_user


def test_staff_lends_barcodes_one_after_another(client_for, staff, library):
    ItemFactory(barcode="S-1", record=RecordFactory(title="Les Misérables"))
    ItemFactory(barcode="S-2", record=RecordFactory(title="Ærø"))
    client = client_for(staff)
    response = client.get(reverse("catalogue_staff:lending"))
    assert response.status_code == 200
    assert "autofocus" in response.content.decode()
    client.post(reverse("catalogue_staff:lending"), {"library": library.pk, "barcode": "S-1"})
    response = client.post(reverse("catalogue_staff:lending"), {"library": library.pk, "barcode": "S-2"})
    content = response.content.decode()
    assert "« Les Misérables » prêté à Médiathèque de Marines" in content
    assert "« Ærø » prêté" in content
    assert response.context["form"]["library"].value() == library.pk  # library kept for the next scan
    assert not response.context["form"]["barcode"].value()
    assert set(Loan.objects.all_libraries().values_list("item__barcode", flat=True)) == {"S-1", "S-2"}
    assert Item.objects.get(barcode="S-1").status == Item.Status.ON_LOAN


def test_refusals_are_listed_with_their_reason(client_for, staff, library, other_library):
    LoanFactory(item=ItemFactory(barcode="S-3"), library=other_library)
    ItemFactory(barcode="S-4", status=Item.Status.LOST)
    client = client_for(staff)
    client.post(reverse("catalogue_staff:lending"), {"library": library.pk, "barcode": "INCONNU"})
    client.post(reverse("catalogue_staff:lending"), {"library": library.pk, "barcode": "S-3"})
    response = client.post(reverse("catalogue_staff:lending"), {"library": library.pk, "barcode": "S-4"})
    content = response.content.decode()
    assert "Code-barres inconnu : INCONNU" in content
    assert "déjà en prêt à Médiathèque de Goussainville" in content
    assert "« Perdu »" in content
    assert content.count("Refusé") == 3
    assert Loan.objects.for_library(library).count() == 0


def test_returns_by_barcode_alone(client_for, staff, library):
    LoanFactory(item=ItemFactory(barcode="S-5", record=RecordFactory(title="Germinal")), library=library)
    client = client_for(staff)
    response = client.post(reverse("catalogue_staff:returns"), {"barcode": "S-5"})
    assert "« Germinal » rendu par Médiathèque de Marines" in response.content.decode()
    response = client.post(reverse("catalogue_staff:returns"), {"barcode": "S-5"})
    assert "Pas de prêt en cours pour le code-barres S-5" in response.content.decode()
    assert Item.objects.get(barcode="S-5").status == Item.Status.AVAILABLE
    client.post(reverse("catalogue_staff:clear_lines", args=["return"]))
    assert client.get(reverse("catalogue_staff:returns")).context["lines"] == []


@pytest.mark.parametrize("name", ["catalogue_staff:lending", "catalogue_staff:returns"])
def test_partners_get_403_and_anonymous_login(client, client_for, manager, name):
    assert client_for(manager).get(reverse(name)).status_code == 403
    assert client_for(manager).post(reverse(name), {"barcode": "X"}).status_code == 403
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_admin_lists_loans_and_records_returns(client_for, staff, library):
    loan = LoanFactory(item=ItemFactory(barcode="ADM-1"), library=library)
    client = client_for(staff)
    url = reverse("admin:catalogue_loan_changelist")
    response = client.get(url, {"q": "ADM-1"})
    assert response.status_code == 200 and "ADM-1" in response.content.decode()
    assert client.get(url, {"returned": "no", "library__territory__id__exact": library.territory_id}).status_code == 200
    response = client.post(url, {"action": "record_return", "_selected_action": [loan.pk]})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.returned_on is not None
    assert Item.objects.get(barcode="ADM-1").status == Item.Status.AVAILABLE


def test_admin_change_page_is_read_only_and_add_goes_through_the_staff_page(client_for, staff, library):
    loan = LoanFactory(item=ItemFactory(barcode="ADM-2"), library=library)
    client = client_for(staff)
    assert client.get(reverse("admin:catalogue_loan_change", args=[loan.pk])).status_code == 200
    assert client.get(reverse("admin:catalogue_loan_add")).status_code == 403


def test_referent_sees_only_the_loans_of_their_territories(client_for, referent, library, other_library):
    from django.contrib.auth.models import Permission

    referent.user_permissions.add(*Permission.objects.filter(codename__in=["view_loan", "change_loan"]))
    LoanFactory(item=ItemFactory(barcode="MINE-1"), library=library)
    LoanFactory(item=ItemFactory(barcode="FAR-1"), library=other_library)
    content = client_for(referent).get(reverse("admin:catalogue_loan_changelist")).content.decode()
    assert "MINE-1" in content and "FAR-1" not in content


def test_referent_sees_and_processes_only_the_reservations_of_their_territories(
    client_for, referent, library, other_library
):
    from catalogue.models import Reservation
    from tests.factories import ReservationFactory

    mine = ReservationFactory(record=RecordFactory(title="Notice de Marines"), library=library)
    far = ReservationFactory(record=RecordFactory(title="Notice de Goussainville"), library=other_library)
    client = client_for(referent)
    url = reverse("admin:catalogue_reservation_changelist")
    content = client.get(url).content.decode()
    assert "Notice de Marines" in content and "Notice de Goussainville" not in content
    assert client.get(reverse("admin:catalogue_reservation_change", args=[far.pk])).status_code == 302
    page = client.post(url, {"action": "cancel", "_selected_action": [mine.pk, far.pk]}).content.decode()
    assert "Notice de Marines" in page and "Notice de Goussainville" not in page  # the reason page
    client.post(url, {"action": "cancel", "_selected_action": [mine.pk, far.pk], "apply": "1", "reason": "Doublon"})
    mine.refresh_from_db()
    far.refresh_from_db()
    assert (mine.status, far.status) == (Reservation.Status.CANCELLED, Reservation.Status.PENDING)


def test_referent_group_loses_the_catalogue_permissions_of_earlier_versions(db):
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from extranet.apps import ensure_referent_group

    group = Group.objects.get(name="Référents de territoire")
    group.permissions.add(*Permission.objects.filter(codename__in=["view_record", "view_item"]))
    ensure_referent_group(sender=apps.get_app_config("catalogue"))
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_loan", "view_reservation", "change_reservation", "view_user"} <= codenames
    assert not codenames & {"view_record", "view_item"}


# --- territory referents (issue 15): lending and returns for their territories only ---------


def test_a_referent_cannot_lend_to_another_territorys_library(referent, library, other_library):
    from django.core.exceptions import ValidationError

    from catalogue.services.loans import loan_create

    ItemFactory(barcode="T-1")
    with pytest.raises(ValidationError, match="n'est pas dans vos territoires"):
        loan_create(library=other_library, barcode="T-1", by=referent)
    assert not Loan.objects.all_libraries().exists()
    assert Item.objects.get(barcode="T-1").status == Item.Status.AVAILABLE
    assert loan_create(library=library, barcode="T-1", by=referent).library == library


def test_a_referent_cannot_take_back_another_territorys_loan(referent, other_library):
    from django.core.exceptions import ValidationError

    from catalogue.services.loans import loan_return

    loan = LoanFactory(item=ItemFactory(barcode="T-2"), library=other_library)
    with pytest.raises(ValidationError, match="hors de vos territoires") as refusal:
        loan_return(barcode="T-2", by=referent)
    assert other_library.name not in " ".join(refusal.value.messages)
    loan.refresh_from_db()
    assert loan.returned_on is None


def test_the_lending_page_offers_the_referents_libraries_and_refuses_a_forged_one(
    client_for, referent, library, other_library
):
    ItemFactory(barcode="T-3")
    client = client_for(referent)
    page = client.get(reverse("catalogue_staff:lending")).content.decode()
    assert library.name in page and other_library.name not in page
    response = client.post(reverse("catalogue_staff:lending"), {"library": other_library.pk, "barcode": "T-3"})
    assert response.status_code == 200 and response.context["form"].errors["library"]
    assert not Loan.objects.all_libraries().exists()


def test_an_item_lent_to_another_territory_is_refused_without_naming_the_library(
    client_for, referent, library, other_library
):
    LoanFactory(item=ItemFactory(barcode="T-4"), library=other_library)
    response = client_for(referent).post(reverse("catalogue_staff:lending"), {"library": library.pk, "barcode": "T-4"})
    content = response.content.decode()
    assert "déjà en prêt à une bibliothèque hors de vos territoires" in content
    assert other_library.name not in content


def test_bdvo_wide_staff_lend_to_and_take_back_from_every_library(client_for, network_staff, library, other_library):
    ItemFactory(barcode="T-5")
    client = client_for(network_staff)
    client.post(reverse("catalogue_staff:lending"), {"library": other_library.pk, "barcode": "T-5"})
    assert Loan.objects.for_library(other_library).count() == 1
    client.post(reverse("catalogue_staff:returns"), {"barcode": "T-5"})
    assert Loan.objects.for_library(other_library).returned().count() == 1
