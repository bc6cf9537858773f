"""The espace professionnel as a site the apps register into (``extranet.site``)."""

from __future__ import annotations

import ast
import datetime
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import clear_url_caches, path, reverse
from django.utils import timezone

from extranet.permissions import partner_required
from extranet.site import AlreadyRegistered, EspaceSite, site
from extranet.tenancy import PartnerRequest

EXTRANET = Path(__file__).resolve().parents[2] / "extranet"
DOMAIN_APPS = {"catalogue", "animation_tools", "trainings", "content", "bdvo_portal"}


def _reload_urls() -> None:
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def espace_site() -> Iterator[EspaceSite]:
    """The project's site; whatever a test registers is withdrawn afterwards (the same
    snapshot ``autodiscover_modules`` restores when an ``espace`` module fails)."""
    before = dict(site._registry)
    yield site
    site._registry = before
    _reload_urls()


@partner_required
def _shelf(request: PartnerRequest) -> HttpResponse:
    return render(request, "extranet/base_extranet.html", {"extranet_section": "shelf"})


def _labels(user) -> list[str]:
    return [link.label for link in site.menu_for(user)]


# --- the registrations of the apps ------------------------------------------------------------


@pytest.mark.django_db
def test_menu_order_comes_from_the_registrations(manager):
    assert _labels(manager) == [
        "Tableau de bord",
        "Prêts en cours",
        "Retours",
        "Réservations",
        "Outils d'animation",
        "Formations",
        "Mon SIGB / Profil d'export",
        "Utilisateurs",
    ]
    assert [link.url for link in site.menu_for(manager)][:2] == [reverse("extranet:dashboard"), "/espace-pro/prets/"]


@pytest.mark.django_db
def test_consulter_has_every_entry_but_users(viewer):
    assert "Utilisateurs" not in _labels(viewer)
    assert len(_labels(viewer)) == 7


@pytest.mark.django_db
def test_only_partners_get_a_menu(admin_user, client):
    from django.contrib.auth.models import AnonymousUser

    assert site.menu_for(admin_user) == []
    assert site.menu_for(AnonymousUser()) == []


@pytest.mark.django_db
def test_the_rendered_menu_marks_the_current_page(client_for, viewer):
    html = client_for(viewer).get(reverse("extranet:returns")).content.decode()
    assert f'<a href="{reverse("extranet:returns")}" aria-current="page">Retours</a>' in html
    assert reverse("extranet:users") not in html


def test_domain_pages_keep_their_paths_in_the_extranet_namespace():
    assert reverse("extranet:loans") == "/espace-pro/prets/"
    assert reverse("extranet:returns") == "/espace-pro/retours/"
    assert reverse("extranet:reservations") == "/espace-pro/reservations/"
    assert reverse("extranet:dashboard") == "/espace-pro/"
    assert reverse("extranet:users") == "/espace-pro/utilisateurs/"


def test_every_app_registers_its_panel_in_order():
    assert [panel.key for panel in site.panels()] == ["navette", "catalogue", "animation_tools", "trainings"]


# --- registering through the site --------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_menu_entry_and_panel_registered_through_the_site_appear(
    espace_site, client_for, manager, viewer, settings, tmp_path
):
    (tmp_path / "shelf_panel.html").write_text("<li>{{ shelf_count }} livres en rayon à {{ shelf_library }}</li>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    seen = []

    def shelf_figures(library, user, today):
        seen.append((library, user, today))
        return {"shelf_count": 3, "shelf_library": library.name}

    espace_site.register_urls("shelf", [path("rayonnage/", _shelf, name="shelf")])
    espace_site.register_menu_entry("shelf", "Rayonnage", "extranet:shelf", order=25)
    espace_site.register_menu_entry(
        "shelf_settings", "Réglages du rayon", "extranet:shelf", order=95, managers_only=True
    )
    espace_site.register_panel("shelf", order=5, template="shelf_panel.html", context=shelf_figures)
    _reload_urls()

    assert reverse("extranet:shelf") == "/espace-pro/rayonnage/"
    html = client_for(viewer).get(reverse("extranet:shelf")).content.decode()
    assert '<a href="/espace-pro/rayonnage/" aria-current="page">Rayonnage</a>' in html
    assert _labels(viewer)[2:4] == ["Retours", "Rayonnage"]
    assert "Réglages du rayon" not in _labels(viewer)
    assert _labels(manager)[-2:] == ["Réglages du rayon", "Utilisateurs"]

    html = client_for(manager).get(reverse("extranet:dashboard")).content.decode()
    assert seen == [(manager.library, manager, timezone.localdate())]
    stats = html[html.index('<ul class="stats">') :]
    assert stats.index("3 livres en rayon à Médiathèque de Marines") < stats.index("prêts en cours")


def test_a_key_registered_twice_is_refused(espace_site):
    with pytest.raises(AlreadyRegistered):
        espace_site.register_menu_entry("loans", "Prêts", "extranet:loans", order=1)
    with pytest.raises(AlreadyRegistered):
        espace_site.register_urls("catalogue", [])


@pytest.mark.django_db
def test_two_panels_giving_the_same_key_are_refused(manager):
    own = EspaceSite(name="test")
    own.register_panel("a", order=1, template="a.html", context=lambda *args: {"count": 1})
    own.register_panel("b", order=2, template="b.html", context=lambda *args: {"count": 2})
    with pytest.raises(ImproperlyConfigured, match="count"):
        own.dashboard_context(manager.library, manager, datetime.date(2026, 12, 3))


# --- layers: the ground imports no domain app ---------------------------------------------------


def _imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in {"import_module", "include"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def test_extranet_imports_no_domain_app():
    """The ground stands under every app: its modules (migrations aside) import none of them;
    the apps register into its site instead."""
    arrows = []
    for source in sorted(EXTRANET.rglob("*.py")):
        if "migrations" in source.relative_to(EXTRANET).parts:
            continue
        for line, module in _imported_modules(ast.parse(source.read_text(), filename=str(source))):
            if module.split(".")[0] in DOMAIN_APPS:
                arrows.append(f"extranet/{source.relative_to(EXTRANET)}:{line} imports {module}")
    assert arrows == []
