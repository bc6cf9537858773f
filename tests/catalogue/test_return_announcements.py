"""Returns announced by a library for its next navette round: the rule (cut-off, already
announced, returned, no round), the Gestionnaire's page with its confirmation, the badge in
« Prêts en cours », and the collections of the staff navette plan."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from catalogue.models import Item, Loan
from catalogue.navette import return_lines
from catalogue.services.loans import loan_return
from catalogue.services.returns import return_announce
from extranet import navette
from tests.factories import ItemFactory, LibraryFactory, LoanFactory, RecordFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _lent(library, title: str, barcode: str, **fields) -> Loan:
    item = ItemFactory(
        record=RecordFactory(title=title), barcode=barcode, call_number="R SAI", status=Item.Status.ON_LOAN
    )
    return LoanFactory(item=item, library=library, loaned_on=TODAY - datetime.timedelta(days=30), **fields)


@pytest.fixture
def loan(library):
    return _lent(library, "Le Petit Prince", "PP-1", due_on=TODAY + datetime.timedelta(days=20))


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the rule --------------------------------------------------------------------------------


def test_a_return_is_announced_for_the_next_round_still_open(manager, library, loan):
    expected = navette.next_round(library, timezone.now())
    assert expected is not None
    day = return_announce(loan=loan, user=manager)
    assert day == expected.day and loan.return_announced_for == expected.day
    loan.refresh_from_db()
    assert loan.return_announced_for == expected.day and loan.return_announced_at is not None


def test_once_the_cut_off_has_passed_the_return_goes_with_the_round_after(manager, library, loan):
    first = navette.next_round(library, timezone.now())
    assert first is not None
    just_before = first.cutoff - datetime.timedelta(seconds=1)
    assert return_announce(loan=loan, user=manager, at=just_before) == first.day

    other = _lent(library, "Vol de nuit", "VN-1", due_on=TODAY)
    after = navette.next_round(library, first.cutoff)
    assert after is not None and after.day > first.day
    assert return_announce(loan=other, user=manager, at=first.cutoff) == after.day


def test_refused_when_already_announced_or_returned(manager, library, loan):
    day = return_announce(loan=loan, user=manager)
    with pytest.raises(ValidationError, match=f"Retour déjà annoncé pour la navette du {navette.format_day(day)}"):
        return_announce(loan=loan, user=manager)
    returned = _lent(library, "Vol de nuit", "VN-1", due_on=TODAY, returned_on=TODAY)
    with pytest.raises(ValidationError, match=r"Ce document est déjà rendu\."):
        return_announce(loan=returned, user=manager)
    returned.refresh_from_db()
    assert returned.return_announced_for is None


def test_refused_when_the_library_has_no_round():
    library = LibraryFactory(name="Médiathèque d'Ennery", territory=TerritoryFactory(name="Sans navette"))
    manager = UserFactory(library=library)
    loan = _lent(library, "Le Petit Prince", "PP-1", due_on=TODAY)
    with pytest.raises(ValidationError, match="Aucune tournée de navette n'est prévue"):
        return_announce(loan=loan, user=manager)
    loan.refresh_from_db()
    assert loan.return_announced_for is None


def test_only_a_manager_of_the_library_announces(viewer, other_manager, loan):
    for user in (viewer, other_manager):
        with pytest.raises(PermissionDenied):
            return_announce(loan=loan, user=user)


def test_returning_the_item_at_the_desk_takes_it_off_the_plan(manager, admin_user, library, loan):
    day = return_announce(loan=loan, user=manager)
    assert len(return_lines(day, day, [library])) == 1
    returned = loan_return(barcode="PP-1", by=admin_user)
    assert returned.returned_on == TODAY
    assert return_lines(day, day, [library]) == []


# --- the page --------------------------------------------------------------------------------


def test_confirmation_page_names_the_round_then_announces(client_for, manager, library, loan):
    announced = _lent(library, "Vol de nuit", "VN-1", due_on=TODAY)
    day = return_announce(loan=announced, user=manager)
    client = client_for(manager)
    url = reverse("extranet:loans_announce_return")
    html = client.post(url, {"selected": [loan.pk, announced.pk]}).content.decode()
    label = navette.format_day(day)
    assert f"Navette du {label}." in html
    assert f"Retour déjà annoncé pour la navette du {label}." in html
    assert f'<input type="hidden" name="selected" value="{loan.pk}">' in html
    assert f'name="selected" value="{announced.pk}"' not in html
    loan.refresh_from_db()
    assert loan.return_announced_for is None

    response = client.post(url, {"selected": [loan.pk, announced.pk], "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("extranet:loans")
    assert _messages(response) == [
        f"« Vol de nuit » (VN-1) : Retour déjà annoncé pour la navette du {label}.",
        f"« Le Petit Prince » (PP-1) : Retour annoncé pour la navette du {label}.",
    ]
    loan.refresh_from_db()
    assert loan.return_announced_for == day
    listing = client.get(reverse("extranet:loans")).content.decode()
    assert f"Retour annoncé : navette du {date_format(day, 'l j F')}" in listing


def test_page_without_round_offers_no_button(client_for):
    library = LibraryFactory(name="Médiathèque d'Ennery", territory=TerritoryFactory(name="Sans navette"))
    loan = _lent(library, "Le Petit Prince", "PP-1", due_on=TODAY)
    response = client_for(UserFactory(library=library)).post(
        reverse("extranet:loans_announce_return"), {"selected": [loan.pk]}
    )
    text = unescape(response.content.decode())
    assert "Aucune tournée de navette n'est prévue" in text
    assert 'name="confirm"' not in text


def test_page_guards(client, client_for, manager, viewer, other_manager, loan):
    url = reverse("extranet:loans_announce_return")
    data = {"selected": [loan.pk], "confirm": "1"}
    assert client_for(viewer).post(url, data).status_code == 403
    assert client_for(other_manager).post(url, data).status_code == 404
    anonymous = client.post(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    response = client_for(manager).post(url, {})
    assert response.status_code == 302 and _messages(response) == [
        "Cochez au moins un prêt dont vous annoncez le retour."
    ]
    assert client_for(manager).get(url).status_code == 405
    loan.refresh_from_db()
    assert loan.return_announced_for is None


def test_the_list_offers_the_announcement_to_managers_only(client_for, manager, viewer, loan):
    button = 'formaction="/espace-pro/prets/annonce-retour/"'
    assert button in client_for(manager).get(reverse("extranet:loans")).content.decode()
    assert button not in client_for(viewer).get(reverse("extranet:loans")).content.decode()


def test_the_loans_list_runs_the_same_queries_with_announced_returns(client_for, manager, library):
    client = client_for(manager)
    client.get(reverse("extranet:loans"))
    counts = []
    for batch in (range(0, 2), range(2, 12)):
        for index in batch:
            return_announce(loan=_lent(library, f"Titre {index}", f"B-{index}", due_on=TODAY), user=manager)
            _lent(library, f"Autre {index}", f"C-{index}", due_on=TODAY)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("extranet:loans"), {"per_page": 200}).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


# --- the staff navette plan ------------------------------------------------------------------


def test_announced_returns_are_collections_in_the_staff_navette_plan(
    client_for, admin_user, manager, other_manager, library, other_library, loan, django_assert_num_queries
):
    day = return_announce(loan=loan, user=manager)
    elsewhere = return_announce(loan=_lent(other_library, "Vol de nuit", "VN-1", due_on=TODAY), user=other_manager)
    with django_assert_num_queries(1):
        [line] = return_lines(day, day, [library])
    assert (line.day, line.library, line.direction, line.item) == (day, library, "collect", "Le Petit Prince")
    assert line.detail == "PP-1 — R SAI"
    assert return_lines(day + datetime.timedelta(days=1), day + datetime.timedelta(days=9), [library]) == []
    assert [one.item for one in return_lines(min(day, elsewhere), max(day, elsewhere), [other_library])] == [
        "Vol de nuit"
    ]

    period = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    html = client_for(admin_user).get(reverse("animation_tools:navette"), period).content.decode()
    assert "Retours annoncés" in html and "Le Petit Prince" in html and "PP-1 — R SAI" in html
    response = client_for(admin_user).get(reverse("exports_staff:export", args=["navette_plan"]), period)
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ";Retours annoncés;Le Petit Prince;PP-1 — R SAI;" in csv
