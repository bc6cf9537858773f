"""Login throttling that stops password guessing without locking colleagues out.

allauth counts a login attempt before checking the password and takes it back when the
password is right (``DefaultAccountAdapter.authenticate``), so what is counted is failures.
``PortalAccountAdapter.pre_authenticate`` counts them here, against three limits
(``ACCOUNT_RATE_LIMITS`` in the settings):

- ``login_failed`` per ``key`` = the account, from any address: a guessing spread over many
  addresses locks the account;
- ``login_failed_from_address`` per ``key`` = the account and the client address: one
  person's typos lock their account, from their address, for a few minutes — never their
  colleagues behind the same town-hall address;
- ``login_failed`` per ``ip``: a ceiling per address, generous enough for a whole town hall.

The counters are allauth's, in the default cache, shared by every worker (Redis, or the
database without Redis). The client address is allauth's (``get_ip``): ``REMOTE_ADDR``, or
the N-th address from the right of ``X-Forwarded-For`` behind ``TRUSTED_PROXY_COUNT`` proxies.
A password reset forgets the account's failures (``forget_failures``).
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Mapping
from typing import Any

from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from extranet.models import User

APP = "allauth.account"  # whose ACCOUNT_RATE_LIMITS hold the rates
LOGIN_FAILED = "login_failed"
LOGIN_FAILED_FROM_ADDRESS = "login_failed_from_address"
LOCKED = "too_many_login_attempts"  # allauth's code for this error
# Under this wait the message says « dans N minutes », above it the time of day.
MINUTES_SHOWN_UP_TO = 10


def account_key(credentials: Mapping[str, Any]) -> str:
    """The account a login attempt is about, as a throttling key.

    The username and the e-mail address of one account give the same key (typing one or the
    other counts on the same account); a login naming no single account is keyed by itself,
    lowercased, and throttled the same way, so the answers tell nothing of which exist.
    """
    email = str(credentials.get("email") or "").strip()
    username = str(credentials.get("username") or "").strip()
    lookup = {"email__iexact": email} if email else {"username__iexact": username}
    accounts = list(User.objects.filter(**lookup).values_list("pk", flat=True)[:2])
    if len(accounts) == 1:
        return f"account:{accounts[0]}"
    return f"login:{(email or username).lower()}"


def _throttles(request: HttpRequest, account: str) -> list[tuple[str, str]]:
    """The (action, key) pairs one attempt on ``account`` counts against."""
    return [(LOGIN_FAILED, account), (LOGIN_FAILED_FROM_ADDRESS, f"{account}@{ratelimit.get_ip(request)}")]


def count_login_attempt(request: HttpRequest, credentials: Mapping[str, Any]) -> ratelimit.RateLimitUsage:
    """Count one login attempt against every limit; return what allauth takes back when the
    password is right.

    Raises ``ValidationError`` (code ``too_many_login_attempts``) with the French message of
    ``locked_message`` when a limit is reached; a refused attempt counts nowhere, so knocking
    on a locked account does not extend its lock.
    """
    throttles = _throttles(request, account_key(credentials))
    for action, key in throttles:
        if ratelimit.consume(request, app=APP, action=action, key=key, dry_run=True) is None:
            raise locked_error(request, throttles)
    usage = ratelimit.RateLimitUsage(usage=[])
    for action, key in throttles:
        counted = ratelimit.consume(request, app=APP, action=action, key=key)
        if counted is None:  # another worker counted the last allowed attempt meanwhile
            usage.rollback()
            raise locked_error(request, throttles)
        usage.usage.extend(counted.usage)
    return usage


def forget_failures(request: HttpRequest, user: User) -> None:
    """Forget ``user``'s failures: on the account, and on the account from this address.

    The ceiling per address is kept: resetting one's own password must not let an address
    go on guessing other accounts' passwords.
    """
    for action, key in _throttles(request, f"account:{user.pk}"):
        for rate in ratelimit.get_rates(app=APP, action=action):
            if rate.per == "key":
                cache.delete(ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key))


def forget_failures_on_password_reset(sender: type[User], request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Receiver of allauth's ``password_reset`` signal (connected in ``ExtranetConfig.ready``)."""
    forget_failures(request, user)


def unlocked_at(request: HttpRequest, throttles: list[tuple[str, str]]) -> float | None:
    """When (a POSIX timestamp) every exhausted limit of ``throttles`` allows an attempt again;
    ``None`` when none is exhausted (the cache lock of another worker refused the attempt)."""
    now = time.time()
    latest: float | None = None
    for action, key in throttles:
        for rate in ratelimit.get_rates(app=APP, action=action):
            cache_key = ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
            recent = sorted((hit for hit in cache.get(cache_key, []) if hit > now - rate.duration), reverse=True)
            if len(recent) >= rate.amount:
                # The limit frees once the amount-th most recent attempt leaves the window.
                free = recent[rate.amount - 1] + rate.duration
                latest = free if latest is None else max(latest, free)
    return latest


def locked_message(until: float | None, now: float | None = None) -> str:
    """« Trop de tentatives… Réessayez dans 5 minutes » (or « après 14 h 32 »), with the link
    to « Mot de passe oublié ? »: HTML, safe."""
    now = time.time() if now is None else now
    if until is None:
        when = _("dans quelques minutes")
    elif until - now <= MINUTES_SHOWN_UP_TO * 60:
        minutes = max(1, math.ceil((until - now) / 60))
        when = ngettext("dans %(minutes)d minute", "dans %(minutes)d minutes", minutes) % {"minutes": minutes}
    else:
        moment = timezone.localtime(datetime.datetime.fromtimestamp(math.ceil(until / 60) * 60, tz=datetime.UTC))
        when = _("après %(hour)d h %(minute)02d") % {"hour": moment.hour, "minute": moment.minute}
    return format_html(
        _(
            "Trop de tentatives de connexion échouées. Réessayez {when}, "
            'ou choisissez un nouveau mot de passe : <a href="{url}">Mot de passe oublié ?</a>'
        ),
        when=when,
        url=reverse("account_reset_password"),
    )


def locked_error(request: HttpRequest, throttles: list[tuple[str, str]]) -> ValidationError:
    """The form error of a locked login, saying when to retry."""
    return ValidationError(locked_message(unlocked_at(request, throttles)), code=LOCKED)
