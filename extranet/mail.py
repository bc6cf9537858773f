"""E-mails of the portal: rendered from templates (text + HTML), absolute links, a Reply-To per kind.

Every message the portal sends is built by ``send_templated_email``: it renders
``<template>.txt`` and ``<template>.html`` (both extend ``emails/base.txt`` /
``emails/base.html``, the BDVO header and footer), sets the ``Reply-To`` of its kind of
message (``settings.EMAIL_REPLY_TO``: kind → address, ``BDVO_CONTACT_EMAIL`` by default)
and queues it with ``extranet.tasks.queue_email`` (sent once the transaction commits).

Links in e-mails are absolute and start with ``settings.SITE_URL`` (``absolute_url``).
django-allauth's account e-mails go through the same path (``extranet.adapters``), with
``portal_site()`` as their ``current_site``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from extranet.tasks import queue_email


class MailKind(StrEnum):
    """What a message is about: decides its ``Reply-To`` (keys of ``settings.EMAIL_REPLY_TO``)."""

    ACCOUNTS = "accounts"  # accounts and passwords
    TOOLS = "tools"  # animation tools bookings and returns
    TRAININGS = "trainings"  # registrations, sessions, first-time trainee requests


@dataclass(frozen=True)
class PortalSite:
    """What django-allauth calls ``current_site``: the portal's name and domain, from the settings."""

    name: str
    domain: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    reply_to: list[str]


def absolute_url(path: str) -> str:
    """``path`` (``/espace-pro/…``) as an absolute link on ``settings.SITE_URL``; absolute URLs are returned as they are."""
    if urlsplit(path).scheme:
        return path
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"


def portal_site() -> PortalSite:
    """The portal as a site: ``settings.SITE_NAME`` and the host of ``settings.SITE_URL``."""
    return PortalSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def reply_to_address(kind: MailKind | str) -> str:
    """The address that answers messages of ``kind`` (``settings.EMAIL_REPLY_TO``, else ``BDVO_CONTACT_EMAIL``).

    Raises ``ValueError`` for a kind that ``MailKind`` does not name.
    """
    kind = MailKind(kind)
    return getattr(settings, "EMAIL_REPLY_TO", {}).get(kind.value) or settings.BDVO_CONTACT_EMAIL


def mail_context(kind: MailKind | str, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``context`` plus what every e-mail template may use: ``site_name``, ``site_url`` and
    ``contact_email`` (the address of ``kind``, which the text invites to write to). Keys of
    ``context`` win."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "contact_email": reply_to_address(kind),
        **(context or {}),
    }


def render_templated_email(
    *,
    kind: MailKind | str,
    template: str,
    context: Mapping[str, Any],
    subject: str,
    reply_to: Sequence[str] | None = None,
) -> RenderedEmail:
    """Render ``<template>.txt`` and ``<template>.html`` in the portal's language.

    ``reply_to`` replaces the kind's address (e.g. a request forwarded to staff answers its
    author). Raises ``TemplateDoesNotExist`` when either part is missing: every e-mail has both.
    """
    full_context = mail_context(kind, {**context, "subject": subject})
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{template}.txt", full_context)
        html = render_to_string(f"{template}.html", full_context)
    addresses = [address for address in (reply_to or [reply_to_address(kind)]) if address]
    return RenderedEmail(subject=subject, text=text.strip() + "\n", html=html, reply_to=addresses)


def send_templated_email(
    *,
    kind: MailKind | str,
    template: str,
    context: Mapping[str, Any],
    to: Sequence[str],
    subject: str,
    attachments: list[tuple[str, str, str]] | None = None,
    reply_to: Sequence[str] | None = None,
) -> None:
    """Render ``template`` (see ``render_templated_email``) and queue it to ``to`` after commit.

    Empty addresses in ``to`` are dropped; nothing is sent when none is left. ``attachments``
    are ``(filename, text content, mimetype)`` triples.
    """
    if not any(to):
        return
    message = render_templated_email(kind=kind, template=template, context=context, subject=subject, reply_to=reply_to)
    queue_email(
        subject=message.subject,
        body=message.text,
        to=list(to),
        html=message.html,
        attachments=attachments,
        reply_to=message.reply_to,
    )


def html_from_text(text: str, *, subject: str = "") -> str:
    """The HTML part of a message only written as text (django-allauth's account e-mails):
    its paragraphs in the portal's HTML layout, links made clickable."""
    # urlize(autoescape=True) escapes everything but the links it makes: the result is safe HTML.
    body = mark_safe(linebreaks(urlize(text, autoescape=True), autoescape=False))  # noqa: S308
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "emails/from_text.html", mail_context(MailKind.ACCOUNTS, {"body": body, "subject": subject})
        )
