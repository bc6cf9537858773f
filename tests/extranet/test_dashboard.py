"""Dashboard of the espace professionnel: the library's own figures, each linking to its list."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from animation_tools.models import ToolBooking
from catalogue.models import Reservation
from tests.animation_tools.factories import ToolBookingFactory
from tests.factories import LoanFactory, ReservationFactory
from tests.trainings.factories import RegistrationFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=20)  # the tool factory's own dates are fixed in the past


def _activity(library, other_library, manager, other_manager, *, extra: int = 0) -> None:
    """A's activity (plus ``extra`` more of each) and some of B's, which A must never count."""
    LoanFactory.create_batch(2 + extra, library=library)
    LoanFactory(
        library=library, loaned_on=TODAY - datetime.timedelta(days=200), due_on=TODAY - datetime.timedelta(days=80)
    )
    LoanFactory(library=library, returned_on=TODAY)
    ReservationFactory.create_batch(1 + extra, library=library)
    ReservationFactory(library=library, status=Reservation.Status.SET_ASIDE)
    ReservationFactory(library=library, status=Reservation.Status.CANCELLED)
    ToolBookingFactory.create_batch(1 + extra, library=library, loan_date=SOON)
    ToolBookingFactory(library=library, loan_date=SOON, status=ToolBooking.Status.CANCELLED)
    ToolBookingFactory(library=library, loan_date=TODAY - datetime.timedelta(days=60))  # over
    for _ in range(1 + extra):
        RegistrationFactory(user=manager, session=TrainingSessionFactory())
    LoanFactory.create_batch(4, library=other_library)
    ReservationFactory.create_batch(3, library=other_library)
    ToolBookingFactory.create_batch(2, library=other_library, loan_date=SOON)
    RegistrationFactory(user=other_manager)


def test_dashboard_counts_only_the_librarys_activity(client_for, library, other_library, manager, other_manager):
    _activity(library, other_library, manager, other_manager)
    response = client_for(manager).get(reverse("extranet:dashboard"))
    assert response.status_code == 200
    context = response.context
    figures = {
        key: context[key]
        for key in (
            "loans_in_progress",
            "overdue_loans",
            "active_reservations",
            "set_aside_reservations",
            "pending_reservations",
            "upcoming_tool_bookings",
            "upcoming_registrations",
        )
    }
    assert figures == {
        "loans_in_progress": 3,
        "overdue_loans": 1,
        "active_reservations": 2,
        "set_aside_reservations": 1,
        "pending_reservations": 1,
        "upcoming_tool_bookings": 1,
        "upcoming_registrations": 1,
    }
    html = response.content.decode()
    assert "dont 1 à rendre depuis la date prévue" in html
    assert "dont 1 mise de côté pour la navette" in html
    assert "1 en attente d'un exemplaire" in html
    assert reverse("animation_tools:library_bookings") in html
    assert reverse("trainings:my_registrations") in html


def test_the_other_library_sees_its_own_figures(client_for, library, other_library, manager, other_manager):
    _activity(library, other_library, manager, other_manager)
    context = client_for(other_manager).get(reverse("extranet:dashboard")).context
    assert (context["loans_in_progress"], context["active_reservations"], context["upcoming_tool_bookings"]) == (
        4,
        3,
        2,
    )
    assert context["library"] == other_library


def test_consulter_sees_the_dashboard_too(client_for, viewer):
    assert client_for(viewer).get(reverse("extranet:dashboard")).status_code == 200


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("extranet:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_queries_do_not_grow_with_activity(client_for, library, other_library, manager, other_manager):
    client = client_for(manager)
    client.get(reverse("extranet:dashboard"))  # the header's predefined searches are cached from then on
    _activity(library, other_library, manager, other_manager)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("extranet:dashboard"))
    _activity(library, other_library, manager, other_manager, extra=5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("extranet:dashboard"))
    assert response.context["loans_in_progress"] == 3 + 8
    assert len(large.captured_queries) == len(small.captured_queries)
