"""Factories of the trainings app."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from trainings.models import EmploymentStatus, Registration, Theme, TraineeRequest, Training, TrainingSession


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    title = factory.Sequence(lambda n: f"Accueillir les publics, niveau {n}")
    slug = factory.Sequence(lambda n: f"formation-{n}")
    theme = factory.SubFactory(ThemeFactory)
    summary = "Une journée pour bien accueillir."
    description = "Description de la formation."
    objectives = "Accueillir\nOrienter"
    trainers = "Équipe formation de la BDVO"
    duration_days = Decimal("1")
    duration_hours = 6


def _in_days(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 30), tzinfo=timezone.get_current_timezone())


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    training = factory.SubFactory(TrainingFactory)
    starts_at = factory.LazyFunction(lambda: _in_days(30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=7))
    place = "BDVO, salle de formation"
    address = "2 rue des Châteaux, 95310 Saint-Ouen-l'Aumône"
    capacity = 10
    registration_deadline = factory.LazyAttribute(
        lambda o: timezone.localtime(o.starts_at).date() - datetime.timedelta(days=7)
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(TrainingSessionFactory)
    user = None
    library = factory.LazyAttribute(lambda o: o.user.library)
    status = Registration.Status.REGISTERED


class TraineeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeRequest
        skip_postgeneration_save = True

    last_name = "Leroy"
    first_name = "Martine"
    postal_address = "5 rue de la Mairie\n95450 Vigny"
    email = factory.Sequence(lambda n: f"stagiaire{n}@example.fr")
    phone = "06 12 34 56 78"
    employment_status = EmploymentStatus.VOLUNTEER
    # In the referents' queue: its author confirmed their address (the form's requests wait for that).
    status = TraineeRequest.Status.PENDING
    email_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def sessions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sessions.set(extracted)
