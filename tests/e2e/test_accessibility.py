"""axe-core (WCAG 2.0 / 2.1, levels A and AA) on every page of the portal, logged out and in.

The pages come from the URL resolver through the security matrix's walk, so a new page is
checked as soon as it exists. axe-core is the copy bundled with ``axe-playwright-python``,
injected into the page: nothing is fetched (the harness refuses any request outside the
live server).
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from django.test import Client

from tests.security.matrix import build_world, portal_patterns

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# Who looks at each page: logged out, as the two partner profiles, and as BDVO staff.
VISITORS = ["anonymous", "manager", "viewer", "staff"]
# allauth pages that log a visitor out or only make sense logged out.
LOGGED_OUT_ONLY = {"account_logout", "account_reset_password_from_key"}


def _violations(page) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    results = AxeResults(page.evaluate(f"axe.run({json.dumps(AXE_OPTIONS)})"))
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


def _html_pages(world, role: str) -> list[str]:
    """Paths of the portal that answer ``role`` an HTML page of their own.

    Downloads, POST-only URLs and what only redirects to the login page or to an error
    page are left out: those pages are checked once, under their own URL.
    """
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    paths = []
    for pattern in portal_patterns():
        if pattern.name in LOGGED_OUT_ONLY and role != "anonymous":
            continue
        try:
            path = pattern.url(world)
        except LookupError:
            continue  # the security matrix fails for it until it is registered
        response = client.get(path)
        if (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            and "attachment" not in response.get("Content-Disposition", "")
        ):
            paths.append(path)
    return paths


@pytest.mark.parametrize("role", VISITORS)
def test_every_page_has_no_wcag_violation(page, url, log_in, settings, tmp_path, role: str):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    paths = _html_pages(world, role)
    assert len(paths) >= 5, paths
    if role != "anonymous":
        log_in(page, getattr(world, role))
    # Injected once into every document the tab opens, instead of once per page by hand.
    page.context.add_init_script(AXE_SCRIPT)
    found = {}
    for path in paths:
        page.goto(url(path))
        violations = _violations(page)
        if violations:
            found[path] = violations
    assert found == {}, "\n".join(f"{path} [{role}]: {v}" for path, vs in found.items() for v in vs)


@pytest.mark.parametrize(
    ("role", "path"),
    [("anonymous", "/cette-page-n-existe-pas/"), ("staff", "/espace-pro/"), ("manager", "/personnel/prets/")],
    ids=["404", "403-staff-in-extranet", "403-partner-in-staff-pages"],
)
def test_error_pages_have_no_wcag_violation(page, url, log_in, settings, tmp_path, role: str, path: str):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    if role != "anonymous":
        log_in(page, getattr(world, role))
    page.goto(url(path))
    assert _violations(page) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_home_and_lists_at_mobile_and_desktop_widths(page, url, log_in, settings, tmp_path, width: int):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, world.manager)
    for path in ("/", "/espace-pro/", "/espace-pro/prets/", "/espace-pro/reservations/"):
        page.goto(url(path))
        assert _violations(page) == [], path
        # Reflow (WCAG 1.4.10): no horizontal scrolling of the page itself at 320 CSS px and up.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls horizontally by {overflow}px at {width}px"


def test_axe_does_report_violations(page):
    """The sweep above would pass vacuously if axe found nothing anywhere: prove it sees a fault."""
    page.set_content(
        '<html lang="fr"><head><title>Essai</title></head><body><main><input type="text"></main></body></html>'
    )
    assert any(violation.startswith("label ") for violation in _violations(page))
