"""Rule 5 under concurrency: simultaneous requests for one tool's dates give exactly one booking.

On PostgreSQL, 50 threads (each with its own database connection) post the booking form at
the same moment; the exclusion constraint lets one insert through and the others get the
French refusal, never a server error. SQLite serialises writers (``transaction_mode =
IMMEDIATE``), so there a sequential run proves the same refusal.
"""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from animation_tools.models import ToolBooking
from tests.animation_tools.factories import ToolBookingFactory, ToolFactory
from tests.factories import LibraryFactory, TerritoryFactory, UserFactory, next_weekday, weekday_rounds

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraint: PostgreSQL only")
REFUSAL = "Outil déjà réservé"


def _dates(offset: int) -> dict[str, str]:
    """The ``offset``-th round day from 20 days ahead, and a return ten days or so later (round days
    of the ``_managers``' libraries)."""
    loan = next_weekday(timezone.localdate() + datetime.timedelta(days=20))
    for _ in range(offset):
        loan = next_weekday(loan + datetime.timedelta(days=1))
    back = next_weekday(loan + datetime.timedelta(days=10))
    return {"loan_date": loan.isoformat(), "return_date": back.isoformat()}


def _managers(count: int):
    """Gestionnaires of ``count`` libraries of one territory with a navette round every weekday."""
    territory = TerritoryFactory()
    weekday_rounds(territory)
    return [UserFactory(library=LibraryFactory(territory=territory)) for _ in range(count)]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_requests_create_exactly_one_booking():
    tool = ToolFactory()
    url = reverse("animation_tools:tool_book", args=[tool.slug])
    clients = []
    for manager in _managers(50):
        client = Client()
        client.force_login(manager)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def post(index: int, client: Client) -> None:
        try:
            barrier.wait()
            response = client.post(url, _dates(index % 5))  # overlapping periods, all different starts
            with lock:
                results.append((response.status_code, response.content.decode()))
        except BaseException as error:  # reported by the assertion below
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index, client)) for index, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == 50
    assert ToolBooking.objects.all_libraries().filter(tool=tool).count() == 1
    assert sorted(status for status, _body in results) == [200] * 49 + [302]
    refused = [body for status, body in results if status == 200]
    assert all(REFUSAL in body for body in refused)


@on_postgresql
@pytest.mark.django_db
def test_database_refuses_overlapping_active_bookings_of_one_tool():
    booking = ToolBookingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ToolBookingFactory(
            tool=booking.tool,
            loan_date=booking.blocked_until,
            return_date=booking.blocked_until + datetime.timedelta(days=2),
        )
    # a cancelled booking does not hold the tool, for the database either
    ToolBookingFactory(
        tool=booking.tool,
        loan_date=booking.loan_date,
        return_date=booking.return_date,
        status=ToolBooking.Status.CANCELLED,
    )
    ToolBookingFactory(
        tool=booking.tool,
        loan_date=booking.blocked_until + datetime.timedelta(days=1),
        return_date=booking.blocked_until + datetime.timedelta(days=5),
    )


@pytest.mark.django_db
def test_successive_requests_for_the_same_dates_get_the_french_refusal():
    tool = ToolFactory()
    url = reverse("animation_tools:tool_book", args=[tool.slug])
    responses = []
    for index, manager in enumerate(_managers(5)):
        client = Client()
        client.force_login(manager)
        responses.append(client.post(url, _dates(index)))
    assert [response.status_code for response in responses] == [302, 200, 200, 200, 200]
    assert all(REFUSAL in response.content.decode() for response in responses[1:])
    assert ToolBooking.objects.all_libraries().filter(tool=tool).count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_of_one_library_for_two_tools_see_each_other_for_the_convention():
    """Rule 3 adds up a library's overlapping bookings across tools: two Gestionnaires of one
    library asking at the same moment for two tools of 2 600 € over the same period, twelve
    days ahead (enough without a convention, too soon with one), get one booking, not two
    that would together be worth 5 200 € without the convention."""
    territory = TerritoryFactory()
    weekday_rounds(territory)
    library = LibraryFactory(territory=territory)
    tools = [ToolFactory(value=Decimal("2600")) for _ in range(2)]
    clients = []
    for _ in range(10):
        client = Client()
        client.force_login(UserFactory(library=library))
        clients.append(client)
    loan = next_weekday(timezone.localdate() + datetime.timedelta(days=12))  # a round day, still short of a month
    dates = {"loan_date": loan.isoformat(), "return_date": next_weekday(loan + datetime.timedelta(days=10)).isoformat()}
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def post(index: int, client: Client) -> None:
        try:
            barrier.wait()
            response = client.post(reverse("animation_tools:tool_book", args=[tools[index % 2].slug]), dates)
            with lock:
                statuses.append(response.status_code)
        except BaseException as error:  # reported by the assertion below
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index, client)) for index, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(statuses) == [200] * 9 + [302]
    bookings = ToolBooking.objects.for_library(library)
    assert bookings.count() == 1
    assert bookings.get().convention_required is False
