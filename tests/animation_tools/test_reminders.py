"""Return reminders: the library's Gestionnaires are told, once, that a borrowed tool is due back soon."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from animation_tools.models import ToolBooking
from animation_tools.services import booking_send_return_reminders
from animation_tools.tasks import send_tool_return_reminders
from extranet.models import User
from tests.animation_tools.factories import TODAY, ToolBookingFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = ToolBooking.Status


def days(count: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=count)


def out_booking(library, *, loan: int = -10, back: int = 3, status: str = Status.OUT, tool=None) -> ToolBooking:
    extra = {"tool": tool} if tool else {}
    return ToolBookingFactory(library=library, loan_date=days(loan), return_date=days(back), status=status, **extra)


def test_gestionnaires_are_reminded_three_days_before_the_return(
    library, manager, viewer, django_capture_on_commit_callbacks
):
    booking = out_booking(library, back=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_send_return_reminders(today=TODAY) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]  # the Gestionnaires, not the Consulter
    assert "Rappel" in message.subject and booking.tool.name in message.subject
    assert "10/09/2026" in message.subject
    assert "jeudi 10 septembre 2026" in message.body
    assert "http://testserver/espace-pro/outils-animation/" in message.body
    booking.refresh_from_db()
    assert booking.return_reminder_sent_at is not None


def test_running_the_job_twice_sends_one_reminder(library, manager, django_capture_on_commit_callbacks):
    out_booking(library, back=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_send_return_reminders(today=TODAY) == 1
        assert booking_send_return_reminders(today=TODAY) == 0
        assert booking_send_return_reminders(today=days(1)) == 0
    assert len(mail.outbox) == 1


def test_a_missed_day_still_reminds_before_the_return(library, manager, django_capture_on_commit_callbacks):
    out_booking(library, back=0)  # due back today: beat did not run on the earlier days
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_send_return_reminders(today=TODAY) == 1
    assert len(mail.outbox) == 1


def test_a_validated_booking_whose_loan_began_is_reminded_too(library, manager, django_capture_on_commit_callbacks):
    # Staff may not have clicked « sortie » yet: the tool is at the library all the same.
    out_booking(library, loan=-1, back=3, status=Status.VALIDATED)
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_send_return_reminders(today=TODAY) == 1


@pytest.mark.parametrize(
    ("loan", "back", "status"),
    [
        (-10, 4, Status.OUT),  # due back later than the reminder window
        (-10, -1, Status.OUT),  # return date passed
        (1, 3, Status.VALIDATED),  # the tool has not left the BDVO yet
        (-10, 3, Status.REQUESTED),
        (-10, 3, Status.REFUSED),
        (-10, 3, Status.CANCELLED),
        (-10, 3, Status.RETURNED),  # already back
        (-10, 3, Status.CHECKED),
    ],
)
def test_bookings_outside_the_rule_are_not_reminded(library, manager, loan, back, status):
    booking = out_booking(library, loan=loan, back=back, status=status)
    assert booking_send_return_reminders(today=TODAY) == 0
    booking.refresh_from_db()
    assert booking.return_reminder_sent_at is None


def test_the_reminder_window_is_a_setting(settings, library, manager):
    settings.ANIMATION_TOOLS = {**settings.ANIMATION_TOOLS, "RETURN_REMINDER_DAYS": 7}
    out_booking(library, back=7)
    assert booking_send_return_reminders(today=TODAY) == 1


def test_each_library_hears_about_its_own_tools_only(
    library, manager, other_library, other_manager, django_capture_on_commit_callbacks
):
    mine = out_booking(library, back=1)
    theirs = out_booking(other_library, back=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_send_return_reminders(today=TODAY) == 2
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert mine.tool.name in by_recipient[(manager.email,)].subject
    assert theirs.tool.name in by_recipient[(other_manager.email,)].subject


def test_a_library_without_an_active_gestionnaire_is_marked_without_e_mail(library):
    UserFactory(library=library, profile=User.Profile.MANAGER, is_active=False)
    booking = out_booking(library, back=1)
    assert booking_send_return_reminders(today=TODAY) == 0
    booking.refresh_from_db()
    assert booking.return_reminder_sent_at is not None
    assert mail.outbox == []


def test_the_reminder_answers_to_the_tools_service(settings, library, manager, django_capture_on_commit_callbacks):
    settings.EMAIL_REPLY_TO = {**settings.EMAIL_REPLY_TO, "tools": "outils@bdvo.example.fr"}
    out_booking(library, back=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking_send_return_reminders(today=TODAY)
    assert mail.outbox[0].reply_to == ["outils@bdvo.example.fr"]
    assert "outils@bdvo.example.fr" in mail.outbox[0].body


def test_the_celery_task_runs_the_service(library, manager, django_capture_on_commit_callbacks):
    from django.utils import timezone

    today = timezone.localdate()
    ToolBookingFactory(
        library=library,
        loan_date=today - datetime.timedelta(days=5),
        return_date=today + datetime.timedelta(days=1),
        status=Status.OUT,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_tool_return_reminders.delay().get() == 1
    assert len(mail.outbox) == 1
