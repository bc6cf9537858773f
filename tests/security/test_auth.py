"""Login throttling and no account enumeration (login and password reset)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, login: str, password: str):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def _visible_text(response) -> str:
    """The page without what differs on every request (CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_sixth_attempt_after_five_failures_is_refused_in_french_even_with_the_right_password(manager):
    client = Client()
    for _ in range(5):
        response = _login(client, manager.username, "pas-le-bon-mot-de-passe")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    response = _login(client, manager.username, TEST_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


def test_throttling_also_holds_from_another_browser(manager):
    for _ in range(5):
        _login(Client(), manager.username, "pas-le-bon-mot-de-passe")
    fresh = Client()
    _login(fresh, manager.email, TEST_PASSWORD)
    assert "_auth_user_id" not in fresh.session


def test_login_error_is_the_same_for_an_unknown_account_and_a_wrong_password(manager):
    unknown = _login(Client(), "personne-inconnue", "pas-le-bon-mot-de-passe")
    wrong = _login(Client(), manager.username, "pas-le-bon-mot-de-passe")
    assert unknown.status_code == wrong.status_code == 200
    assert _visible_text(unknown).replace("personne-inconnue", manager.username) == _visible_text(wrong)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(reverse("account_reset_password"), {"email": manager.email}, follow=True)
        unknown = Client().post(reverse("account_reset_password"), {"email": "personne@example.fr"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _visible_text(known).replace(manager.email, "personne@example.fr") == _visible_text(unknown)
    links = [m for m in mail.outbox if "/compte/password/reset/key/" in m.body]
    assert [m.to for m in links] == [[manager.email]]


def test_reset_link_of_one_account_cannot_be_reused_or_forged(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": manager.email})
    path = re.search(r"http://testserver(/compte/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    forged = path.rstrip("/")[:-3] + "xyz/"
    response = Client().get(forged, follow=True)
    assert response.status_code == 200
    assert "invalide" in response.content.decode().lower()
