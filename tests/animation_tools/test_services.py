"""Booking workflow services: transitions, permissions, convention, override, e-mails."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from animation_tools import services
from animation_tools.models import ToolBooking
from tests.animation_tools.factories import TODAY, ToolBookingFactory, ToolFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

D = datetime.date
Status = ToolBooking.Status


@pytest.fixture
def staff(db):
    """A BDVO agent who decides on every library's bookings (group « Personnel BDVO (tout le réseau) »)."""
    from django.contrib.auth.models import Group

    from extranet.querysets import NETWORK_WIDE_GROUP

    agent = StaffFactory(username="agent-bdvo")
    agent.groups.add(Group.objects.get(name=NETWORK_WIDE_GROUP))
    return agent


LOAN = D(2026, 10, 1)
BACK = D(2026, 10, 15)


def request(tool, library, user, loan=LOAN, back=BACK, **kwargs):
    return services.booking_request(
        tool=tool, library=library, user=user, loan_date=loan, return_date=back, today=TODAY, **kwargs
    )


def test_manager_requests_a_booking_and_the_managers_are_emailed(
    tool, library, manager, viewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = request(tool, library, manager)
    assert booking.status == Status.REQUESTED
    assert booking.blocked_until == D(2026, 10, 20)
    assert booking.requested_by == manager
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [manager.email]  # Gestionnaires only, not the Consulter
    assert "demandée" in mail.outbox[0].subject
    assert "01/10/2026" in mail.outbox[0].body


def test_refused_request_raises_the_french_rule_and_creates_nothing(tool, library, manager):
    with pytest.raises(ValidationError) as error:
        request(tool, library, manager, loan=TODAY + datetime.timedelta(days=3))  # a Thursday: a round day
    assert error.value.messages[0].startswith("Délai insuffisant")
    assert not ToolBooking.objects.all_libraries().exists()


def test_viewer_and_other_library_cannot_request(tool, library, viewer, other_manager):
    for user in (viewer, other_manager):
        with pytest.raises(PermissionDenied):
            request(tool, library, user)


def test_only_staff_may_override_and_the_reason_is_recorded(tool, library, manager, staff):
    with pytest.raises(PermissionDenied):
        request(tool, library, manager, loan=TODAY + datetime.timedelta(days=2), override_reason="Urgence")
    booking = request(
        tool, library, staff, loan=TODAY + datetime.timedelta(days=2), override_reason="Salon du livre avancé"
    )
    assert booking.rules_overridden and booking.overridden_by == staff
    assert booking.override_reason == "Salon du livre avancé"


def test_full_workflow_emails_each_status_change(tool, library, manager, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = request(tool, library, manager)
        booking = services.booking_validate(booking=booking, user=staff)
        booking = services.booking_mark_out(booking=booking, user=staff)
        booking = services.booking_mark_returned(booking=booking, user=staff)
        booking = services.booking_mark_checked(booking=booking, user=staff)
    assert booking.status == Status.CHECKED
    subjects = [message.subject for message in mail.outbox]
    assert [s.rsplit(" ", 1)[-1] for s in subjects[:2]] == ["demandée", "validée"]
    assert "sortie (en prêt)" in subjects[2] and "retournée" in subjects[3] and "vérifiée" in subjects[4]


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.VALIDATED, "booking_validate"),
        (Status.OUT, "booking_validate"),
        (Status.REQUESTED, "booking_mark_out"),
        (Status.VALIDATED, "booking_mark_returned"),
        (Status.OUT, "booking_mark_checked"),
        (Status.CANCELLED, "booking_mark_out"),
    ],
)
def test_transitions_out_of_order_are_refused(tool, library, staff, status, action):
    booking = ToolBookingFactory(tool=tool, library=library, status=status)
    with pytest.raises(ValidationError) as error:
        getattr(services, action)(booking=booking, user=staff)
    assert error.value.messages[0].startswith("Changement impossible")
    booking.refresh_from_db()
    assert booking.status == status


def test_refusal_needs_a_reason_and_sends_it(tool, library, manager, staff, django_capture_on_commit_callbacks):
    booking = ToolBookingFactory(tool=tool, library=library, status=Status.REQUESTED)
    with pytest.raises(ValidationError):
        services.booking_refuse(booking=booking, user=staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_refuse(booking=booking, user=staff, reason="Outil en réparation")
    assert booking.status == Status.REFUSED
    assert "Motif du refus : Outil en réparation" in mail.outbox[0].body


def test_partners_cannot_take_staff_decisions(tool, library, manager):
    booking = ToolBookingFactory(tool=tool, library=library, status=Status.REQUESTED)
    with pytest.raises(PermissionDenied):
        services.booking_validate(booking=booking, user=manager)


@pytest.mark.parametrize("status", [Status.REQUESTED, Status.VALIDATED])
def test_library_cancels_while_not_out(tool, library, manager, status):
    booking = ToolBookingFactory(tool=tool, library=library, status=status)
    assert services.booking_cancel(booking=booking, user=manager).status == Status.CANCELLED


@pytest.mark.parametrize("status", [Status.OUT, Status.RETURNED, Status.CHECKED])
def test_library_cannot_cancel_once_out(tool, library, manager, status):
    booking = ToolBookingFactory(tool=tool, library=library, status=status)
    with pytest.raises(ValidationError) as error:
        services.booking_cancel(booking=booking, user=manager)
    assert error.value.messages[0].startswith("Annulation impossible")


def test_viewer_and_other_library_cannot_cancel(tool, library, viewer, other_manager):
    booking = ToolBookingFactory(tool=tool, library=library, status=Status.REQUESTED)
    for user in (viewer, other_manager):
        with pytest.raises(PermissionDenied):
            services.booking_cancel(booking=booking, user=user)


def test_a_booking_needing_a_convention_cannot_go_out_without_it(library, manager, staff):
    tool = ToolFactory(value=Decimal("7000"))
    booking = request(tool, library, manager, loan=D(2026, 10, 7), back=D(2026, 10, 20))
    assert booking.convention_required
    booking = services.booking_validate(booking=booking, user=staff)
    with pytest.raises(ValidationError) as error:
        services.booking_mark_out(booking=booking, user=staff)
    assert error.value.messages[0].startswith("Convention manquante")
    services.booking_record_convention(booking=booking, user=staff, returned_on=D(2026, 9, 20))
    assert services.booking_mark_out(booking=booking, user=staff).status == Status.OUT


def test_recording_a_convention_where_none_is_needed_is_refused(tool, library, staff):
    booking = ToolBookingFactory(tool=tool, library=library)
    with pytest.raises(ValidationError):
        services.booking_record_convention(booking=booking, user=staff, returned_on=TODAY)


def test_override_can_waive_the_convention_with_a_recorded_reason(library, staff):
    booking = ToolBookingFactory(tool=ToolFactory(value=Decimal("7000")), library=library, convention_required=True)
    with pytest.raises(ValidationError):
        services.booking_override(booking=booking, user=staff, reason="", waive_convention=True)
    booking = services.booking_override(
        booking=booking, user=staff, reason="Convention annuelle déjà signée", waive_convention=True
    )
    assert booking.rules_overridden and not booking.convention_required
    assert booking.overridden_by == staff
    assert services.booking_mark_out(booking=booking, user=staff).status == Status.OUT


def test_second_request_on_the_same_dates_gets_the_overlap_refusal(
    tool, library, other_library, manager, other_manager
):
    request(tool, library, manager)
    with pytest.raises(ValidationError) as error:
        request(tool, other_library, other_manager, loan=D(2026, 10, 12), back=D(2026, 10, 26))
    assert error.value.messages[0].startswith("Outil déjà réservé")
    assert ToolBooking.objects.all_libraries().count() == 1


def test_a_partner_request_tells_the_territory_referents(
    tool, library, manager, referent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = request(tool, library, manager)
    to_referent = [message for message in mail.outbox if message.to == [referent.email]]
    assert len(to_referent) == 1
    assert "à valider" in to_referent[0].subject
    assert f"/admin/animation_tools/toolbooking/{booking.pk}/change/" in to_referent[0].body


# --- territory referents (issue 15): decisions on their territories' bookings only ----------


@pytest.mark.parametrize(
    ("service", "extra"),
    [
        ("booking_validate", {}),
        ("booking_refuse", {"reason": "Outil en réparation"}),
        ("booking_override", {"reason": "Salon du livre"}),
        ("booking_record_convention", {"returned_on": TODAY}),
    ],
)
def test_a_referent_of_another_territory_decides_nothing(tool, referent, other_library, service, extra):
    booking = ToolBookingFactory(tool=tool, library=other_library, status=Status.REQUESTED, convention_required=True)
    with pytest.raises(PermissionDenied, match="n'est pas dans vos territoires"):
        getattr(services, service)(booking=booking, user=referent, **extra)
    booking.refresh_from_db()
    assert (booking.status, booking.rules_overridden, booking.convention_returned_on) == (Status.REQUESTED, False, None)


def test_a_referent_of_another_territory_cannot_book_for_a_library(tool, referent, other_library):
    with pytest.raises(PermissionDenied, match="n'est pas dans vos territoires"):
        request(tool, other_library, referent, override_reason="Demande par téléphone")
    assert not ToolBooking.objects.all_libraries().exists()


def test_the_referent_of_the_territory_decides(tool, referent, library):
    booking = ToolBookingFactory(tool=tool, library=library, status=Status.REQUESTED)
    assert services.booking_validate(booking=booking, user=referent).status == Status.VALIDATED
