"""The one place that decides which library's data a request may see.

Every view of partner data is decorated with ``extranet.permissions.partner_required``
(read) or ``manager_required`` (change), which set ``request.library`` through
``library_for``, and reads rows through ``scoped`` / ``get_scoped_object_or_404``. Rows of
another library are therefore never listed and answer 404 when addressed directly; a
Consulter gets 403 on every change, whatever the template shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from extranet.querysets import LibraryScopedQuerySet

if TYPE_CHECKING:
    from extranet.models import Library, User

M = TypeVar("M", bound=models.Model)


class PartnerRequest(HttpRequest):
    """The request a partner view receives: ``extranet.permissions.partner_required`` has
    checked the account and set ``library`` (annotate partner views with this type instead
    of ``HttpRequest``)."""

    user: User
    library: Library


def library_for(request: HttpRequest) -> Library:
    """The library whose data this request may see; PermissionDenied for any other account."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Connectez-vous pour accéder à l'espace professionnel."))
    library: Library | None = getattr(user, "library", None)
    if library is None:
        raise PermissionDenied(
            _(
                "L'espace professionnel est réservé aux comptes des bibliothèques partenaires. "
                "Les personnels de la BDVO passent par l'administration."
            )
        )
    if not library.is_active:
        raise PermissionDenied(_("Cette bibliothèque n'est plus active sur le portail. Contactez votre référent·e."))
    return library


def scoped(request: HttpRequest, source: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    """Rows of ``source`` that belong to the request's library (see ``LibraryScopedQuerySet``)."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    if not isinstance(queryset, LibraryScopedQuerySet):
        raise TypeError(f"{queryset.model.__name__} has no library scoping (use LibraryScopedQuerySet).")
    return queryset.for_library(library_for(request))


def get_scoped_object_or_404(request: HttpRequest, source: type[M] | models.QuerySet[M], **lookup: Any) -> M:
    """One row of the request's library, or 404 (never 403: another library's ids stay unknown)."""
    try:
        return scoped(request, source).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError) as exc:
        raise Http404 from exc
