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


# --- the navette: rounds, their changes, the BDVO's closures (computed by ``extranet.navette``) ---------


class Weekday(models.IntegerChoices):
    """Days of a navette round, numbered as ``datetime.date.weekday()`` (no Sunday: never a round day)."""

    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")


class NavetteRule(models.Model):
    """A recurring navette round of a territory, or of one library whose round differs from its territory's.

    Two kinds of rules:

    - weekly: on ``starts_on``'s weekday, every ``interval_weeks`` weeks from ``starts_on``
      (« un mardi sur deux » is ``interval_weeks=2`` from a Tuesday);
    - monthly: on the ``week_of_month``-th ``weekday`` of each month (``-1``: the last one)
      from ``starts_on``.

    A rule runs from ``starts_on`` to ``ends_on`` (included, open when empty). On a day when
    any rule of the library itself runs, the library follows its own rules only; on other
    days it follows its territory's. A rule day that falls on a Sunday, a French public
    holiday or a BDVO closure is skipped: staff add the replacement round explicitly
    (``NavetteRoundChange``). Orders and returns for a round are announced until
    ``cutoff_open_days`` BDVO open days before it, at ``cutoff_time`` (Europe/Paris).
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("toutes les N semaines")
        MONTHLY = "monthly", _("un jour donné de chaque mois")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("premier")
        SECOND = 2, _("deuxième")
        THIRD = 3, _("troisième")
        FOURTH = 4, _("quatrième")
        LAST = -1, _("dernier")

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        related_name="navette_rules",
        null=True,
        blank=True,
    )
    library = models.ForeignKey(
        Library,
        verbose_name=_("bibliothèque (si différente de son territoire)"),
        on_delete=models.CASCADE,
        related_name="navette_rules",
        null=True,
        blank=True,
    )
    frequency = models.CharField(_("fréquence"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("jour de la semaine"), choices=Weekday.choices)
    interval_weeks = models.PositiveSmallIntegerField(
        _("toutes les … semaines"), default=1, help_text=_("1 : chaque semaine ; 2 : une semaine sur deux…")
    )
    week_of_month = models.SmallIntegerField(
        _("semaine du mois"),
        choices=WeekOfMonth.choices,
        null=True,
        blank=True,
        help_text=_("Pour une tournée mensuelle : le premier, deuxième… ou dernier jour de ce nom du mois."),
    )
    starts_on = models.DateField(
        _("à partir du"),
        help_text=_("Pour une tournée toutes les N semaines : la date d'une tournée, qui sert de point de départ."),
    )
    ends_on = models.DateField(_("jusqu'au"), null=True, blank=True)
    cutoff_open_days = models.PositiveSmallIntegerField(
        _("date limite : jours ouvrés avant"),
        default=2,
        help_text=_(
            "Les commandes et retours sont à annoncer au plus tard ce nombre de jours d'ouverture de la BDVO avant la tournée."
        ),
    )
    cutoff_time = models.TimeField(_("date limite : heure"), default=datetime.time(12, 0))

    class Meta:
        ordering = ["territory__name", "library__name", "starts_on"]
        verbose_name = _("tournée de navette")
        verbose_name_plural = _("tournées de navette")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(territory__isnull=False, library__isnull=True)
                    | models.Q(territory__isnull=True, library__isnull=False)
                ),
                name="navette_rule_territory_or_library",
                violation_error_message=_("Choisissez un territoire ou une bibliothèque, pas les deux."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="navette_rule_ends_after_start",
                violation_error_message=_("La date de fin doit suivre la date de début."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(frequency="weekly", interval_weeks__gte=1, week_of_month__isnull=True)
                    | models.Q(frequency="monthly", week_of_month__isnull=False)
                ),
                name="navette_rule_frequency_fields",
                violation_error_message=_(
                    "Une tournée toutes les N semaines a un intervalle d'au moins 1 semaine et pas de semaine du mois ; "
                    "une tournée mensuelle a une semaine du mois."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} : {self.describe()}"

    @property
    def owner_name(self) -> str:
        return str(self.library.name if self.library_id and self.library else self.territory)

    def describe(self) -> str:
        """The rule in French: « un mardi sur 2 », « le premier jeudi du mois »."""
        day = Weekday(self.weekday).label
        if self.frequency == self.Frequency.MONTHLY and self.week_of_month is not None:
            return str(
                _("le %(rank)s %(day)s du mois") % {"rank": self.WeekOfMonth(self.week_of_month).label, "day": day}
            )
        if self.interval_weeks == 1:
            return str(_("chaque %(day)s") % {"day": day})
        return str(_("un %(day)s toutes les %(count)s semaines") % {"day": day, "count": self.interval_weeks})

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.frequency == self.Frequency.WEEKLY:
            self.week_of_month = None
            if self.starts_on and self.weekday is not None and self.starts_on.weekday() != self.weekday:
                raise ValidationError(
                    {
                        "starts_on": _("Le point de départ d'une tournée du %(day)s doit être un %(day)s.")
                        % {"day": Weekday(self.weekday).label}
                    }
                )
        elif self.week_of_month is None:
            raise ValidationError({"week_of_month": _("Choisissez la semaine du mois de cette tournée mensuelle.")})

    def covers(self, day: datetime.date) -> bool:
        """Whether ``day`` is within the rule's period (whatever its weekday)."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def falls_on(self, day: datetime.date) -> bool:
        """Whether the rule puts a round on ``day`` (before holidays and closures are taken out)."""
        if not self.covers(day) or day.weekday() != self.weekday:
            return False
        if self.frequency == self.Frequency.WEEKLY:
            return ((day - self.starts_on).days // 7) % self.interval_weeks == 0
        rank = self.week_of_month
        if rank == self.WeekOfMonth.LAST:
            return (day + datetime.timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == rank


class NavetteRoundChange(models.Model):
    """A one-off change to the rounds of a territory or a library: a round cancelled, moved, or added.

    ``original_date`` is the rule's round that is cancelled or moved; ``new_date`` the day of
    the moved or added round. A moved or added round is never on a Sunday, a public holiday
    or a closure day (``clean``; ``extranet.navette`` ignores it there anyway).
    """

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("tournée annulée")
        MOVED = "moved", _("tournée déplacée")
        ADDED = "added", _("tournée ajoutée")

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        related_name="navette_changes",
        null=True,
        blank=True,
    )
    library = models.ForeignKey(
        Library,
        verbose_name=_("bibliothèque (si différente de son territoire)"),
        on_delete=models.CASCADE,
        related_name="navette_changes",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("changement"), max_length=10, choices=Kind.choices)
    original_date = models.DateField(_("tournée prévue le"), null=True, blank=True)
    new_date = models.DateField(_("nouvelle date"), null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        ordering = ["-original_date", "-new_date"]
        verbose_name = _("changement de tournée")
        verbose_name_plural = _("changements de tournée")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(territory__isnull=False, library__isnull=True)
                    | models.Q(territory__isnull=True, library__isnull=False)
                ),
                name="navette_change_territory_or_library",
                violation_error_message=_("Choisissez un territoire ou une bibliothèque, pas les deux."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="cancelled", original_date__isnull=False, new_date__isnull=True)
                    | models.Q(kind="moved", original_date__isnull=False, new_date__isnull=False)
                    | models.Q(kind="added", original_date__isnull=True, new_date__isnull=False)
                ),
                name="navette_change_dates_match_kind",
                violation_error_message=_(
                    "Une tournée annulée a une date prévue, une tournée ajoutée une nouvelle date, "
                    "une tournée déplacée les deux."
                ),
            ),
        ]

    def __str__(self) -> str:
        owner = self.library.name if self.library_id and self.library else str(self.territory)
        dates = " → ".join(day.strftime("%d/%m/%Y") for day in (self.original_date, self.new_date) if day)
        return f"{owner} : {self.get_kind_display()} ({dates})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from extranet import navette

        if self.kind == self.Kind.CANCELLED:
            self.new_date = None
        if self.kind == self.Kind.ADDED:
            self.original_date = None
        if self.kind in (self.Kind.MOVED, self.Kind.ADDED):
            if self.new_date is None:
                raise ValidationError({"new_date": _("Indiquez la date de la tournée.")})
            reason = navette.closed_reason(self.new_date)
            if reason:
                raise ValidationError(
                    {
                        "new_date": _("Pas de navette ce jour-là : %(reason)s. Choisissez un autre jour.")
                        % {"reason": reason}
                    }
                )
        if self.kind in (self.Kind.MOVED, self.Kind.CANCELLED) and self.original_date is None:
            raise ValidationError({"original_date": _("Indiquez la date de la tournée prévue.")})


class ClosurePeriod(models.Model):
    """A period when the BDVO is closed (summer, between Christmas and New Year): no round, no open day."""

    label = models.CharField(_("motif"), max_length=120, help_text=_("Ex. Fermeture estivale"))
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"))

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("fermeture de la BDVO")
        verbose_name_plural = _("fermetures de la BDVO")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="closure_ends_after_start",
                violation_error_message=_("La date de fin doit suivre la date de début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.starts_on:%d/%m/%Y} → {self.ends_on:%d/%m/%Y})"


__all__ = [
    "ClosurePeriod",
    "ExportJob",
    "Library",
    "LibraryScopedQuerySet",
    "NavetteRoundChange",
    "NavetteRule",
    "Territory",
    "User",
    "Weekday",
]
