"""Production smoke test, the Python half: seed the scratch database, then drive gunicorn over HTTP.

``scripts/smoke-production.sh`` starts the processes (PostgreSQL database, Redis, Celery
worker and beat, gunicorn with ``DEBUG=false``) and calls, with the production environment::

    python scripts/smoke_production.py seed
    python scripts/smoke_production.py check --base http://127.0.0.1:PORT --redis up
    python scripts/smoke_production.py check --base http://127.0.0.1:PORT --redis down

``seed`` creates a partner account (password from ``SMOKE_PASSWORD``), a tool with a
technical sheet, two bookings of the partner's library (an export of two rows, above
``EXPORT_ASYNC_THRESHOLD=1``, goes through the worker), a predefined search and one record
imported by ``import_marc``. ``check`` prints one line per check and exits 1 at the first
failure. gunicorn stands behind a TLS proxy in production: requests say so with
``X-Forwarded-Proto: https``, and the script carries the cookies itself (they are ``Secure``).
"""

from __future__ import annotations

import argparse
import datetime
import http.cookies
import os
import re
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERNAME = "smoke-partenaire"
TOOL_SLUG = "smoke-tapis-de-la-ferme"
TOOL_NAME = "Tapis de la ferme"
PREDEFINED_SEARCH = "Romans du Vexin"
RECORD_TITLE = "Les Misérables au Vexin"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


# --- seed --------------------------------------------------------------------------------------


def seed() -> None:
    """Create the partner, the tool, its sheet, two bookings, a predefined search and a record."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bdvo_portal.settings")
    import django

    django.setup()
    import pymarc
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.utils import timezone

    from animation_tools.models import TechnicalSheet, Tool, ToolBooking, ToolType
    from animation_tools.rules import blocked_until_for
    from catalogue.models import PredefinedSearch
    from extranet.models import Library, Territory, User

    territory = Territory.objects.create(name="Vexin français")
    library = Library.objects.create(
        name="Médiathèque de Marines", code="SMOKE-MARINES", commune="Marines", territory=territory
    )
    user = User(
        username=USERNAME, email="smoke@example.fr", library=library, profile=User.Profile.MANAGER, first_name="Sophie"
    )
    user.set_password(os.environ["SMOKE_PASSWORD"])
    user.save()
    tool_type = ToolType.objects.create(name="Raconte-tapis", slug="smoke-raconte-tapis")
    tool = Tool.objects.create(
        type=tool_type, name=TOOL_NAME, slug=TOOL_SLUG, description="Un tapis à explorer et dix albums.", value=600
    )
    sheet = TechnicalSheet(tool=tool, title="Fiche technique")
    sheet.file.save("fiche-technique.pdf", ContentFile(PDF), save=True)
    start = timezone.localdate() + datetime.timedelta(days=30)
    for weeks in (0, 6):
        loan_date = start + datetime.timedelta(weeks=weeks)
        return_date = loan_date + datetime.timedelta(days=14)
        ToolBooking.objects.create(
            tool=tool,
            library=library,
            loan_date=loan_date,
            return_date=return_date,
            blocked_until=blocked_until_for(return_date),
            status=ToolBooking.Status.VALIDATED,
        )
    PredefinedSearch.objects.create(label=PREDEFINED_SEARCH, query="vexin", is_active=True)
    record = pymarc.Record(force_utf8=True, leader="     nam  22        450 ")
    record.add_field(
        pymarc.Field(tag="001", data="SMOKE0001"),
        pymarc.Field(
            tag="200",
            indicators=["1", " "],
            subfields=[pymarc.Subfield("a", RECORD_TITLE), pymarc.Subfield("f", "Hugo")],
        ),
        pymarc.Field(tag="995", indicators=[" ", " "], subfields=[pymarc.Subfield("f", "SMOKE000000001")]),
    )
    with tempfile.NamedTemporaryFile(suffix=".mrc") as marc:
        marc.write(record.as_marc())
        marc.flush()
        call_command("import_marc", marc.name, "--no-progress", verbosity=0)
    print(f"seeded: partner {USERNAME}, tool {TOOL_SLUG} with its sheet, 2 bookings, 1 record")


# --- HTTP --------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """A client that carries its cookies itself and never follows redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(
        self, path: str, *, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes, float]:
        """``(status, headers, body, seconds)`` of one request through the TLS proxy."""
        all_headers = {**PROXY_HEADERS, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=all_headers)  # noqa: S310 - loopback
        started = time.monotonic()
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = error
        content = response.read()
        jar = http.cookies.SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response.status, dict(response.headers.items()), content, time.monotonic() - started


class SmokeFailure(Exception):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)
    print(f"  ok  {message}")


def text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def check_page(browser: Browser, path: str, *, contains: str = "", max_seconds: float = 5.0) -> str:
    """GET ``path``: 200, within ``max_seconds``, a French page showing ``contains``; returns it."""
    status, _headers, body, seconds = browser.request(path)
    page = text(body)
    shown = f", shows « {contains} »" if contains else ""
    expect(
        status == 200 and seconds < max_seconds and '<html lang="fr"' in page and contains in page,
        f"GET {path}: {status} in {seconds:.2f} s (200 within {max_seconds:g} s expected), French{shown}",
    )
    return page


def anonymous_pages(browser: Browser) -> str:
    """Every public page answers 200 in French; returns the tool page."""
    check_page(browser, "/", contains=PREDEFINED_SEARCH)  # the header's predefined searches
    check_page(browser, "/recherche/?" + urllib.parse.urlencode({"q": "misérables", "scope": "catalogue"}))
    search = check_page(browser, "/recherche/?" + urllib.parse.urlencode({"q": "vexin"}), contains=RECORD_TITLE)
    record = re.search(r'href="(/catalogue/notice/\d+/)"', search)
    expect(record is not None, "the search results link to the record page")
    check_page(browser, record.group(1), contains=RECORD_TITLE)
    check_page(browser, "/outils-animation/", contains=TOOL_NAME)
    tool_page = check_page(browser, f"/outils-animation/{TOOL_SLUG}/", contains="Fiche technique")
    check_page(browser, "/formations/")
    check_page(browser, "/aide/")
    return tool_page


def static_and_files(browser: Browser, tool_page: str) -> None:
    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/[^"]+)"', tool_page)
    expect(stylesheet is not None, "the pages link their stylesheets under /static/")
    status, _headers, body, _seconds = browser.request(stylesheet.group(1))
    expect(status == 200 and body, f"GET {stylesheet.group(1)}: 200 and the collected file (got {status})")
    sheet = re.search(r'<a href="([^"]+)" download>Fiche technique</a>', tool_page)
    expect(sheet is not None, "the tool page links its technical sheet")
    status, _headers, body, _seconds = browser.request(sheet.group(1))
    expect(status == 200 and body == PDF, f"GET {sheet.group(1)}: 200 and the uploaded PDF (got {status})")


def not_found(browser: Browser) -> None:
    status, _headers, body, _seconds = browser.request("/cette-page-n-existe-pas/")
    expect(status == 404 and "Page introuvable" in text(body), f"an unknown page: 404 in French (got {status})")


def https_redirect(base: str) -> None:
    request = urllib.request.Request(base + "/")  # noqa: S310 - loopback
    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=30)
        status, location = 200, ""
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    expect(status == 301 and location.startswith("https://"), "plain HTTP is redirected to HTTPS")


def log_in(browser: Browser) -> None:
    status, _headers, body, _seconds = browser.request("/compte/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(body))
    expect(status == 200 and token is not None, "the login page answers with a CSRF token")
    referer = browser.base.replace("http://", "https://", 1) + "/compte/login/"
    status, _headers, _body, _seconds = browser.request(
        "/compte/login/",
        data={"login": USERNAME, "password": os.environ["SMOKE_PASSWORD"], "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": referer},
    )
    expect(status == 302 and "sessionid" in browser.cookies, f"the partner logs in (got {status})")
    check_page(browser, "/espace-pro/", contains="Médiathèque de Marines")


def start_export(browser: Browser) -> str:
    """Ask for the bookings export; returns the job page it redirects to."""
    status, headers, _body, seconds = browser.request("/espace-pro/export/tool_bookings/?format=csv")
    location = urllib.parse.urlsplit(headers.get("Location", "")).path
    expect(
        status == 302 and "/export/suivi/" in location,
        f"the export becomes a background job (got {status} {location}, {seconds:.2f} s)",
    )
    return location


def export_through_the_worker(browser: Browser) -> None:
    job_page = start_export(browser)
    deadline = time.monotonic() + 90
    while True:
        status, _headers, body, _seconds = browser.request(job_page)
        page = text(body)
        if "Votre export est prêt" in page or "L'export a échoué" in page or time.monotonic() > deadline:
            break
        time.sleep(1)
    expect(status == 200 and "Votre export est prêt" in page, "the worker wrote the export (job page says done)")
    status, _headers, body, _seconds = browser.request(job_page + "fichier/")
    expect(status == 200, f"the export file downloads (got {status})")
    expect(TOOL_NAME in text(body) and text(body).count("\n") >= 3, "the file holds the header and the two bookings")


def export_unavailable(browser: Browser) -> None:
    job_page = start_export(browser)
    status, _headers, body, _seconds = browser.request(job_page)
    page = text(body)
    expect(status == 200, f"the job page answers 200 (got {status})")
    expect(
        "Le service d'export est momentanément indisponible" in page.replace("&#x27;", "'"),
        "the export says in French that the service is temporarily unavailable",
    )


def check(base: str, redis_up: bool) -> None:
    """Every check of one phase; raises ``SmokeFailure`` at the first that fails."""
    print(f"== Redis {'up' if redis_up else 'stopped'}: anonymous pages")
    browser = Browser(base)
    tool_page = anonymous_pages(browser)
    if redis_up:
        https_redirect(base)
    static_and_files(browser, tool_page)
    not_found(browser)
    print(f"== Redis {'up' if redis_up else 'stopped'}: partner")
    partner = Browser(base)
    log_in(partner)
    if redis_up:
        export_through_the_worker(partner)
    else:
        export_unavailable(partner)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("seed")
    checks = commands.add_parser("check")
    checks.add_argument("--base", required=True, help="gunicorn's address, http://127.0.0.1:PORT")
    checks.add_argument("--redis", choices=["up", "down"], required=True)
    args = parser.parse_args()
    if args.command == "seed":
        seed()
        return
    try:
        check(args.base, args.redis == "up")
    except SmokeFailure as failure:
        print(f"  FAILED  {failure}")
        sys.exit(1)


if __name__ == "__main__":
    main()
