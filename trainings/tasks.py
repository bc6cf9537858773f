"""Celery tasks of the trainings (scheduled by Celery beat: ``CELERY_BEAT_SCHEDULE`` in settings)."""

from __future__ import annotations

from celery import shared_task

from trainings.services import registration_send_session_reminders, trainee_request_purge


@shared_task
def purge_trainee_requests() -> int:
    """Delete first-time trainee requests past their retention period (as ``manage.py purge_trainee_requests``)."""
    return trainee_request_purge()


@shared_task
def send_session_reminders() -> int:
    """Remind registered people of their session about a week ahead (see ``registration_send_session_reminders``)."""
    return registration_send_session_reminders()
