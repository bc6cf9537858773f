"""Context shared by every page: contact details, the search bar and the extranet menu."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from extranet.site import site


def _predefined_searches() -> list[dict[str, str]]:
    from catalogue.search.predefined import header_predefined_searches

    return header_predefined_searches()


def portal(request: HttpRequest) -> dict[str, object]:
    return {
        "bdvo_contact_email": settings.BDVO_CONTACT_EMAIL,
        "bdvo_contact_phone": settings.BDVO_CONTACT_PHONE,
        "search_query": request.GET.get("q", "")[:500]
        if request.resolver_match and request.resolver_match.url_name == "search"
        else "",
        # Two values only, as in the search view (the search bar is cached for each).
        "search_scope": "catalogue" if request.GET.get("scope") == "catalogue" else "all",
        "predefined_searches": SimpleLazyObject(_predefined_searches),
        "extranet_menu": SimpleLazyObject(lambda: site.menu_for(request.user)),
    }
