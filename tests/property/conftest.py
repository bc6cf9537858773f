"""Helpers of the property-based tests: a French page for every refusal, never a 500."""

from __future__ import annotations

import pytest
from django.core.cache import cache

# Django's and browsers' English defaults: a refusal showing one of these was not translated.
ENGLISH_MARKERS = (
    "This field",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Bad Request",
    "Server Error",
    "Not Found",
    "Forbidden",
    "is not a valid",
)


def assert_answers_in_french(response) -> None:
    """A page of the portal (not a bare error), in French, without Django's English defaults."""
    assert response.status_code < 500
    if response.status_code in {301, 302}:
        return
    assert response.status_code in {200, 400, 403, 404}, response.status_code
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode()
        assert '<html lang="fr">' in body, body[:300]
        english = [marker for marker in ENGLISH_MARKERS if marker in body]
        assert english == [], english


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()
