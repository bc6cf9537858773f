"""Real-browser harness: Debian's headless Chromium driven by Playwright against ``live_server``.

A browser download is impossible here, so Playwright launches ``/usr/bin/chromium`` through
``executable_path``. Without Chromium the journeys are skipped with a clear message, except
under ``CI=true`` where they fail (CI installs the ``chromium`` package).

On failure, the page the test was on is saved under ``test-artifacts/`` at desktop (1280 px)
and mobile (375 px) widths.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from extranet.models import User

# An IPv4 address the browser reaches without name resolution; the port is chosen by the OS.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
# Playwright waits for elements by itself; this bounds a wait that should never happen.
TIMEOUT_MS = 15_000


def label(text: str) -> re.Pattern[str]:
    """The label of a form field, with or without the required-field star."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One Chromium for the browser tests, closed when they are done.

    Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses to
    run next to one unless told that this is deliberate. The permission lives exactly as long
    as the browser, so that it never reaches the tests that follow (nor the ``check --deploy``
    subprocesses, where it is a deployment error)."""
    executable = chromium_path()
    if executable is None:
        message = "Chromium absent: browser journeys skipped (install the Debian package `chromium`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _save_screenshots(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:150]
    for width_name, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
        try:
            page.set_viewport_size(size)
            page.screenshot(path=str(ARTIFACTS / f"{safe}-{width_name}.png"), full_page=True)
        except Exception as exc:  # a broken page must not hide the test's own failure
            (ARTIFACTS / f"{safe}-{width_name}.txt").write_text(f"screenshot failed: {exc}\n")


def _new_page(request: pytest.FixtureRequest, browser, live_server, *, javascript: bool) -> Iterator[object]:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(
        viewport=DESKTOP, locale="fr-FR", java_script_enabled=javascript, accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    # Loopback only: anything else the page (or axe-core) would fetch is refused and recorded.
    outside: list[str] = []

    def only_live_server(route) -> None:
        if route.request.url.startswith((live_server.url, "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.outside_requests = outside
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.js_errors = errors
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        _save_screenshots(page, request.node.nodeid)
    context.close()
    assert outside == [], f"the page fetched something outside the live server: {outside}"


@pytest.fixture
def page(request, browser, live_server, transactional_db) -> Iterator[object]:
    """A desktop browser tab with JavaScript on; JS errors and CSP reports collect in ``page.js_errors``."""
    yield from _new_page(request, browser, live_server, javascript=True)


@pytest.fixture
def nojs_page(request, browser, live_server, transactional_db) -> Iterator[object]:
    """A browser tab with JavaScript off: every journey must still work (progressive enhancement)."""
    yield from _new_page(request, browser, live_server, javascript=False)


@pytest.fixture
def any_page(request, browser, live_server, transactional_db) -> Iterator[object]:
    """Parametrised by ``js`` / ``nojs`` through ``@pytest.mark.parametrize("any_page", ..., indirect=True)``."""
    yield from _new_page(request, browser, live_server, javascript=getattr(request, "param", "js") == "js")


@pytest.fixture
def url(live_server) -> Callable[[str], str]:
    return lambda path: f"{live_server.url}{path}"


@pytest.fixture
def log_in(live_server) -> Callable[[object, User], None]:
    """Give a page the session of ``user`` (as after the login form) without going through the form."""

    def attach(page, user: User) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return attach


@pytest.fixture
def assert_no_js_errors() -> Callable[[object], None]:
    def check(page) -> None:
        assert page.js_errors == [], f"JavaScript errors or CSP violations: {page.js_errors}"

    return check
