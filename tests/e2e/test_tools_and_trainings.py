"""Journeys 5 and 7 of DESIGN.md in a real browser: pre-book an animation tool through
« Ouvrir le calendrier » (a refusal by the rules, then a valid booking; by mouse, keyboard
and without JavaScript), register to a training and send a first-time request."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from animation_tools.models import ToolBooking
from extranet import navette
from tests.animation_tools.factories import ToolFactory, ToolTypeFactory
from tests.e2e.conftest import label
from tests.factories import next_weekday
from tests.trainings.factories import TrainingFactory, TrainingSessionFactory
from trainings.models import Registration, TraineeRequest

pytestmark = pytest.mark.browser
JS_AND_NOJS = pytest.mark.parametrize("any_page", ["js", "nojs"], indirect=True)


@pytest.fixture
def kamishibai(transactional_db):
    tool_type = ToolTypeFactory(name="Kamishibaïs", slug="kamishibais")
    return ToolFactory(type=tool_type, name="Kamishibaï « Les trois petits cochons »", slug="kamishibai-cochons")


def _next_month_day(day: int) -> datetime.date:
    first_of_next = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first_of_next.replace(day=day)


def _open_calendar(page, url, tool) -> None:
    page.goto(url("/outils-animation/"))
    section = page.get_by_role("region", name="Pré-réservez un outil d'animation")
    section.get_by_role("link", name="Tout voir : Kamishibaïs").click()
    page.get_by_role("link", name=tool.name).click()
    page.get_by_role("link", name="Réserver").click()
    page.get_by_role("link", name="Ouvrir le calendrier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Calendrier : {tool.name}")


def _expect_booked(page, tool) -> None:
    expect(page.get_by_role("status")).to_contain_text(
        f"Votre demande de pré-réservation de « {tool.name} » a bien été enregistrée"
    )
    expect(page.get_by_role("table")).to_contain_text(tool.name)


@JS_AND_NOJS
def test_rule_refusal_then_valid_booking_by_typing_the_dates(any_page, url, log_in, manager, kamishibai):
    page = any_page
    log_in(page, manager)
    _open_calendar(page, url, kamishibai)
    today = timezone.localdate()
    page.get_by_label(label("Date de prêt (départ de la BDVO)")).fill((today + datetime.timedelta(days=2)).isoformat())
    page.get_by_label(label("Date de retour")).fill((today + datetime.timedelta(days=9)).isoformat())
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_role("alert")).to_contain_text("Délai insuffisant")
    assert not ToolBooking.objects.all_libraries().exists()

    loan = next_weekday(today + datetime.timedelta(days=30))  # the library has a round every weekday
    page.get_by_label(label("Date de prêt (départ de la BDVO)")).fill(loan.isoformat())
    page.get_by_label(label("Date de retour")).fill(next_weekday(today + datetime.timedelta(days=44)).isoformat())
    page.get_by_role("button", name="Réserver").click()
    _expect_booked(page, kamishibai)
    booking = ToolBooking.objects.all_libraries().get()
    assert (booking.library, booking.loan_date) == (manager.library, loan)


def test_pick_the_dates_in_the_calendar_by_keyboard(page, url, log_in, manager, kamishibai, assert_no_js_errors):
    log_in(page, manager)
    _open_calendar(page, url, kamishibai)
    page.get_by_role("link", name="Mois suivant").click()
    loan, back = next_weekday(_next_month_day(10)), next_weekday(_next_month_day(17))
    page.locator(f'td[data-date="{loan.isoformat()}"] button').focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label(label("Date de prêt (départ de la BDVO)"))).to_have_value(loan.isoformat())
    page.locator(f'td[data-date="{back.isoformat()}"] button').focus()
    page.keyboard.press("Space")
    expect(page.get_by_label(label("Date de retour"))).to_have_value(back.isoformat())
    # After the second day the focus waits on « Réserver ».
    expect(page.get_by_role("button", name="Réserver")).to_be_focused()
    page.keyboard.press("Enter")
    _expect_booked(page, kamishibai)
    assert_no_js_errors(page)


def test_reserver_dialog_opens_closes_and_gives_focus_back(page, url, kamishibai):
    page.goto(url(f"/outils-animation/{kamishibai.slug}/"))
    opener = page.get_by_role("link", name="Réserver")
    opener.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("link", name="Ouvrir le calendrier")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()


@pytest.fixture
def session(transactional_db):
    starts = timezone.now() + datetime.timedelta(days=40)
    training = TrainingFactory(title="Lire à voix haute", slug="lire-a-voix-haute")
    return TrainingSessionFactory(training=training, starts_at=starts, ends_at=starts + datetime.timedelta(hours=6))


@JS_AND_NOJS
def test_register_to_a_training(any_page, url, log_in, viewer, session):
    page = any_page
    log_in(page, viewer)
    page.goto(url("/formations/"))
    upcoming = page.get_by_role("region", name="Prochaines formations et inscriptions")
    upcoming.get_by_role("link", name="S'inscrire").first.click()
    page.get_by_role("button", name="Confirmer l'inscription").click()
    expect(page.get_by_role("status")).to_contain_text("Votre inscription est confirmée")
    assert Registration.objects.all_libraries().get().user == viewer


@JS_AND_NOJS
def test_first_time_request_without_an_account(any_page, url, library, referent, session, settings):
    settings.TRAINEE_REQUEST_MIN_FILL_SECONDS = 1  # the 2 s wait below keeps a margin on a loaded machine
    page = any_page
    page.goto(url("/formations/"))
    page.get_by_role("link", name="Faire une première inscription").first.click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Indiquez votre nom.")).to_be_visible()
    page.wait_for_load_state("load")  # its stylesheets applied (the text can show before them)
    trap = page.locator(".form-trap").bounding_box()  # the honeypot: out of sight
    assert trap is not None and trap["x"] + trap["width"] <= 0
    page.get_by_label(label("Nom")).fill("Leroy")
    page.get_by_label(label("Prénom")).fill("Martine")
    page.get_by_label(label("Adresse postale")).fill("5 rue de la Mairie\n95450 Vigny")
    page.get_by_label(label("Adresse e-mail")).fill("martine.leroy@example.fr")
    page.get_by_label(label("Téléphone")).fill("06 12 34 56 78")
    page.get_by_label(label("Bibliothèque")).select_option(label=str(library))
    page.get_by_label("Bénévole").check()
    page.get_by_label(f"Lire à voix haute — {timezone.localtime(session.starts_at):%-d}", exact=False).check()
    page.wait_for_timeout(2000)  # a person takes a few seconds; a robot sending at once is refused
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte mail")
    request = TraineeRequest.objects.all_libraries().get()
    assert (request.email, list(request.sessions.all())) == ("martine.leroy@example.fr", [session])
    assert request.status == TraineeRequest.Status.UNCONFIRMED
    (message,) = mail.outbox  # to the person only: the referent hears of it once the address is confirmed
    assert message.to == ["martine.leroy@example.fr"]

    link = re.search(r"http://testserver(/formations/premiere-inscription/confirmer/\S+/)", message.body)[1]
    page.goto(url(link))
    page.get_by_role("button", name="Confirmer mon adresse e-mail").click()
    expect(page.get_by_role("status")).to_contain_text("votre adresse e-mail est confirmée")
    request.refresh_from_db()
    assert request.status == TraineeRequest.Status.PENDING
    assert any(referent.email in sent.to for sent in mail.outbox)


@JS_AND_NOJS
def test_a_booking_on_a_sunday_is_refused_with_the_next_possible_days(any_page, url, log_in, manager, kamishibai):
    page = any_page
    log_in(page, manager)
    _open_calendar(page, url, kamishibai)
    expect(page.get_by_text("Prochains jours de navette pour votre bibliothèque :")).to_be_visible()
    today = timezone.localdate()
    sunday = today + datetime.timedelta(days=14 + (6 - today.weekday()) % 7)
    page.get_by_label(label("Date de prêt (départ de la BDVO)")).fill(sunday.isoformat())
    page.get_by_label(label("Date de retour")).fill(next_weekday(sunday + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Réserver").click()
    following = ", ".join(navette.format_day(one.day) for one in navette.next_rounds(manager.library, sunday, 2))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        f"Le {navette.format_date(sunday)} n'est pas un jour de navette pour votre bibliothèque."
    )
    expect(alert).to_contain_text(f"Prochains jours possibles : {following}.")
    assert not ToolBooking.objects.all_libraries().exists()
