"""The permission vocabulary of the portal: who may open a page, who may act, what staff see.

- Partner pages: ``partner_required`` (read) and ``manager_required`` (change). Both refuse
  anyone who is not an active partner of an active library and set ``request.library``
  (see ``extranet.tenancy`` for reading that library's rows).
- Staff pages: ``staff_required`` (``StaffRequest`` is the request type of its views).
- Acting for a library in a service: ``User.may_act_for(library)`` (extranet/models.py).
- What a BDVO staff member manages: ``referent_libraries`` / ``referent_territories`` and, in
  the admin, ``ReferentScopedAdminMixin``. Administrators (superusers) manage everything, a
  referent the libraries of the territories they follow, anyone else nothing.

Decorators answer like Django's ``login_required``: an anonymous visitor is sent to the
login page; a logged-in account without the right gets 403 with the reason in French.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from extranet.models import Library, LibraryQuerySet, Territory
from extranet.querysets import LibraryScopedQuerySet
from extranet.tenancy import PartnerRequest, library_for

if TYPE_CHECKING:
    from django.contrib import admin

    from extranet.models import User

    # Type-checks the mixin against the ModelAdmin it is mixed into.
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object

M = TypeVar("M", bound=models.Model)
View = Callable[..., HttpResponseBase]


# --- page decorators -----------------------------------------------------------------------


def partner_required(view: View) -> View:
    """A logged-in partner of an active library; sets ``request.library`` (see ``PartnerRequest``).

    Anonymous → login page; a staff account, a deactivated account or a library no longer
    active → 403 (``PermissionDenied`` with the French reason of ``library_for``).
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        request.library = library_for(request)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view: View) -> View:
    """Like ``partner_required``, and the account has the Gestionnaire profile (a Consulter gets 403)."""

    @partner_required
    @wraps(view)
    def wrapper(request: PartnerRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_manager:
            raise PermissionDenied(
                _(
                    "Votre profil « Consulter » permet de consulter, pas de modifier. Demandez à un·e Gestionnaire de votre bibliothèque."
                )
            )
        return view(request, *args, **kwargs)

    return wrapper


class StaffRequest(HttpRequest):
    """The request a staff view receives: ``staff_required`` has checked that ``user`` is an
    active BDVO staff account (annotate staff views that read ``request.user`` with this type)."""

    user: User


def staff_required(view: View) -> View:
    """BDVO staff only (an active account with ``is_staff``); see ``StaffRequest``.

    Anonymous → login page; any other account, partners included → 403.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied(_("Cette page est réservée aux personnels de la BDVO."))
        return view(request, *args, **kwargs)

    return wrapper


# --- what a staff member manages ---------------------------------------------------------


def referent_libraries(user: User) -> models.QuerySet[Library]:
    """The libraries ``user`` manages: all for an administrator, their territories' for a referent."""
    return Library.objects.for_referent(user)


def referent_territories(user: User) -> models.QuerySet[Territory]:
    """The territories ``user`` manages: all for an administrator, those they follow for a referent,
    none for anyone else."""
    return _scope_for_referent(Territory.objects.all(), user, lookup="referents")


def _scope_for_referent(queryset: models.QuerySet[M], user: User, *, lookup: str) -> models.QuerySet[M]:
    """``queryset`` for an administrator, its rows whose ``lookup`` reaches ``user`` for other staff,
    nothing for anyone else (the rule of ``LibraryScopedQuerySet.for_referent`` for any model)."""
    if user.is_superuser:
        return queryset
    if not user.is_staff:
        return queryset.none()
    queryset = queryset.filter(**{lookup: user})
    return queryset.distinct() if _crosses_to_many(queryset.model, lookup) else queryset


def _crosses_to_many(model: type[models.Model], lookup: str) -> bool:
    """Whether a relation before the last step of ``lookup`` is to-many (so the join may repeat rows)."""
    for name in lookup.split("__")[:-1]:
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model  # type: ignore[assignment]
    return False


def _join(*parts: str) -> str:
    return "__".join(part for part in parts if part)


class ReferentScopedAdminMixin(_ModelAdmin):
    """Admin whose rows, and whose choices of library and territory, are those the staff user manages.

    Put it before ``admin.ModelAdmin`` in the bases. ``get_queryset`` gives an administrator
    (superuser) every row, a referent the rows of the libraries of the territories they follow,
    any other account none (the admin only lets staff in anyway). Foreign keys to ``Library`` and
    ``Territory`` offer the same libraries and territories (``referent_libraries`` /
    ``referent_territories``) unless the admin passes its own ``queryset``.

    Library-owned models (``LibraryScopedQuerySet``) and ``Library`` are scoped with their own
    ``.for_referent(user)``, which for library-owned rows also states the scope that the
    fail-closed tenancy demands. For any other model set ``library_field``, the path from the
    row to its library; a row without library is then seen by administrators only. Set
    ``territory_field`` instead when the row reaches its territory without a library (``""``
    for ``Territory`` itself).
    """

    library_field: str = "library"
    territory_field: str | None = None

    @property
    def referents_lookup(self) -> str:
        """The lookup from the row to the referents of its territory (e.g. ``library__territory__referents``)."""
        territory_field = (
            self.territory_field if self.territory_field is not None else _join(self.library_field, "territory")
        )
        return _join(territory_field, "referents")

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)
        user = cast("User", request.user)  # the admin site only lets logged-in staff in
        if isinstance(queryset, (LibraryScopedQuerySet, LibraryQuerySet)):
            return queryset.for_referent(user)
        return _scope_for_referent(queryset, user, lookup=self.referents_lookup)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "queryset" not in kwargs:
            if db_field.related_model is Library:
                kwargs["queryset"] = referent_libraries(cast("User", request.user))
            elif db_field.related_model is Territory:
                kwargs["queryset"] = referent_territories(cast("User", request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
