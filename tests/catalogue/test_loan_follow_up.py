"""Follow-up of loans in the espace professionnel: « En retard » on « Prêts en cours » (filter,
highlighted rows, the dashboard's link), the return date on « Retours »."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ItemFactory, LoanFactory, RecordFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _loan(library, title, *, due_in, returned_on=None):
    item = ItemFactory(record=RecordFactory(title=title))
    return LoanFactory(
        item=item,
        library=library,
        loaned_on=TODAY - datetime.timedelta(days=150),
        due_on=TODAY + datetime.timedelta(days=due_in),
        returned_on=returned_on,
    )


def _titles(response) -> list[str]:
    return [loan.item.record.title for loan in response.context["page"].object_list]


def test_overdue_filter_and_highlighted_rows(client_for, viewer, library, other_library):
    _loan(library, "En retard d'un jour", due_in=-1)
    _loan(library, "À rendre aujourd'hui", due_in=0)
    _loan(library, "À rendre plus tard", due_in=30)
    _loan(library, "Rendu en retard", due_in=-10, returned_on=TODAY)
    _loan(other_library, "Retard d'une autre", due_in=-5)
    client = client_for(viewer)

    response = client.get(reverse("extranet:loans"), {"overdue": "1", "o": "due_on"})
    assert _titles(response) == ["En retard d'un jour"]
    html = response.content.decode()
    assert html.count('class="row-overdue"') == 1
    assert '<span class="badge badge-error">En retard</span>' in html
    assert 'name="overdue" value="1" id="id_overdue" checked' in html

    html = client.get(reverse("extranet:loans")).content.decode()
    assert html.count('class="row-overdue"') == 1  # highlighted without the filter too
    assert len(_titles(client.get(reverse("extranet:loans")))) == 3


def test_the_overdue_filter_applies_to_the_export(client_for, viewer, library):
    _loan(library, "En retard", due_in=-3)
    _loan(library, "À l'heure", due_in=3)
    response = client_for(viewer).post(
        reverse("extranet:export", kwargs={"identifier": "loans"}),
        {"scope": "filtered", "format": "csv", "query": "overdue=1"},
    )
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "En retard" in content and "À l'heure" not in content


def test_dashboard_overdue_link_opens_the_filter(client_for, manager, library):
    _loan(library, "En retard", due_in=-3)
    html = client_for(manager).get(reverse("extranet:dashboard")).content.decode()
    assert 'href="/espace-pro/prets/?overdue=1&amp;o=due_on"' in html
    response = client_for(manager).get(reverse("extranet:loans"), {"overdue": "1", "o": "due_on"})
    assert _titles(response) == ["En retard"]


def test_returns_filter_by_return_date(client_for, viewer, library):
    _loan(library, "Rendu il y a 10 jours", due_in=5, returned_on=TODAY - datetime.timedelta(days=10))
    _loan(library, "Rendu hier", due_in=5, returned_on=TODAY - datetime.timedelta(days=1))
    _loan(library, "Pas rendu", due_in=5)
    client = client_for(viewer)
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    assert _titles(client.get(reverse("extranet:returns"), {"returned_on": yesterday})) == ["Rendu hier"]
    week_ago = (TODAY - datetime.timedelta(days=7)).isoformat()
    assert _titles(client.get(reverse("extranet:returns"), {"returned_from": week_ago})) == ["Rendu hier"]
    assert _titles(client.get(reverse("extranet:returns"), {"returned_to": week_ago})) == ["Rendu il y a 10 jours"]
    html = client.get(reverse("extranet:returns")).content.decode()
    assert "Rendu à partir du" in html and "En retard" not in html  # no overdue filter on returns
    assert 'name="returned_on"' not in client.get(reverse("extranet:loans")).content.decode()


def test_admin_lists_overdue_loans(client_for, admin_user, library):
    _loan(library, "En retard", due_in=-3)
    _loan(library, "À l'heure", due_in=3)
    response = client_for(admin_user).get(reverse("admin:catalogue_loan_changelist"), {"returned": "overdue"})
    assert [loan.item.record.title for loan in response.context["cl"].queryset] == ["En retard"]
