"""Referents manage only their territories' libraries and partner accounts in Django admin."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from extranet.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_referent_sees_only_libraries_of_their_territory(client_for, referent, library, other_library):
    response = client_for(referent).get(reverse("admin:extranet_library_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset)
    assert shown == {library}


def test_referent_cannot_open_another_territory_library(client_for, referent, other_library):
    response = client_for(referent).get(reverse("admin:extranet_library_change", args=[other_library.pk]))
    # Django admin answers an object outside the queryset with a redirect to the index and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_referent_cannot_edit_another_territory_library(client_for, referent, other_library):
    client_for(referent).post(
        reverse("admin:extranet_library_change", args=[other_library.pk]),
        {"name": "Piratée", "code": other_library.code, "commune": "X", "territory": other_library.territory_id},
    )
    other_library.refresh_from_db()
    assert other_library.name != "Piratée"


def test_referent_sees_only_partner_accounts_of_their_territory(
    client_for, referent, manager, viewer, other_manager, admin_user
):
    response = client_for(referent).get(reverse("admin:extranet_user_changelist"))
    shown = set(response.context["cl"].queryset)
    assert shown == {manager, viewer}


def test_referent_cannot_edit_a_user_of_another_territory(client_for, referent, other_manager):
    client = client_for(referent)
    response = client.get(reverse("admin:extranet_user_change", args=[other_manager.pk]))
    assert response.status_code == 302
    client.post(reverse("admin:extranet_user_change", args=[other_manager.pk]), {"is_active": ""})
    other_manager.refresh_from_db()
    assert other_manager.is_active


def test_referent_creates_account_and_a_set_password_email_is_sent(
    client_for, referent, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(referent).post(
            reverse("admin:extranet_user_add"),
            {
                "first_name": "Inès",
                "last_name": "Moreau",
                "email": "ines.moreau@example.fr",
                "library": library.pk,
                "profile": User.Profile.MANAGER,
                "job_title": "",
                "phone": "",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    created = User.objects.get(email="ines.moreau@example.fr")
    assert created.library == library and created.profile == User.Profile.MANAGER
    assert not created.has_usable_password()
    assert created.username == "ines.moreau"
    assert [m.to for m in mail.outbox] == [["ines.moreau@example.fr"]]
    assert "/compte/password/reset/key/" in mail.outbox[0].body


def test_referent_cannot_create_account_in_another_territory(client_for, referent, other_library):
    response = client_for(referent).post(
        reverse("admin:extranet_user_add"),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "ab@example.fr",
            "library": other_library.pk,
            "profile": "viewer",
        },
    )
    assert response.status_code == 200
    assert "library" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="ab@example.fr").exists()


def test_referent_cannot_grant_staff_rights(client_for, referent, viewer):
    client_for(referent).post(
        reverse("admin:extranet_user_change", args=[viewer.pk]),
        {
            "username": viewer.username,
            "first_name": viewer.first_name,
            "last_name": viewer.last_name,
            "email": viewer.email,
            "library": viewer.library_id,
            "profile": viewer.profile,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    viewer.refresh_from_db()
    assert not viewer.is_staff and not viewer.is_superuser


def test_admin_cannot_downgrade_the_last_manager(client_for, admin_user, manager):
    response = client_for(admin_user).post(
        reverse("admin:extranet_user_change", args=[manager.pk]),
        {
            "username": manager.username,
            "first_name": manager.first_name,
            "last_name": manager.last_name,
            "email": manager.email,
            "library": manager.library_id,
            "profile": User.Profile.VIEWER,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "au moins un·e Gestionnaire" in response.content.decode()
    manager.refresh_from_db()
    assert manager.profile == User.Profile.MANAGER


def test_administrator_sees_every_library_and_account(
    client_for, admin_user, library, other_library, manager, other_manager
):
    client = client_for(admin_user)
    libraries = set(client.get(reverse("admin:extranet_library_changelist")).context["cl"].queryset)
    assert {library, other_library} <= libraries
    users = set(client.get(reverse("admin:extranet_user_changelist")).context["cl"].queryset)
    assert {manager, other_manager, admin_user} <= users


def test_partner_has_no_admin_access(client_for, manager):
    response = client_for(manager).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_second_manager_can_be_downgraded_in_admin(client_for, admin_user, manager):
    colleague = UserFactory(library=manager.library, profile=User.Profile.MANAGER)
    response = client_for(admin_user).post(
        reverse("admin:extranet_user_change", args=[colleague.pk]),
        {
            "username": colleague.username,
            "first_name": colleague.first_name,
            "last_name": colleague.last_name,
            "email": colleague.email,
            "library": colleague.library_id,
            "profile": User.Profile.VIEWER,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.profile == User.Profile.VIEWER
