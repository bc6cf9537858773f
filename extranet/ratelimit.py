"""Rate limits of the anonymous forms, counted in the shared cache, and the client's address.

A limit allows ``amount`` hits per ``period`` seconds for one key (a client address, an
e-mail address). Each hit takes one of ``amount`` *slots*: cache keys written with
``cache.add`` (atomic on every backend Django ships: Redis ``SET NX``, the locmem lock, the
database cache's primary key) that expire ``period`` seconds after they were taken. A hit
finds a free slot only when fewer than ``amount`` hits were counted in the last ``period``
seconds: a sliding window, exact under concurrency, with no ``incr`` (which the database
cache implements as a read then a write, resetting the expiry).

The cache is ``django.core.cache.cache`` ("default"): Redis in production, shared by every
worker. Keys hash what they count, so no address is stored in clear.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# IPv6 clients are counted per /64: one home or office line holds a whole /64.
IPV6_PREFIX = 64


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request``.

    ``REMOTE_ADDR``, unless ``settings.TRUSTED_PROXY_COUNT`` reverse proxies of ours stand
    in front of the portal: the client is then the N-th address from the right of
    ``X-Forwarded-For`` (each proxy appends the address it received the request from, so
    addresses left of it were written by the client and prove nothing). A header with fewer
    addresses than proxies gives its leftmost one; an unreadable address gives
    ``REMOTE_ADDR``. The login throttling reads the address the same way.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    candidate = addresses[-proxies] if len(addresses) >= proxies else addresses[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_key(address: str) -> str:
    """``address`` as a rate-limit key: IPv6 addresses grouped by their /64 network."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)


@dataclass(frozen=True)
class Limit:
    """At most ``amount`` hits per ``period`` seconds for ``key`` in ``scope`` (e.g.
    ``"trainee-request:email"``). An ``amount`` of 0 refuses every hit."""

    scope: str
    key: str
    amount: int
    period: int

    def slot_keys(self) -> list[str]:
        digest = hashlib.sha256(f"{self.scope}\x00{self.key}".encode()).hexdigest()[:32]
        return [f"ratelimit:{self.scope}:{digest}:{slot}" for slot in range(self.amount)]


class RateLimited(Exception):
    """A limit is reached; ``retry_at`` (POSIX time) is when a hit is allowed again."""

    def __init__(self, retry_at: float) -> None:
        super().__init__(f"rate limited until {retry_at:.0f}")
        self.retry_at = retry_at


def _free_at(limit: Limit, now: float) -> float | None:
    """When ``limit`` has a free slot again: ``None`` when it has one now."""
    if limit.amount <= 0:
        return now + limit.period
    taken = cache.get_many(limit.slot_keys())
    if len(taken) < limit.amount:
        return None
    expiries = [float(value) for value in taken.values() if isinstance(value, int | float)]
    return min(expiries) if expiries else now + limit.period


def _take_slot(limit: Limit, now: float) -> str | None:
    expires_at = now + limit.period
    for key in limit.slot_keys():
        if cache.add(key, expires_at, timeout=limit.period):
            return key
    return None


def rate_limits_hit(limits: Sequence[Limit]) -> None:
    """Count one hit against every limit of ``limits``, or against none.

    Raises ``RateLimited`` (counting nothing) when any limit has no free slot; its
    ``retry_at`` is when every such limit frees one. Two hits racing for the last slot get
    one each at most: the loser's slots already taken are given back.
    """
    now = time.time()
    waits = [free_at for free_at in (_free_at(limit, now) for limit in limits) if free_at is not None]
    if waits:
        raise RateLimited(max(waits))
    taken: list[str] = []
    for limit in limits:
        key = _take_slot(limit, now)
        if key is None:  # another request took the last slot meanwhile
            cache.delete_many(taken)
            raise RateLimited(_free_at(limit, now) or now + limit.period)
        taken.append(key)
