"""Deployment check: the cache must be shared by every process in production.

A write (a loan, a return, an import) invalidates the record pages that other processes
cached (``catalogue/record_page.py``): with a per-process cache, the web workers, Celery
and ``import_marc`` would each keep their own copy and show a stale availability.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Backends whose data one process cannot see from another.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The default cache is kept per process: record pages would show a stale availability.",
            hint="Set REDIS_URL so that the web workers, Celery and import_marc share one Redis cache.",
            id="catalogue.W001",
        )
    ]
