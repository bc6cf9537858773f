"""django-allauth adapter: accounts are created by the BDVO, never by public sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.shortcuts import resolve_url


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
