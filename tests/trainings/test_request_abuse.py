"""Attacks on the anonymous « Première inscription » form (issue 15, item 3).

Before: 20 submissions in 2 seconds were all accepted (20 requests in the referents' queue,
40 e-mails), and the acknowledgement sent to any typed address carried the sender's text.
Each test below plays one attack and states what the portal must do instead.
"""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.trainings.factories import TraineeRequestFactory, TrainingSessionFactory
from trainings import services
from trainings.forms import fill_token
from trainings.models import TraineeRequest

pytestmark = pytest.mark.django_db

FORM_URL = "/formations/premiere-inscription/"
ZORGLUB = "<script>Zorglub</script>"
RATE_LIMITED = "Trop de demandes ont été envoyées depuis votre connexion ou pour cette adresse e-mail"
NEUTRAL = "Votre demande n'a pas pu être envoyée"


def _form_data(session, library, *, email="martine.leroy@example.fr", served_seconds_ago=30.0, **overrides):
    data = {
        "form_started": fill_token(time.time() - served_seconds_ago),
        "website": "",
        "last_name": "Leroy",
        "first_name": "Martine",
        "postal_address": "5 rue de la Mairie\n95450 Vigny",
        "email": email,
        "phone": "06 12 34 56 78",
        "library": library.pk,
        "structure_name": "",
        "employment_status": "volunteer",
        "sessions": [session.pk],
    }
    data.update(overrides)
    return data


def _text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _link(message) -> str:
    return re.search(r"http://testserver(/formations/premiere-inscription/confirmer/[^/\s]+/)", message.body)[1]


@pytest.fixture
def session(db):
    return TrainingSessionFactory(training__title="Lire à voix haute aux tout-petits")


def _staff_messages(referent, settings):
    staff = {referent.email, *settings.TRAININGS_STAFF_EMAILS}
    return [message for message in mail.outbox if staff & set(message.to)]


# --- Flooding --------------------------------------------------------------------------------


def test_twenty_rapid_submissions_from_one_address_are_held_to_the_limit(
    client, library, referent, session, settings, django_capture_on_commit_callbacks
):
    settings.TRAINEE_REQUESTS_PER_ADDRESS_PER_HOUR = 5
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(20):
            response = client.post(
                FORM_URL, _form_data(session, library, email=f"victime{number}@example.fr", last_name=f"Nom{number}")
            )
            statuses.append(response.status_code)
    assert statuses == [302] * 5 + [429] * 15
    assert RATE_LIMITED in _text(response)
    assert 'value="Nom19"' in _text(response) and "victime19@example.fr" in _text(response)  # nothing lost
    assert TraineeRequest.objects.all_libraries().count() == 5
    assert set(TraineeRequest.objects.all_libraries().values_list("status", flat=True)) == {"unconfirmed"}
    assert len(mail.outbox) == 5  # one link per accepted request, nothing for the rest
    assert _staff_messages(referent, settings) == []  # nobody confirmed: nothing reaches the referents


def test_one_email_address_is_held_to_its_daily_limit_from_any_address(
    client, library, referent, session, settings, django_capture_on_commit_callbacks
):
    settings.TRAINEE_REQUESTS_PER_EMAIL_PER_DAY = 3
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(10):
            response = client.post(
                FORM_URL,
                _form_data(session, library, email="Victime@Example.fr " if number % 2 else "victime@example.fr"),
                REMOTE_ADDR=f"198.51.100.{number + 1}",
            )
            statuses.append(response.status_code)
    assert statuses == [302] * 3 + [429] * 7
    assert RATE_LIMITED in _text(response)
    assert len(mail.outbox) == 3 and TraineeRequest.objects.all_libraries().count() == 3


def test_a_forged_forwarded_header_does_not_escape_the_address_limit(
    client, library, session, settings, django_capture_on_commit_callbacks
):
    """Without a trusted proxy, X-Forwarded-For is the sender's own text: it changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 0
    settings.TRAINEE_REQUESTS_PER_ADDRESS_PER_HOUR = 2
    statuses = [
        client.post(
            FORM_URL,
            _form_data(session, library, email=f"v{number}@example.fr"),
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        ).status_code
        for number in range(5)
    ]
    assert statuses == [302, 302, 429, 429, 429]


def test_behind_the_trusted_proxy_each_client_has_its_own_limit(client, library, session, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRAINEE_REQUESTS_PER_ADDRESS_PER_HOUR = 1

    def post(forwarded: str, email: str) -> int:
        data = _form_data(session, library, email=email)
        return client.post(FORM_URL, data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert post("198.51.100.1", "a@example.fr") == 302
    assert post("198.51.100.2", "b@example.fr") == 302  # a colleague behind the same proxy
    # The client's own part of the header (left of what the proxy wrote) does not reset its count.
    assert post("192.0.2.99, 198.51.100.1", "c@example.fr") == 429


def test_refused_forms_are_not_counted(client, library, session, settings):
    """Typing mistakes do not use up a person's quota: only requests that would be recorded count."""
    settings.TRAINEE_REQUESTS_PER_ADDRESS_PER_HOUR = 1
    for _ in range(5):
        assert client.post(FORM_URL, _form_data(session, library, phone="123")).status_code == 200
    assert client.post(FORM_URL, _form_data(session, library)).status_code == 302


# --- Robots ------------------------------------------------------------------------------------


def test_a_robot_filling_the_honeypot_is_refused_neutrally_and_nothing_is_sent(
    client, library, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM_URL, _form_data(session, library, website="https://casino.example"))
    assert response.status_code == 200
    page = _text(response)
    assert NEUTRAL in page
    assert not TraineeRequest.objects.all_libraries().exists() and mail.outbox == []
    # A person whose browser filled it still has everything typed, and the trap emptied.
    assert 'value="Leroy"' in page and "casino.example" not in page


def test_the_honeypot_is_hidden_from_people_keyboards_and_screen_readers(client, session):
    page = client.get(FORM_URL).content.decode()
    trap = re.search(r'<div class="form-trap" aria-hidden="true">(.*?)</div>', page, re.S)[1]
    assert "Laissez ce champ vide" in trap
    field = re.search(r"<input[^>]*name=\"website\"[^>]*>", trap)[0]
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
    assert page.count('name="website"') == 1  # not also among the visible fields


def test_a_form_sent_in_zero_seconds_is_refused_and_goes_through_once_a_person_would_have_filled_it(
    client, library, session, settings
):
    settings.TRAINEE_REQUEST_MIN_FILL_SECONDS = 3
    token = fill_token()  # served just now
    response = client.post(FORM_URL, {**_form_data(session, library), "form_started": token})
    assert response.status_code == 200 and NEUTRAL in _text(response)
    assert not TraineeRequest.objects.all_libraries().exists()
    assert f'value="{token}"' in _text(response)  # the same stamp is sent back: it only gets older
    later = fill_token(time.time() - 3.5)
    assert client.post(FORM_URL, {**_form_data(session, library), "form_started": later}).status_code == 302


def test_a_person_sending_the_empty_form_at_once_reads_only_what_to_fill_in(client, session):
    response = client.post(FORM_URL, {"form_started": fill_token()})
    assert "Indiquez votre nom." in _text(response) and NEUTRAL not in _text(response)


@pytest.mark.parametrize("stamp", ["", "0", "eyJzZXJ2ZWQiOjB9:1vX:forged", "pas-un-jeton"])
def test_a_missing_or_forged_stamp_is_refused_and_a_valid_one_is_given_back(client, library, session, stamp):
    response = client.post(FORM_URL, {**_form_data(session, library), "form_started": stamp})
    assert response.status_code == 200 and NEUTRAL in _text(response)
    assert not TraineeRequest.objects.all_libraries().exists()
    renewed = re.search(r'name="form_started" value="([^"]+)"', _text(response))[1]
    assert renewed != stamp
    # The person waits a few seconds and sends the form shown again: it goes through.
    data = {**_form_data(session, library), "form_started": renewed}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "time", lambda real=time.time: real() + 10)
        assert client.post(FORM_URL, data).status_code == 302


# --- Relaying text to any address ------------------------------------------------------------


def test_the_message_to_an_unconfirmed_address_holds_none_of_the_senders_text(
    client, library, referent, session, settings, django_capture_on_commit_callbacks
):
    typed = {
        "last_name": ZORGLUB,
        "first_name": "Achetez sur https://arnaque.example",
        "postal_address": "Gagnez 1000 € au 06 99 99 99 99",
        "phone": "06 11 22 33 44",
        "structure_name": "Zorglub Industries",
    }
    with django_capture_on_commit_callbacks(execute=True):
        data = {**_form_data(session, library, email="cible@example.fr"), **typed, "library": ""}
        response = client.post(FORM_URL, data)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["cible@example.fr"]
    html = message.alternatives[0][0]
    for part in (message.subject, message.body, html):
        for value in [*typed.values(), "Zorglub", "arnaque", "Leroy", session.training.title, session.place]:
            if value:
                assert value not in part, (value, part)
    assert "/formations/premiere-inscription/confirmer/" in message.body
    assert _staff_messages(referent, settings) == []
    # Neither do the pages the link opens, which anyone holding the message reads.
    link = _link(message)
    for page in (client.get(response["Location"]), client.get(link)):
        assert "Zorglub" not in page.content.decode() and "arnaque" not in page.content.decode()


# --- The confirmation link --------------------------------------------------------------------


def _submitted(client, library, session, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FORM_URL, _form_data(session, library))
    return _link(mail.outbox[-1])


@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link.replace("/confirmer/", "/confirmer/x"),
        lambda link: link[:-6] + "AAAAA/",
        lambda link: link.rsplit(":", 1)[0] + ":" + "A" * 27 + "/",
    ],
)
def test_a_tampered_link_is_refused_in_french_and_changes_nothing(
    client, library, referent, session, settings, django_capture_on_commit_callbacks, tamper
):
    link = tamper(_submitted(client, library, session, django_capture_on_commit_callbacks))
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert "Ce lien de confirmation n'est pas valide" in _text(response)
    assert TraineeRequest.objects.all_libraries().get().status == "unconfirmed"
    assert _staff_messages(referent, settings) == []


def test_a_link_for_another_request_id_cannot_be_forged(
    client, library, referent, session, settings, django_capture_on_commit_callbacks
):
    _submitted(client, library, session, django_capture_on_commit_callbacks)
    victim = TraineeRequestFactory(library=library, status="unconfirmed", email_confirmed_at=None)
    mine = TraineeRequest.objects.all_libraries().exclude(pk=victim.pk).get()
    _payload, rest = services.trainee_request_confirmation_token(mine).split(":", 1)
    forged = services.trainee_request_confirmation_token(victim).split(":", 1)[0] + ":" + rest
    response = client.post(reverse("trainings:trainee_request_confirm", args=[forged]))
    assert response.status_code == 400 and "n'est pas valide" in _text(response)
    victim.refresh_from_db()
    assert victim.status == "unconfirmed"


def test_an_expired_link_is_refused_in_french(
    client, library, referent, session, settings, django_capture_on_commit_callbacks
):
    settings.TRAINEE_REQUEST_CONFIRMATION_HOURS = 48
    link = _submitted(client, library, session, django_capture_on_commit_callbacks)
    TraineeRequest.objects.all_libraries().update(created_at=timezone.now() - datetime.timedelta(hours=49))
    # The row's time moved: give the link the same (the signature covers it).
    trainee_request = TraineeRequest.objects.all_libraries().get()
    link = reverse(
        "trainings:trainee_request_confirm", args=[services.trainee_request_confirmation_token(trainee_request)]
    )
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert "Ce lien de confirmation a expiré (il est valable 48 heures)" in _text(response)
    assert TraineeRequest.objects.all_libraries().get().status == "unconfirmed"
    assert _staff_messages(referent, settings) == []


def test_a_link_to_a_purged_request_says_it_no_longer_exists(
    client, library, session, django_capture_on_commit_callbacks
):
    link = _submitted(client, library, session, django_capture_on_commit_callbacks)
    TraineeRequest.objects.all_libraries().delete()
    response = client.post(link)
    assert response.status_code == 400 and "Cette demande n'existe plus" in _text(response)


def test_a_confirmed_request_reaches_the_queue_once(
    client, library, referent, session, settings, django_capture_on_commit_callbacks
):
    link = _submitted(client, library, session, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(link)
        second = client.post(link)
        third = client.get(link)
    assert "votre adresse e-mail est confirmée" in _text(first)
    assert "était déjà confirmée" in _text(second) and "était déjà confirmée" in _text(third)
    assert len(_staff_messages(referent, settings)) == 1
    trainee_request = TraineeRequest.objects.all_libraries().get()
    assert trainee_request.status == "pending"
    assert list(TraineeRequest.objects.for_referent(referent).email_confirmed()) == [trainee_request]


# --- The referents' queue ---------------------------------------------------------------------


def test_the_admin_queue_lists_confirmed_requests_and_unconfirmed_ones_on_demand(client_for, referent, library):
    confirmed = TraineeRequestFactory(library=library, last_name="Confirmée")
    unconfirmed = TraineeRequestFactory(
        library=library, last_name="Zorglub", status="unconfirmed", email_confirmed_at=None
    )
    client = client_for(referent)
    changelist = reverse("admin:trainings_traineerequest_changelist")
    assert list(client.get(changelist).context["cl"].result_list) == [confirmed]
    assert list(client.get(changelist, {"adresse": "non-confirmee"}).context["cl"].result_list) == [unconfirmed]
    assert set(client.get(changelist, {"adresse": "toutes"}).context["cl"].result_list) == {confirmed, unconfirmed}
    page = client.get(reverse("admin:trainings_traineerequest_change", args=[unconfirmed.pk])).content.decode()
    assert "Confirmer et créer le compte" not in page and "en attente de confirmation" in page
    url = reverse("admin:trainings_traineerequest_confirm", args=[unconfirmed.pk])
    response = client.post(url, {"library": library.pk})
    assert "pas encore confirmé son adresse" in _text(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == "unconfirmed" and unconfirmed.created_account is None
