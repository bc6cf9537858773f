"""django-allauth adapter: accounts are created by the BDVO, never by public sign-up."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from extranet.mail import MailKind, absolute_url, html_from_text, mail_context, portal_site, reply_to_address
from extranet.tasks import queue_email


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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
