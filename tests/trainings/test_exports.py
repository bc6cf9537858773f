"""The trainings' exporters: « Mes inscriptions » and the attendance sheet, through the export service."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from extranet import exports
from tests.factories import StaffFactory
from tests.trainings.factories import RegistrationFactory, TrainingSessionFactory
from trainings.models import Registration

pytestmark = pytest.mark.django_db
REGISTRATIONS_EXPORT = reverse("extranet:export", args=["training_registrations"])
ATTENDANCE_EXPORT = reverse("exports_staff:export", args=["attendance_sheet"])


def _response_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_both_exporters_are_registered():
    assert isinstance(exports.get("training_registrations"), exports.PartnerExporter)
    assert isinstance(exports.get("attendance_sheet"), exports.StaffExporter)


def test_registrations_export_keeps_its_file_name(client_for, manager):
    RegistrationFactory(user=manager)
    response = client_for(manager).get(REGISTRATIONS_EXPORT, {"periode": "toutes"})
    assert response["Content-Disposition"] == 'attachment; filename="inscriptions-formations.csv"'
    assert manager.email in _response_text(response)


def test_consulter_exports_their_own_registrations_only(client_for, manager, viewer):
    RegistrationFactory(user=manager)
    RegistrationFactory(user=viewer)
    text = _response_text(client_for(viewer).get(REGISTRATIONS_EXPORT))
    assert viewer.email in text and manager.email not in text


def test_registrations_page_links_to_the_export_of_its_period(client_for, manager):
    page = client_for(manager).get(reverse("trainings:my_registrations"), {"periode": "passees"})
    assert f'href="{REGISTRATIONS_EXPORT}?periode=passees"' in page.content.decode()


def test_attendance_sheet_keeps_its_file_name(client_for, admin_user, manager):
    session = TrainingSessionFactory(training__slug="desherber")
    RegistrationFactory(session=session, user=manager)
    response = client_for(admin_user).get(ATTENDANCE_EXPORT, {"session": session.pk})
    day = timezone.localtime(session.starts_at).date().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="emargement-desherber-{day}.csv"'
    assert _response_text(response).splitlines()[0] == "Nom;Prénom;Bibliothèque;E-mail;Téléphone;Présent·e"


def test_attendance_sheet_needs_the_right_to_view_sessions(client_for, manager, admin_user):
    session = TrainingSessionFactory()
    RegistrationFactory(session=session, user=manager, status=Registration.Status.REGISTERED)
    staff = StaffFactory()
    refused = client_for(staff).get(ATTENDANCE_EXPORT, {"session": session.pk})
    assert refused.status_code == 403
    assert "droit de consulter les sessions de formation" in refused.content.decode()
    staff.user_permissions.add(Permission.objects.get(codename="view_trainingsession"))
    assert client_for(staff).get(ATTENDANCE_EXPORT, {"session": session.pk}).status_code == 200
    assert client_for(manager).get(ATTENDANCE_EXPORT, {"session": session.pk}).status_code == 403


def test_attendance_sheet_of_an_unknown_session_is_a_404(client_for, admin_user):
    assert client_for(admin_user).get(ATTENDANCE_EXPORT, {"session": "999999"}).status_code == 404
    assert client_for(admin_user).get(ATTENDANCE_EXPORT, {"session": "x"}).status_code == 404
    assert client_for(admin_user).get(ATTENDANCE_EXPORT).status_code == 404


def test_admin_links_to_the_attendance_export(client_for, admin_user):
    session = TrainingSessionFactory()
    page = client_for(admin_user).get(reverse("admin:trainings_trainingsession_attendance", args=[session.pk]))
    assert f'href="{ATTENDANCE_EXPORT}?session={session.pk}"' in page.content.decode()
