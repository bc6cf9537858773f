"""Every e-mail of the portal: text + HTML from templates, the Reply-To of its kind, absolute
links on SITE_URL, French, and the portal's name (never an empty site name)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from animation_tools import services as tool_services
from animation_tools.models import ToolBooking
from extranet import services as account_services
from extranet.mail import (
    MailKind,
    absolute_url,
    portal_site,
    render_templated_email,
    reply_to_address,
    send_templated_email,
)
from tests.animation_tools.factories import ToolBookingFactory, ToolFactory
from tests.trainings.factories import RegistrationFactory, TraineeRequestFactory, TrainingSessionFactory
from trainings import services as training_services

pytestmark = pytest.mark.django_db

SITE_URL = "https://portail.bdvo.example.fr"
SITE_NAME = "Portail des bibliothèques partenaires — BDVO"
REPLY_TO = {
    "accounts": "comptes@bdvo.example.fr",
    "tools": "outils@bdvo.example.fr",
    "trainings": "formations@bdvo.example.fr",
}


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = SITE_NAME
    settings.EMAIL_REPLY_TO = dict(REPLY_TO)


def assert_portal_email(message: EmailMultiAlternatives, *, reply_to: str) -> str:
    """The checks every e-mail must pass; returns its HTML part."""
    assert isinstance(message, EmailMultiAlternatives)
    htmls = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(htmls) == 1, "text and HTML parts"
    html = htmls[0]
    assert message.body.strip() and "<p" not in message.body
    assert html.lstrip().startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert message.reply_to == [reply_to]
    assert message.subject.startswith("[BDVO] ")
    # The portal's name, in both parts; never the empty name of a missing site (« c'est  ! »).
    assert SITE_NAME in message.body and SITE_NAME in html
    assert "  !" not in message.body and "c'est  " not in message.body
    # French, no English left over from a library's default template.
    assert "Bonjour" in message.body or "Nouvelle" in message.body
    for english in ("Hello", "Thank you", "You're receiving", "sign up"):
        assert english not in message.body and english not in html
    # Absolute links on SITE_URL only (the request's host is testserver).
    for url in re.findall(r"https?://\S+", message.body):
        assert url.startswith(SITE_URL), url
    for href in re.findall(r'href="([^"]+)"', html):
        assert href.startswith((f"{SITE_URL}/", "mailto:")), href
    assert "testserver" not in message.body and "testserver" not in html
    return html


# --- The helpers ------------------------------------------------------------------------------


def test_absolute_url_puts_paths_on_site_url(settings):
    assert absolute_url("/espace-pro/") == f"{SITE_URL}/espace-pro/"
    assert absolute_url("espace-pro/") == f"{SITE_URL}/espace-pro/"
    settings.SITE_URL = "https://portail.example.fr/bdvo/"
    assert absolute_url("/espace-pro/") == "https://portail.example.fr/bdvo/espace-pro/"
    assert absolute_url("https://ailleurs.example.fr/x") == "https://ailleurs.example.fr/x"


def test_reply_to_is_chosen_per_kind_and_defaults_to_the_bdvo_contact(settings):
    assert reply_to_address(MailKind.TRAININGS) == "formations@bdvo.example.fr"
    assert reply_to_address("tools") == "outils@bdvo.example.fr"
    settings.EMAIL_REPLY_TO = {"tools": ""}
    settings.BDVO_CONTACT_EMAIL = "contact@bdvo.example.fr"
    assert reply_to_address(MailKind.TOOLS) == "contact@bdvo.example.fr"
    assert reply_to_address(MailKind.ACCOUNTS) == "contact@bdvo.example.fr"
    with pytest.raises(ValueError):
        reply_to_address("alerts-with-a-typo")


def test_the_portal_site_is_named_by_the_settings(settings):
    settings.SITE_NAME = "Portail BDVO (recette)"
    site = portal_site()
    assert (site.name, site.domain) == ("Portail BDVO (recette)", "portail.bdvo.example.fr")


def test_send_templated_email_renders_both_parts_and_queues_after_commit(manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_templated_email(
            kind=MailKind.ACCOUNTS,
            template="extranet/emails/set_password",
            context={"user": manager, "url": absolute_url("/compte/")},
            subject="[BDVO] Essai",
            to=[manager.email, ""],
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [[manager.email]]
    assert_portal_email(mail.outbox[0], reply_to=REPLY_TO["accounts"])


def test_nothing_is_rendered_or_sent_without_a_recipient(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            kind=MailKind.TOOLS, template="does/not/exist", context={}, subject="[BDVO] Rien", to=["", ""]
        )
    assert mail.outbox == []


def test_user_text_is_escaped_in_the_html_part(library, manager):
    booking = ToolBookingFactory(library=library, tool=ToolFactory(name="Jeu <script>alert(1)</script> & co"))
    message = render_templated_email(
        kind=MailKind.TOOLS,
        template="animation_tools/emails/booking_status",
        context={"booking": booking, "extra": "Motif : <b>fragile</b>", "bookings_url": absolute_url("/x/")},
        subject="[BDVO] Essai",
    )
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    assert "&lt;b&gt;fragile&lt;/b&gt;" in message.html
    assert "Jeu <script>alert(1)</script> & co" in message.text  # the text part is plain text


# --- Each kind of e-mail ------------------------------------------------------------------------


def test_set_password_email(library, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account_services.user_create(
            library=library, first_name="Inès", last_name="Moreau", email="ines.moreau@example.fr", profile="viewer"
        )
    html = assert_portal_email(mail.outbox[0], reply_to=REPLY_TO["accounts"])
    assert f"{SITE_URL}/compte/password/reset/key/" in mail.outbox[0].body
    assert f'href="{SITE_URL}/compte/password/reset/key/' in html
    assert "Choisir mon mot de passe" in html


def test_booking_status_email_and_referents_email(library, manager, referent, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        tool_services.booking_request(
            tool=ToolFactory(),
            library=library,
            user=manager,
            loan_date=today + datetime.timedelta(days=20),
            return_date=today + datetime.timedelta(days=30),
        )
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    to_library = by_recipient[(manager.email,)]
    assert_portal_email(to_library, reply_to=REPLY_TO["tools"])
    assert f"{SITE_URL}/espace-pro/outils-animation/" in to_library.body
    to_referent = by_recipient[(referent.email,)]
    # Staff replying to a request write to the person who made it.
    html = assert_portal_email(to_referent, reply_to=manager.email)
    assert f"{SITE_URL}/admin/animation_tools/toolbooking/" in to_referent.body
    assert "Examiner la pré-réservation" in html


def test_return_reminder_email(library, manager, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    ToolBookingFactory(
        library=library,
        loan_date=today - datetime.timedelta(days=5),
        return_date=today + datetime.timedelta(days=1),
        status=ToolBooking.Status.OUT,
    )
    with django_capture_on_commit_callbacks(execute=True):
        tool_services.booking_send_return_reminders()
    assert_portal_email(mail.outbox[0], reply_to=REPLY_TO["tools"])


def test_registration_email_keeps_its_invitation(viewer, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        training_services.registration_create(session=session, user=viewer)
    message = mail.outbox[0]
    html = assert_portal_email(message, reply_to=REPLY_TO["trainings"])
    assert [attachment[0] for attachment in message.attachments] == ["formation.ics"]
    assert f"{SITE_URL}/espace-pro/formations/" in message.body
    assert f"{SITE_URL}{session.training.get_absolute_url()}" in message.body
    assert session.training.title in html
    ends = timezone.localtime(session.ends_at).strftime("%Hh%M")
    assert ends in message.body and ends in html  # the session's times, in both parts


def test_trainee_request_emails(library, referent, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        trainee_request = training_services.trainee_request_create(
            last_name="Leroy",
            first_name="Martine",
            postal_address="5 rue de la Mairie, 95450 Vigny",
            email="martine.leroy@example.fr",
            phone="06 12 34 56 78",
            employment_status="volunteer",
            sessions=[session],
            library=library,
        )
    to_staff = next(message for message in mail.outbox if referent.email in message.to)
    assert_portal_email(to_staff, reply_to="martine.leroy@example.fr")
    assert f"{SITE_URL}/admin/trainings/traineerequest/{trainee_request.pk}/" in to_staff.body
    received = next(message for message in mail.outbox if message.to == ["martine.leroy@example.fr"])
    assert_portal_email(received, reply_to=REPLY_TO["trainings"])
    assert "bien reçue" in received.body


def test_trainee_request_declined_email(referent, library, django_capture_on_commit_callbacks):
    trainee_request = TraineeRequestFactory(library=library, sessions=[TrainingSessionFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        training_services.trainee_request_decline(
            trainee_request=trainee_request, by=referent, reason="Formation réservée aux salarié·es."
        )
    message = mail.outbox[0]
    html = assert_portal_email(message, reply_to=REPLY_TO["trainings"])
    assert "Formation réservée aux salarié·es." in message.body and "Formation réservée aux salarié·es." in html
    assert "écrivez à formations@bdvo.example.fr" in message.body


def test_session_reminder_email(viewer, django_capture_on_commit_callbacks):
    starts_at = timezone.now() + datetime.timedelta(days=4)
    session = TrainingSessionFactory(starts_at=starts_at, registration_deadline=starts_at.date())
    RegistrationFactory(session=session, user=viewer, created_at=timezone.now() - datetime.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        training_services.registration_send_session_reminders()
    assert_portal_email(mail.outbox[0], reply_to=REPLY_TO["trainings"])


# --- django-allauth's account e-mails -------------------------------------------------------------


def test_password_reset_email_is_the_portals(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": manager.email})
    message = mail.outbox[0]
    html = assert_portal_email(message, reply_to=REPLY_TO["accounts"])
    assert message.subject == "[BDVO] E-mail de réinitialisation de mot de passe"
    assert "réinitialisation de mot de passe" in message.body
    link = re.search(rf"{re.escape(SITE_URL)}(/compte/password/reset/key/\S+)", message.body).group(1)
    assert f'href="{SITE_URL}{link}"' in html
    # The link, taken on the portal's own host, lets the person choose a password.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    new_password = "Nouveau-mot-de-passe-2026"
    response = client.post(response.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    manager.refresh_from_db()
    assert manager.check_password(new_password)


def test_unknown_account_email_offers_no_sign_up(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "personne@example.fr"})
    message = mail.outbox[0]
    html = assert_portal_email(message, reply_to=REPLY_TO["accounts"])
    assert "personne@example.fr" in message.body and "personne@example.fr" in html
    assert "/compte/signup/" not in message.body and "/compte/signup/" not in html
    assert "Il n'y a pas d'inscription en ligne" in message.body


def test_an_allauth_message_without_its_own_html_gets_the_layout(manager, rf, django_capture_on_commit_callbacks):
    """Any other allauth e-mail (here: « password changed ») still leaves as text + HTML."""
    from allauth.account.adapter import get_adapter
    from allauth.core import context

    request = rf.get("/")
    request.user = manager
    with context.request_context(request), django_capture_on_commit_callbacks(execute=True):
        get_adapter(request).send_mail(
            "account/email/password_changed",
            manager.email,
            {"user": manager, "ip": "192.0.2.1", "user_agent": "Firefox", "timestamp": timezone.now()},
        )
    message = mail.outbox[0]
    html = assert_portal_email(message, reply_to=REPLY_TO["accounts"])
    assert "192.0.2.1" in message.body and "192.0.2.1" in html
