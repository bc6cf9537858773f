"""Public catalogue and « Mes inscriptions »: tenancy, profiles, constant query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from extranet.models import User
from tests.factories import UserFactory
from tests.trainings.factories import RegistrationFactory, ThemeFactory, TrainingSessionFactory
from trainings.models import Audience, Registration

pytestmark = pytest.mark.django_db


def test_catalogue_is_public_and_lists_upcoming_sessions_in_date_order(client):
    later = TrainingSessionFactory(
        starts_at=timezone.now() + datetime.timedelta(days=60), training__title="Désherber ses collections"
    )
    sooner = TrainingSessionFactory(
        starts_at=timezone.now() + datetime.timedelta(days=20), training__title="Le kamishibaï"
    )
    TrainingSessionFactory(starts_at=timezone.now() - datetime.timedelta(days=3), training__title="Session passée")
    TrainingSessionFactory(training__is_published=False, training__title="Formation brouillon")
    response = client.get(reverse("trainings:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Prochaines formations et inscriptions" in content
    assert response.context["sessions"] == [sooner, later]
    assert "Formation brouillon" not in content
    assert "10 places restantes" in content


def test_catalogue_shows_waiting_list_for_full_session(client, manager):
    session = TrainingSessionFactory(capacity=1)
    RegistrationFactory(session=session, user=manager)
    content = client.get(reverse("trainings:index")).content.decode()
    assert "Complète" in content and "liste d'attente" in content


def test_catalogue_filters_by_theme_audience_and_month(client):
    games = ThemeFactory(slug="numerique", name="Numérique")
    in_month = timezone.localdate().replace(day=1) + datetime.timedelta(days=70)
    first_day = in_month.replace(day=15)
    starts = datetime.datetime.combine(first_day, datetime.time(9, 30), tzinfo=timezone.get_current_timezone())
    wanted = TrainingSessionFactory(training__theme=games, training__audience=Audience.VOLUNTEERS, starts_at=starts)
    TrainingSessionFactory(training__audience=Audience.VOLUNTEERS, starts_at=starts)
    TrainingSessionFactory(training__theme=games, starts_at=starts)
    TrainingSessionFactory(
        training__theme=games, training__audience=Audience.VOLUNTEERS, starts_at=starts + datetime.timedelta(days=40)
    )
    response = client.get(
        reverse("trainings:index"),
        {"theme": "numerique", "audience": "volunteers", "month": first_day.strftime("%Y-%m")},
    )
    assert response.context["sessions"] == [wanted]


def test_catalogue_query_count_is_constant(client_for, manager, django_assert_max_num_queries):
    for _ in range(12):
        session = TrainingSessionFactory()
        RegistrationFactory(session=session, user=UserFactory(library=manager.library, profile=User.Profile.VIEWER))
    RegistrationFactory(session=session, user=manager)
    client = client_for(manager)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("trainings:index"))
    assert len(response.context["sessions"]) == 12
    assert "Vous êtes inscrit·e" in response.content.decode()


def test_training_page_lists_its_sessions(client):
    session = TrainingSessionFactory(training__title="Lire à voix haute aux tout-petits")
    TrainingSessionFactory(training=session.training)
    response = client.get(session.training.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["sessions"]) == 2
    assert "Lire à voix haute aux tout-petits" in response.content.decode()


def test_unpublished_training_is_404(client):
    session = TrainingSessionFactory(training__is_published=False)
    assert client.get(session.training.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_login_to_register(client):
    session = TrainingSessionFactory()
    response = client.post(reverse("trainings:session_register", args=[session.pk]))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    assert not Registration.objects.all_libraries().exists()


def test_viewer_registers_through_confirmation_page(client_for, viewer, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory()
    client = client_for(viewer)
    confirm = client.get(reverse("trainings:session_register", args=[session.pk]))
    assert confirm.status_code == 200
    assert "Confirmer l'inscription" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainings:session_register", args=[session.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("trainings:my_registrations")
    assert "Votre inscription est confirmée" in response.content.decode()
    assert Registration.objects.all_libraries().get().user == viewer
    assert len(mail.outbox) == 1


def test_late_registration_shows_french_error(client_for, viewer):
    session = TrainingSessionFactory(registration_deadline=timezone.localdate() - datetime.timedelta(days=1))
    response = client_for(viewer).post(reverse("trainings:session_register", args=[session.pk]), follow=True)
    assert "Les inscriptions à cette session sont closes" in response.content.decode()
    assert not Registration.objects.all_libraries().exists()


def test_manager_sees_library_registrations_viewer_only_own(client_for, manager, viewer, other_manager):
    session = TrainingSessionFactory()
    mine = RegistrationFactory(session=session, user=manager)
    colleague = RegistrationFactory(session=session, user=viewer)
    RegistrationFactory(session=session, user=other_manager)
    manager_list = client_for(manager).get(reverse("trainings:my_registrations")).context["registrations"]
    assert set(manager_list) == {mine, colleague}
    viewer_list = client_for(viewer).get(reverse("trainings:my_registrations")).context["registrations"]
    assert viewer_list == [colleague]


def test_my_registrations_requires_login_and_partner(client, client_for, admin_user):
    response = client.get(reverse("trainings:my_registrations"))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    assert client_for(admin_user).get(reverse("trainings:my_registrations")).status_code == 403


def test_my_registrations_shows_waiting_rank(client_for, manager, viewer):
    session = TrainingSessionFactory(capacity=1)
    RegistrationFactory(session=session, user=manager)
    RegistrationFactory(session=session, user=viewer, status=Registration.Status.WAITING)
    content = client_for(viewer).get(reverse("trainings:my_registrations")).content.decode()
    assert "Liste d&#x27;attente, rang 1" in content or "Liste d'attente, rang 1" in content


def test_registrations_list_query_count_is_constant(client_for, manager, django_assert_max_num_queries):
    for _ in range(15):
        RegistrationFactory(user=UserFactory(library=manager.library, profile=User.Profile.VIEWER))
    client = client_for(manager)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("trainings:my_registrations"))
    assert len(response.context["registrations"]) == 15


def test_registrations_csv_export(client_for, manager, viewer, other_manager):
    session = TrainingSessionFactory(training__title="Désherber ses collections")
    RegistrationFactory(session=session, user=viewer)
    RegistrationFactory(session=session, user=other_manager)
    response = client_for(manager).get(reverse("extranet:export", args=["training_registrations"]))
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Désherber ses collections" in content and viewer.email in content
    assert other_manager.email not in content


def test_viewer_cancels_own_registration(client_for, viewer, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(user=viewer)
    client = client_for(viewer)
    assert client.get(reverse("trainings:registration_cancel", args=[registration.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainings:registration_cancel", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert mail.outbox[0].to == [viewer.email]


def test_other_library_gets_404_on_cancel(client_for, viewer, other_manager):
    registration = RegistrationFactory(user=viewer)
    response = client_for(other_manager).post(reverse("trainings:registration_cancel", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_viewer_gets_404_on_colleague_registration(client_for, manager, viewer):
    registration = RegistrationFactory(user=manager)
    response = client_for(viewer).post(reverse("trainings:registration_cancel", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_manager_cancels_colleague_registration(client_for, manager, viewer):
    registration = RegistrationFactory(user=viewer)
    client_for(manager).post(reverse("trainings:registration_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
