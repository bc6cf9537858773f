"""PrivateCacheMiddleware: which responses it marks ``private, no-store``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache

from bdvo_portal.middleware import PrivateCacheMiddleware


class _User:
    is_authenticated = True


def _cache_control(path: str, *, user: object, view=None, public: bool = False) -> str:
    def respond(request):
        response = HttpResponse("page")
        if public:
            patch_cache_control(response, public=True, max_age=600)
        return response

    request = RequestFactory().get(path)
    request.user = user
    return PrivateCacheMiddleware(view or respond)(request).get("Cache-Control", "")


def test_anonymous_public_pages_are_left_alone():
    assert _cache_control("/outils-animation/", user=AnonymousUser()) == ""


def test_private_prefixes_are_private_for_anyone_even_when_a_view_says_public():
    for path in ("/espace-pro/", "/personnel/navette/", "/admin/"):
        directives = set(_cache_control(path, user=AnonymousUser(), public=True).split(", "))
        assert {"private", "no-store"} <= directives and "public" not in directives, path


def test_every_response_to_a_logged_in_account_is_private_unless_declared_public():
    assert set(_cache_control("/catalogue/notice/1/", user=_User()).split(", ")) == {"private", "no-store"}
    assert set(_cache_control("/outils-animation/fiches/1/", user=_User(), public=True).split(", ")) == {
        "public",
        "max-age=600",
    }


def test_directives_of_the_view_are_kept():
    view = never_cache(lambda request: HttpResponse("page"))
    directives = set(_cache_control("/espace-pro/", user=_User(), view=view).split(", "))
    assert {"private", "no-store", "no-cache", "must-revalidate", "max-age=0"} <= directives
