"""Territories, partner libraries and the individual accounts of the portal."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, ClassVar, cast

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from extranet.querysets import LibraryScopedManager, LibraryScopedQuerySet, staff_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Territory(models.Model):
    """A geographic group of libraries followed by BDVO referents (e.g. "Vexin français")."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    referents = models.ManyToManyField(
        "extranet.User",
        verbose_name=_("référent·es"),
        related_name="referent_territories",
        blank=True,
        limit_choices_to={"is_staff": True},
        help_text=_("Personnels de la BDVO qui suivent les bibliothèques de ce territoire."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")

    def __str__(self) -> str:
        return self.name


class LibraryQuerySet(models.QuerySet["Library"]):
    def for_referent(self, user: User | AnonymousUser) -> LibraryQuerySet:
        """Libraries a staff member manages (``staff_scope``): all for BDVO-wide staff, their
        territories' for a referent, none for anyone else."""
        scope = staff_scope(user)
        if scope == "all":
            return self
        if scope == "none":
            return self.none()
        return self.filter(territory__referents=cast("User", user))  # "territories": an active staff account


class Library(models.Model):
    """A partner library of the network (établissement): the tenant of all partner data."""

    name = models.CharField(_("nom"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Code de la bibliothèque utilisé dans les exports (995$b/$c), par ex. VDO-AUVERS."),
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="libraries"
    )
    commune = models.CharField(_("commune"), max_length=120)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    calendar_link_version = models.PositiveIntegerField(
        _("version du lien d'agenda"),
        default=0,
        help_text=_(
            "Augmentée quand la bibliothèque renouvelle son lien d'agenda : l'ancien lien cesse de fonctionner."
        ),
    )

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("bibliothèque partenaire")
        verbose_name_plural = _("bibliothèques partenaires")

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})"

    def referents(self) -> models.QuerySet[User]:
        """The BDVO staff who follow this library's territory."""
        return self.territory.referents.filter(is_active=True).order_by("last_name", "first_name")

    def active_managers(self) -> models.QuerySet[User]:
        return self.users.filter(is_active=True, profile=User.Profile.MANAGER)


class UserQuerySet(LibraryScopedQuerySet["User"]):
    # Authentication (allauth, ModelBackend, password reset) finds accounts by name and e-mail,
    # whoever they belong to: partner pages list users through ``extranet.tenancy.scoped``.
    fails_closed = False

    def partners_for_referent(self, user: User) -> UserQuerySet:
        """Partner accounts a staff member manages (``staff_scope``): all for BDVO-wide staff,
        their territories' for a referent, none for anyone else."""
        partners = self.filter(library__isnull=False)
        scope = staff_scope(user)
        if scope == "all":
            return partners
        if scope == "none":
            return partners.none()
        return partners.filter(library__territory__referents=user)


# django-stubs types ``from_queryset()`` only in an assignment, which Django's migrations cannot
# use (they import a manager by its own class name): this manager's methods are typed Any.
class PortalUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """An individual account: a partner attached to one library, or a BDVO staff member.

    Partner accounts carry a profile: Gestionnaire (may act) or Consulter (read only).
    Staff accounts have no library; referents are staff linked to territories.
    """

    class Profile(models.TextChoices):
        MANAGER = "manager", _("Gestionnaire")
        VIEWER = "viewer", _("Consulter")

    library = models.ForeignKey(
        Library,
        verbose_name=_("bibliothèque"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    profile = models.CharField(_("profil"), max_length=10, choices=Profile.choices, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    job_title = models.CharField(_("fonction"), max_length=120, blank=True)

    objects: ClassVar[PortalUserManager] = PortalUserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                condition=~models.Q(email=""),
                violation_error_message=_("Un compte utilise déjà cette adresse e-mail."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(library__isnull=True, profile="")
                    | models.Q(library__isnull=False, profile__in=["manager", "viewer"])
                ),
                name="user_partner_has_profile",
                violation_error_message=_("Un compte partenaire doit avoir un profil, un compte BDVO n'en a pas."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_partner(self) -> bool:
        return self.library_id is not None

    @property
    def is_manager(self) -> bool:
        """Gestionnaire of an active library: may act on that library's data."""
        return self.is_active and self.is_partner and self.profile == self.Profile.MANAGER

    def manages_library(self, library: Library | int) -> bool:
        """Whether this account manages ``library`` as BDVO staff (``staff_scope``): true for
        BDVO-wide staff (administrators and the « Personnel BDVO (tout le réseau) »), for a
        referent when the library is in one of their territories; false for anyone else,
        partners included. Reads at most one row (none for BDVO-wide staff)."""
        scope = staff_scope(self)
        if scope != "territories":
            return scope == "all"
        pk = library.pk if isinstance(library, Library) else library
        return Library.objects.for_referent(self).filter(pk=pk).exists()

    def may_act_for(self, library: Library | int) -> bool:
        """Whether this account may change ``library``'s data (book, reserve, cancel…) in a service.

        True for an active Gestionnaire of that library while the library is active, and for an
        active BDVO staff account that manages it (``manages_library``: BDVO-wide staff for every
        library, a referent for their territories' libraries). False for a Consulter, for the
        accounts of other libraries, for referents of other territories, for deactivated
        accounts and for the partners of an inactive library. ``library`` may be given by
        primary key, so that a caller holding a row's ``library_id`` needs no query (the
        library's state is then read from this account's own library, which partner views have
        already loaded).
        """
        if not self.is_active:
            return False
        if self.is_staff:
            return self.manages_library(library)
        if isinstance(library, Library):
            return self.is_manager and self.library_id == library.pk and library.is_active
        return self.is_manager and self.library_id == library and self.library is not None and self.library.is_active

    @property
    def user_type_label(self) -> str:
        return str(_("partenaire")) if self.is_partner else str(_("BDVO"))


class ExportJobQuerySet(LibraryScopedQuerySet["ExportJob"]):
    """Export jobs: a partner's through ``for_library``, a staff member's through ``of_staff_user``."""

    def of_staff_user(self, user: User) -> ExportJobQuerySet:
        """The staff exports ``user`` started (staff jobs have no library)."""
        return self.all_libraries().filter(library__isnull=True, user=user)

    def expired(self, now: datetime.datetime) -> ExportJobQuerySet:
        return self.filter(expires_at__lte=now)


def export_file_path(job: ExportJob, filename: str) -> str:
    """Storage name of a job's file: one folder per job, the file keeps its download name."""
    return f"exports/jobs/{job.pk}/{filename}"


class ExportJob(models.Model):
    """One export written in the background (``extranet.exports``): who asked what, its state,
    its progress and its file, kept until ``expires_at`` then purged with the file.

    Partner jobs belong to a library (404 for any other); staff jobs have none and are
    only ever looked up by their user.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échoué")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    exporter = models.CharField(_("export"), max_length=100)
    format = models.CharField(_("format"), max_length=20)
    library = models.ForeignKey(
        Library,
        verbose_name=_("bibliothèque"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
        null=True,
        blank=True,
    )
    user = models.ForeignKey("extranet.User", verbose_name=_("demandé par"), on_delete=models.CASCADE)
    parameters = models.JSONField(_("paramètres"), default=dict, blank=True)
    filename = models.CharField(_("nom du fichier"), max_length=200)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_written = models.PositiveIntegerField(_("lignes écrites"), default=0)
    rows_total = models.PositiveIntegerField(_("lignes à écrire"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    file = models.FileField(_("fichier"), upload_to=export_file_path, max_length=255, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"))

    objects = LibraryScopedManager.from_queryset(ExportJobQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export en arrière-plan")
        verbose_name_plural = _("exports en arrière-plan")
        indexes = [models.Index(fields=["expires_at"], name="exportjob_expires_at")]

    def __str__(self) -> str:
        return f"{self.exporter} ({self.format}) — {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        """Share of the rows written, 0-100, when the total is known."""
        if not self.rows_total:
            return None
        return min(100, self.rows_written * 100 // self.rows_total)


__all__ = ["ExportJob", "Library", "LibraryScopedQuerySet", "Territory", "User"]
