"""Security headers, CSRF on every form, markup that the CSP allows, and production settings."""

from __future__ import annotations

import os
import re
import secrets
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from catalogue.checks import shared_cache_check
from tests.security.matrix import World, portal_patterns

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class _Markup(HTMLParser):
    """Collects what the CSP forbids (inline scripts, styles, handlers) and the POST forms."""

    def __init__(self) -> None:
        super().__init__()
        self.inline = []
        self.post_forms = []  # one list of input names per <form method=post>
        self._form = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            self.inline.append("<script> without src")
        if "style" in values:
            self.inline.append(f"style attribute on <{tag}>")
        self.inline += [f"{name} handler on <{tag}>" for name in values if name.startswith("on")]
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self._form = []
            self.post_forms.append(self._form)
        if tag == "input" and self._form is not None:
            self._form.append(values.get("name"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _pages(world: World) -> list[tuple[str, str, object]]:
    """(role, path, response) of every HTML page of the portal for anonymous and A's accounts."""
    pages = []
    for role in ("anonymous", "manager", "viewer"):
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(world, role))
        for pattern in portal_patterns():
            if pattern.name in {"account_logout"}:
                continue
            path = pattern.url(world)
            response = client.get(path)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages.append((role, path, response))
    return pages


def test_every_page_sends_the_security_headers(world):
    pages = _pages(world)
    assert len(pages) > 20
    for role, path, response in pages:
        where = f"{path} as {role}"
        csp = response["Content-Security-Policy"]
        script_src = re.search(r"script-src([^;]*)", csp).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, where
        assert "frame-ancestors 'none'" in csp, where
        assert response["X-Content-Type-Options"] == "nosniff", where
        assert response["Referrer-Policy"] == "same-origin", where
        assert response["X-Frame-Options"] == "DENY", where


def test_no_page_needs_unsafe_inline(world):
    """What the CSP would block in the browser: inline scripts, style attributes, on* handlers."""
    found = {}
    for role, path, response in _pages(world):
        parser = _Markup()
        parser.feed(response.content.decode())
        if parser.inline:
            found[f"{path} as {role}"] = sorted(set(parser.inline))
    assert found == {}


def test_every_post_form_carries_the_csrf_token(world):
    missing = []
    forms = 0
    for role, path, response in _pages(world):
        parser = _Markup()
        parser.feed(response.content.decode())
        forms += len(parser.post_forms)
        missing += [f"{path} as {role}" for inputs in parser.post_forms if "csrfmiddlewaretoken" not in inputs]
    assert forms > 5
    assert missing == []


@pytest.mark.parametrize("pattern", portal_patterns(), ids=lambda pattern: pattern.name)
def test_post_without_csrf_token_is_refused(pattern, world):
    for role in ("anonymous", "manager"):
        client = Client(enforce_csrf_checks=True)
        if role != "anonymous":
            client.force_login(getattr(world, role))
        response = client.post(pattern.url(world), pattern.post_data(world))
        assert response.status_code == 403, f"{pattern.name} as {role}"


# --- caching: a library's data is never kept by a cache -----------------------------------------

# Files that are the same for everyone: they say so themselves (Cache-Control: public).
PUBLIC_FILES = {"animation_tools:sheet_download", "animation_tools:photo"}
PRIVATE_PREFIXES = ("/espace-pro/", "/personnel/", "/admin/")


def _cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _never_cached(response) -> bool:
    directives = _cache_directives(response)
    return {"private", "no-store"} <= directives and "public" not in directives


@pytest.mark.parametrize("role", ["manager", "viewer", "referent", "staff"])
def test_every_page_for_a_logged_in_account_is_never_cached(world, role):
    """Every URL of the security matrix as each of library A's partners and as BDVO staff: every
    200 (pages, exports, downloads, feeds, record pages) says private, no-store; only the public
    files say public."""
    client = Client()
    client.force_login(getattr(world, role))
    seen = []
    for pattern in portal_patterns():
        if pattern.name == "account_logout":
            continue
        path = pattern.url(world)
        response = client.get(path)
        if response.status_code != 200:
            assert not path.startswith(PRIVATE_PREFIXES) or _never_cached(response), f"{path} as {role}"
            continue
        seen.append(path)
        if pattern.name in PUBLIC_FILES:
            assert "public" in _cache_directives(response), f"{path} as {role}"
        else:
            assert _never_cached(response), f"{path} as {role}: {response.get('Cache-Control')!r}"
    assert len(seen) > 20
    if role in {"manager", "viewer"}:
        assert sum(path.startswith("/espace-pro/") for path in seen) > 5
    else:
        assert any(path.startswith("/personnel/") for path in seen)


def test_private_areas_are_never_cached_for_anonymous_visitors_either(world):
    """The login redirects of the espace professionnel, the staff pages and the admin, and the
    library's calendar feed (a capability URL read without a session)."""
    client = Client()
    for pattern in portal_patterns():
        path = pattern.url(world)
        if path.startswith(PRIVATE_PREFIXES) or pattern.name == "animation_tools:calendar_feed":
            assert _never_cached(client.get(path)), path
    assert _never_cached(client.get("/admin/"))


def test_admin_pages_are_never_cached(world):
    client = Client()
    client.force_login(world.staff)
    response = client.get("/admin/")
    assert response.status_code == 200 and _never_cached(response)


def test_public_pages_for_anonymous_visitors_are_not_marked_private(client, world):
    for path in ("/", "/outils-animation/", "/formations/"):
        response = client.get(path)
        assert response.status_code == 200 and "private" not in _cache_directives(response), path


# --- production settings -----------------------------------------------------------------------


def _production_env(tmp_path: Path) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        DEBUG="false",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        ALLOWED_HOSTS="portail.example.fr",
        SITE_URL="https://portail.example.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    return environment


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_deploy_checks_pass_with_a_random_production_secret_key(tmp_path):
    # The check only reads the settings: nothing listens on port 1.
    environment = {**_production_env(tmp_path), "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=environment)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_refuses_a_cache_kept_per_process(settings):
    """Without REDIS_URL the cache is the database's (shared); a per-process one is refused."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [message.id for message in shared_cache_check()] == ["catalogue.W001"]


def test_deploy_check_refuses_production_without_redis(tmp_path):
    environment = {k: v for k, v in _production_env(tmp_path).items() if k != "REDIS_URL"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=environment)
    assert result.returncode != 0
    assert "bdvo_portal.W002" in result.stdout + result.stderr


# The iCalendar feed renders no template, so no collected static files are needed here.
PRODUCTION_PROBE = """
from django.conf import settings
from django.test import Client
from animation_tools.ics import library_token
from extranet.models import Library, Territory
library = Library.objects.create(name="Essai", code="ESSAI", commune="Essai", territory=Territory.objects.create(name="Essai"))
path = f"/outils-animation/agenda/{library_token(library)}.ics"
response = Client().get(path, secure=True, headers={"host": "portail.example.fr"})
plain = Client().get(path, headers={"host": "portail.example.fr"})
print(response.status_code, plain.status_code, plain.get("Location", ""))
print(response.get("Strict-Transport-Security", ""))
print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY)
"""


def test_production_sends_hsts_redirects_to_https_and_secures_cookies(tmp_path):
    env = _production_env(tmp_path)
    assert _manage("migrate", "--noinput", env=env).returncode == 0
    result = _manage("shell", "-c", PRODUCTION_PROBE, env=env)
    assert result.returncode == 0, result.stderr
    statuses, hsts, cookies = result.stdout.strip().splitlines()[-3:]
    assert re.fullmatch(r"200 301 https://portail\.example\.fr/outils-animation/agenda/\S+\.ics", statuses)
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert cookies == "True True True"
