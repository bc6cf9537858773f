"""Territories, partner libraries and the individual accounts of the portal."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from extranet.querysets import LibraryScopedQuerySet


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
    def for_referent(self, user: User) -> LibraryQuerySet:
        """Libraries a staff member may manage: all for administrators, their territories' otherwise."""
        if user.is_superuser:
            return self
        return self.filter(territory__referents=user)


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


class UserQuerySet(LibraryScopedQuerySet):
    def partners_for_referent(self, user: User) -> UserQuerySet:
        """Partner accounts a staff member may manage: all for administrators, their territories' otherwise."""
        partners = self.filter(library__isnull=False)
        if user.is_superuser:
            return partners
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

    @property
    def user_type_label(self) -> str:
        return str(_("partenaire")) if self.is_partner else str(_("BDVO"))


__all__ = ["Library", "LibraryScopedQuerySet", "Territory", "User"]
