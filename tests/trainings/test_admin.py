"""Staff side: referent-scoped trainee request queue, session changes, attendance sheet."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from extranet.models import User
from tests.trainings.factories import RegistrationFactory, TraineeRequestFactory, TrainingSessionFactory
from tests.trainings.helpers import ics_of
from trainings.models import Registration, TraineeRequest, TrainingSession

pytestmark = pytest.mark.django_db


def test_referent_sees_only_requests_of_their_territories(client_for, referent, library, other_library):
    mine = TraineeRequestFactory(library=library, last_name="Leroy")
    TraineeRequestFactory(library=other_library, last_name="Dupont")
    TraineeRequestFactory(structure_name="Ludothèque de Pontoise", last_name="Morel")
    client = client_for(referent)
    response = client.get(reverse("admin:trainings_traineerequest_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]
    other = TraineeRequest.objects.all_libraries().get(last_name="Dupont")
    assert client.get(reverse("admin:trainings_traineerequest_change", args=[other.pk])).status_code == 302
    assert client.get(reverse("admin:trainings_traineerequest_confirm", args=[other.pk])).status_code == 404


def test_superuser_sees_typed_structure_requests(client_for, admin_user, library):
    TraineeRequestFactory(structure_name="Ludothèque de Pontoise")
    TraineeRequestFactory(library=library)
    response = client_for(admin_user).get(reverse("admin:trainings_traineerequest_changelist"))
    assert len(response.context["cl"].result_list) == 2


def test_referent_confirms_in_admin_and_account_is_created_once(
    client_for, referent, library, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory()
    trainee_request = TraineeRequestFactory(library=library, sessions=[session])
    client = client_for(referent)
    page = client.get(reverse("admin:trainings_traineerequest_change", args=[trainee_request.pk]))
    assert "Confirmer et créer le compte" in page.content.decode()
    url = reverse("admin:trainings_traineerequest_confirm", args=[trainee_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"library": library.pk})
    assert response.status_code == 302
    client.post(url, {"library": library.pk})
    accounts = User.objects.filter(email=trainee_request.email)
    assert accounts.count() == 1
    assert Registration.objects.all_libraries().get(user=accounts.get()).session == session


def test_referent_declines_in_admin(client_for, referent, library, django_capture_on_commit_callbacks):
    trainee_request = TraineeRequestFactory(library=library, sessions=[TrainingSessionFactory()])
    url = reverse("admin:trainings_traineerequest_decline", args=[trainee_request.pk])
    response = client_for(referent).post(url, {"reason": ""})
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(referent).post(url, {"reason": "Session réservée aux salarié·es."})
    assert response.status_code == 302
    trainee_request.refresh_from_db()
    assert trainee_request.status == TraineeRequest.Status.DECLINED
    assert "Session réservée aux salarié·es." in mail.outbox[0].body


def test_changing_place_in_session_admin_emails_registrants(
    client_for, admin_user, viewer, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory()
    RegistrationFactory(session=session, user=viewer)
    local_start = timezone.localtime(session.starts_at)
    local_end = timezone.localtime(session.ends_at)
    data = {
        "training": session.training.pk,
        "starts_at_0": local_start.strftime("%d/%m/%Y"),
        "starts_at_1": local_start.strftime("%H:%M:%S"),
        "ends_at_0": local_end.strftime("%d/%m/%Y"),
        "ends_at_1": local_end.strftime("%H:%M:%S"),
        "schedule": "",
        "place": "Médiathèque de l'Astrolabe",
        "address": "Place des Arts, 95000 Cergy",
        "capacity": session.capacity,
        "registration_deadline": session.registration_deadline.strftime("%d/%m/%Y"),
        "status": "open",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            reverse("admin:trainings_trainingsession_change", args=[session.pk]), data
        )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert len(mail.outbox) == 1
    assert "Session modifiée" in mail.outbox[0].subject
    assert "Astrolabe" in str(ics_of(mail.outbox[0]).walk("VEVENT")[0]["LOCATION"])


def test_cancel_action_emails_registrants(client_for, admin_user, viewer, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory()
    RegistrationFactory(session=session, user=viewer)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin_user).post(
            reverse("admin:trainings_trainingsession_changelist"),
            {"action": "cancel_sessions", "_selected_action": [session.pk]},
        )
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    assert str(ics_of(mail.outbox[0])["METHOD"]) == "CANCEL"


def test_attendance_sheet_printable_and_csv(client_for, admin_user, manager, viewer):
    session = TrainingSessionFactory(capacity=1)
    RegistrationFactory(session=session, user=manager)
    RegistrationFactory(session=session, user=viewer, status=Registration.Status.WAITING)
    client = client_for(admin_user)
    page = client.get(reverse("admin:trainings_trainingsession_attendance", args=[session.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Feuille d&#x27;émargement" in content or "Feuille d'émargement" in content
    assert manager.last_name in content and viewer.last_name not in content
    assert "trainings.css" in content
    csv = client.get(reverse("exports_staff:export", args=["attendance_sheet"]), {"session": session.pk})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert manager.email in text and viewer.email not in text


def test_attendance_sheet_is_staff_only(client_for, manager):
    session = TrainingSessionFactory()
    response = client_for(manager).get(reverse("admin:trainings_trainingsession_attendance", args=[session.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_mark_present_action(client_for, admin_user, manager):
    registration = RegistrationFactory(user=manager)
    client_for(admin_user).post(
        reverse("admin:trainings_registration_changelist"),
        {"action": "mark_present", "_selected_action": [registration.pk]},
    )
    registration.refresh_from_db()
    assert registration.attended


def test_moving_a_session_from_the_training_inline_emails_registrants(
    client_for, admin_user, viewer, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory()
    RegistrationFactory(session=session, user=viewer)
    training = session.training
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    data = {
        "title": training.title,
        "slug": training.slug,
        "theme": training.theme.pk,
        "summary": training.summary,
        "description": training.description,
        "objectives": training.objectives,
        "audience": training.audience,
        "prerequisites": "",
        "trainers": training.trainers,
        "duration_days": "1",
        "duration_hours": "6",
        "is_published": "on",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "1",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-id": session.pk,
        "sessions-0-training": training.pk,
        "sessions-0-starts_at_0": start.strftime("%d/%m/%Y"),
        "sessions-0-starts_at_1": start.strftime("%H:%M:%S"),
        "sessions-0-ends_at_0": end.strftime("%d/%m/%Y"),
        "sessions-0-ends_at_1": end.strftime("%H:%M:%S"),
        "sessions-0-schedule": "",
        "sessions-0-place": "Médiathèque de Marines",
        "sessions-0-address": "2 rue des Écoles, 95640 Marines",
        "sessions-0-capacity": session.capacity,
        "sessions-0-registration_deadline": session.registration_deadline.strftime("%d/%m/%Y"),
        "sessions-0-status": "open",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(reverse("admin:trainings_training_change", args=[training.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.place == "Médiathèque de Marines"
    assert [message.to for message in mail.outbox] == [[viewer.email]]
    assert "Session modifiée" in mail.outbox[0].subject
