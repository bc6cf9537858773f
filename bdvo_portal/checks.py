"""Deployment checks of the portal's own settings (run by ``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

# Hosts that only the server itself reaches: a link to them in an e-mail or a calendar is dead.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 - compared, never bound


@register(Tags.security, deploy=True)
def site_url_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """SITE_URL builds the absolute links of e-mails and calendar feeds: with DEBUG off it must
    be the public http(s) address of the portal, not unset nor a local address."""
    if settings.DEBUG:
        return []
    parsed = urlparse(settings.SITE_URL or "")
    if parsed.scheme in {"http", "https"} and parsed.hostname and parsed.hostname not in LOCAL_HOSTS:
        return []
    return [
        Error(
            f"SITE_URL must be the public address of the portal when DEBUG is off, got {settings.SITE_URL!r}: "
            "links in e-mails and calendar feeds would be dead.",
            hint="Set SITE_URL, e.g. SITE_URL=https://portail.bdvo.valdoise.fr",
            id="bdvo_portal.E001",
        )
    ]


@register(Tags.caches, deploy=True)
def redis_url_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production runs with Redis: without REDIS_URL, Celery runs every task inside the web
    request and the shared cache (record pages, login throttles) lives in the database, which
    holds for development and tests, not for the load of the network."""
    if settings.DEBUG or settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is unset: Celery tasks run inside web requests and the cache lives in the database.",
            hint="Set REDIS_URL, e.g. REDIS_URL=redis://redis:6379/0 (docker-compose.yml).",
            id="bdvo_portal.W002",
        )
    ]
