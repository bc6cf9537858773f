"""Fixtures of the security tests: the world of ``matrix.build_world`` and database snapshots."""

from __future__ import annotations

import pytest
from django.apps import apps

from tests.security.matrix import World, build_world

# Rows that change on every request without being a change of data.
IGNORED_MODELS = {"sessions.session"}
IGNORED_FIELDS = {"last_login"}


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def _plain(value: object) -> object:
    return bytes(value) if isinstance(value, memoryview) else value


def database_snapshot() -> dict[str, list[tuple]]:
    """Every row of every model (except sessions and ``last_login``), to prove nothing changed."""
    snapshot: dict[str, list[tuple]] = {}
    for model in apps.get_models():
        if model._meta.label_lower in IGNORED_MODELS:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED_FIELDS]
        rows = model._base_manager.order_by("pk").values_list(*names)
        snapshot[model._meta.label_lower] = [tuple(_plain(value) for value in row) for row in rows]
    return snapshot


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))
