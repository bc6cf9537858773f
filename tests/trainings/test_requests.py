"""First-time trainee requests: form validation, the author's address, confirmation by the referent,
decline, purge. The attacks on the public form are in ``test_request_abuse.py``."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from extranet.models import User
from tests.factories import LibraryFactory
from tests.trainings.factories import RegistrationFactory, TraineeRequestFactory, TrainingSessionFactory
from trainings import services
from trainings.forms import fill_token
from trainings.models import Registration, TraineeRequest

pytestmark = pytest.mark.django_db


def _form_data(session, structure, **overrides):
    data = {
        "form_started": fill_token(time.time() - 30),  # the page was served 30 s before
        "last_name": "Leroy",
        "first_name": "Martine",
        "postal_address": "5 rue de la Mairie\n95450 Vigny",
        "email": "martine.leroy@example.fr",
        "phone": "06 12 34 56 78",
        "library": structure.pk,
        "structure_name": "",
        "employment_status": "volunteer",
        "sessions": [session.pk],
    }
    data.update(overrides)
    return data


def test_form_shows_privacy_notice_and_open_sessions(client):
    session = TrainingSessionFactory(training__title="Désherber ses collections")
    TrainingSessionFactory(
        training__title="Session close", registration_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    content = client.get(reverse("trainings:trainee_request")).content.decode()
    assert "12 mois" in content and "Vos données personnelles" in content
    assert "Désherber ses collections" in content and "Session close" not in content
    assert f'value="{session.pk}"' in content


def _confirmation_link(message) -> str:
    return re.search(r"http://testserver(/formations/premiere-inscription/confirmer/[^/\s]+/)", message.body)[1]


def test_valid_request_waits_for_its_address_then_reaches_referent_and_training_staff(
    client, library, referent, settings, django_capture_on_commit_callbacks
):
    settings.TRAININGS_STAFF_EMAILS = ["formations@bdvo.example.fr"]
    session = TrainingSessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainings:trainee_request"), _form_data(session, library))
    assert response.status_code == 302
    assert "Vérifiez votre boîte mail" in client.get(response["Location"]).content.decode()
    trainee_request = TraineeRequest.objects.all_libraries().get()
    assert trainee_request.status == TraineeRequest.Status.UNCONFIRMED and trainee_request.email_confirmed_at is None
    assert list(trainee_request.sessions.all()) == [session]
    (to_person,) = mail.outbox  # nothing to the referent yet
    assert to_person.to == ["martine.leroy@example.fr"]
    assert to_person.subject == "[BDVO] Confirmez votre adresse e-mail"

    link = _confirmation_link(to_person)
    page = client.get(link)
    assert page.status_code == 200 and "Confirmer mon adresse e-mail" in page.content.decode()
    assert len(mail.outbox) == 1  # opening the link (a mail scanner does) confirms nothing
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(link)
    assert "votre adresse e-mail est confirmée" in confirmed.content.decode()
    trainee_request.refresh_from_db()
    assert trainee_request.status == TraineeRequest.Status.PENDING and trainee_request.email_confirmed_at
    to_staff = next(message for message in mail.outbox if referent.email in message.to)
    assert set(to_staff.to) == {referent.email, "formations@bdvo.example.fr"}
    assert to_staff.reply_to == ["martine.leroy@example.fr"]
    assert (
        "Martine Leroy" in to_staff.body and f"/admin/trainings/traineerequest/{trainee_request.pk}/" in to_staff.body
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "martine.leroy@"}, "email", "Cette adresse e-mail n'est pas valide"),
        ({"last_name": ""}, "last_name", "Indiquez votre nom."),
        ({"postal_address": ""}, "postal_address", "Indiquez votre adresse postale."),
        ({"employment_status": "directeur"}, "employment_status", "Ce statut n'existe pas"),
        ({"employment_status": ""}, "employment_status", "Choisissez votre statut."),
        ({"sessions": []}, "sessions", "Choisissez au moins une session."),
        ({"phone": "12345"}, "phone", "Ce numéro de téléphone n'est pas valide"),
        ({"library": "", "structure_name": ""}, "library", "indiquez le nom de votre structure"),
        # Numbers beyond any row id: SQLite raised OverflowError (a 500) before.
        ({"sessions": [str(2**63)]}, "sessions", "Cette session n'existe pas."),
        ({"library": str(2**63)}, "library", "Cette bibliothèque n'est pas dans la liste"),
    ],
)
def test_invalid_request_says_what_is_wrong_in_french(client, library, overrides, field, message):
    session = TrainingSessionFactory()
    response = client.post(reverse("trainings:trainee_request"), _form_data(session, library, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not TraineeRequest.objects.all_libraries().exists()


def test_phone_accepts_international_french_format(client, library):
    session = TrainingSessionFactory()
    response = client.post(
        reverse("trainings:trainee_request"), _form_data(session, library, phone="+33 1 34 25 00 00")
    )
    assert response.status_code == 302


def test_email_of_existing_account_gets_a_login_link_and_the_page_tells_nothing(
    client, library, viewer, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trainings:trainee_request"), _form_data(session, library, email=viewer.email.upper())
        )
    assert response.status_code == 302 and response["Location"] == reverse("trainings:trainee_request_sent")
    assert not TraineeRequest.objects.all_libraries().exists()
    (message,) = mail.outbox
    assert message.to == [viewer.email.upper()] and "déjà un compte" in message.subject
    assert "http://testserver/compte/login/" in message.body and "/compte/password/reset/" in message.body
    assert "Leroy" not in message.body and "Martine" not in message.body


def test_typed_structure_is_accepted(client, library):
    session = TrainingSessionFactory()
    response = client.post(
        reverse("trainings:trainee_request"),
        _form_data(session, library, library="", structure_name="Ludothèque de Pontoise"),
    )
    assert response.status_code == 302
    assert TraineeRequest.objects.all_libraries().get().structure_label == "Ludothèque de Pontoise"


def test_confirmation_creates_one_viewer_account_and_registers(
    library, referent, manager, django_capture_on_commit_callbacks
):
    open_session = TrainingSessionFactory()
    full_session = TrainingSessionFactory(capacity=1)
    RegistrationFactory(session=full_session, user=manager)
    trainee_request = TraineeRequestFactory(library=library, sessions=[open_session, full_session])
    with django_capture_on_commit_callbacks(execute=True):
        result = services.trainee_request_confirm(trainee_request=trainee_request, by=referent)
    account = User.objects.get(email=trainee_request.email)
    assert account.library == library and account.profile == User.Profile.VIEWER
    assert account.phone == trainee_request.phone
    statuses = dict(Registration.objects.all_libraries().filter(user=account).values_list("session_id", "status"))
    assert statuses == {open_session.pk: "registered", full_session.pk: "waiting"}
    assert len(result.registrations) == 2
    bodies = [message.body for message in mail.outbox if message.to == [account.email]]
    assert any("/compte/password/reset/key/" in body for body in bodies)
    assert len(bodies) == 3  # set-password link + one e-mail per registration
    trainee_request.refresh_from_db()
    assert trainee_request.status == TraineeRequest.Status.CONFIRMED
    assert trainee_request.created_account == account and trainee_request.handled_by == referent

    again = services.trainee_request_confirm(trainee_request=trainee_request, by=referent)
    assert again.already_done
    assert User.objects.filter(email__iexact=trainee_request.email).count() == 1
    assert Registration.objects.all_libraries().filter(user=account).count() == 2


def test_confirmation_reports_closed_sessions(library, referent):
    session = TrainingSessionFactory()
    trainee_request = TraineeRequestFactory(library=library, sessions=[session])
    session.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    session.save()
    result = services.trainee_request_confirm(trainee_request=trainee_request, by=referent)
    assert result.registrations == [] and "closes" in result.refused[0][1]
    assert User.objects.filter(email=trainee_request.email).exists()


def test_typed_structure_needs_a_library_to_confirm(admin_user, library):
    trainee_request = TraineeRequestFactory(
        structure_name="Ludothèque de Pontoise", sessions=[TrainingSessionFactory()]
    )
    with pytest.raises(ValidationError, match="choisissez sa bibliothèque"):
        services.trainee_request_confirm(trainee_request=trainee_request, by=admin_user)
    result = services.trainee_request_confirm(trainee_request=trainee_request, by=admin_user, library=library)
    assert result.trainee_request.created_account.library == library


def test_referent_cannot_confirm_another_territory(referent, other_library):
    trainee_request = TraineeRequestFactory(library=other_library, sessions=[TrainingSessionFactory()])
    with pytest.raises(PermissionDenied):
        services.trainee_request_confirm(trainee_request=trainee_request, by=referent)
    assert not User.objects.filter(email=trainee_request.email).exists()


def test_referent_cannot_take_another_territorys_request_into_their_own_library(referent, library, other_library):
    """Issue 15: the service checked only the library chosen, so a referent could confirm a
    request of another territory by attaching the person to one of their own libraries."""
    trainee_request = TraineeRequestFactory(library=other_library, sessions=[TrainingSessionFactory()])
    with pytest.raises(PermissionDenied, match="hors de vos territoires"):
        services.trainee_request_confirm(trainee_request=trainee_request, by=referent, library=library)
    assert not User.objects.filter(email=trainee_request.email).exists()


def test_a_request_without_portal_library_is_for_bdvo_wide_staff(referent, network_staff, library):
    trainee_request = TraineeRequestFactory(
        structure_name="Ludothèque de Pontoise", sessions=[TrainingSessionFactory()]
    )
    with pytest.raises(PermissionDenied):
        services.trainee_request_confirm(trainee_request=trainee_request, by=referent, library=library)
    result = services.trainee_request_confirm(trainee_request=trainee_request, by=network_staff, library=library)
    assert result.trainee_request.created_account.library == library


def test_decline_emails_the_reason(library, referent, django_capture_on_commit_callbacks):
    trainee_request = TraineeRequestFactory(library=library, sessions=[TrainingSessionFactory()])
    with pytest.raises(ValidationError, match="motif"):
        services.trainee_request_decline(trainee_request=trainee_request, by=referent, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.trainee_request_decline(
            trainee_request=trainee_request, by=referent, reason="Cette formation est réservée aux salarié·es."
        )
    assert mail.outbox[0].to == [trainee_request.email]
    assert "Cette formation est réservée aux salarié·es." in mail.outbox[0].body
    with pytest.raises(ValidationError, match="déjà été refusée"):
        services.trainee_request_confirm(trainee_request=trainee_request, by=referent)
    assert not User.objects.filter(email=trainee_request.email).exists()


def test_unconfirmed_request_cannot_be_answered(library, referent, django_capture_on_commit_callbacks):
    trainee_request = TraineeRequestFactory(
        library=library,
        sessions=[TrainingSessionFactory()],
        status=TraineeRequest.Status.UNCONFIRMED,
        email_confirmed_at=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError, match="pas encore confirmé son adresse"):
            services.trainee_request_confirm(trainee_request=trainee_request, by=referent)
        with pytest.raises(ValidationError, match="pas encore confirmé son adresse"):
            services.trainee_request_decline(trainee_request=trainee_request, by=referent, reason="Hors réseau.")
    assert not mail.outbox  # nothing sent to an address nobody confirmed
    assert not User.objects.filter(email=trainee_request.email).exists()
    trainee_request.refresh_from_db()
    assert trainee_request.status == TraineeRequest.Status.UNCONFIRMED


def test_purge_command_deletes_only_old_requests(library):
    old = TraineeRequestFactory(library=library, created_at=timezone.now() - datetime.timedelta(days=400))
    recent = TraineeRequestFactory(library=LibraryFactory(), created_at=timezone.now() - datetime.timedelta(days=30))
    call_command("purge_trainee_requests", "--older-than-days", "365")
    assert list(TraineeRequest.objects.all_libraries()) == [recent]
    assert not TraineeRequest.objects.all_libraries().filter(pk=old.pk).exists()


def test_purge_deletes_unconfirmed_requests_once_their_link_has_expired(library, settings):
    settings.TRAINEE_REQUEST_CONFIRMATION_HOURS = 48
    now = timezone.now()
    unconfirmed = {"status": TraineeRequest.Status.UNCONFIRMED, "email_confirmed_at": None}
    expired = TraineeRequestFactory(library=library, created_at=now - datetime.timedelta(hours=49), **unconfirmed)
    waiting = TraineeRequestFactory(library=library, created_at=now - datetime.timedelta(hours=47), **unconfirmed)
    confirmed = TraineeRequestFactory(library=library, created_at=now - datetime.timedelta(days=30))
    assert services.trainee_request_purge() == 1
    assert set(TraineeRequest.objects.all_libraries()) == {waiting, confirmed}
    assert not TraineeRequest.objects.all_libraries().filter(pk=expired.pk).exists()
