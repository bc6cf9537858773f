"""Login throttling, tried as attacks (``extranet/throttling.py``).

One librarian's typos lock their own account from their address, never their colleagues
behind the same town-hall address; guessing spread over many addresses locks the account;
a forged X-Forwarded-For gains nothing; the counters live in the shared cache, not in a
worker's memory; the locked owner is told when to retry and how to reset the password.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from allauth.core.internal.ratelimit import get_ip
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.core.management import call_command
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import reverse

from extranet import throttling
from extranet.models import User
from tests.extranet.test_tasks import redis_url  # noqa: F401 - fixture: a real redis-server
from tests.factories import TEST_PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
WRONG = "pas-le-bon-mot-de-passe"
TOWN_HALL = "203.0.113.10"  # one public address for every computer of a town hall
PROXY = "10.0.0.2"  # our reverse proxy, when TRUSTED_PROXY_COUNT = 1


def _login(client: Client, login: str, password: str, *, address: str = TOWN_HALL, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": address}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("account_login"), {"login": login, "password": password}, **headers)


def _logged_in(client: Client, user: User) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def _fail(user: User, times: int, **where) -> None:
    for _ in range(times):
        response = _login(Client(), user.username, WRONG, **where)
        assert response.status_code == 200 and "incorrect" in response.content.decode()


def _locked(response) -> bool:
    return "Trop de tentatives de connexion échouées" in response.content.decode()


def _visible_text(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.fixture
def colleague(library) -> User:
    return UserFactory(library=library, first_name="Inès", last_name="Moreau")


# --- who gets locked out -----------------------------------------------------------------------


@pytest.mark.django_db
def test_five_typos_lock_the_account_from_its_address_but_not_a_colleague_behind_it(manager, colleague):
    _fail(manager, 5)
    refused = _login(client := Client(), manager.username, TEST_PASSWORD)
    assert _locked(refused) and not _logged_in(client, manager)
    _login(client := Client(), colleague.username, TEST_PASSWORD)
    assert _logged_in(client, colleague)


@pytest.mark.django_db
def test_a_town_hall_of_typing_colleagues_stays_under_the_address_ceiling(library, manager):
    """Ten colleagues each locking themselves out (50 failures from one address) do not lock
    an eleventh."""
    for person in UserFactory.create_batch(10, library=library):
        _fail(person, 5)
    _login(client := Client(), manager.username, TEST_PASSWORD)
    assert _logged_in(client, manager)


@pytest.mark.django_db
def test_the_typos_of_one_address_do_not_lock_the_account_elsewhere(manager):
    _fail(manager, 5, address="198.51.100.1")
    _login(client := Client(), manager.username, TEST_PASSWORD, address="198.51.100.2")
    assert _logged_in(client, manager)


@pytest.mark.django_db
def test_guessing_spread_over_many_addresses_locks_the_account(manager):
    for number in range(20):
        _fail(manager, 1, address=f"198.51.100.{number + 1}")
    refused = _login(client := Client(), manager.username, TEST_PASSWORD, address="192.0.2.77")
    assert _locked(refused) and not _logged_in(client, manager)
    assert re.search(r"Réessayez après \d{1,2} h \d{2}", refused.content.decode())


@pytest.mark.django_db
def test_the_username_and_the_email_count_on_the_same_account(manager):
    for number in range(10):
        login = manager.username if number % 2 else manager.email.upper()
        _login(Client(), login, WRONG, address=f"198.51.100.{number + 1}")
    for number in range(10):
        _login(Client(), manager.username, WRONG, address=f"198.51.100.{number + 11}")
    assert _locked(_login(Client(), manager.email, TEST_PASSWORD, address="192.0.2.77"))


@pytest.mark.django_db
def test_one_address_spraying_many_accounts_hits_the_address_ceiling(library, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "8/15m/ip,20/1h/key"}
    for number in range(8):
        _login(Client(), f"inconnu-{number}", WRONG)
    person = UserFactory(library=library)
    client = Client()
    assert _locked(_login(client, person.username, TEST_PASSWORD))
    assert not _logged_in(client, person)
    _login(client, person.username, TEST_PASSWORD, address="192.0.2.77")
    assert _logged_in(client, person)


@pytest.mark.django_db
def test_the_right_password_is_not_counted_as_a_failure(manager):
    _fail(manager, 4)
    for _ in range(3):
        _login(client := Client(), manager.username, TEST_PASSWORD)
        assert _logged_in(client, manager)


@pytest.mark.django_db
def test_an_unknown_login_is_locked_the_same_way_so_nothing_is_revealed(manager):
    _fail(manager, 5)
    for _ in range(5):
        _login(Client(), "personne-inconnue", WRONG)
    known = _login(Client(), manager.username, WRONG)
    unknown = _login(Client(), "personne-inconnue", WRONG)
    assert _locked(known) and _locked(unknown)
    assert _visible_text(known).replace(manager.username, "personne-inconnue") == _visible_text(unknown)


# --- the client address ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_forged_forwarded_for_is_ignored_without_trusted_proxy(manager, settings):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT == 0
    for number in range(5):
        _login(Client(), manager.username, WRONG, forwarded=f"192.0.2.{number + 1}")
    assert _locked(_login(Client(), manager.username, TEST_PASSWORD, forwarded="192.0.2.200"))


@pytest.mark.django_db
def test_behind_one_trusted_proxy_the_right_most_forwarded_address_is_the_client(manager, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for number in range(5):  # a forged left-most address each time: still the same client
        _login(Client(), manager.username, WRONG, address=PROXY, forwarded=f"192.0.2.{number + 1}, {TOWN_HALL}")
    assert _locked(_login(Client(), manager.username, TEST_PASSWORD, address=PROXY, forwarded=TOWN_HALL))
    _login(client := Client(), manager.username, TEST_PASSWORD, address=PROXY, forwarded="198.51.100.9")
    assert _logged_in(client, manager)


@pytest.mark.parametrize(
    ("count", "forwarded", "client"),
    [
        (0, "192.0.2.1, 198.51.100.9", PROXY),
        (1, "192.0.2.1, 198.51.100.9", "198.51.100.9"),
        (2, "192.0.2.1, 198.51.100.9", "192.0.2.1"),
        (1, None, PROXY),
    ],
)
def test_the_client_address_is_the_nth_forwarded_from_the_right(settings, count, forwarded, client):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count
    headers = {"REMOTE_ADDR": PROXY} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    assert get_ip(RequestFactory().post("/", **headers)) == client


def test_trusted_proxy_count_comes_from_the_environment_and_is_documented():
    from bdvo_portal import settings as portal_settings

    assert portal_settings.ALLAUTH_TRUSTED_PROXY_COUNT is portal_settings.TRUSTED_PROXY_COUNT
    readme = Path(throttling.__file__).resolve().parents[1] / "README.md"
    assert "`TRUSTED_PROXY_COUNT`" in readme.read_text(encoding="utf-8")


# --- what the locked owner is told -------------------------------------------------------------


@pytest.mark.django_db
def test_the_locked_owner_is_told_when_to_retry_and_how_to_reset_the_password(manager):
    _fail(manager, 5)
    html = _login(Client(), manager.username, TEST_PASSWORD).content.decode()
    assert "Trop de tentatives de connexion échouées. Réessayez dans 5 minutes" in html
    assert f'<a href="{reverse("account_reset_password")}">Mot de passe oublié ?</a>' in html


def test_the_message_gives_minutes_for_a_short_wait_and_the_time_for_a_long_one(settings):
    settings.TIME_ZONE = "Europe/Paris"
    now = 1_800_000_000.0  # 2027-01-15 09:00:00 in Paris
    assert "Réessayez dans 1 minute," in throttling.locked_message(now + 20, now)
    assert "Réessayez dans 5 minutes," in throttling.locked_message(now + 299, now)
    assert "Réessayez après 9 h 27," in throttling.locked_message(now + 27 * 60 - 30, now)  # minute rounded up
    assert "Réessayez dans quelques minutes," in throttling.locked_message(None, now)


@pytest.mark.django_db
def test_a_password_reset_unlocks_the_account_but_not_the_address_ceiling(
    manager, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "8/15m/ip,20/1h/key"}
    _fail(manager, 5)
    for number in range(2):
        _login(Client(), f"inconnu-{number}", WRONG)
    client = Client(REMOTE_ADDR=TOWN_HALL)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": manager.email})
    link = re.search(r"http://testserver(/compte/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "Une-phrase-de-passe-neuve-2026"
    assert client.post(form_url, {"password1": new_password, "password2": new_password}).status_code == 302
    _login(client := Client(), manager.username, new_password)
    assert _logged_in(client, manager)
    assert not _locked(_login(Client(), "inconnu-9", WRONG))  # the address's 8th failure
    assert _locked(_login(Client(), "inconnu-10", WRONG))  # its 7 earlier failures still count


# --- one counter for every worker --------------------------------------------------------------

# settings.py's default cache without REDIS_URL (the suite otherwise stands in for Redis with a
# LocMemCache, see tests/conftest.py); the two-process test below runs the real settings.
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "portal_cache",
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
FIRST_WORKER = """
from django.test import Client
from extranet.models import User
User.objects.create_user("sophie", "sophie@example.fr", "Une-phrase-de-passe-2026")
for _ in range(5):
    Client().post("/compte/login/", {"login": "sophie", "password": "faux"}, REMOTE_ADDR="203.0.113.10")
"""
SECOND_WORKER = """
from django.conf import settings
from django.test import Client
client = Client()
response = client.post("/compte/login/", {"login": "sophie", "password": "Une-phrase-de-passe-2026"}, REMOTE_ADDR="203.0.113.10")
print(settings.CACHES["default"]["BACKEND"])
print("locked" if "Trop de tentatives" in response.content.decode() else "not locked", "_auth_user_id" in client.session)
"""


@pytest.fixture
def database_cache(transactional_db, settings):
    """The database cache, its table created as ``migrate`` does, emptied afterwards."""
    settings.CACHES = {**settings.CACHES, "default": DATABASE_CACHE}
    call_command("createcachetable", verbosity=0)
    yield caches["default"]
    caches["default"].clear()


def _as_another_worker(action: Callable[[], None]) -> None:
    """Run ``action`` as another worker would: another thread (its own cache handlers and
    database connection), after the memory of this process's local caches is wiped."""
    locmem._caches.clear()
    locmem._expire_info.clear()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if errors:
        raise errors[0]


def _second_worker_is_refused(user: User) -> None:
    _fail(user, 5)
    outcome: dict[str, bool] = {}

    def second_worker() -> None:
        client = Client()
        outcome["locked"] = _locked(_login(client, user.username, TEST_PASSWORD))
        outcome["logged_in"] = _logged_in(client, user)

    _as_another_worker(second_worker)
    assert outcome == {"locked": True, "logged_in": False}


def test_workers_share_the_counters_through_the_database_cache_without_redis(database_cache, manager):
    _second_worker_is_refused(manager)


@pytest.mark.django_db(transaction=True)
def test_workers_share_the_counters_through_redis(manager, settings, redis_url):  # noqa: F811
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "bdvo_portal.cache.PortalRedisCache", "LOCATION": redis_url},
    }
    assert type(caches["default"]).__name__ == "PortalRedisCache"
    _second_worker_is_refused(manager)


def test_the_counters_would_be_lost_in_a_per_process_cache(settings):
    """The wiping of ``_as_another_worker`` is real: a LocMemCache forgets what it held."""
    caches["default"].set("allauth:rl:probe", [time.time()])
    seen: dict[str, object] = {}
    _as_another_worker(lambda: seen.update(value=caches["default"].get("allauth:rl:probe")))
    assert seen == {"value": None}


def test_two_processes_share_the_counters_through_the_database_without_redis(tmp_path):
    """The real settings without REDIS_URL: ``migrate`` creates the cache table, one process
    fails five times, another one is refused."""
    outer = {"REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "TEST_DATABASE_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in outer}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'portal.sqlite3'}"

    def manage(*args: str) -> str:
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    manage("shell", "-c", FIRST_WORKER)
    assert manage("shell", "-c", SECOND_WORKER).splitlines()[-2:] == [DATABASE_CACHE["BACKEND"], "locked False"]


# --- no other door -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_login_form_is_no_way_around_the_throttle(admin_user):
    """The admin's own login form checks passwords without any limit: it sends to the portal's."""
    for _ in range(10):
        response = Client().post(reverse("admin:login"), {"username": admin_user.username, "password": WRONG})
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client = Client()
    client.post(reverse("admin:login"), {"username": admin_user.username, "password": TEST_PASSWORD})
    assert not _logged_in(client, admin_user)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    _login(client, admin_user.username, TEST_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_a_partner_signed_in_is_refused_the_admin_login_page(client_for, manager):
    assert client_for(manager).get(reverse("admin:login")).status_code == 403
