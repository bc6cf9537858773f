"""django-allauth adapter: accounts are created by the BDVO, never by public sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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
