"""Reads of the trainings app shared by several pages (and the espace professionnel dashboard)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from extranet.models import Library, User
from extranet.tenancy import PartnerRequest
from trainings.models import Registration, Training, TrainingSession
from trainings.querysets import RegistrationQuerySet


def catalogue_sessions() -> QuerySet[TrainingSession]:
    """Upcoming sessions of published trainings, in date order, with their place counts."""
    return (
        TrainingSession.objects.published()
        .upcoming()
        .select_related("training__theme")
        .with_counts()
        .order_by("starts_at", "pk")
    )


def published_trainings() -> QuerySet[Training]:
    return Training.objects.filter(is_published=True).select_related("theme").order_by("theme__name", "title")


def active_registrations_by_session(user: User | AnonymousUser) -> dict[int, Registration]:
    """The user's registered or waiting registrations, keyed by session id (one query), whatever
    library they were made for."""
    if not user.is_authenticated:
        return {}
    registrations = Registration.objects.all_libraries().active().filter(user=user)
    return {registration.session_id: registration for registration in registrations}


def visible_registrations(request: PartnerRequest) -> RegistrationQuerySet:
    """« Mes inscriptions »: the library's registrations for a Gestionnaire, one's own for a Consulter."""
    return (
        Registration.objects.for_library(request.library)
        .visible_to(request.user)
        .select_related("session__training", "user")
        .with_rank()
        .ordered_for_list()
    )


def registrations_for_list(*, library: Library, user: User, period: str) -> QuerySet[Registration]:
    """« Mes inscriptions » of ``period`` (« a-venir », « passees », anything else: all), as
    ``visible_registrations`` lists them, for the page and its export."""
    registrations = (
        Registration.objects.for_library(library)
        .visible_to(user)
        .select_related("session__training", "user")
        .with_rank()
        .ordered_for_list()
    )
    if period == "a-venir":
        return registrations.upcoming()
    if period == "passees":
        return registrations.exclude(session__starts_at__gt=timezone.now())
    return registrations


def upcoming_registrations_count(library: Library, user: User) -> int:
    """For the dashboard: active registrations of ``library`` to sessions still to come, as ``user``
    sees them in « Mes inscriptions »."""
    return Registration.objects.for_library(library).visible_to(user).active().upcoming().count()
