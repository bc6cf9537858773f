"""Predefined searches (``PredefinedSearch``, managed in admin) offered under the search bar.

The list is on every page (the header's search bar), so it is kept in the shared cache and
forgotten whenever a predefined search is saved or deleted (``predefined_searches_changed``,
connected by ``catalogue.record_page.connect_signals``).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction

from catalogue.models import PredefinedSearch

# The list is cached without a version: a reader that queried it just before a change and
# stores it just after the change was invalidated keeps the old list this long at most.
PREDEFINED_SEARCHES_TIMEOUT = 600
PREDEFINED_SEARCHES_KEY = "catalogue:predefined-searches"
PREDEFINED_SEARCHES_SHOWN = 12


def header_predefined_searches() -> list[dict[str, str]]:
    """Active predefined searches offered under the search bar (``label``, ``query``, ``url``):
    from the cache, forgotten whenever one is saved or deleted."""
    searches = cache.get(PREDEFINED_SEARCHES_KEY)
    if searches is None:
        active = PredefinedSearch.objects.filter(is_active=True).order_by("position", "label")
        searches = [
            {"label": search.label, "query": search.query, "url": search.get_absolute_url()}
            for search in active[:PREDEFINED_SEARCHES_SHOWN]
        ]
        cache.set(PREDEFINED_SEARCHES_KEY, searches, timeout=PREDEFINED_SEARCHES_TIMEOUT)
    return searches


def predefined_searches_changed(sender: type, instance: PredefinedSearch, **kwargs: Any) -> None:
    """Receiver of ``post_save`` and ``post_delete``: the cached list is read again (now and after
    the transaction commits, so that a reader during the transaction cannot keep the old list)."""
    cache.delete(PREDEFINED_SEARCHES_KEY)
    transaction.on_commit(lambda: cache.delete(PREDEFINED_SEARCHES_KEY))
