"""Security headers not covered by Django's SecurityMiddleware, and the caching rule of pages
that hold a library's data."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# No inline script anywhere in the portal; the admin keeps inline styles of its own.
PORTAL_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
ADMIN_CSP = PORTAL_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        csp = ADMIN_CSP if request.path.startswith("/admin/") else PORTAL_CSP
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


# Every page under these prefixes shows a library's data or the staff's view of it
# (espace professionnel, its exports and downloads, staff pages, admin), whoever asks.
PRIVATE_PREFIXES = ("/espace-pro/", "/personnel/", "/admin/")


def holds_private_data(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether ``response`` may hold a library's or a person's data, so no cache may keep it.

    True under ``PRIVATE_PREFIXES``, and for every response to a logged-in account (the
    header names them; record pages show their library's reservation), unless the view
    declared the response ``public`` itself (a public file is the same for everyone).
    A view outside those cases that holds private data (the calendar feed, read without a
    session) marks its response private itself.
    """
    if request.path_info.startswith(PRIVATE_PREFIXES):
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    directives = {part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",")}
    return "public" not in directives


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response of ``holds_private_data``.

    One place instead of a decorator per view, so that a new espace page cannot forget it.
    Directives a view set itself (``never_cache``'s ``max-age=0``…) are kept; ``public`` is
    replaced under the private prefixes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if holds_private_data(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response
