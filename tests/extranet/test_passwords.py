"""Password rules (``AUTH_PASSWORD_VALIDATORS``, ``extranet/passwords/``) on every page that sets
a password: the set-password link of a new account, the reset link, the change form, the admin.

Tried as attacks with the passwords people really choose: ``motdepasse1``, ``azertyuiop12``,
``soleil123456``, and ``paul-dupont1`` for Paul Dupont; a long passphrase goes through.
"""

from __future__ import annotations

import gzip
import html
import io

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from extranet import demo, services
from extranet.models import User
from extranet.passwords.validators import FRENCH_PASSWORD_LIST, CommonPasswordValidator, NameInPasswordValidator, fold
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory

WEAK = {
    "motdepasse1": "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères.",
    "azertyuiop12": "Ce mot de passe est trop courant.",
    "soleil123456": "Ce mot de passe est un mot de passe courant entouré de chiffres ou de signes",
    "paul-dupont1": "Ce mot de passe contient votre prénom ou votre nom",
}
PASSPHRASE = "la navette passe le mardi à Marines"


@pytest.fixture
def paul(library) -> User:
    """Paul Dupont, whose username and e-mail say nothing of his name (Django's similarity
    check alone lets ``paul-dupont1`` through)."""
    return UserFactory(
        library=library,
        username="bib-marines-7",
        email="accueil@mairie-marines.fr",
        first_name="Paul",
        last_name="Dupont",
    )


def _errors(response) -> str:
    return html.unescape(response.content.decode())


# --- the rules ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("password", list(WEAK))
def test_weak_passwords_are_refused_in_french(paul, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, paul)
    assert any(message.startswith(WEAK[password]) for message in refused.value.messages), refused.value.messages


@pytest.mark.django_db
def test_a_long_passphrase_is_accepted(paul):
    validate_password(PASSPHRASE, paul)


@pytest.mark.parametrize(
    ("first_name", "last_name", "password"),
    [
        ("Paul", "Dupont", "dupont-marines-95"),
        ("Hélène", "Lefèvre", "HELENE*marines*95"),
        ("Jean-Pierre", "de La Fontaine", "la-fontaine-du-village"),
        ("Léa", "Roy", "bonjour-lea-du-95"),
    ],
)
def test_a_password_containing_a_name_is_refused_whatever_its_case_and_accents(first_name, last_name, password):
    with pytest.raises(ValidationError) as refused:
        NameInPasswordValidator().validate(password, User(first_name=first_name, last_name=last_name))
    assert refused.value.code == "password_contains_name"


def test_names_shorter_than_three_letters_are_not_searched():
    NameInPasswordValidator().validate("la navette de 2026 !", User(first_name="Li", last_name="de La"))
    assert fold("Œuvre Hélène") == "œuvre helene"


@pytest.mark.parametrize("password", ["Marseille2026!", "!!azerty2024", "123jetaime456", "doudou 2026 !"])
def test_a_common_password_wrapped_in_digits_or_signs_is_refused(password):
    with pytest.raises(ValidationError):
        CommonPasswordValidator().validate(password)


def test_the_french_list_is_the_recorded_one_and_django_s_list_still_applies():
    with gzip.open(FRENCH_PASSWORD_LIST, "rt", encoding="utf-8") as lines:
        french = [line.strip() for line in lines]
    assert len(french) == 20_000 and french[:3] == ["123456", "123456789", "azerty"]
    readme = (FRENCH_PASSWORD_LIST.parent / "README.md").read_text(encoding="utf-8")
    assert "https://github.com/tarraschk/richelieu" in readme and "CC BY 4.0" in readme
    assert "04c9b968ea53c96f07398eeca2b81e004bf41f3e" in readme
    validator = CommonPasswordValidator()
    assert {"motdepasse", "azertyuiop12", "chouchou"} <= validator.passwords  # French list
    assert {"password", "trustno1"} <= validator.passwords  # Django's list


@pytest.mark.django_db
def test_the_demo_password_passes_for_every_demo_account():
    demo.load(io.StringIO())
    for username, *_rest in demo.ACCOUNTS:
        validate_password(settings.DEMO_PASSWORD, User.objects.get(username=username))
    client = Client()
    client.post(reverse("account_login"), {"login": "gestionnaire", "password": settings.DEMO_PASSWORD})
    assert client.session.get("_auth_user_id") == str(User.objects.get(username="gestionnaire").pk)


def test_test_password_of_the_factories_passes():
    validate_password(TEST_PASSWORD, User(first_name="Sophie", last_name="Martin", username="u", email="u@example.fr"))


# --- every page that sets a password -----------------------------------------------------------


def _set_password_form(client: Client, user: User) -> str:
    """The set-password page a new account's link lands on (allauth's reset-from-key form)."""
    path = services.set_password_url(user).replace(settings.SITE_URL, "")
    response = client.get(path, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0] if response.redirect_chain else path


@pytest.mark.django_db
def test_the_set_password_page_of_a_new_account_refuses_weak_passwords(paul):
    paul.set_unusable_password()
    paul.save()
    client = Client()
    form_url = _set_password_form(client, paul)
    for password, message in WEAK.items():
        response = client.post(form_url, {"password1": password, "password2": password})
        assert response.status_code == 200, password
        assert message in _errors(response), password
    paul.refresh_from_db()
    assert not paul.has_usable_password()
    assert client.post(form_url, {"password1": PASSPHRASE, "password2": PASSPHRASE}).status_code == 302
    paul.refresh_from_db()
    assert paul.check_password(PASSPHRASE)


@pytest.mark.django_db
def test_the_password_change_page_refuses_weak_passwords(client_for, paul):
    client = client_for(paul)
    for password, message in WEAK.items():
        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": TEST_PASSWORD, "password1": password, "password2": password},
        )
        assert response.status_code == 200, password
        assert message in _errors(response), password
    paul.refresh_from_db()
    assert paul.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_the_admin_password_page_refuses_weak_passwords(client_for, paul):
    client = client_for(StaffFactory(username="bdvo-admin", is_superuser=True))
    url = reverse("admin:auth_user_password_change", args=[paul.pk])
    for password, message in WEAK.items():
        response = client.post(url, {"password1": password, "password2": password, "usable_password": "true"})
        assert response.status_code == 200, password
        assert message in _errors(response), password
    paul.refresh_from_db()
    assert paul.check_password(TEST_PASSWORD)
    response = client.post(url, {"password1": PASSPHRASE, "password2": PASSPHRASE, "usable_password": "true"})
    assert response.status_code == 302
    paul.refresh_from_db()
    assert paul.check_password(PASSPHRASE)
