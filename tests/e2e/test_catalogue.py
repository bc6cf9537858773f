"""Journeys 3 and 4 of DESIGN.md in a real browser: search « Partout » then « Catalogue »,
facets on and off, a predefined search; reserve a document, find it in « Réservations »
and delete it — with JavaScript (dialogs) and without (confirmation pages)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import PredefinedSearch, Reservation
from content.models import Page
from tests.catalogue.factories import AVAILABLE, make_record

pytestmark = pytest.mark.browser
JS_AND_NOJS = pytest.mark.parametrize("any_page", ["js", "nojs"], indirect=True)


@pytest.fixture
def catalogue(transactional_db) -> dict[str, object]:
    records = {
        "prince": make_record(
            "Le Petit Prince",
            authors=["Saint-Exupéry, Antoine de"],
            subjects=["Aviateurs", "Contes"],
            items=[AVAILABLE],
        ),
        "vol": make_record(
            "Vol de nuit", authors=["Saint-Exupéry, Antoine de"], subjects=["Aviateurs"], items=[AVAILABLE]
        ),
        "terre": make_record(
            "Terre des hommes", authors=["Saint-Exupéry, Antoine de"], subjects=["Récits de voyage"], items=[AVAILABLE]
        ),
    }
    Page.objects.create(
        title="Saint-Exupéry à l'honneur", slug="saint-exupery", body="Animer une lecture autour de Saint-Exupéry."
    )
    return records


def _search(page, text: str, scope: str) -> None:
    page.get_by_label("Où chercher").select_option(label=scope)
    page.get_by_role("combobox", name="Rechercher").fill(text)
    page.get_by_role("search").get_by_role("button", name="Rechercher").click()


@JS_AND_NOJS
def test_search_everywhere_then_in_the_catalogue_with_facets(any_page, url, catalogue):
    page = any_page
    page.goto(url("/"))
    _search(page, "Saint-Exupéry", "Partout")
    expect(page.get_by_role("status").first).to_contain_text("3 documents trouvés")
    portal_pages = page.get_by_role("region", name="Pages du portail")
    expect(portal_pages.get_by_role("link", name="Saint-Exupéry à l'honneur")).to_be_visible()

    _search(page, "Saint-Exupéry", "Catalogue")
    expect(page.get_by_role("status").first).to_contain_text("recherche dans le catalogue seulement")
    expect(page.get_by_role("region", name="Pages du portail")).to_have_count(0)
    results = page.get_by_role("region", name="Catalogue")
    expect(results.get_by_role("link", name="Terre des hommes")).to_be_visible()

    facets = page.get_by_role("complementary", name="Affiner")
    facets.get_by_role("region", name="Sujet").get_by_role("link", name="Aviateurs").click()
    expect(page.get_by_role("status").first).to_contain_text("2 documents trouvés")
    expect(results.get_by_role("link", name="Terre des hommes")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Retirer le filtre Sujet")).click()
    expect(page.get_by_role("status").first).to_contain_text("3 documents trouvés")


@JS_AND_NOJS
def test_predefined_search_from_the_search_bar(any_page, url, catalogue):
    PredefinedSearch.objects.create(
        label="Aviation et aviateurs", query="", scope="catalogue", facets={"subject": ["Aviateurs"]}, is_active=True
    )
    page = any_page
    page.goto(url("/"))
    page.get_by_role("search").get_by_text("Recherches prédéfinies").click()
    page.get_by_role("link", name="Aviation et aviateurs").click()
    expect(page.get_by_role("status").first).to_contain_text("2 documents")
    expect(page.get_by_role("link", name="Vol de nuit")).to_be_visible()


def _reservation_row(page, title: str):
    return page.get_by_role("table").get_by_role("row").filter(has_text=title)


def test_reserve_then_delete_with_dialogs(page, url, log_in, manager, catalogue, assert_no_js_errors):
    record = catalogue["prince"]
    log_in(page, manager)
    page.goto(url(f"/catalogue/notice/{record.pk}/"))
    opener = page.get_by_role("link", name="Réserver")
    opener.click()
    dialog = page.get_by_role("dialog", name="Réserver ce document ?")
    expect(dialog).to_be_visible()
    # Escape closes the window and gives the focus back to « Réserver ».
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    opener.click()
    dialog.get_by_role("button", name="Réserver").click()
    expect(page.get_by_role("status")).to_have_text("Votre demande de réservation a bien été enregistrée")

    page.locator("details[data-menu] > summary").click()
    page.get_by_role("link", name="Accéder à l'espace professionnel").first.click()
    page.get_by_role("navigation", name="Espace professionnel").get_by_role("link", name="Réservations").click()
    row = _reservation_row(page, "Le Petit Prince")
    expect(row).to_contain_text("mise de côté", ignore_case=True)  # its copy was on the shelf (issue 16)
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Supprimer").first.click()
    confirm = page.get_by_role("dialog", name="Supprimer les réservations cochées ?")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Supprimer").click()
    # The list's count is a status too: wait for the message of the deletion itself.
    expect(page.get_by_text("Réservation(s) supprimée(s) : 1.")).to_be_visible()
    assert not Reservation.objects.for_library(manager.library).active().filter(record=record).exists()
    assert_no_js_errors(page)


def test_reserve_then_delete_without_javascript(nojs_page, url, log_in, manager, catalogue):
    page = nojs_page
    record = catalogue["vol"]
    log_in(page, manager)
    page.goto(url(f"/catalogue/notice/{record.pk}/"))
    page.get_by_role("link", name="Réserver").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réserver ce document ?")
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_role("status")).to_have_text("Votre demande de réservation a bien été enregistrée")

    page.goto(url("/espace-pro/reservations/"))
    _reservation_row(page, "Vol de nuit").get_by_role("checkbox").check()
    page.get_by_role("button", name="Supprimer").first.click()
    # Without JavaScript the dialog cannot open: a confirmation page asks instead.
    page.get_by_role("button", name="Supprimer").first.click()
    assert not Reservation.objects.for_library(manager.library).active().filter(record=record).exists()


def test_dialog_keeps_the_keyboard_focus_inside(page, url, log_in, manager, catalogue):
    log_in(page, manager)
    page.goto(url(f"/catalogue/notice/{catalogue['terre'].pk}/"))
    page.get_by_role("link", name="Réserver").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Réserver ce document ?")
    expect(dialog).to_be_visible()
    for _ in range(6):
        page.keyboard.press("Tab")
        inside = dialog.evaluate(
            "element => element.contains(document.activeElement) || document.activeElement === document.body"
        )
        assert inside, "Tab left the open dialog"
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Réserver")).to_be_focused()


def _tab_to(page, name: str, limit: int = 120) -> None:
    """Press Tab until the focused element's name (aria-label, else text) starts with ``name``;
    its focus ring shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return e && (e.getAttribute('aria-label') || e.textContent).trim(); })()"
        )
        if text and text.startswith(name):
            outline = page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
            )
            assert outline[0] != "none" or outline[2] != "none", f"no visible focus on {name!r}: {outline}"
            return
    raise AssertionError(f"{name!r} never received the keyboard focus in {limit} Tab presses")


def test_facets_by_keyboard_alone(page, url, catalogue):
    page.goto(url("/recherche/?q=Saint-Exup%C3%A9ry&scope=catalogue"))
    expect(page.get_by_role("status").first).to_contain_text("3 documents trouvés")
    _tab_to(page, "Aviateurs")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("2 documents trouvés")
    _tab_to(page, "Retirer le filtre")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("3 documents trouvés")
