"""Login, logout, password reset and the header/menu each profile sees."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from extranet.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_username_then_with_email(client, manager):
    response = client.post(reverse("account_login"), {"login": manager.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("extranet:dashboard")
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": manager.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(manager.pk)


def test_wrong_password_is_refused_in_french(client, manager):
    response = client.post(reverse("account_login"), {"login": manager.username, "password": "faux"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "incorrect" in response.content.decode()


def test_login_page_explains_who_creates_accounts_and_has_no_signup(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert "référent·e de territoire" in html
    assert "Mot de passe oublié" in html
    signup = client.post(
        "/compte/signup/",
        {"username": "x", "email": "x@example.fr", "password1": "a-long-pass-2026", "password2": "a-long-pass-2026"},
    )
    assert "Pas d'inscription en ligne" in signup.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_logout_is_a_post_and_ends_the_session(client_for, manager):
    client = client_for(manager)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("extranet:dashboard")).status_code == 302


def test_password_reset_sends_a_working_link(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": manager.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/compte/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    new_password = "Nouveau-mot-de-passe-2026"
    response = client.post(response.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password(new_password)


def test_password_reset_does_not_reveal_unknown_addresses(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": manager.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "personne@example.fr"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The known address gets a reset link; the unknown one only learns that no account uses it.
    by_recipient = {tuple(m.to): m.body for m in mail.outbox}
    assert "/compte/password/reset/key/" in by_recipient[(manager.email,)]
    assert "/compte/password/reset/key/" not in by_recipient[("personne@example.fr",)]


def test_anonymous_header_offers_login(client):
    html = client.get(reverse("home")).content.decode()
    assert "Se connecter" in html
    assert "Accéder à l'espace professionnel" not in html


def test_partner_header_menu_has_name_space_and_logout(client_for, manager):
    html = client_for(manager).get(reverse("home")).content.decode()
    assert "Sophie Martin" in html
    assert "Accéder à l'espace professionnel" in html
    assert "Se déconnecter" in html
    assert reverse("extranet:dashboard") in html


def test_menu_of_manager_has_users_entry(client_for, manager):
    response = client_for(manager).get(reverse("extranet:dashboard"))
    keys = [entry.key for entry in response.context["extranet_menu"]]
    assert keys == [
        "dashboard",
        "loans",
        "returns",
        "reservations",
        "tool_bookings",
        "trainings",
        "export_profile",
        "users",
    ]
    assert reverse("extranet:users") in response.content.decode()


def test_menu_of_viewer_has_no_users_entry(client_for, viewer):
    response = client_for(viewer).get(reverse("extranet:dashboard"))
    keys = [entry.key for entry in response.context["extranet_menu"]]
    assert "users" not in keys
    assert reverse("extranet:users") not in response.content.decode()


def test_dashboard_shows_the_library_and_its_referent(client_for, manager, referent):
    referent.phone = "01 34 25 12 34"
    referent.save()
    html = client_for(manager).get(reverse("extranet:dashboard")).content.decode()
    assert manager.library.name in html
    assert "Karim Benali" in html
    assert "01 34 25 12 34" in html
    assert referent.email in html


def test_dashboard_of_a_library_without_referent_gives_the_bdvo_contact(client_for, manager, settings):
    html = client_for(manager).get(reverse("extranet:dashboard")).content.decode()
    assert settings.BDVO_CONTACT_EMAIL in html


def test_staff_without_library_gets_a_clear_403_in_the_extranet(client_for, admin_user):
    response = client_for(admin_user).get(reverse("extranet:dashboard"))
    assert response.status_code == 403
    assert "réservé aux comptes des bibliothèques partenaires" in response.content.decode()


def test_deactivated_library_blocks_its_users(client_for, manager):
    manager.library.is_active = False
    manager.library.save()
    assert client_for(manager).get(reverse("extranet:dashboard")).status_code == 403
