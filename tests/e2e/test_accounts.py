"""Journeys 1 and 2 of DESIGN.md in a real browser: log in, reach the espace professionnel,
create a colleague — with JavaScript on and off — and the header menu by keyboard alone."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from extranet.models import User
from tests.e2e.conftest import label
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser
JS_AND_NOJS = pytest.mark.parametrize("any_page", ["js", "nojs"], indirect=True)


@JS_AND_NOJS
def test_log_in_then_name_menu_leads_to_the_espace_professionnel(any_page, url, manager):
    page = any_page
    page.goto(url("/"))
    page.get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à l'espace professionnel")
    page.get_by_label(label("Identifiant")).fill(manager.username)
    page.get_by_label(label("Mot de passe")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # After logging in from the home page the user comes back to it, now with their name.
    page.goto(url("/"))
    page.locator("summary", has_text="Sophie Martin").click()
    page.locator("details[data-menu]").get_by_role("link", name="Accéder à l'espace professionnel").click()
    expect(page).to_have_url(url("/espace-pro/"))
    expect(page.get_by_role("navigation", name="Espace professionnel")).to_contain_text(manager.library.name)


@JS_AND_NOJS
def test_wrong_password_is_explained_in_french(any_page, url, manager):
    page = any_page
    page.goto(url("/compte/login/"))
    page.get_by_label(label("Identifiant")).fill(manager.username)
    page.get_by_label(label("Mot de passe")).fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("incorrect")


@JS_AND_NOJS
def test_manager_creates_a_colleague(any_page, url, log_in, manager):
    page = any_page
    log_in(page, manager)
    page.goto(url("/espace-pro/"))
    page.get_by_role("navigation", name="Espace professionnel").get_by_role("link", name="Utilisateurs").click()
    page.get_by_role("link", name="Nouvel utilisateur").click()
    page.get_by_label(label("Nom")).fill("Lefèvre")
    page.get_by_label(label("Prénom")).fill("Aurélie")
    page.get_by_label(label("Adresse e-mail")).fill("aurelie.lefevre@example.fr")
    page.get_by_label("Gestionnaire").check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Un e-mail a été envoyé à aurelie.lefevre@example.fr")
    assert [message.to for message in mail.outbox] == [["aurelie.lefevre@example.fr"]]
    # The colleague opens the invitation, chooses a password: the account exists from then on.
    link = re.search(r"http://testserver(/compte/invitation/\S+/)", mail.outbox[0].body).group(1)
    page.goto(url(link))
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer votre compte")
    page.get_by_label(label("Nouveau mot de passe")).fill("Une-phrase-de-passe-solide-2026")
    page.get_by_label(label("Confirmation du nouveau mot de passe")).fill("Une-phrase-de-passe-solide-2026")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("status")).to_contain_text("Votre compte est créé")
    created = User.objects.get(email="aurelie.lefevre@example.fr")
    assert created.library == manager.library
    assert created.profile == User.Profile.MANAGER


def test_header_menu_by_keyboard_alone(page, url, log_in, manager, assert_no_js_errors):
    log_in(page, manager)
    page.goto(url("/"))
    summary = page.locator("details[data-menu] > summary")
    # Tab from the top of the page until the account menu has the focus.
    for _ in range(20):
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    menu_link = page.locator("details[data-menu]").get_by_role("link", name="Accéder à l'espace professionnel")
    expect(menu_link).to_be_visible()
    page.keyboard.press("Tab")
    expect(menu_link).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu_link).to_be_hidden()
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(url("/espace-pro/"))
    assert_no_js_errors(page)


def test_skip_link_is_first_and_moves_focus_to_the_content(page, url):
    page.goto(url("/"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
