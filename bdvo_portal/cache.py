"""The portal's Redis cache backend: one client per connection pool, and a Redis outage is no outage.

One client per pool: ``django.core.cache.backends.redis`` builds a new ``redis.Redis``
object for every cache call (about 150 µs each with redis-py 8, as much as the round trip
itself); the record page makes three calls. A client only wraps its pool and is safe to
share between threads, so one per pool is kept.

Degrade, don't fall: every page reads the cache (the header's predefined searches, record
pages, allauth's login rate limits), so an unreachable Redis must not turn into errors.
When a call meets a connection error or a timeout (short ones, see ``OPTIONS`` below):

- the failure is logged once per outage (a warning, then one line when Redis answers again);
- Redis is left alone for ``retry_after`` seconds (a circuit breaker): a down server costs
  one connection attempt per period and process, not one per call;
- meanwhile the calls go to a small cache kept in this process, whose entries live at most
  ``fallback_timeout`` seconds. Pages are rendered as they would be on a cold cache, and
  ``add`` keeps its meaning, so allauth's rate-limit locks and limits keep working (for
  each process instead of for all: a down Redis must not refuse every login);
- every key written or deleted in that period is deleted from Redis when it answers again,
  before anything else is read: Redis may still hold the value those writes replaced (a
  record page bumped by a loan made during the outage). ``clear()`` is not replayed.

``OPTIONS`` (all optional; the others are passed to redis-py's connection pool):
``socket_connect_timeout`` and ``socket_timeout`` in seconds (defaults 0.25 and 0.5),
``retry_after`` (default 10) and ``fallback_timeout`` (default 60).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import ConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: What an unreachable, stopped or silent Redis raises (redis-py wraps the socket errors).
UNAVAILABLE_ERRORS = (RedisConnectionError, RedisTimeoutError)

DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
DEFAULT_RETRY_AFTER = 10.0
DEFAULT_FALLBACK_TIMEOUT = 60
FALLBACK_MAX_ENTRIES = 2000
_fallback_numbers = itertools.count()


def _without_credentials(server: str) -> str:
    """The servers' URLs as they may be logged: without user nor password."""
    parts = [urlsplit(url.strip()) for url in server.split(",")]
    return ",".join(part._replace(netloc=part.netloc.rpartition("@")[2]).geturl() for part in parts)


class ReusedClientRedisCacheClient(RedisCacheClient):
    # Django's own (private) members used below, which django-stubs does not declare.
    _client: type[Redis]
    _get_connection_pool: Callable[[bool], ConnectionPool]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[object, Any] = {}

    def get_client(self, key: object = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # reads may go to a replica drawn at random
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class CircuitBreaker:
    """Whether Redis may be tried now: not for ``retry_after`` seconds after a failure.

    Logs the start of an outage once (a warning naming the error) and its end once.
    """

    def __init__(self, name: str, retry_after: float) -> None:
        self.name = name
        self.retry_after = retry_after
        self._closed_until = 0.0
        self.failing = False

    def allows(self) -> bool:
        return time.monotonic() >= self._closed_until

    def failed(self, error: Exception) -> None:
        self._closed_until = time.monotonic() + self.retry_after
        if not self.failing:
            self.failing = True
            logger.warning(
                "Redis cache %s unreachable (%s): pages are served without the shared cache, next try in %g s",
                self.name,
                error,
                self.retry_after,
            )

    def succeeded(self) -> bool:
        """Record a call that reached Redis; True when it ends an outage."""
        if not self.failing:
            return False
        self.failing = False
        logger.warning("Redis cache %s reachable again", self.name)
        return True


class PortalRedisCache(RedisCache):
    """``RedisCache`` that reuses its clients and answers from a process cache while Redis
    is unreachable (see the module's docstring for the contract)."""

    _cache: ReusedClientRedisCacheClient  # Django's (private) client, which django-stubs does not declare

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        retry_after = float(options.pop("retry_after", DEFAULT_RETRY_AFTER))
        self.fallback_timeout = int(options.pop("fallback_timeout", DEFAULT_FALLBACK_TIMEOUT))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self.breaker = CircuitBreaker(_without_credentials(server), retry_after)
        fallback_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._fallback = LocMemCache(
            f"{__name__}.fallback.{next(_fallback_numbers)}",  # one for each backend object (thread)
            {**fallback_params, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}},
        )
        # Keys (as stored) written or deleted while Redis was unreachable, deleted there when it answers.
        self._stale_in_redis: set[str] = set()
        self._lock = threading.Lock()

    # --- the one place where Redis is called ---------------------------------------------------

    def _call(
        self,
        redis_call: Callable[[], T],
        fallback_call: Callable[[], T],
        *,
        writes: Iterable[Any] = (),
        version: int | None = None,
    ) -> T:
        """``redis_call()``, or ``fallback_call()`` when Redis is unreachable or left alone; the
        keys that call ``writes`` are then remembered, to be deleted from Redis when it answers."""
        if self.breaker.allows():
            try:
                self._delete_stale_keys()
                result = redis_call()
            except UNAVAILABLE_ERRORS as error:
                self.breaker.failed(error)
            else:
                if self.breaker.succeeded():
                    self._fallback.clear()
                return result
        stale = [self.make_and_validate_key(key, version=version) for key in writes]
        if stale:
            with self._lock:
                self._stale_in_redis.update(stale)
        return fallback_call()

    def _delete_stale_keys(self) -> None:
        if not self._stale_in_redis:
            return
        with self._lock:
            keys = list(self._stale_in_redis)
        self._cache.delete_many(keys)
        with self._lock:
            self._stale_in_redis.difference_update(keys)

    def _fallback_timeout(self, timeout: Any) -> float:
        """The timeout of an entry of the process cache: ``timeout`` at most ``fallback_timeout``."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return self.fallback_timeout
        return min(float(timeout), self.fallback_timeout)

    # --- the cache API (same contracts as RedisCache) ------------------------------------------

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(
            partial(super().add, key, value, timeout, version),
            partial(self._fallback.add, key, value, self._fallback_timeout(timeout), version),
            writes=[key],
            version=version,
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call(
            partial(super().get, key, default, version), partial(self._fallback.get, key, default, version)
        )

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call(
            partial(super().set, key, value, timeout, version),
            partial(self._fallback.set, key, value, self._fallback_timeout(timeout), version),
            writes=[key],
            version=version,
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(
            partial(super().touch, key, timeout, version),
            partial(self._fallback.touch, key, self._fallback_timeout(timeout), version),
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(
            partial(super().delete, key, version),
            partial(self._fallback.delete, key, version),
            writes=[key],
            version=version,
        )

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._call(partial(super().get_many, keys, version), partial(self._fallback.get_many, keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(partial(super().has_key, key, version), partial(self._fallback.has_key, key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._call(
            partial(super().incr, key, delta, version),
            partial(self._fallback.incr, key, delta, version),
            writes=[key],
            version=version,
        )

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._call(
            partial(super().set_many, data, timeout, version),
            partial(self._fallback.set_many, data, self._fallback_timeout(timeout), version),
            writes=data,
            version=version,
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._call(
            partial(super().delete_many, keys, version),
            partial(self._fallback.delete_many, keys, version),
            writes=keys,
            version=version,
        )

    def clear(self) -> None:
        self._call(super().clear, self._fallback.clear)
