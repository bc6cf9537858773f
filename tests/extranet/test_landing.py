"""Landing after login by role (issue 15, item 7) and the account menu of each role.

Before: every login went to the partner dashboard (``LOGIN_REDIRECT_URL``), so staff and
referents landed on « Accès refusé ».
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def _log_in(client, user, next_url: str = ""):
    url = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return client.post(url, {"login": user.username, "password": TEST_PASSWORD})


@pytest.mark.parametrize(
    ("account", "landing"),
    [
        ("manager", "/espace-pro/"),
        ("viewer", "/espace-pro/"),
        ("referent", "/personnel/"),
        ("network_staff", "/personnel/"),
        ("admin_user", "/personnel/"),
    ],
)
def test_each_role_lands_on_its_own_space_and_is_let_in(client, request, account, landing):
    user = request.getfixturevalue(account)
    response = _log_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200  # never « Accès refusé »


def test_staff_without_territory_lands_on_the_staff_home_that_says_what_to_ask(client):
    response = _log_in(client, StaffFactory(first_name="Inès", last_name="Sans-Territoire"))
    assert response["Location"] == "/personnel/"
    page = client.get("/personnel/").content.decode()
    assert "Vous ne suivez aucun territoire" in page
    assert "Personnel BDVO (tout le réseau)" in page


@pytest.mark.parametrize("account", ["manager", "referent"])
def test_next_is_respected_for_every_role(client, request, account):
    response = _log_in(client, request.getfixturevalue(account), next_url="/formations/")
    assert response["Location"] == "/formations/"


def test_an_outside_next_is_ignored(client, referent):
    response = _log_in(client, referent, next_url="https://pirate.example.com/")
    assert response["Location"] == "/personnel/"


def test_an_already_logged_in_staff_member_visiting_the_login_page_goes_to_the_staff_home(client_for, referent):
    response = client_for(referent).get(LOGIN)
    assert response.status_code == 302 and response["Location"] == "/personnel/"


def test_partner_menu_offers_the_espace_professionnel_and_no_staff_entry(client_for, manager):
    page = client_for(manager).get(reverse("home")).content.decode()
    assert "Accéder à l&#x27;espace professionnel" in page or "Accéder à l'espace professionnel" in page
    assert "Espace personnel BDVO" not in page
    assert reverse("admin:index") not in page


@pytest.mark.parametrize("account", ["referent", "admin_user"])
def test_staff_menu_offers_the_staff_space_and_administration_not_the_espace_professionnel(
    client_for, request, account
):
    page = client_for(request.getfixturevalue(account)).get(reverse("home")).content.decode()
    assert "Accéder à l&#x27;espace professionnel" not in page and "Accéder à l'espace professionnel" not in page
    assert f'href="{reverse("staff_home")}">Espace personnel BDVO</a>' in page
    assert f'href="{reverse("admin:index")}">Administration</a>' in page
    assert "Accéder à l&#x27;espace personnel BDVO" in page or "Accéder à l'espace personnel BDVO" in page
