"""QuerySet base for every model that belongs to a partner library (tenant data).

Tenancy fails closed: a query of library-owned rows must say whose rows it wants before
it runs, with one of

- ``.for_library(library)``: one library's rows (partner pages, through ``extranet.tenancy``);
- ``.for_territories(territories)`` / ``.for_referent(user)``: the libraries a BDVO staff
  member follows (admin, staff pages);
- ``.all_libraries()``: every library, said out loud (availability rules, Celery jobs,
  management commands, superuser pages).

A query that chose none of them raises ``LibraryScopeError`` when it is evaluated (listed,
counted, aggregated, updated, deleted, or used as the value of a filter such as
``pk__in=queryset``), so a forgotten filter is a crash in the tests, never another
library's rows on a page. The scope survives every clone (``filter``, ``values``,
``select_for_update``…); ``none()`` is scoped (it returns nothing); a combination
(``|``, ``&``, ``^``, ``union``, ``intersection``, ``difference``) is scoped only when each
of its parts is. Related managers reached from a ``Library`` (``library.loans``) are
scoped by their parent; reached from anything else (``item.loans``,
``session.registrations``, a ``prefetch_related`` of them) they are not, so a prefetch of
such a relation passes ``Prefetch(..., queryset=Model.objects.for_library(...))``.

What this does not see: joins written from another model
(``Item.objects.filter(loans__library=...)``), ``Subquery()``/``Exists()`` built from an
unscoped queryset, raw SQL and ``Model._base_manager``, which Django itself uses to save,
refresh and delete single objects (those name their rows explicitly). Creating rows
(``create``, ``bulk_create``) and ``bulk_update`` of objects in hand need no scope either.

Django's own model validation (unique and exclusion constraints) runs inside
``unscoped_validation`` because it must see every row (see ``LibraryOwnedModel``).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from extranet.models import Library, Territory, User

_M = TypeVar("_M", bound=models.Model)

# Set while Django validates a model's constraints (see ``LibraryOwnedModel``).
_validation_in_progress: ContextVar[bool] = ContextVar("library_scope_validation", default=False)


class LibraryScopeError(RuntimeError):
    """A query of library-owned rows ran without choosing its scope: a programming error."""


@contextlib.contextmanager
def unscoped_validation() -> Iterator[None]:
    """Let Django's constraint validation query every library's rows (it must, to find duplicates)."""
    token = _validation_in_progress.set(True)
    try:
        yield
    finally:
        _validation_in_progress.reset(token)


def _is_unscoped(queryset: Any) -> bool:
    return isinstance(queryset, LibraryScopedQuerySet) and queryset.fails_closed and queryset._library_scope is None


class LibraryScopedQuerySet(models.QuerySet[_M]):
    """Rows owned by one library, behind a scope that must be chosen before the query runs.

    Models of partner data use ``objects = LibraryScopedManager.from_queryset(SomeQuerySet)()``
    where SomeQuerySet derives from this class. Set ``library_field`` when the owner is
    reached through a relation (e.g. ``"booking__library"``). ``fails_closed = False`` keeps
    the scope vocabulary without the check (users: authentication looks accounts up by name
    and e-mail, whoever they belong to).
    """

    library_field = "library"
    fails_closed = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._library_scope: str | None = None

    @classmethod
    def as_manager(cls) -> LibraryScopedManager[Any]:
        """A ``LibraryScopedManager`` with this queryset's methods (so related managers are scoped too)."""
        manager = LibraryScopedManager.from_queryset(cls)()
        manager._built_with_as_manager = True  # type: ignore[attr-defined]
        return manager

    as_manager.queryset_only = True  # type: ignore[attr-defined]

    # --- choosing the scope ----------------------------------------------------------------

    def _scoped(self, scope: str) -> Self:
        clone: Self = self._chain()  # type: ignore[attr-defined]  # django-stubs omits QuerySet._chain
        clone._library_scope = scope
        return clone

    def for_library(self, library: Library | int | None) -> Self:
        """Rows of one library (the only scope of partner pages); no library, no rows."""
        if library is None:
            return self.none()
        return self.filter(**{self.library_field: library})._scoped("library")

    def for_territories(self, territories: Iterable[Territory] | models.QuerySet[Territory]) -> Self:
        """Rows of the libraries of ``territories``."""
        return self.filter(**{f"{self.library_field}__territory__in": territories})._scoped("territories")

    def for_referent(self, user: User | AnonymousUser) -> Self:
        """Rows a BDVO staff member may manage: every library for an administrator (superuser),
        their territories' libraries for other staff, nothing for anyone else (partners, anonymous)."""
        if user.is_superuser:
            return self.all_libraries()
        if not user.is_staff:
            return self.none()
        return self.filter(**{f"{self.library_field}__territory__referents": user})._scoped("territories")

    def all_libraries(self) -> Self:
        """Every library's rows, on purpose (staff-wide code, availability rules, jobs)."""
        return self._scoped("all")

    def none(self) -> Self:
        """No rows: scoped by definition."""
        clone = super().none()
        clone._library_scope = "none"
        return clone

    @property
    def library_scope(self) -> str | None:
        """The scope chosen (``library``, ``territories``, ``all``, ``parent``, ``none``, or ``objects``
        inside ``bulk_update``) or ``None``."""
        return self._library_scope

    # --- keeping it through clones and combinations ----------------------------------------

    def _clone(self) -> Self:
        clone: Self = super()._clone()  # type: ignore[misc]  # django-stubs omits QuerySet._clone
        clone._library_scope = self._library_scope
        return clone

    def _combined(self, result: Self, *others: Any) -> Self:
        """Scope of a combination: kept only when every part chose one (fail closed)."""
        if result is self or any(result is other for other in others) or not isinstance(result, LibraryScopedQuerySet):
            return result
        if _is_unscoped(self) or any(_is_unscoped(other) for other in others):
            result._library_scope = None
        return result

    def __and__(self, other: Any) -> Self:
        return self._combined(super().__and__(other), other)

    def __or__(self, other: Any) -> Self:
        return self._combined(super().__or__(other), other)

    def __xor__(self, other: Any) -> Self:
        return self._combined(super().__xor__(other), other)  # type: ignore[misc]  # django-stubs omits __xor__

    def _combinator_query(self, combinator: str, *other_qs: Any, all: bool = False) -> Self:
        combined = super()._combinator_query(combinator, *other_qs, all=all)  # type: ignore[misc]  # not in django-stubs
        return self._combined(combined, *other_qs)

    # --- failing closed ---------------------------------------------------------------------

    def _require_scope(self) -> None:
        if not self.fails_closed or self._library_scope is not None or _validation_in_progress.get():
            return
        raise LibraryScopeError(
            f"{self.model.__name__}: query without a library scope. Call .for_library(), "
            ".for_territories(), .for_referent() or .all_libraries() before evaluating it."
        )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._require_scope()
        super()._fetch_all()

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        self._require_scope()
        return super().iterator(chunk_size=chunk_size)

    def aiterator(self, chunk_size: int = 2000) -> AsyncIterator[Any]:
        self._require_scope()
        return super().aiterator(chunk_size=chunk_size)

    def count(self) -> int:
        if self._result_cache is None:
            self._require_scope()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._require_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._require_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._require_scope()
        return super().update(**kwargs)

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        self._require_scope()
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    def in_bulk(self, *args: Any, **kwargs: Any) -> dict[Any, Any]:
        self._require_scope()
        return super().in_bulk(*args, **kwargs)

    def bulk_update(self, objs: Iterable[_M], fields: Iterable[str], batch_size: int | None = None) -> int:
        """Update the objects given, like their ``save()``: no scope needed (a chosen one still filters)."""
        queryset = self if self._library_scope is not None else self._scoped("objects")
        return super(LibraryScopedQuerySet, queryset).bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True  # type: ignore[attr-defined]

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        """Used as a filter's value (``pk__in=queryset``), the queryset must be scoped too."""
        self._require_scope()
        return super().resolve_expression(*args, **kwargs)

    resolve_expression.queryset_only = True  # type: ignore[attr-defined]


class LibraryScopedManager(models.Manager[_M]):
    """Manager of library-owned rows: its querysets start unscoped, except the related manager
    reached from a ``Library`` through the model's own library field (``library.loans``), which
    is scoped by that library (``library_scope == "parent"``)."""

    def get_queryset(self) -> models.QuerySet[_M]:
        queryset = super().get_queryset()
        instance = getattr(self, "instance", None)
        field = getattr(self, "field", None)
        if (
            isinstance(queryset, LibraryScopedQuerySet)
            and instance is not None
            and field is not None
            and instance._meta.label == "extranet.Library"
            and field.name == queryset.library_field
        ):
            queryset._library_scope = "parent"
        return queryset


class LibraryOwnedModel(models.Model):
    """Abstract base of library-owned models: validation may look across libraries."""

    class Meta:
        abstract = True

    def validate_unique(self, exclude: Any = None) -> None:
        with unscoped_validation():
            super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude: Any = None) -> None:
        with unscoped_validation():
            super().validate_constraints(exclude=exclude)
