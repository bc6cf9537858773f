"""E-mail is always sent by a Celery task, after the transaction that decided it commits."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction


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

    In tests, wrap the action in ``django_capture_on_commit_callbacks(execute=True)``.
    """
    recipients = [address for address in to if address]
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email.delay(
            subject=subject, body=body, to=recipients, html=html, attachments=attachments, reply_to=reply_to
        )
    )


@shared_task
def export_loans_file(
    *, library_id: int, kind: str, fmt: str, ids: list[int], query: str, folder: str, filename: str
) -> str:
    """Write a large loans export to the storage under ``folder`` (the library's), return its path.

    The view saves a ``<filename>.part`` marker before queueing the task, so the progress
    page exists at once; the task removes it once the finished file is saved.
    """
    import tempfile

    from django.core.files import File
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.http import QueryDict

    from catalogue.espace_filters import filtered_loans, loans_of_kind
    from catalogue.espace_views import export_chunks
    from catalogue.models import Loan
    from extranet.models import Library

    library = Library.objects.get(pk=library_id)
    _purge_old_exports(folder.rsplit("/", 1)[0])
    scoped_loans = Loan.objects.for_library(library)
    if ids:
        loans = loans_of_kind(scoped_loans, kind).filter(pk__in=ids)
    else:
        loans = filtered_loans(scoped_loans, kind, QueryDict(query))
    try:
        with tempfile.TemporaryFile() as handle:
            for chunk in export_chunks(loans, kind, fmt):
                handle.write(chunk)
            handle.seek(0)
            path = default_storage.save(f"{folder}/{filename}", File(handle, name=filename))
    except Exception:
        # The progress page then says the export failed instead of waiting forever.
        default_storage.save(f"{folder}/{filename}.failed", ContentFile(b""))
        raise
    finally:
        default_storage.delete(f"{folder}/{filename}.part")
    return path


def _purge_old_exports(library_folder: str, *, max_age_hours: int = 24) -> None:
    """Remove the library's export files older than ``max_age_hours`` (their links expire)."""
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    limit = timezone.now() - datetime.timedelta(hours=max_age_hours)
    try:
        folders, _files = default_storage.listdir(library_folder)
    except FileNotFoundError:
        return
    for token in folders:
        _dirs, files = default_storage.listdir(f"{library_folder}/{token}")
        for name in files:
            path = f"{library_folder}/{token}/{name}"
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
