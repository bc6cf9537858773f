"""Rules about sets of sessions, registrations and trainee requests."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from extranet.querysets import LibraryScopedQuerySet

if TYPE_CHECKING:
    from extranet.models import User
    from trainings.models import Registration, TraineeRequest, TrainingSession  # noqa: F401 - named by the QuerySet bases below


class TrainingSessionQuerySet(models.QuerySet["TrainingSession"]):
    def published(self) -> Self:
        return self.filter(training__is_published=True)

    def upcoming(self) -> Self:
        """Sessions that have not started yet, cancelled ones included (shown as « annulée »)."""
        return self.filter(starts_at__gt=timezone.now())

    def open_for_registration(self, today: datetime.date | None = None) -> Self:
        today = today or timezone.localdate()
        return self.upcoming().filter(status="open", registration_deadline__gte=today)

    def with_counts(self) -> Self:
        """Annotate ``registered_count`` and ``waiting_count`` (one query for any number of sessions)."""
        return self.annotate(
            registered_count=Count("registrations", filter=Q(registrations__status="registered")),
            waiting_count=Count("registrations", filter=Q(registrations__status="waiting")),
        )


class RegistrationQuerySet(LibraryScopedQuerySet["Registration"]):
    def active(self) -> Self:
        return self.filter(status__in=["registered", "waiting"])

    def waiting(self) -> Self:
        return self.filter(status="waiting")

    def in_waiting_order(self) -> Self:
        return self.waiting().order_by("created_at", "pk")

    def with_rank(self) -> Self:
        """Annotate ``waiting_rank``: 1 for the first person waiting, …; ``None`` when not waiting.

        The rank counts every library's waiting registrations of the session (one waiting list).
        """
        every_library = type(self)(self.model, using=self.db).all_libraries()
        ahead = (
            every_library.filter(session=OuterRef("session"), status="waiting")
            .filter(
                Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
            )
            .order_by()
            .values("session")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(
            waiting_rank=models.Case(
                models.When(status="waiting", then=Coalesce(Subquery(ahead), Value(0))),
                default=None,
                output_field=models.IntegerField(),
            )
        )

    def visible_to(self, user: User) -> Self:
        """What a partner sees in « Mes inscriptions »: the library's for a Gestionnaire, their own otherwise.

        Call on an already library-scoped QuerySet (``extranet.tenancy.scoped``).
        """
        return self if user.is_manager else self.filter(user=user)

    def upcoming(self) -> Self:
        return self.filter(session__starts_at__gt=timezone.now())

    def ordered_for_list(self) -> Self:
        return self.order_by(F("session__starts_at").asc(), "user__last_name", "user__first_name")

    def session_reminder_due(self, now: datetime.datetime, days_ahead: int) -> Self:
        """Confirmed places in open sessions starting within ``days_ahead`` days of ``now``, not
        reminded yet, and confirmed before that window opened (a later confirmation e-mail,
        sent less than ``days_ahead`` days before the session, already is the reminder)."""
        window = datetime.timedelta(days=days_ahead)
        return (
            self.filter(
                status="registered",
                session__status="open",
                session__starts_at__gt=now,
                session__starts_at__lte=now + window,
                session_reminder_sent_at__isnull=True,
            )
            .alias(confirmed_at=Coalesce("promoted_at", "created_at"))
            .filter(confirmed_at__lte=F("session__starts_at") - window)
        )


class TraineeRequestQuerySet(LibraryScopedQuerySet["TraineeRequest"]):
    """First-time trainee requests belong to the library named in them (personal data that only
    its referents and BDVO training staff may read). A request naming another structure has no
    library: no territory covers it, so only ``for_referent`` of a superuser and
    ``all_libraries()`` reach it."""

    def pending(self) -> Self:
        return self.filter(status="pending")

    def older_than(self, days: int) -> Self:
        return self.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))
