"""Celery tasks of the ground: e-mail (always sent after the transaction that decided it
commits) and the export jobs of ``extranet.exports`` (written, then purged when expired)."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from extranet.exports.services import export_job_run, purge_expired_exports
from extranet.models import ExportJob

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
    reply_to: list[str] | None = None,
) -> int:
    """Send one e-mail. ``attachments`` are ``(filename, text content, mimetype)`` triples."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, reply_to=reply_to
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()


def queue_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """Queue ``send_email`` once the current transaction commits (nothing is sent on rollback).

    When the broker cannot be reached, the e-mail is sent at once by this process instead
    (the e-mail matters more than the queue); if that fails too, the error is logged and
    not raised, since what the request decided is committed already.
    In tests, wrap the action in ``django_capture_on_commit_callbacks(execute=True)``.
    """
    recipients = [address for address in to if address]
    if not recipients:
        return
    message = {
        "subject": subject,
        "body": body,
        "to": recipients,
        "html": html,
        "attachments": attachments,
        "reply_to": reply_to,
    }
    transaction.on_commit(lambda: _queue_or_send(message))


def _queue_or_send(message: dict[str, Any]) -> None:
    try:
        send_email.delay(**message)
    except BrokerUnavailable as error:
        logger.warning("Celery broker unreachable (%s): e-mail %r sent by the web process", error, message["subject"])
        try:
            send_email(**message)
        except Exception:  # committed already: log it, never fail the request over an e-mail
            logger.exception("E-mail %r to %s could not be sent", message["subject"], message["to"])


@shared_task(autoretry_for=(ExportJob.DoesNotExist,), retry_backoff=1, max_retries=5)
def run_export_job(job_id: str) -> str:
    """Write the file of export job ``job_id`` (see ``export_job_run``); returns its final status.

    A job not found yet (its creating transaction has not committed) is retried shortly.
    """
    job = ExportJob.objects.all_libraries().select_related("user", "library").get(pk=job_id)
    return export_job_run(job=job).status


@shared_task
def purge_exports() -> int:
    """Delete expired export jobs and their files (schedule it hourly, or run ``manage.py purge_exports``)."""
    return purge_expired_exports()
