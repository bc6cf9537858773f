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


def _items(groups) -> list[str]:
    return [line.item for group in groups for line in group.lines]


def test_staff_sees_deliveries_and_collections_per_day(client_for, admin_user, library, other_library, plan_data):
    response = client_for(admin_user).get(URL, {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()})
    assert response.status_code == 200
    [day] = response.context["plan"]
    assert day.day == DAY
    goussainville, marines = day.stops  # per library, by territory: Plaine de France, then Vexin français
    assert (marines.library, goussainville.library) == (library, other_library)
    assert _items(marines.deliveries) == [plan_data["deliver"].tool.name] and marines.collections == []
    assert _items(goussainville.collections) == [plan_data["collect"].tool.name] and goussainville.deliveries == []
    assert marines.on_round and marines.crates == 2
    body = response.content.decode()
    assert "À livrer" in body and "À reprendre" in body
    assert "Malle en attente" not in body and "Malle annulée" not in body
    assert "animation_tools.css" in body  # print CSS


def test_territory_filter(client_for, admin_user, library, plan_data):
    response = client_for(admin_user).get(
        URL, {"date_from": DAY.isoformat(), "date_to": DAY.isoformat(), "territory": library.territory.pk}
    )
    [day] = response.context["plan"]
    [stop] = day.stops
    assert stop.library == library
    assert _items(stop.deliveries) == [plan_data["deliver"].tool.name] and stop.collections == []


def test_csv_lists_each_movement(client_for, admin_user, plan_data):
    response = client_for(admin_user).get(
        reverse("exports_staff:export", args=["navette_plan"]),
        {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()},
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Date;Mouvement;Territoire;Bibliothèque;Code;Adresse;Nature;Objet;Détail;Caisses;Statut;Tournée"
    )
    assert len(lines) == 3
    assert lines[1].startswith("05/10/2026;Collecte;Plaine de France;")  # stops by territory
    assert lines[1].endswith(";sortie (en prêt);navette")
    assert lines[2].startswith("05/10/2026;Livraison;Vexin français;Médiathèque de Marines;VDO-MARINES;")
    assert ";Outils d'animation;Tapis « La ferme »;" in lines[2] and lines[2].endswith(";2;validée;navette")


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


def test_libraries_collecting_themselves_are_listed_apart_and_days_off_round_are_flagged(
    client_for, admin_user, library, other_library
):
    from tests.factories import NavetteRoundChangeFactory

    ToolBookingFactory(library=library, tool=ToolFactory(name="Malle au comptoir"), loan_date=DAY, self_collect=True)
    ToolBookingFactory(library=other_library, tool=ToolFactory(name="Expo déplacée"), loan_date=DAY)
    NavetteRoundChangeFactory(territory=other_library.territory, original_date=DAY)  # round cancelled that day
    response = client_for(admin_user).get(URL, {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()})
    [day] = response.context["plan"]
    [navette_stop] = day.round_stops
    [counter_stop] = day.counter_stops
    assert (navette_stop.library, navette_stop.on_round) == (other_library, False)
    assert (counter_stop.library, counter_stop.self_collect) == (library, True)
    body = response.content.decode()
    assert "Hors tournée : ce jour n'est pas un jour de navette de cette bibliothèque." in body
    assert "Retrait et retour à la BDVO par la bibliothèque (pas de navette)." in body
    csv = b"".join(
        client_for(admin_user)
        .get(
            reverse("exports_staff:export", args=["navette_plan"]),
            {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()},
        )
        .streaming_content
    ).decode("utf-8-sig")
    assert ";Expo déplacée;" in csv and "hors tournée" in csv
    assert "retrait à la BDVO par la bibliothèque" in csv


def test_other_apps_add_their_lines_to_the_rounds_through_the_ground(client_for, admin_user, library, plan_data):
    """The extension point: a source registered into ``extranet.navette_plan`` (as the catalogue's
    documents set aside will be) shows in each library's stop, on the page and in the CSV."""
    from extranet import navette_plan

    def documents(start, end, libraries):
        return [
            navette_plan.PlanLine(
                day=DAY, library=library, direction=navette_plan.PlanLine.DELIVER, kind="documents",
                item="Les Misérables, tome 1", detail="code-barres B000000000001", status="mise de côté",
            )
            for library in libraries if library.code == "VDO-MARINES"
        ]  # fmt: skip

    navette_plan.register_source("documents", "Documents mis de côté", documents, order=20)
    try:
        response = client_for(admin_user).get(URL, {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()})
        [day] = response.context["plan"]
        marines = next(stop for stop in day.stops if stop.library == library)
        assert [group.label for group in marines.deliveries] == ["Outils d'animation", "Documents mis de côté"]
        assert "Les Misérables, tome 1" in response.content.decode()
        csv = b"".join(
            client_for(admin_user)
            .get(
                reverse("exports_staff:export", args=["navette_plan"]),
                {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()},
            )
            .streaming_content
        ).decode("utf-8-sig")
        assert ";Documents mis de côté;Les Misérables, tome 1;code-barres B000000000001;;mise de côté;navette" in csv
        with pytest.raises(navette_plan.AlreadyRegistered):
            navette_plan.register_source("documents", "Encore", documents, order=30)
    finally:
        navette_plan.unregister_source("documents")
