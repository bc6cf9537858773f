"""Reads of the trainings app shared by several pages (and the espace professionnel dashboard)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from extranet.models import User
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
    """The user's registered or waiting registrations, keyed by session id (one query)."""
    if not user.is_authenticated:
        return {}
    return {registration.session_id: registration for registration in Registration.objects.active().filter(user=user)}


def visible_registrations(request: PartnerRequest) -> RegistrationQuerySet:
    """« Mes inscriptions »: the library's registrations for a Gestionnaire, one's own for a Consulter."""
    return (
        Registration.objects.for_library(request.library)
        .visible_to(request.user)
        .select_related("session__training", "user")
        .with_rank()
        .ordered_for_list()
    )


def upcoming_registrations_count(request: PartnerRequest) -> int:
    """For the dashboard: active registrations to sessions still to come, as listed in « Mes inscriptions »."""
    return Registration.objects.for_library(request.library).visible_to(request.user).active().upcoming().count()
