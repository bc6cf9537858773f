"""Trainings (formations), their sessions, registrations and first-time trainee requests.

A session's status is stored as *ouverte* or *annulée* only; *complète* is derived from
its capacity and its confirmed registrations (``TrainingSession.is_full``), so it can never
disagree with the registrations themselves.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from extranet.querysets import LibraryOwnedModel, LibraryScopedManager
from trainings.querysets import RegistrationQuerySet, TraineeRequestQuerySet, TrainingSessionQuerySet


class Theme(models.Model):
    """A group of trainings in the catalogue (e.g. « Accueil des publics »)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Salarié·es et bénévoles")
    PROFESSIONALS = "professionals", _("Professionnel·les salarié·es")
    VOLUNTEERS = "volunteers", _("Bénévoles")
    HEADS = "heads", _("Responsables de bibliothèque")


class Training(models.Model):
    """A course of the BDVO programme; it runs as one or several sessions."""

    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    theme = models.ForeignKey(Theme, verbose_name=_("thème"), on_delete=models.PROTECT, related_name="trainings")
    summary = models.CharField(_("résumé"), max_length=300, help_text=_("Une phrase affichée dans le catalogue."))
    description = models.TextField(_("description"))
    objectives = models.TextField(_("objectifs"), help_text=_("Un objectif par ligne."))
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    prerequisites = models.CharField(_("prérequis"), max_length=300, blank=True)
    trainers = models.CharField(_("formateur·rices"), max_length=300)
    duration_days = models.DecimalField(_("durée (jours)"), max_digits=3, decimal_places=1)
    duration_hours = models.PositiveSmallIntegerField(_("durée (heures)"))
    is_published = models.BooleanField(_("publiée"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("formation")
        verbose_name_plural = _("formations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:training_detail", args=[self.slug])

    def objective_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.objectives.splitlines() if line.strip(" -•\t")]


class TrainingSession(models.Model):
    """One occurrence of a training: its days, place, capacity and registration deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("ouverte")
        CANCELLED = "cancelled", _("annulée")

    training = models.ForeignKey(
        Training, verbose_name=_("formation"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    schedule = models.CharField(
        _("calendrier"),
        max_length=200,
        blank=True,
        help_text=_("Pour une session sur plusieurs jours, par ex. « jeudis 12 et 19 mars, 9h30-16h30 »."),
    )
    place = models.CharField(_("lieu"), max_length=200)
    address = models.CharField(_("adresse"), max_length=255)
    capacity = models.PositiveSmallIntegerField(_("nombre de places"))
    registration_deadline = models.DateField(
        _("date limite d'inscription"), help_text=_("Inscriptions et annulations possibles jusqu'à ce jour inclus.")
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.OPEN)
    sequence = models.PositiveIntegerField(
        _("version"),
        default=0,
        editable=False,
        help_text=_("Augmente à chaque changement annoncé aux inscrit·es (iCalendar)."),
    )

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("La fin de la session doit suivre son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training.title} — {timezone.localtime(self.starts_at):%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return f"{self.training.get_absolute_url()}#session-{self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def registrations_open(self, today: datetime.date | None = None) -> bool:
        """Registration and cancellation are possible until the deadline, on an open session."""
        today = today or timezone.localdate()
        return not self.is_cancelled and today <= self.registration_deadline

    def confirmed_count(self) -> int:
        """Confirmed places: the annotation of ``with_counts()`` when present, else a query."""
        annotated = getattr(self, "registered_count", None)
        if annotated is not None:
            return annotated
        return self.registrations.all_libraries().filter(status=Registration.Status.REGISTERED).count()

    def remaining_places(self) -> int:
        return max(self.capacity - self.confirmed_count(), 0)

    @property
    def is_full(self) -> bool:
        return self.remaining_places() == 0

    def status_label(self) -> str:
        """« ouverte », « complète » (derived from capacity) or « annulée »."""
        if self.is_cancelled:
            return str(self.Status.CANCELLED.label)
        return str(_("complète")) if self.is_full else str(self.Status.OPEN.label)


class Registration(LibraryOwnedModel):
    """A partner's place in a session, or their rank on its waiting list.

    ``library`` repeats the user's library at registration time so that tenancy scoping
    is a plain filter (and stays right if the person later moves to another library).
    The waiting-list rank is not stored: it is the order of ``created_at`` among the
    session's waiting registrations (``RegistrationQuerySet.with_rank``).
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("inscrit·e")
        WAITING = "waiting", _("liste d'attente")
        CANCELLED = "cancelled", _("annulée")

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    library = models.ForeignKey(
        "extranet.Library",
        verbose_name=_("bibliothèque"),
        on_delete=models.PROTECT,
        related_name="training_registrations",
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    attended = models.BooleanField(_("présent·e"), default=False)
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    promoted_at = models.DateTimeField(_("sortie de la liste d'attente le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    session_reminder_sent_at = models.DateTimeField(
        _("rappel de la session envoyé le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Le rappel, environ une semaine avant la session, n'est envoyé qu'une fois."),
    )

    objects = LibraryScopedManager.from_queryset(RegistrationQuerySet)()

    class Meta:
        ordering = ["session__starts_at", "created_at"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(status__in=["registered", "waiting"]),
                name="registration_one_active_per_session_user",
                violation_error_message=_("Cette personne est déjà inscrite à cette session."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.REGISTERED, self.Status.WAITING}

    def can_be_cancelled(self, today: datetime.date | None = None) -> bool:
        return self.is_active and self.session.registrations_open(today)


class EmploymentStatus(models.TextChoices):
    CATEGORY_A = "A", _("Catégorie A")
    CATEGORY_B = "B", _("Catégorie B")
    CATEGORY_C = "C", _("Catégorie C")
    CONTRACT = "contract", _("Contractuel·le")
    VOLUNTEER = "volunteer", _("Bénévole")
    OTHER = "other", _("Autre")


class TraineeRequest(LibraryOwnedModel):
    """A first-time trainee's request, answered by the library's referent (or BDVO training staff).

    Kept at most ``RETENTION_DAYS`` (see the privacy notice of the form and the
    ``purge_trainee_requests`` command).
    """

    RETENTION_DAYS = 365

    class Status(models.TextChoices):
        PENDING = "pending", _("à traiter")
        CONFIRMED = "confirmed", _("confirmée")
        DECLINED = "declined", _("refusée")

    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150)
    postal_address = models.TextField(_("adresse postale"))
    email = models.EmailField(_("adresse e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30)
    library = models.ForeignKey(
        "extranet.Library",
        verbose_name=_("bibliothèque"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainee_requests",
    )
    structure_name = models.CharField(
        _("autre structure"),
        max_length=200,
        blank=True,
        help_text=_("Saisie quand la structure n'est pas une bibliothèque du réseau."),
    )
    employment_status = models.CharField(_("statut"), max_length=10, choices=EmploymentStatus.choices)
    sessions = models.ManyToManyField(
        TrainingSession, verbose_name=_("sessions souhaitées"), related_name="trainee_requests"
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    created_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte créé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now)

    objects = LibraryScopedManager.from_queryset(TraineeRequestQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande de première inscription")
        verbose_name_plural = _("demandes de première inscription")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.structure_label})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def structure_label(self) -> str:
        return self.library.name if self.library_id and self.library else self.structure_name
