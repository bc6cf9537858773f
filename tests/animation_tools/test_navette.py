"""Navette plan: staff only, tools to deliver and collect per day and territory, printable and CSV."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from animation_tools.models import ToolBooking
from tests.animation_tools.factories import ToolBookingFactory, ToolFactory

pytestmark = pytest.mark.django_db
Status = ToolBooking.Status
DAY = datetime.date(2026, 10, 5)
URL = reverse("animation_tools:navette")


@pytest.fixture
def plan_data(library, other_library):
    return {
        "deliver": ToolBookingFactory(
            library=library,
            tool=ToolFactory(name="Tapis « La ferme »", crates=2),
            loan_date=DAY,
            return_date=DAY + datetime.timedelta(days=10),
        ),
        "collect": ToolBookingFactory(
            library=other_library,
            tool=ToolFactory(name="Pack Switch"),
            status=Status.OUT,
            loan_date=DAY - datetime.timedelta(days=14),
            return_date=DAY,
        ),
        "requested": ToolBookingFactory(
            library=library,
            tool=ToolFactory(name="Malle en attente"),
            status=Status.REQUESTED,
            loan_date=DAY,
            return_date=DAY + datetime.timedelta(days=3),
        ),
        "cancelled": ToolBookingFactory(
            library=library,
            tool=ToolFactory(name="Malle annulée"),
            status=Status.CANCELLED,
            loan_date=DAY,
            return_date=DAY + datetime.timedelta(days=3),
        ),
    }


def test_staff_sees_deliveries_and_collections_per_day(client_for, admin_user, plan_data):
    response = client_for(admin_user).get(URL, {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()})
    assert response.status_code == 200
    [day] = response.context["plan"]
    assert day.date == DAY
    assert day.deliveries == [plan_data["deliver"]]
    assert day.collections == [plan_data["collect"]]
    body = response.content.decode()
    assert "À livrer" in body and "À reprendre" in body
    assert "Malle en attente" not in body and "Malle annulée" not in body
    assert "animation_tools.css" in body  # print CSS


def test_territory_filter(client_for, admin_user, library, plan_data):
    response = client_for(admin_user).get(
        URL, {"date_from": DAY.isoformat(), "date_to": DAY.isoformat(), "territory": library.territory.pk}
    )
    [day] = response.context["plan"]
    assert day.deliveries == [plan_data["deliver"]] and day.collections == []


def test_csv_lists_each_movement(client_for, admin_user, plan_data):
    response = client_for(admin_user).get(
        reverse("exports_staff:export", args=["navette_plan"]),
        {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()},
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Date;Mouvement;Territoire;Bibliothèque;Code;Adresse;Outil;Type;Caisses;Statut"
    assert len(lines) == 3
    assert lines[1].startswith("05/10/2026;Livraison;Vexin français;Médiathèque de Marines;VDO-MARINES;")
    assert ";Tapis « La ferme »;" in lines[1] and lines[1].endswith(";2;validée")
    assert lines[2].startswith("05/10/2026;Collecte;Plaine de France;")


def test_partners_get_403_and_anonymous_the_login_page(client, client_for, manager, viewer):
    for user in (manager, viewer):
        assert client_for(user).get(URL).status_code == 403
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_query_count_does_not_grow_with_bookings(client_for, admin_user, library, django_assert_max_num_queries):
    client = client_for(admin_user)
    params = {"date_from": DAY.isoformat(), "date_to": (DAY + datetime.timedelta(days=6)).isoformat()}
    ToolBookingFactory(library=library, loan_date=DAY, return_date=DAY + datetime.timedelta(days=3))
    with django_assert_max_num_queries(12) as few:
        client.get(URL, params)
    for offset in range(12):
        ToolBookingFactory(
            loan_date=DAY + datetime.timedelta(days=offset % 5), return_date=DAY + datetime.timedelta(days=20)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL, params)
