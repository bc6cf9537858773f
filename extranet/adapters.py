"""django-allauth adapter: accounts are created by the BDVO, never by public sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from extranet import throttling


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the attempt per account, per (account, address) and per address
        (``extranet.throttling``); a locked login is refused saying when to retry.

        allauth's ``authenticate`` takes back ``_login_failed_rl_usage`` when the password is right."""
        self._login_failed_rl_usage = throttling.count_login_attempt(request, credentials)

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        """Nothing: allauth's version, run on a password reset, would also erase the failures
        counted against the requester's address; ``throttling.forget_failures`` (on the
        ``password_reset`` signal) forgets the account's own instead."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Send allauth's e-mails (password reset…) through the Celery e-mail task."""
        from extranet.tasks import queue_email

        msg = self.render_mail(template_prefix, email, context)
        body = msg.body
        html = None
        for content, mimetype in getattr(msg, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_email(subject=msg.subject, body=body, to=list(msg.to), html=html)
