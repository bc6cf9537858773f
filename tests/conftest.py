"""Fixtures shared by the whole suite: two libraries in two territories and their accounts.

Naming: ``library`` (A) and ``other_library`` (B, another territory). ``manager`` and
``viewer`` belong to A; ``other_manager`` to B; ``referent`` follows A's territory only,
``other_referent`` B's only; ``network_staff`` is BDVO-wide staff without being an
administrator (group « Personnel BDVO (tout le réseau) »); ``admin_user`` is a BDVO
administrator. ``client_for(user)`` returns a logged-in client.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, override_settings

from extranet.models import Library, User
from tests.factories import LibraryFactory, StaffFactory, TerritoryFactory, UserFactory, weekday_rounds

SHARED_MARC_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "marc"


@pytest.fixture(autouse=True)
def _fast_hashing_and_eager_tasks(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://testserver"


# The suite stands in for Redis with a LocMemCache: the query budgets of pages count SQL, and
# Redis makes none. The database cache that serves without REDIS_URL (``make run``) is tried,
# across workers and processes, by tests/security/test_throttling.py.
REDIS_STAND_IN = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@pytest.fixture(autouse=True, scope="session")
def _cache_without_sql(django_db_setup):
    """After the test database exists: its ``migrate`` creates the database cache's table with
    the real settings, which tests running ``manage.py`` in a child process need."""
    from django.conf import settings

    with override_settings(CACHES={**settings.CACHES, "default": REDIS_STAND_IN}):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached record pages, header bits, template fragments and login throttles never outlive
    their test (record ids are reused on SQLite; settings and URLs may be overridden). Only the
    caches of this process: a test that switches to a shared one empties it itself."""
    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()
    yield
    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()


@pytest.fixture
def shared_marc_dir() -> Path:
    """``../shared/data/marc``; skipped when absent, except under CI where it must exist."""
    if not SHARED_MARC_DIR.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared MARC files are missing: {SHARED_MARC_DIR}")
        pytest.skip(f"../shared/data/marc is absent ({SHARED_MARC_DIR}): real-file tests skipped")
    return SHARED_MARC_DIR


@pytest.fixture
def library(db) -> Library:
    """Library A; its territory has a navette round every weekday (``weekday_rounds``)."""
    territory = TerritoryFactory(name="Vexin français")
    weekday_rounds(territory)
    return LibraryFactory(name="Médiathèque de Marines", code="VDO-MARINES", territory=territory)


@pytest.fixture
def other_library(db) -> Library:
    """Library B; its territory has a navette round every weekday (``weekday_rounds``)."""
    territory = TerritoryFactory(name="Plaine de France")
    weekday_rounds(territory)
    return LibraryFactory(name="Médiathèque de Goussainville", code="VDO-GOUSS", territory=territory)


@pytest.fixture
def manager(library) -> User:
    return UserFactory(library=library, profile=User.Profile.MANAGER, first_name="Sophie", last_name="Martin")


@pytest.fixture
def viewer(library, manager) -> User:
    return UserFactory(library=library, profile=User.Profile.VIEWER, first_name="Lucas", last_name="Bernard")


@pytest.fixture
def other_manager(other_library) -> User:
    return UserFactory(library=other_library, profile=User.Profile.MANAGER, first_name="Nadia", last_name="Haddad")


@pytest.fixture
def referent(library) -> User:
    from django.contrib.auth.models import Group

    user = StaffFactory(first_name="Karim", last_name="Benali", email="referent@bdvo.example.fr")
    user.groups.add(Group.objects.get(name="Référents de territoire"))
    library.territory.referents.add(user)
    return user


@pytest.fixture
def other_referent(other_library) -> User:
    from django.contrib.auth.models import Group

    user = StaffFactory(first_name="Élise", last_name="Moreau", email="referente.plaine@bdvo.example.fr")
    user.groups.add(Group.objects.get(name="Référents de territoire"))
    other_library.territory.referents.add(user)
    return user


@pytest.fixture
def network_staff(db) -> User:
    from django.contrib.auth.models import Group

    from extranet.querysets import NETWORK_WIDE_GROUP

    user = StaffFactory(first_name="Hugo", last_name="Lambert", email="pret@bdvo.example.fr")
    user.groups.add(Group.objects.get(name=NETWORK_WIDE_GROUP))
    return user


@pytest.fixture
def admin_user(db) -> User:
    return StaffFactory(username="bdvo-admin", is_superuser=True)


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
