"""Celery tasks of the animation tools (scheduled by Celery beat: ``CELERY_BEAT_SCHEDULE`` in settings)."""

from __future__ import annotations

from celery import shared_task

from animation_tools.services import booking_send_return_reminders


@shared_task
def send_tool_return_reminders() -> int:
    """Remind libraries of the tools they must bring back soon (see ``booking_send_return_reminders``)."""
    return booking_send_return_reminders()
