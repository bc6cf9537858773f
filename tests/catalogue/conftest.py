"""Catalogue test hooks: ``@pytest.mark.postgres_only`` tests are skipped on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (French stemming is not available with SQLite FTS5)")
