"""Pages of the animation tools: catalogue, calendar, booking, the library's bookings — by profile."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from animation_tools.models import ToolBooking
from tests.animation_tools.factories import TechnicalSheetFactory, ToolBookingFactory, ToolFactory, ToolTypeFactory
from tests.factories import next_weekday

pytestmark = pytest.mark.django_db
Status = ToolBooking.Status


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def book(client, tool, loan, back):
    return client.post(
        reverse("animation_tools:tool_book", args=[tool.slug]),
        {"loan_date": loan.isoformat(), "return_date": back.isoformat()},
    )


# --- public catalogue ---------------------------------------------------------------------


def test_index_groups_tools_by_type_with_see_all_and_rules(client, django_assert_max_num_queries):
    expositions = ToolTypeFactory(name="Expositions", slug="expositions")
    for number in range(6):
        ToolFactory(type=expositions, name=f"Exposition {number}")
    ToolFactory(type=expositions, name="Exposition retirée", is_active=False)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("animation_tools:index"))
    body = response.content.decode()
    assert "Pré-réservez un outil d&#x27;animation" in body or "Pré-réservez un outil d'animation" in body
    assert "Quelques règles à suivre…" in body
    assert "Tout voir" in body and reverse("animation_tools:type_detail", args=["expositions"]) in body
    assert body.count("Exposition ") >= 4 and "Exposition 5" not in body  # four per type on the index
    assert "Exposition retirée" not in body


def test_index_query_count_does_not_grow_with_types(client, django_assert_max_num_queries):
    for number in range(8):
        tool_type = ToolTypeFactory(slug=f"type-{number}")
        ToolFactory.create_batch(3, type=tool_type)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("animation_tools:index")).status_code == 200


def test_type_list_filters_by_audience_and_availability(client, other_library):
    mats = ToolTypeFactory(slug="tapis")
    free = ToolFactory(type=mats, name="Tapis libre", audience="early_childhood")
    busy = ToolFactory(type=mats, name="Tapis pris", audience="early_childhood")
    ToolFactory(type=mats, name="Tapis ados", audience="teenagers")
    ToolBookingFactory(tool=busy, library=other_library, loan_date=in_days(20), return_date=in_days(30))
    url = reverse("animation_tools:type_detail", args=["tapis"])
    response = client.get(
        url,
        {
            "audience": "early_childhood",
            "available_from": in_days(25).isoformat(),
            "available_to": in_days(28).isoformat(),
        },
    )
    assert [tool.name for tool in response.context["tools"]] == [free.name]
    # the turnaround after the return keeps the tool unavailable
    response = client.get(url, {"available_from": in_days(31).isoformat(), "available_to": in_days(31).isoformat()})
    assert busy not in list(response.context["tools"])
    assert client.get(url).context["tools"].count() == 3


def test_tool_page_shows_facts_sheets_and_the_booking_step(client):
    tool = ToolFactory(name="Pack jeux vidéo Switch", value=Decimal("5600"), dimensions="2 caisses", crates=2)
    sheet = TechnicalSheetFactory(tool=tool, title="Fiche technique Switch")
    body = client.get(reverse("animation_tools:tool_detail", args=[tool.slug])).content.decode()
    assert "5 600,00 €" in body or "5\u00a0600,00 €" in body
    assert "convention de prêt nécessaire" in body
    assert (
        f'href="{reverse("animation_tools:sheet_download", args=[sheet.pk])}"' in body
        and "Fiche technique Switch" in body
    )
    assert reverse("animation_tools:tool_book_intro", args=[tool.slug]) in body
    assert 'data-dialog="reserver-dialog"' in body and "Ouvrir le calendrier" in body


def test_booking_step_without_javascript_opens_the_calendar(client, tool):
    body = client.get(reverse("animation_tools:tool_book_intro", args=[tool.slug])).content.decode()
    assert reverse("animation_tools:tool_calendar", args=[tool.slug]) in body


def test_inactive_tool_page_is_404(client):
    assert (
        client.get(reverse("animation_tools:tool_detail", args=[ToolFactory(is_active=False).slug])).status_code == 404
    )


# --- calendar and booking by profile ----------------------------------------------------------


def test_calendar_marks_unavailable_days_with_text_and_no_library_name(client_for, tool, viewer, other_library):
    booked = ToolBookingFactory(tool=tool, library=other_library, loan_date=in_days(40), return_date=in_days(42))
    month = booked.loan_date.strftime("%Y-%m")
    response = client_for(viewer).get(reverse("animation_tools:tool_calendar", args=[tool.slug]), {"mois": month})
    body = response.content.decode()
    assert "indisponible : déjà prêté" in body
    assert "indisponible : retour et vérification à la BDVO" in body
    assert other_library.name not in body
    assert "<caption>" in body and 'scope="col"' in body
    assert 'rel="next"' in body and 'rel="prev"' in body
    # Consulter: sees the calendar, no booking form
    assert response.context["can_book"] is False
    assert "Consulter" in body and 'name="loan_date"' not in body


def test_anonymous_sees_the_calendar_and_is_sent_to_log_in(client, tool):
    body = client.get(reverse("animation_tools:tool_calendar", args=[tool.slug])).content.decode()
    assert "Connectez-vous pour réserver" in body
    response = book(client, tool, in_days(10), in_days(20))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not ToolBooking.objects.all_libraries().exists()


def test_viewer_post_is_forbidden(client_for, tool, viewer):
    assert book(client_for(viewer), tool, in_days(10), in_days(20)).status_code == 403
    assert not ToolBooking.objects.all_libraries().exists()


def test_staff_cannot_book_from_the_partner_pages(client_for, tool, admin_user):
    assert book(client_for(admin_user), tool, in_days(10), in_days(20)).status_code == 403


def test_manager_books_and_sees_the_confirmation(client_for, tool, manager, django_capture_on_commit_callbacks):
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = book(client, tool, next_weekday(in_days(10)), next_weekday(in_days(20)))  # round days
    assert response.status_code == 302
    assert response["Location"] == reverse("animation_tools:library_bookings")
    booking = ToolBooking.objects.all_libraries().get()
    assert (booking.library, booking.status, booking.requested_by) == (manager.library, Status.REQUESTED, manager)
    page = client.get(response["Location"]).content.decode()
    assert "Votre demande de pré-réservation" in page
    assert len(mail.outbox) == 1


def test_refused_booking_shows_the_rule_and_what_to_do(client_for, tool, manager):
    response = book(client_for(manager), tool, in_days(3), in_days(10))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Délai insuffisant" in body and "contactez la BDVO pour un cas exceptionnel" in body
    assert in_days(7).strftime("%d/%m/%Y") in body
    assert not ToolBooking.objects.all_libraries().exists()


def test_invalid_dates_are_reported_on_the_form(client_for, tool, manager):
    response = client_for(manager).post(
        reverse("animation_tools:tool_book", args=[tool.slug]), {"loan_date": "demain", "return_date": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_get_on_the_booking_endpoint_is_not_allowed(client_for, tool, manager):
    assert client_for(manager).get(reverse("animation_tools:tool_book", args=[tool.slug])).status_code == 405


# --- espace professionnel -----------------------------------------------------------------------


def test_library_sees_only_its_bookings_with_status_dates_and_convention(client_for, manager, other_library):
    own = ToolBookingFactory(library=manager.library, tool=ToolFactory(name="Malle Sciences"), convention_required=True)
    ToolBookingFactory(library=other_library, tool=ToolFactory(name="Pack Switch de Goussainville"))
    response = client_for(manager).get(reverse("animation_tools:library_bookings"))
    assert list(response.context["bookings"]) == [own]
    body = response.content.decode()
    assert "Malle Sciences" in body and "Goussainville" not in body
    assert own.loan_date.strftime("%d/%m/%Y") in body
    assert "à signer et renvoyer à la BDVO" in body
    assert reverse("animation_tools:booking_convention", args=[own.pk]) in body
    assert "/outils-animation/agenda/" in body and "Copier le lien" in body


def test_library_bookings_filter_by_status_and_dates(client_for, manager):
    validated = ToolBookingFactory(
        library=manager.library, status=Status.VALIDATED, loan_date=in_days(20), return_date=in_days(25)
    )
    ToolBookingFactory(library=manager.library, status=Status.REQUESTED, loan_date=in_days(20), return_date=in_days(25))
    ToolBookingFactory(library=manager.library, status=Status.VALIDATED, loan_date=in_days(60), return_date=in_days(65))
    response = client_for(manager).get(
        reverse("animation_tools:library_bookings"), {"status": "validated", "loan_to": in_days(30).isoformat()}
    )
    assert list(response.context["bookings"]) == [validated]


def test_library_bookings_query_count_is_constant(client_for, manager, django_assert_max_num_queries):
    ToolBookingFactory.create_batch(3, library=manager.library)
    client = client_for(manager)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("animation_tools:library_bookings"))
    ToolBookingFactory.create_batch(20, library=manager.library)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("animation_tools:library_bookings"))


def test_csv_export_columns(client_for, manager, other_library):
    ToolBookingFactory(
        library=manager.library,
        tool=ToolFactory(name="Kamishibaï « Contes »"),
        status=Status.REFUSED,
        refusal_reason="En réparation",
    )
    ToolBookingFactory(library=other_library)
    response = client_for(manager).get(reverse("extranet:export", args=["tool_bookings"]))
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Outil;Type;Date de prêt;Date de retour;Statut;Convention;Motif du refus;Demandée le"
    assert len(lines) == 2
    assert lines[1].startswith("Kamishibaï « Contes »;") and ";refusée;non nécessaire;En réparation;" in lines[1]


def test_manager_cancels_a_booking_after_confirmation(client_for, manager, django_capture_on_commit_callbacks):
    booking = ToolBookingFactory(library=manager.library, status=Status.VALIDATED)
    url = reverse("animation_tools:booking_cancel", args=[booking.pk])
    client = client_for(manager)
    assert "Annuler la pré-réservation" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert "annulée" in mail.outbox[0].subject


def test_cancel_once_out_is_refused_in_french(client_for, manager):
    booking = ToolBookingFactory(library=manager.library, status=Status.OUT)
    response = client_for(manager).post(reverse("animation_tools:booking_cancel", args=[booking.pk]), follow=True)
    assert "Annulation impossible" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.OUT


def test_cancel_by_viewer_is_403_and_other_library_404(client_for, manager, viewer, other_manager):
    booking = ToolBookingFactory(library=manager.library, status=Status.REQUESTED)
    url = reverse("animation_tools:booking_cancel", args=[booking.pk])
    assert client_for(viewer).post(url).status_code == 403
    assert client_for(other_manager).post(url).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_convention_document_for_the_library_and_staff(client_for, manager, viewer, other_manager, admin_user):
    tool = ToolFactory(name="Exposition Mangas", value=Decimal("6800"))
    booking = ToolBookingFactory(library=manager.library, tool=tool, convention_required=True)
    url = reverse("animation_tools:booking_convention", args=[booking.pk])
    for user in (manager, viewer):
        body = client_for(user).get(url).content.decode()
        assert "Convention de prêt" in body and "Exposition Mangas" in body and manager.library.name in body
        assert "Pour la bibliothèque" in body and "Pour la BDVO" in body
    assert client_for(other_manager).get(url).status_code == 404
    staff_url = reverse("animation_tools:staff_booking_convention", args=[booking.pk])
    assert client_for(admin_user).get(staff_url).status_code == 200
    assert client_for(manager).get(staff_url).status_code == 403


def test_no_convention_document_when_none_is_needed(client_for, manager):
    booking = ToolBookingFactory(library=manager.library, convention_required=False)
    assert client_for(manager).get(reverse("animation_tools:booking_convention", args=[booking.pk])).status_code == 404


@pytest.mark.parametrize("name", ["library_bookings"])
def test_espace_pro_pages_send_anonymous_to_login(client, name):
    response = client.get(reverse(f"animation_tools:{name}"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("month", ["9999-12", "1-1", "2026-13", "x"])
def test_calendar_falls_back_to_the_current_month_for_unusable_months(client, tool, month):
    response = client.get(reverse("animation_tools:tool_calendar", args=[tool.slug]), {"mois": month})
    assert response.status_code == 200
    assert response.context["grid"].first_day == timezone.localdate().replace(day=1)


def test_booking_at_the_end_of_the_calendar_is_refused_in_french(client_for, manager, tool):
    response = book(client_for(manager), tool, datetime.date(9999, 12, 20), datetime.date(9999, 12, 31))
    assert response.status_code == 200
    assert "Date trop lointaine" in response.content.decode()
