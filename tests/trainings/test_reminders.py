"""Scheduled jobs of the trainings: session reminders (once, about a week ahead) and the trainee-request purge."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from extranet.models import User
from tests.factories import UserFactory
from tests.trainings.factories import RegistrationFactory, TraineeRequestFactory, TrainingSessionFactory
from trainings import services
from trainings.models import Registration, TraineeRequest, TrainingSession
from trainings.services import registration_send_session_reminders
from trainings.tasks import purge_trainee_requests, send_session_reminders

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 9, 7, 8, 30))  # a Monday, 8:30 in Paris


def session_in(days: float, **fields) -> TrainingSession:
    starts_at = NOW + datetime.timedelta(days=days)
    return TrainingSessionFactory(
        starts_at=starts_at,
        registration_deadline=(starts_at - datetime.timedelta(days=2)).date(),
        **fields,
    )


def registered(session: TrainingSession, user: User, *, days_before: float = 30, **fields) -> Registration:
    """A registration confirmed ``days_before`` days before ``NOW``."""
    return RegistrationFactory(
        session=session, user=user, created_at=NOW - datetime.timedelta(days=days_before), **fields
    )


def test_registered_people_are_reminded_a_week_ahead(viewer, django_capture_on_commit_callbacks):
    session = session_in(6.5, place="Médiathèque de Vigny")
    registration = registered(session, viewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_send_session_reminders(now=NOW) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [viewer.email]
    assert message.subject.startswith("[BDVO] Rappel : formation")
    assert session.training.title in message.subject
    assert "Rappel : vous êtes inscrit·e" in message.body
    assert "Médiathèque de Vigny" in message.body
    assert "http://testserver/espace-pro/formations/" in message.body
    assert "Libérez votre place" in message.body  # cancelling online is still possible
    registration.refresh_from_db()
    assert registration.session_reminder_sent_at is not None


def test_running_the_job_twice_sends_one_reminder(viewer, django_capture_on_commit_callbacks):
    registered(session_in(5), viewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_send_session_reminders(now=NOW) == 1
        assert registration_send_session_reminders(now=NOW) == 0
        assert registration_send_session_reminders(now=NOW + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_after_the_cancellation_deadline_the_reminder_says_whom_to_write_to(
    settings, viewer, django_capture_on_commit_callbacks
):
    settings.EMAIL_REPLY_TO = {**settings.EMAIL_REPLY_TO, "trainings": "formations@bdvo.example.fr"}
    session = session_in(1)  # deadline was yesterday
    registered(session, viewer)
    with django_capture_on_commit_callbacks(execute=True):
        registration_send_session_reminders(now=NOW)
    message = mail.outbox[0]
    assert "Libérez votre place" not in message.body
    assert "écrivant à formations@bdvo.example.fr" in message.body
    assert message.reply_to == ["formations@bdvo.example.fr"]


@pytest.mark.parametrize(
    ("days_ahead", "fields", "status"),
    [
        (8, {}, Registration.Status.REGISTERED),  # more than a week ahead: later
        (-0.1, {}, Registration.Status.REGISTERED),  # already started
        (5, {"status": TrainingSession.Status.CANCELLED}, Registration.Status.REGISTERED),
        (5, {}, Registration.Status.WAITING),  # no place: nothing to remind
        (5, {}, Registration.Status.CANCELLED),
    ],
)
def test_only_confirmed_places_in_open_sessions_of_the_coming_week(viewer, days_ahead, fields, status):
    registration = registered(session_in(days_ahead, **fields), viewer, status=status)
    assert registration_send_session_reminders(now=NOW) == 0
    registration.refresh_from_db()
    assert registration.session_reminder_sent_at is None


def test_a_place_confirmed_within_the_week_is_not_reminded(library, django_capture_on_commit_callbacks):
    # Their confirmation e-mail, a few days before the session, already is the reminder.
    session = session_in(5)
    late, promoted_late, promoted_early = (UserFactory(library=library, profile=User.Profile.VIEWER) for _ in range(3))
    registered(session, late, days_before=1)
    registered(session, promoted_late, promoted_at=NOW - datetime.timedelta(days=1))
    registered(session, promoted_early, promoted_at=NOW - datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_send_session_reminders(now=NOW) == 1
    assert [message.to for message in mail.outbox] == [[promoted_early.email]]


def test_a_registration_made_through_the_service_is_reminded_later(session, viewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(session=session, user=viewer)
    mail.outbox.clear()
    a_week_before = session.starts_at - datetime.timedelta(days=6)
    assert registration_send_session_reminders(now=session.starts_at - datetime.timedelta(days=8)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_send_session_reminders(now=a_week_before) == 1
    assert mail.outbox[0].to == [viewer.email]


def test_the_celery_task_runs_the_service(viewer, django_capture_on_commit_callbacks):
    starts_at = timezone.now() + datetime.timedelta(days=3)
    session = TrainingSessionFactory(starts_at=starts_at, registration_deadline=starts_at.date())
    RegistrationFactory(session=session, user=viewer, created_at=timezone.now() - datetime.timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_session_reminders.delay().get() == 1
    assert len(mail.outbox) == 1


def test_the_purge_task_deletes_requests_past_retention_only():
    session = TrainingSessionFactory()
    old = TraineeRequestFactory(sessions=[session])
    recent = TraineeRequestFactory(sessions=[session])
    TraineeRequest.objects.all_libraries().filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=TraineeRequest.RETENTION_DAYS + 1)
    )
    assert purge_trainee_requests.delay().get() == 1
    assert list(TraineeRequest.objects.all_libraries().values_list("pk", flat=True)) == [recent.pk]
    assert purge_trainee_requests.delay().get() == 0
