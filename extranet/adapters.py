"""django-allauth adapter: accounts are created by the BDVO, never by public sign-up."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse

from extranet import throttling
from extranet.mail import MailKind, absolute_url, html_from_text, mail_context, portal_site, reply_to_address
from extranet.tasks import queue_email


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Where a login lands when no ``?next=`` says otherwise (allauth reads ``next`` first):
        partners on their library's espace professionnel, BDVO staff (referents included) on
        the « Espace personnel BDVO » (``/personnel/``), any other account on the home page."""
        user = request.user
        if getattr(user, "is_partner", False):
            return resolve_url("extranet:dashboard")
        if user.is_staff:
            return resolve_url("staff_home")
        return resolve_url("home")

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the attempt per account, per (account, address) and per address
        (``extranet.throttling``); a locked login is refused saying when to retry.

        allauth's ``authenticate`` takes back ``_login_failed_rl_usage`` when the password is right."""
        self._login_failed_rl_usage = throttling.count_login_attempt(request, credentials)

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        """Nothing: allauth's version, run on a password reset, would also erase the failures
        counted against the requester's address; ``throttling.forget_failures`` (on the
        ``password_reset`` signal) forgets the account's own instead."""

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The link of a password-reset e-mail, on ``SITE_URL`` (not on the host the request named).

        ``key`` is opaque (``<uidb36>-<token>``): it replaces allauth's placeholders, as allauth does."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Send allauth's e-mails (password reset…) as the portal's: the portal as ``current_site``
        (``SITE_NAME``), text + HTML (the ``<prefix>_message.html`` template, else the text in the
        e-mail layout), the accounts ``Reply-To``, through the Celery e-mail task after commit."""
        message = self.render_mail(
            template_prefix,
            email,
            mail_context(MailKind.ACCOUNTS, {"email": email, "current_site": portal_site(), **context}),
        )
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
            None,
        )
        queue_email(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            html=html or html_from_text(message.body, subject=message.subject),
            reply_to=[reply_to_address(MailKind.ACCOUNTS)],
        )
