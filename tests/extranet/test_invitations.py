"""No enumeration through « Nouvel utilisateur » (issue 15, item 6), and the invitation link.

Before: the form answered « Un compte utilise déjà cette adresse e-mail. » for an address used
anywhere (another library, BDVO staff), so a Gestionnaire learned who has an account. Now a
Gestionnaire invites: for a free address and for an address used outside their library the
answer, the list, the database and the number of e-mails are the same; only the e-mail sent
to the address differs, and only its owner reads it.
"""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.urls import reverse

from extranet import services
from extranet.models import User
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("extranet:user_create")


def _invite(client, email: str, *, last_name: str = "Lefèvre", first_name: str = "Aurélie"):
    return client.post(
        CREATE,
        {"user_type": "partner", "last_name": last_name, "first_name": first_name, "email": email, "profile": "viewer"},
    )


def _what_the_gestionnaire_sees(client, response, email: str) -> tuple:
    """Everything the answer shows, with the address typed replaced (it is echoed back)."""
    messages = [str(message).replace(email, "<adresse>") for message in get_messages(response.wsgi_request)]
    listing = client.get(reverse("extranet:users"))
    return response.status_code, response.get("Location"), messages, sorted(u.pk for u in listing.context["users"])


@pytest.fixture
def staff_member(db) -> User:
    return StaffFactory(email="directrice@bdvo.example.fr", first_name="Anne", last_name="Directrice")


@pytest.mark.parametrize("taken_by", ["other_manager", "staff_member"])
def test_an_address_used_elsewhere_answers_like_a_free_one(
    request, client_for, manager, taken_by, django_capture_on_commit_callbacks
):
    """The attack: compare the answers for a free address and for a used one."""
    owner = request.getfixturevalue(taken_by)
    client = client_for(manager)
    users_before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        free = _what_the_gestionnaire_sees(client, _invite(client, "libre@example.fr"), "libre@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        taken = _what_the_gestionnaire_sees(client, _invite(client, owner.email.upper()), owner.email.upper())

    assert free == taken
    assert free[2] == [
        "Un e-mail a été envoyé à <adresse>. Le compte de Aurélie Lefèvre apparaîtra dans cette liste quand "
        "cette personne aura choisi son mot de passe (lien valable 7 jours)."
    ]
    assert User.objects.count() == users_before  # no account until a password is chosen; no duplicate
    assert [message.to for message in mail.outbox] == [["libre@example.fr"], [owner.email]]


def test_the_owner_of_a_used_address_gets_a_notice_without_text_typed_by_the_gestionnaire(
    client_for, manager, other_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(
            client_for(manager), other_manager.email, last_name="Cliquez sur http://pirate.example.com", first_name="X"
        )
    (notice,) = mail.outbox
    assert notice.to == [other_manager.email]
    assert "pirate" not in notice.body and "Cliquez" not in notice.body
    assert manager.library.name in notice.body  # who asked
    assert "aucun second compte n'a été créé" in notice.body
    assert "/compte/password/reset/" in notice.body
    assert "/compte/invitation/" not in notice.body  # no link that could create anything


def test_a_consulter_and_another_library_cannot_invite(client_for, viewer, manager, other_manager):
    assert _invite(client_for(viewer), "libre@example.fr").status_code == 403
    with pytest.raises(Exception, match="Gestionnaire"):
        services.user_invite(
            library=manager.library,
            by=other_manager,
            first_name="A",
            last_name="B",
            email="c@example.fr",
            profile="viewer",
        )


def _link(email: str) -> str:
    body = next(message.body for message in mail.outbox if message.to == [email])
    return re.search(r"http://testserver(/compte/invitation/\S+/)", body).group(1)


@pytest.fixture
def invitation_link(client_for, manager, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(manager), "paul.roux@example.fr", first_name="Paul", last_name="Roux")
    return _link("paul.roux@example.fr")


PASSWORD = "Une-phrase-de-passe-solide-2026"


def test_an_altered_link_creates_nothing(client, invitation_link):
    forged = invitation_link.replace("/compte/invitation/", "/compte/invitation/x")
    response = client.post(forged, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 404
    assert "n'est pas valide" in html.unescape(response.content.decode())
    assert not User.objects.filter(email="paul.roux@example.fr").exists()


def test_a_link_cannot_be_rewritten_into_another_library_or_profile(client, manager, other_library):
    data = services.Invitation(
        library_id=manager.library_id, invited_by_id=manager.pk, first_name="P", last_name="R",
        email="p.r@example.fr", profile="viewer",
    ).token()  # fmt: skip
    payload = signing.loads(data, salt=services.INVITATION_SALT)
    payload.update(library_id=other_library.pk, profile="manager")
    forged = signing.dumps(payload, salt="another-salt", compress=True)
    response = client.get(reverse("invitation_accept", args=[forged]))
    assert response.status_code == 404


def test_an_expired_link_says_so(client, invitation_link, settings):
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = client.get(invitation_link)
    assert response.status_code == 404 and "a expiré" in response.content.decode()


def test_a_link_is_withdrawn_when_its_gestionnaire_is_deactivated(client, manager, invitation_link):
    User.objects.filter(pk=manager.pk).update(is_active=False)
    response = client.post(invitation_link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 404 and "n'est plus valable" in html.unescape(response.content.decode())
    assert not User.objects.filter(email="paul.roux@example.fr").exists()


def test_the_password_is_checked_against_the_persons_names(client, invitation_link):
    """The validators see the unsaved account's names and e-mail (``AUTH_PASSWORD_VALIDATORS``)."""
    response = client.post(
        invitation_link, {"new_password1": "paul.roux@example", "new_password2": "paul.roux@example"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="paul.roux@example.fr").exists()
    assert "trop semblable" in html.unescape(response.content.decode())


def test_the_new_account_logs_in_with_its_email(client, invitation_link):
    client.post(invitation_link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    response = client.post(reverse("account_login"), {"login": "paul.roux@example.fr", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/espace-pro/"
