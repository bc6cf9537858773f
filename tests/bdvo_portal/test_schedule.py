"""The Celery beat schedule: every periodic job names a real task, at Paris times, and can be
run by hand with ``manage.py run_scheduled_job`` (``make run`` has no beat)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from celery.beat import PersistentScheduler
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from bdvo_portal.celery import app
from extranet.models import User
from tests.factories import UserFactory
from tests.trainings.factories import RegistrationFactory, TrainingSessionFactory

EXPECTED_JOBS = {
    "purge-trainee-requests": "trainings.tasks.purge_trainee_requests",
    "purge-exports": "extranet.tasks.purge_exports",
    "fail-stalled-imports": "catalogue.tasks.fail_stalled_imports",
    "remind-tool-returns": "animation_tools.tasks.send_tool_return_reminders",
    "remind-training-sessions": "trainings.tasks.send_session_reminders",
}


def test_the_schedule_holds_the_periodic_jobs():
    assert {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()} == EXPECTED_JOBS
    assert all(isinstance(entry["schedule"], crontab) for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    missing = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} - set(app.tasks)
    assert missing == set()


@pytest.fixture
def scheduler(tmp_path):
    """Celery beat's scheduler, as ``celery -A bdvo_portal beat`` builds it, with its file in ``tmp_path``."""
    scheduler = PersistentScheduler(app=app, schedule_filename=str(tmp_path / "celerybeat-schedule"), lazy=False)
    yield scheduler
    scheduler.close()


def test_beat_loads_the_schedule_into_its_file(scheduler, tmp_path):
    assert set(EXPECTED_JOBS) <= set(scheduler.schedule)
    assert list(tmp_path.iterdir())


def test_jobs_run_at_paris_times(scheduler):
    assert app.conf.timezone == "Europe/Paris"
    schedule = scheduler.schedule["remind-tool-returns"].schedule
    assert schedule.tz.key == "Europe/Paris"
    # The night summer time starts (UTC+2 from 2 a.m.), 8 a.m. in Paris is 6 a.m. UTC.
    start, delta, _now = schedule.remaining_delta(datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC))
    assert (start + delta).astimezone(datetime.UTC) == datetime.datetime(2026, 3, 29, 6, 0, tzinfo=datetime.UTC)


def test_the_schedule_file_path_comes_from_the_environment():
    assert app.conf.beat_schedule_filename == settings.CELERY_BEAT_SCHEDULE_FILENAME
    assert settings.CELERY_BEAT_SCHEDULE_FILENAME


def test_run_scheduled_job_lists_the_jobs():
    out = StringIO()
    call_command("run_scheduled_job", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split("\t")[0] for line in lines] == list(EXPECTED_JOBS)
    assert "remind-tool-returns\tanimation_tools.tasks.send_tool_return_reminders\tcron « 0 8 * * * »" in lines


@pytest.mark.django_db
def test_run_scheduled_job_runs_a_job_now(library, django_capture_on_commit_callbacks):
    viewer = UserFactory(library=library, profile=User.Profile.VIEWER)
    starts_at = timezone.now() + datetime.timedelta(days=3)
    session = TrainingSessionFactory(starts_at=starts_at, registration_deadline=starts_at.date())
    RegistrationFactory(session=session, user=viewer, created_at=timezone.now() - datetime.timedelta(days=20))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduled_job", "remind-training-sessions", stdout=out)
    assert "remind-training-sessions : terminé" in out.getvalue()
    assert "→ 1" in out.getvalue()
    assert [message.to for message in mail.outbox] == [[viewer.email]]


def test_run_scheduled_job_refuses_an_unknown_name_in_french():
    with pytest.raises(CommandError, match="Tâche planifiée inconnue : purge-tout"):
        call_command("run_scheduled_job", "purge-tout")
