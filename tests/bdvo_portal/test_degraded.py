"""Degrade, don't fall: a Redis or a Celery broker that is down is no outage.

Real components, no mocks: the cache is the portal's ``PortalRedisCache`` pointed at a
closed port, at a real ``redis-server`` (stopped with SIGSTOP to make it silent, then
resumed), and the broker is Redis at a closed port.
"""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

import kombu.pools
import pytest
import redis
from django.core import mail
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from animation_tools.models import ToolBooking
from bdvo_portal.cache import PortalRedisCache
from bdvo_portal.celery import app as celery_app
from catalogue.marc.iso2709 import serialise
from catalogue.marc.record import MarcField, MarcRecord
from catalogue.models import Item, MarcImport, PredefinedSearch
from extranet.exports.services import UNAVAILABLE_MESSAGE
from extranet.models import ExportJob
from extranet.tasks import queue_email
from tests.animation_tools.factories import TechnicalSheetFactory, ToolBookingFactory, ToolFactory
from tests.factories import TEST_PASSWORD, ItemFactory

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1
CACHE_LOGGER = "bdvo_portal.cache"


def _portal_cache(location: str, **options: float) -> dict[str, dict[str, object]]:
    return {
        "default": {"BACKEND": "bdvo_portal.cache.PortalRedisCache", "LOCATION": location, "OPTIONS": options},
        "process": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "process"},
    }


@pytest.fixture
def redis_down(settings) -> None:
    """The default cache is the portal's Redis backend, and nothing listens at its address."""
    settings.CACHES = _portal_cache(CLOSED)


def _forget_broker_connections() -> None:
    # The app keeps its broker connection pool from the first publish on; a test that
    # changes the broker URL must drop it (as Celery does after a fork).
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings) -> Iterator[None]:
    """Tasks are published for real (not eager) to a Redis broker that is not there."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = CLOSED
    _forget_broker_connections()
    yield
    _forget_broker_connections()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RedisServer:
    process: subprocess.Popen[bytes]
    url: str

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5)

    def pause(self) -> None:
        """Silent: connections are accepted by the kernel, nothing answers (a hung server)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    executable = shutil.which("redis-server")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is required under CI")
        pytest.skip("redis-server absent: the real-Redis tests are skipped")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    server = RedisServer(process, f"redis://127.0.0.1:{port}/0")
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield server
    finally:
        server.resume()
        process.terminate()
        process.wait(timeout=10)


def _login(client: Client, login: str, password: str):
    return client.post(reverse("account_login"), {"login": login, "password": password})


# --- the cache ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_public_page_answers_with_redis_unreachable(redis_down, client):
    PredefinedSearch.objects.create(label="Romans policiers", query="policier", is_active=True)
    record = ItemFactory().record
    tool = ToolFactory(name="Raconte-tapis de la ferme", slug="raconte-tapis")
    TechnicalSheetFactory(tool=tool)
    pages = [
        reverse("home"),
        reverse("search") + "?q=hugo",
        reverse("catalogue:record_detail", args=[record.pk]),
        reverse("animation_tools:index"),
        reverse("animation_tools:tool_detail", args=[tool.slug]),
        reverse("trainings:index"),
        reverse("content:help"),
        reverse("account_login"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    # The header's predefined searches are read from the database.
    assert "Romans policiers" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_an_outage_is_logged_once_not_at_every_call(redis_down, client, caplog):
    with caplog.at_level(logging.WARNING, logger=CACHE_LOGGER):
        for _ in range(3):
            assert client.get(reverse("home")).status_code == 200
    warnings = [entry for entry in caplog.records if entry.name == CACHE_LOGGER]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()


@pytest.mark.django_db
def test_the_record_page_shows_a_change_at_once_with_redis_unreachable(redis_down, client):
    item = ItemFactory(barcode="B000000000042")
    url = reverse("catalogue:record_detail", args=[item.record_id])
    assert "availability-yes" in client.get(url).content.decode()
    item.status = Item.Status.ON_LOAN
    item.save()
    page = client.get(url).content.decode()
    assert "availability-yes" not in page
    assert "availability-no" in page


@pytest.mark.django_db
def test_partners_log_in_with_redis_unreachable(redis_down, manager):
    client = Client()
    response = _login(client, manager.username, TEST_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)
    assert client.get(reverse("extranet:dashboard")).status_code == 200


@pytest.mark.django_db
def test_login_throttling_still_holds_in_each_process_with_redis_unreachable(redis_down, manager):
    for _ in range(5):
        _login(Client(), manager.username, "pas-le-bon-mot-de-passe")
    fresh = Client()
    response = _login(fresh, manager.username, TEST_PASSWORD)
    assert "_auth_user_id" not in fresh.session
    assert "Trop de tentatives" in response.content.decode()


def test_a_silent_redis_costs_one_timeout_then_nothing(redis_server):
    backend = PortalRedisCache(redis_server.url, {"OPTIONS": {"socket_timeout": 0.3, "retry_after": 30}})
    backend.set("greeting", "bonjour")
    redis_server.pause()
    started = time.monotonic()
    assert backend.get("greeting") is None  # timed out: a miss
    first_call = time.monotonic() - started
    started = time.monotonic()
    for _ in range(100):
        backend.get("greeting")
        backend.set("greeting", "salut")
    assert first_call < 2
    assert time.monotonic() - started < 0.5  # the breaker is open: Redis is not tried again


def test_writes_made_during_an_outage_are_undone_in_redis_when_it_answers_again(redis_server):
    backend = PortalRedisCache(redis_server.url, {"OPTIONS": {"socket_timeout": 0.3, "retry_after": 0.5}})
    backend.set("catalogue:version", "before-the-outage")
    backend.set("header", "old list")
    redis_server.pause()
    backend.delete("catalogue:version")  # a loan bumps the version: Redis does not hear it
    backend.set("header", "new list")
    assert backend.get("header") == "new list"  # the process cache answers meanwhile
    redis_server.resume()
    time.sleep(0.6)
    assert backend.get("catalogue:version") is None  # not the version from before the outage
    assert backend.get("header") is None
    assert redis_server.client().keys("*") == []
    backend.set("header", "fresh list")
    assert backend.get("header") == "fresh list"


def test_what_a_process_caches_during_an_outage_lives_briefly():
    backend = PortalRedisCache(CLOSED, {"OPTIONS": {"fallback_timeout": 1}})
    backend.set("header", "list read from the database", timeout=None)  # forever in Redis, not here
    assert backend.get("header") == "list read from the database"
    assert backend.add("lock", True) and not backend.add("lock", True)  # add keeps its meaning
    time.sleep(1.1)
    assert backend.get("header") is None


@pytest.mark.django_db
def test_login_throttling_is_shared_by_the_workers_through_redis(redis_server, settings, manager):
    settings.CACHES = _portal_cache(redis_server.url)
    first_worker = caches["default"]
    for _ in range(5):
        _login(Client(), manager.username, "pas-le-bon-mot-de-passe")
    settings.CACHES = _portal_cache(redis_server.url)  # another worker: a new backend, a new pool
    assert caches["default"] is not first_worker
    fresh = Client()
    response = _login(fresh, manager.username, TEST_PASSWORD)
    assert "_auth_user_id" not in fresh.session
    assert "Trop de tentatives" in response.content.decode()


# --- the broker --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_big_export_says_the_service_is_unavailable_when_the_broker_is_down(
    broker_down, settings, tmp_path, library, manager, client_for
):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    settings.MEDIA_ROOT = tmp_path
    for days in (0, 40):
        ToolBookingFactory(library=library, loan_date=datetime.date(2026, 9, 21) + datetime.timedelta(days=days))
    assert ToolBooking.objects.for_library(library).count() == 2
    client = client_for(manager)
    started = time.monotonic()
    response = client.get(reverse("extranet:export", args=["tool_bookings"]), {"format": "csv"})
    assert time.monotonic() - started < 5
    assert response.status_code == 302
    job = ExportJob.objects.for_library(library).get()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == UNAVAILABLE_MESSAGE
    assert job.error.startswith("Le service d'export est momentanément indisponible")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "momentanément indisponible" in page.content.decode()


def _marc_file() -> bytes:
    data, _warnings = serialise(
        MarcRecord(
            "00000nam  2200000   450 ",
            [MarcField("001", data="U1"), MarcField("200", "1 ", [("a", "Notre-Dame de Paris")])],
        ),
        flavour="unimarc",
    )
    return data


@pytest.mark.django_db(transaction=True)  # the task is queued when the admin's transaction really commits
def test_an_admin_import_says_the_service_is_unavailable_when_the_broker_is_down(
    broker_down, settings, tmp_path, admin_user, client_for
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:catalogue_marcimport_add"),
        {"file": SimpleUploadedFile("notices.mrc", _marc_file()), "flavour": "", "encoding": ""},
    )
    assert response.status_code == 302
    marc_import = MarcImport.objects.get()
    assert marc_import.status == MarcImport.Status.FAILED
    assert "momentanément indisponible" in marc_import.error
    assert marc_import.finished_at is not None
    page = client.get(reverse("admin:catalogue_marcimport_change", args=[marc_import.pk]))
    assert "momentanément indisponible" in page.content.decode()


@pytest.mark.django_db
def test_an_email_is_sent_at_once_when_the_broker_is_down(broker_down, django_capture_on_commit_callbacks, caplog):
    with caplog.at_level(logging.WARNING, logger="extranet.tasks"), django_capture_on_commit_callbacks(execute=True):
        queue_email(subject="Navette du 3 décembre", body="Bonjour", to=["bib@example.fr"])
    assert [(m.subject, m.to) for m in mail.outbox] == [("Navette du 3 décembre", ["bib@example.fr"])]
    assert "broker unreachable" in caplog.text


@pytest.mark.django_db
def test_a_password_reset_works_with_redis_and_the_broker_down(
    redis_down, broker_down, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("account_reset_password"), {"email": manager.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[manager.email]]


@pytest.mark.django_db
def test_an_email_that_cannot_be_sent_either_is_logged_not_raised(
    broker_down, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # no SMTP server there
    with caplog.at_level(logging.ERROR, logger="extranet.tasks"), django_capture_on_commit_callbacks(execute=True):
        queue_email(subject="Rappel", body="Bonjour", to=["bib@example.fr"])
    assert "could not be sent" in caplog.text
