"""Several people taking the last places at the same time (real threads, real connections)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from extranet.models import User
from tests.factories import UserFactory
from tests.trainings.factories import TrainingSessionFactory
from trainings import services
from trainings.models import Registration

PEOPLE = 10
CAPACITY = 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_capacity(library):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Row locks (select_for_update) under real concurrency are exercised on PostgreSQL only; "
            "SQLite serialises writers with BEGIN IMMEDIATE (see the sequential test)."
        )
    session = TrainingSessionFactory(capacity=CAPACITY)
    people = [UserFactory(library=library, profile=User.Profile.VIEWER) for _ in range(PEOPLE)]
    barrier = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def register(person: User) -> None:
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            services.registration_create(session=session, user=person)
        except BaseException as exc:  # collected and asserted below: a thread must not swallow it
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Registration.objects.all_libraries().filter(session=session, status="registered").count() == CAPACITY
    ranks = sorted(
        Registration.objects.all_libraries()
        .filter(session=session)
        .with_rank()
        .exclude(waiting_rank=None)
        .values_list("waiting_rank", flat=True)
    )
    assert ranks == list(range(1, PEOPLE - CAPACITY + 1))


@pytest.mark.django_db
def test_sequential_last_place_goes_to_one_person_only(library):
    session = TrainingSessionFactory(capacity=1)
    first, second = (UserFactory(library=library, profile=User.Profile.VIEWER) for _ in range(2))
    assert services.registration_create(session=session, user=first).status == "registered"
    assert services.registration_create(session=session, user=second).status == "waiting"
    with pytest.raises(ValidationError):
        services.registration_create(session=session, user=second)


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_link_opened_twice_at_once_reaches_the_referents_once(library, referent):
    """Two clicks on the e-mailed link racing (a double click, a mail scanner and the person)."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks under real concurrency are exercised on PostgreSQL only (see test_request_abuse.py).")
    from django.core import mail

    trainee_request = services.trainee_request_create(
        last_name="Leroy",
        first_name="Martine",
        postal_address="5 rue de la Mairie, 95450 Vigny",
        email="martine.leroy@example.fr",
        phone="06 12 34 56 78",
        employment_status="volunteer",
        sessions=[TrainingSessionFactory()],
        library=library,
    )
    token = services.trainee_request_confirmation_token(trainee_request)
    barrier = threading.Barrier(2)
    results: list[bool] = []
    errors: list[BaseException] = []

    def click() -> None:
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            results.append(services.trainee_request_confirm_email(token=token).already_done)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False, True]
    assert len([message for message in mail.outbox if referent.email in message.to]) == 1
