"""User management in the espace professionnel: Gestionnaire only, own library only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from extranet.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_manager_lists_only_own_library_users(client_for, manager, viewer, other_manager):
    response = client_for(manager).get(reverse("extranet:users"))
    assert response.status_code == 200
    listed = set(response.context["users"])
    assert listed == {manager, viewer}
    assert other_manager.email not in response.content.decode()


def test_manager_invites_colleague_who_creates_their_account_by_choosing_a_password(
    client, client_for, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(
            reverse("extranet:user_create"),
            {
                "user_type": "partner",
                "last_name": "Lefèvre",
                "first_name": "Aurélie",
                "email": "aurelie.lefevre@example.fr",
                "profile": User.Profile.VIEWER,
            },
        )
    assert response.status_code == 302
    assert not User.objects.filter(email="aurelie.lefevre@example.fr").exists()  # not before the password
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aurelie.lefevre@example.fr"]
    assert "mot de passe" in message.body and manager.library.name in message.body
    link = next(line for line in message.body.splitlines() if "/compte/invitation/" in line)
    path = link.replace("http://testserver", "").strip()
    page = client.get(path)
    assert page.status_code == 200 and "Aurélie Lefèvre" in page.content.decode()
    password = "Une-phrase-de-passe-solide-2026"
    response = client.post(path, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    created = User.objects.get(email="aurelie.lefevre@example.fr")
    assert (created.library, created.profile, created.first_name) == (manager.library, User.Profile.VIEWER, "Aurélie")
    assert created.check_password(password)
    assert client.post(path, {"new_password1": password, "new_password2": password}).status_code == 404  # used


def test_set_password_link_lets_the_new_account_log_in(client, manager, django_capture_on_commit_callbacks):
    from extranet import services

    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create(
            library=manager.library, first_name="Paul", last_name="Roux", email="paul.roux@example.fr", profile="viewer"
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/compte/password/reset/key/" in line)
    path = link.replace("http://testserver", "").strip()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    new_password = "Une-phrase-de-passe-solide-2026"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "paul.roux@example.fr", "password": new_password})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_an_address_of_ones_own_library_is_refused_in_french(client_for, manager, viewer):
    response = client_for(manager).post(
        reverse("extranet:user_create"),
        {
            "user_type": "partner",
            "last_name": "X",
            "first_name": "Y",
            "email": viewer.email.upper(),
            "profile": "viewer",
        },
    )
    assert response.status_code == 200
    assert "Un compte de votre bibliothèque utilise déjà cette adresse : Lucas Bernard." in response.content.decode()
    assert User.objects.filter(email__iexact=viewer.email).count() == 1


def test_manager_changes_profile_of_colleague(client_for, manager, viewer):
    response = client_for(manager).post(
        reverse("extranet:user_edit", args=[viewer.pk]),
        {"last_name": viewer.last_name, "first_name": viewer.first_name, "profile": User.Profile.MANAGER},
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.profile == User.Profile.MANAGER


def test_last_manager_cannot_downgrade_self(client_for, manager):
    response = client_for(manager).post(
        reverse("extranet:user_edit", args=[manager.pk]),
        {"last_name": manager.last_name, "first_name": manager.first_name, "profile": User.Profile.VIEWER},
    )
    assert response.status_code == 200
    assert "au moins un·e Gestionnaire" in response.content.decode()
    manager.refresh_from_db()
    assert manager.profile == User.Profile.MANAGER


def test_last_manager_cannot_be_deactivated(client_for, manager):
    response = client_for(manager).post(reverse("extranet:user_toggle_active", args=[manager.pk]), follow=True)
    assert "au moins un·e Gestionnaire" in response.content.decode()
    manager.refresh_from_db()
    assert manager.is_active


def test_a_second_manager_can_be_deactivated_then_reactivated(client_for, manager):
    colleague = UserFactory(library=manager.library, profile=User.Profile.MANAGER)
    client = client_for(manager)
    client.post(reverse("extranet:user_toggle_active", args=[colleague.pk]))
    colleague.refresh_from_db()
    assert not colleague.is_active
    client.post(reverse("extranet:user_toggle_active", args=[colleague.pk]))
    colleague.refresh_from_db()
    assert colleague.is_active


@pytest.mark.parametrize(
    ("name", "method", "needs_pk"),
    [
        ("extranet:users", "get", False),
        ("extranet:user_create", "get", False),
        ("extranet:user_create", "post", False),
        ("extranet:user_edit", "get", True),
        ("extranet:user_edit", "post", True),
        ("extranet:user_toggle_active", "post", True),
    ],
)
def test_viewer_gets_403_on_user_management(client_for, manager, viewer, name, method, needs_pk):
    url = reverse(name, args=[manager.pk] if needs_pk else [])
    response = getattr(client_for(viewer), method)(url, {"profile": "viewer", "first_name": "A", "last_name": "B"})
    assert response.status_code == 403
    manager.refresh_from_db()
    assert manager.profile == User.Profile.MANAGER and manager.is_active


@pytest.mark.parametrize(
    ("name", "method"),
    [("extranet:user_edit", "get"), ("extranet:user_edit", "post"), ("extranet:user_toggle_active", "post")],
)
def test_other_library_manager_gets_404(client_for, manager, viewer, other_manager, name, method):
    response = getattr(client_for(other_manager), method)(
        reverse(name, args=[viewer.pk]), {"profile": "manager", "first_name": "A", "last_name": "B"}
    )
    assert response.status_code == 404
    viewer.refresh_from_db()
    assert viewer.profile == User.Profile.VIEWER and viewer.is_active


@pytest.mark.parametrize("name", ["extranet:users", "extranet:user_create", "extranet:dashboard"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_post_changes_nothing(client, manager, viewer):
    response = client.post(reverse("extranet:user_toggle_active", args=[viewer.pk]))
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.is_active
