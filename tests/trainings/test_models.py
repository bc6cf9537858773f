"""Model rules: derived « complète » status, deadline, one active registration per person."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.trainings.factories import RegistrationFactory, TrainingSessionFactory
from trainings.models import Registration, TrainingSession

pytestmark = pytest.mark.django_db


def test_status_label_is_derived_from_capacity(manager, viewer):
    session = TrainingSessionFactory(capacity=2)
    RegistrationFactory(session=session, user=manager)
    assert session.status_label() == "ouverte"
    assert session.remaining_places() == 1
    RegistrationFactory(session=session, user=viewer)
    annotated = TrainingSession.objects.with_counts().get(pk=session.pk)
    assert annotated.is_full and annotated.status_label() == "complète"
    session.status = TrainingSession.Status.CANCELLED
    assert session.status_label() == "annulée"


def test_registrations_open_until_deadline_included():
    today = timezone.localdate()
    session = TrainingSessionFactory(registration_deadline=today)
    assert session.registrations_open(today)
    assert not session.registrations_open(today + datetime.timedelta(days=1))


def test_database_refuses_two_active_registrations_of_one_person(viewer):
    session = TrainingSessionFactory()
    RegistrationFactory(session=session, user=viewer)
    RegistrationFactory(session=session, user=viewer, status=Registration.Status.CANCELLED)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(session=session, user=viewer, status=Registration.Status.WAITING)


def test_objectives_are_split_into_lines():
    session = TrainingSessionFactory(training__objectives="- Accueillir\n\n• Orienter\n")
    assert session.training.objective_lines() == ["Accueillir", "Orienter"]
