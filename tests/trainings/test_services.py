"""Registration workflows: capacity, waiting list, deadline, cancellation, session changes."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from extranet.models import User
from tests.factories import UserFactory
from tests.trainings.factories import RegistrationFactory, TrainingSessionFactory
from tests.trainings.helpers import ics_of
from trainings import services
from trainings.models import Registration, TrainingSession

pytestmark = pytest.mark.django_db


def test_viewer_registers_and_receives_invitation(session, viewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(session=session, user=viewer)
    assert registration.status == Registration.Status.REGISTERED
    assert registration.library == viewer.library
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [viewer.email]
    assert "est confirmée" in message.body
    event = ics_of(message).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_full_session_puts_next_people_on_waiting_list_with_rank(session, library, django_capture_on_commit_callbacks):
    people = [UserFactory(library=library, profile=User.Profile.VIEWER) for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [services.registration_create(session=session, user=person) for person in people]
    assert [r.status for r in registrations] == ["registered", "registered", "waiting", "waiting"]
    ranks = dict(Registration.objects.all_libraries().with_rank().values_list("user_id", "waiting_rank"))
    assert ranks[people[2].pk] == 1 and ranks[people[3].pk] == 2
    assert "au rang 2" in mail.outbox[3].body
    assert session.status_label() == "complète"


def test_cancelling_promotes_first_waiting_person_and_emails_them(session, library, django_capture_on_commit_callbacks):
    first, second, waiting, last = (UserFactory(library=library, profile=User.Profile.VIEWER) for _ in range(4))
    for person in (first, second, waiting, last):
        services.registration_create(session=session, user=person)
    registration = Registration.objects.all_libraries().get(user=first)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration, by=first)
    statuses = dict(Registration.objects.all_libraries().values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "registered", waiting.pk: "registered", last.pk: "waiting"}
    recipients = {tuple(message.to): message for message in mail.outbox}
    assert "Une place s'est libérée" in recipients[(waiting.email,)].subject
    assert str(ics_of(recipients[(first.email,)])["METHOD"]) == "CANCEL"
    assert Registration.objects.all_libraries().with_rank().get(user=last).waiting_rank == 1


def test_registration_refused_after_deadline(viewer):
    session = TrainingSessionFactory(registration_deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="closes depuis"):
        services.registration_create(session=session, user=viewer)
    assert not Registration.objects.all_libraries().exists()


def test_registration_refused_on_cancelled_session(viewer):
    session = TrainingSessionFactory(status=TrainingSession.Status.CANCELLED)
    with pytest.raises(ValidationError, match="annulée"):
        services.registration_create(session=session, user=viewer)


def test_registering_twice_is_refused(session, viewer):
    services.registration_create(session=session, user=viewer)
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.registration_create(session=session, user=viewer)
    assert Registration.objects.all_libraries().count() == 1


def test_staff_account_cannot_register(session, admin_user):
    with pytest.raises(ValidationError, match="bibliothèques partenaires"):
        services.registration_create(session=session, user=admin_user)


def test_can_register_again_after_cancelling(session, viewer):
    registration = services.registration_create(session=session, user=viewer)
    services.registration_cancel(registration=registration, by=viewer)
    again = services.registration_create(session=session, user=viewer)
    assert again.status == Registration.Status.REGISTERED


def test_cancel_refused_after_deadline_for_partner_but_not_for_staff(viewer, admin_user):
    session = TrainingSessionFactory(registration_deadline=timezone.localdate() - datetime.timedelta(days=1))
    registration = RegistrationFactory(session=session, user=viewer)
    with pytest.raises(ValidationError, match="date limite"):
        services.registration_cancel(registration=registration, by=viewer)
    services.registration_cancel(registration=registration, by=admin_user)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_manager_may_cancel_colleague_but_not_other_library(session, manager, viewer, other_manager):
    registration = services.registration_create(session=session, user=viewer)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, by=other_manager)
    services.registration_cancel(registration=registration, by=manager)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_viewer_cannot_cancel_colleague(session, manager, viewer):
    registration = services.registration_create(session=session, user=manager)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, by=viewer)


def test_cancelling_twice_is_refused(session, viewer):
    registration = services.registration_create(session=session, user=viewer)
    services.registration_cancel(registration=registration, by=viewer)
    with pytest.raises(ValidationError, match="déjà annulée"):
        services.registration_cancel(registration=registration, by=viewer)


def test_moving_a_session_emails_every_registrant_an_update(session, library, django_capture_on_commit_callbacks):
    people = [UserFactory(library=library, profile=User.Profile.VIEWER) for _ in range(3)]
    for person in people:
        services.registration_create(session=session, user=person)
    mail.outbox.clear()
    session.starts_at += datetime.timedelta(days=2)
    session.ends_at += datetime.timedelta(days=2)
    session.place = "Médiathèque de l'Astrolabe"
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session, changed_fields=["starts_at", "ends_at", "place"])
    assert sorted(message.to[0] for message in mail.outbox) == sorted(person.email for person in people)
    event = ics_of(mail.outbox[0]).walk("VEVENT")[0]
    assert "Astrolabe" in str(event["LOCATION"])
    assert event.decoded("DTSTART") == session.starts_at
    assert int(event["SEQUENCE"]) >= 1


def test_cancelling_a_session_emails_a_cancellation(session, viewer, django_capture_on_commit_callbacks):
    services.registration_create(session=session, user=viewer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session)
    assert len(mail.outbox) == 1
    calendar = ics_of(mail.outbox[0])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_larger_capacity_promotes_waiting_people(session, library):
    people = [UserFactory(library=library, profile=User.Profile.VIEWER) for _ in range(3)]
    for person in people:
        services.registration_create(session=session, user=person)
    session.capacity = 3
    services.session_save(session=session, changed_fields=["capacity"])
    assert Registration.objects.all_libraries().filter(status="registered").count() == 3


def test_attendance_marks_only_registered_people(session, library):
    people = [UserFactory(library=library, profile=User.Profile.VIEWER) for _ in range(3)]
    for person in people:
        services.registration_create(session=session, user=person)
    count = services.registration_set_attendance(registrations=Registration.objects.all_libraries(), attended=True)
    assert count == 2
    assert not Registration.objects.all_libraries().get(status="waiting").attended
