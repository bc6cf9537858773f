"""Rate limits of the anonymous forms (``extranet.ratelimit``): the client's address behind
trusted proxies, and limits that hold on every cache backend, under concurrency too."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from extranet.ratelimit import Limit, RateLimited, address_key, client_ip, rate_limits_hit

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit-tests"}


def _request(remote: str = "203.0.113.7", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/formations/premiere-inscription/", **extra)


# --- The client's address -------------------------------------------------------------------


def test_without_trusted_proxy_a_forged_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.7", forwarded="198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.23", "198.51.100.23"),  # the proxy wrote the client's address
        (1, "10.9.9.9, 198.51.100.23", "198.51.100.23"),  # the left one was typed by the client
        (2, "10.9.9.9, 198.51.100.23, 192.0.2.10", "198.51.100.23"),
        (2, "198.51.100.23", "198.51.100.23"),  # fewer addresses than proxies: the leftmost
        (1, "pas-une-adresse", "203.0.113.7"),  # unreadable: the proxy's own address
        (1, " , ", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_read_from_the_right(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request("203.0.113.7", forwarded=forwarded)) == expected


def test_ipv6_clients_are_counted_per_64_network():
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:198.51.100.4") == "198.51.100.4"
    assert address_key("198.51.100.4") == "198.51.100.4"


# --- The limits, on every cache backend ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_location() -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is required under CI")
        pytest.skip("redis-server absent: the Redis rate-limit tests are skipped")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["locmem", "database", "redis"])
def cache_backend(request) -> Iterator[str]:
    """The default cache as each deployment has it: per process, the database, Redis."""
    if request.param == "locmem":
        config = LOCMEM
    elif request.param == "database":
        request.getfixturevalue("db")
        config = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ratelimit_test_cache"}
    else:
        config = {
            "BACKEND": "bdvo_portal.cache.PortalRedisCache",
            "LOCATION": request.getfixturevalue("redis_location"),
        }
    with override_settings(CACHES={"default": config, "process": LOCMEM}):
        if request.param == "database":
            call_command("createcachetable", verbosity=0)
        caches["default"].clear()
        yield request.param
        caches["default"].clear()


def test_a_limit_allows_its_amount_then_refuses_until_the_oldest_hit_expires(cache_backend):
    limit = Limit(scope="test", key="martine@example.fr", amount=3, period=60)
    started = time.time()
    for _ in range(3):
        rate_limits_hit([limit])
    with pytest.raises(RateLimited) as refused:
        rate_limits_hit([limit])
    assert started + 60 <= refused.value.retry_at <= time.time() + 60
    # Another key, and the same key in another scope, have their own counts.
    rate_limits_hit([Limit(scope="test", key="autre@example.fr", amount=3, period=60)])
    rate_limits_hit([Limit(scope="other", key="martine@example.fr", amount=3, period=60)])


def test_slots_free_again_once_their_period_has_passed(cache_backend):
    limit = Limit(scope="test", key="198.51.100.4", amount=2, period=1)
    rate_limits_hit([limit])
    rate_limits_hit([limit])
    with pytest.raises(RateLimited):
        rate_limits_hit([limit])
    time.sleep(2.1)  # cache timeouts are whole seconds on some backends
    rate_limits_hit([limit])


def test_a_refused_hit_counts_against_no_limit(cache_backend):
    address = Limit(scope="test:address", key="198.51.100.4", amount=5, period=3600)
    full = Limit(scope="test:email", key="martine@example.fr", amount=1, period=86400)
    rate_limits_hit([address, full])
    for _ in range(10):
        with pytest.raises(RateLimited):
            rate_limits_hit([address, full])
    # The 10 refusals took no slot of the address: 4 more e-mail addresses still go through.
    for number in range(4):
        rate_limits_hit([address, Limit(scope="test:email", key=f"n{number}@example.fr", amount=1, period=86400)])
    with pytest.raises(RateLimited):
        rate_limits_hit([address])


def test_an_amount_of_zero_refuses_everything(cache_backend):
    with pytest.raises(RateLimited):
        rate_limits_hit([Limit(scope="test", key="x", amount=0, period=60)])


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_concurrent_hits_never_exceed_the_limit(request, backend):
    """20 threads at once for 5 slots: exactly 5 pass (each ``add`` is atomic)."""
    config = LOCMEM
    if backend == "redis":
        config = {
            "BACKEND": "bdvo_portal.cache.PortalRedisCache",
            "LOCATION": request.getfixturevalue("redis_location"),
        }
    limit = Limit(scope="test:race", key="198.51.100.4", amount=5, period=3600)
    passed: list[int] = []
    barrier = threading.Barrier(20)

    def hit(number: int) -> None:
        barrier.wait()
        try:
            rate_limits_hit([limit])
        except RateLimited:
            return
        passed.append(number)

    with override_settings(CACHES={"default": config, "process": LOCMEM}):
        caches["default"].clear()
        threads = [threading.Thread(target=hit, args=(number,)) for number in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        caches["default"].clear()
    assert len(passed) == 5
