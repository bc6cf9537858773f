"""Admin of the bookings: filters, bulk actions through the services, rules verdict, override."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from animation_tools.models import ToolBooking
from tests.animation_tools.factories import ToolBookingFactory, ToolFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
Status = ToolBooking.Status
CHANGELIST = reverse("admin:animation_tools_toolbooking_changelist")


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_changelist_filters_and_constant_queries(client_for, admin_user, library, django_assert_max_num_queries):
    client = client_for(admin_user)
    ToolBookingFactory.create_batch(2, library=library)
    with django_assert_max_num_queries(30) as few:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    body = response.content.decode()
    for title in ("statut", "convention nécessaire", "territoire", "date de prêt", "type"):
        assert f"Par {title}" in body or title in body
    ToolBookingFactory.create_batch(15, library=library)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(CHANGELIST)
    assert client.get(CHANGELIST, {"status": "validated", "territory": library.territory.pk}).status_code == 200


def test_bulk_validate_emails_each_library(client_for, admin_user, manager, django_capture_on_commit_callbacks):
    bookings = ToolBookingFactory.create_batch(2, library=manager.library, status=Status.REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            CHANGELIST, {"action": "validate", ACTION_CHECKBOX_NAME: [b.pk for b in bookings]}
        )
    assert response.status_code == 302
    assert set(ToolBooking.objects.all_libraries().values_list("status", flat=True)) == {Status.VALIDATED}
    assert len(mail.outbox) == 2


def test_bulk_refuse_asks_for_a_reason_first(client_for, admin_user, manager, django_capture_on_commit_callbacks):
    booking = ToolBookingFactory(library=manager.library, status=Status.REQUESTED)
    client = client_for(admin_user)
    page = client.post(CHANGELIST, {"action": "refuse", ACTION_CHECKBOX_NAME: [booking.pk]})
    assert page.status_code == 200 and "Motif du refus" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CHANGELIST,
            {"action": "refuse", ACTION_CHECKBOX_NAME: [booking.pk], "apply": "1", "reason": "Outil en réparation"},
        )
    booking.refresh_from_db()
    assert (booking.status, booking.refusal_reason) == (Status.REFUSED, "Outil en réparation")
    assert "Outil en réparation" in mail.outbox[0].body


def test_mark_out_without_the_signed_convention_is_refused_in_french(client_for, admin_user, library):
    booking = ToolBookingFactory(library=library, tool=ToolFactory(value=Decimal("7000")), convention_required=True)
    response = client_for(admin_user).post(
        CHANGELIST, {"action": "mark_out", ACTION_CHECKBOX_NAME: [booking.pk]}, follow=True
    )
    assert "Convention manquante" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.VALIDATED


def test_record_convention_then_mark_out(client_for, admin_user, library):
    booking = ToolBookingFactory(library=library, convention_required=True)
    client = client_for(admin_user)
    client.post(
        CHANGELIST,
        {"action": "record_convention", ACTION_CHECKBOX_NAME: [booking.pk], "apply": "1", "returned_on": "2026-09-20"},
    )
    client.post(CHANGELIST, {"action": "mark_out", ACTION_CHECKBOX_NAME: [booking.pk]})
    booking.refresh_from_db()
    assert booking.convention_returned_on == datetime.date(2026, 9, 20)
    assert booking.status == Status.OUT


def test_override_action_records_reason_and_staff(client_for, admin_user, library):
    booking = ToolBookingFactory(library=library, convention_required=True)
    client_for(admin_user).post(
        CHANGELIST,
        {
            "action": "override",
            ACTION_CHECKBOX_NAME: [booking.pk],
            "apply": "1",
            "reason": "Convention annuelle",
            "waive_convention": "on",
        },
    )
    booking.refresh_from_db()
    assert booking.rules_overridden and booking.overridden_by == admin_user and not booking.convention_required


def test_change_page_shows_the_rules_verdict_and_convention_link(client_for, admin_user, library, other_library):
    booking = ToolBookingFactory(
        library=library, loan_date=in_days(20), return_date=in_days(30), convention_required=True
    )
    body = (
        client_for(admin_user)
        .get(reverse("admin:animation_tools_toolbooking_change", args=[booking.pk]))
        .content.decode()
    )
    assert "Conforme aux règles" in body
    assert reverse("animation_tools:staff_booking_convention", args=[booking.pk]) in body


def test_staff_adds_a_booking_with_an_override_reason(client_for, admin_user, library, tool):
    client = client_for(admin_user)
    url = reverse("admin:animation_tools_toolbooking_add")
    data = {
        "tool": tool.pk,
        "library": library.pk,
        "loan_date": in_days(2).isoformat(),
        "return_date": in_days(9).isoformat(),
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Délai insuffisant" in refused.content.decode()
    response = client.post(url, {**data, "override_reason": "Festival du conte avancé"})
    assert response.status_code == 302
    booking = ToolBooking.objects.all_libraries().get()
    assert booking.rules_overridden and booking.override_reason == "Festival du conte avancé"
    assert booking.requested_by == admin_user


def test_referent_sees_only_the_bookings_of_their_territories(client_for, referent, library, other_library):
    mine = ToolBookingFactory(library=library, tool=ToolFactory(name="Tapis de Marines"))
    ToolBookingFactory(library=other_library, tool=ToolFactory(name="Pack de Goussainville"))
    referent.is_superuser = True
    referent.save()
    assert "Pack de Goussainville" in client_for(referent).get(CHANGELIST).content.decode()
    other_referent = StaffFactory(is_superuser=False)
    other_library.territory.referents.add(other_referent)
    from django.contrib.auth.models import Permission

    other_referent.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_toolbooking", "change_toolbooking"])
    )
    body = client_for(other_referent).get(CHANGELIST).content.decode()
    assert "Pack de Goussainville" in body and mine.tool.name not in body
