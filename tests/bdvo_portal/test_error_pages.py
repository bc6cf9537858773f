"""Error pages as production shows them (DEBUG off): French, in the portal's layout; the 500
page renders without the database and without context processors."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from bdvo_portal.errors import FALLBACK_500, server_error
from tests.factories import TEST_PASSWORD

STYLESHEET = '<link rel="stylesheet" href="/static/css/portal.css">'


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return settings


def _body(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_404_is_french_and_in_the_portal_layout(client, production):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    body = _body(response)
    assert "Page introuvable" in body and "Retour à l'accueil" in body
    assert 'class="site-header"' in body and STYLESHEET in body
    assert "Not Found" not in body


@pytest.mark.django_db
def test_404_never_shows_django_s_english_messages(client, production):
    """``get_object_or_404`` says « No Tool matches the given query. »: the page keeps its own text."""
    response = client.get(reverse("animation_tools:tool_detail", args=["outil-inconnu"]))
    assert response.status_code == 404
    assert "matches the given query" not in _body(response) and "Page introuvable" in _body(response)


@pytest.mark.django_db
def test_403_gives_the_french_reason(client_for, manager, production):
    response = client_for(manager).get(reverse("catalogue_staff:lending"))
    assert response.status_code == 403
    body = _body(response)
    assert "Accès refusé" in body and "réservée aux personnels de la BDVO" in body and STYLESHEET in body


@pytest.mark.django_db
def test_csrf_failure_is_a_french_page(production):
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "x", "password": "y"})
    assert response.status_code == 403
    body = _body(response)
    assert "Formulaire expiré" in body and "rechargez-la" in body and STYLESHEET in body
    assert "CSRF verification failed" not in body


@pytest.mark.django_db
def test_400_is_a_french_page(client, production):
    response = client.get("/", headers={"host": "intrus.example"})
    assert response.status_code == 400
    assert "Requête invalide" in _body(response) and "Bad Request" not in _body(response)


@pytest.mark.django_db
def test_500_through_a_request_is_the_french_page(production):
    production.ROOT_URLCONF = "tests.bdvo_portal.urls_failing"
    response = Client(raise_request_exception=False).get("/panne/")
    assert response.status_code == 500
    body = _body(response)
    assert "Une erreur est survenue" in body and "bdvo@valdoise.fr" in body and STYLESHEET in body
    assert body != FALLBACK_500 and "Server Error" not in body


def test_500_renders_without_database_nor_context_processors(production, monkeypatch):
    """No ``django_db`` mark: any query would fail the test; a context processor that runs would too."""

    def broken(request):
        raise AssertionError("a context processor ran")

    monkeypatch.setattr("bdvo_portal.context_processors.portal", broken)
    # Production's manifest storage without any manifest: the page must not look hashed names up.
    production.STORAGES = {
        **production.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    production.BDVO_CONTACT_PHONE = "01 34 25 00 00"
    response = server_error(RequestFactory().get("/catalogue/"))
    assert response.status_code == 500
    body = _body(response)
    assert body != FALLBACK_500
    assert "Une erreur est survenue" in body and "Téléphone : 01 34 25 00 00" in body and STYLESHEET in body


def test_500_falls_back_to_a_constant_page_when_its_template_fails(production, monkeypatch):
    def broken_template(name):
        raise RuntimeError("template engine down")

    monkeypatch.setattr("bdvo_portal.errors.loader.get_template", broken_template)
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and response.content.decode() == FALLBACK_500


# --- 429: allauth's rate limits -----------------------------------------------------------------


def _limits(settings, **limits: str) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **limits}


def _assert_french_429(response, sentence: str) -> None:
    assert response.status_code == 429
    body = _body(response)
    assert "Trop de tentatives" in body and sentence in body and "Attendez quelques minutes" in body
    assert STYLESHEET in body and "Too Many Requests" not in body


@pytest.mark.django_db
def test_password_reset_rate_limit_is_a_french_page(client, production):
    _limits(production, reset_password="2/m/ip")
    url = reverse("account_reset_password")
    responses = [client.post(url, {"email": "personne@example.fr"}) for _ in range(3)]
    _assert_french_429(responses[-1], "Trop de demandes de réinitialisation du mot de passe")


@pytest.mark.django_db
def test_password_change_rate_limit_is_a_french_page(client_for, manager, production):
    _limits(production, change_password="1/m/user")
    client = client_for(manager)
    url = reverse("account_change_password")
    data = {"oldpassword": TEST_PASSWORD, "password1": "x", "password2": "y"}
    responses = [client.post(url, data) for _ in range(2)]
    _assert_french_429(responses[-1], "Trop de changements de mot de passe")


@pytest.mark.django_db
def test_login_rate_limit_is_a_french_page(client, production):
    _limits(production, login="1/m/ip")
    url = reverse("account_login")
    responses = [client.post(url, {"login": "personne", "password": "faux"}) for _ in range(2)]
    _assert_french_429(responses[-1], "Trop de tentatives de connexion")
