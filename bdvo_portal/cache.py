"""Django's Redis cache backend, keeping one client per connection pool.

``django.core.cache.backends.redis`` builds a new ``redis.Redis`` object for every cache
call (about 150 µs each with redis-py 8, as much as the round trip itself); the record page
makes three calls. A client only wraps its pool and is safe to share between threads, so
one per pool is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import ConnectionPool, Redis


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


class PortalRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
