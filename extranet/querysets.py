"""QuerySet base for every model that belongs to a partner library (tenant data).

Tenancy fails closed: a query of library-owned rows must say whose rows it wants before
it runs, with one of

- ``.for_library(library)``: one library's rows (partner pages, through ``extranet.tenancy``);
- ``.for_territories(territories)`` / ``.for_referent(user)``: the libraries a BDVO staff
  member follows (admin, staff pages);
- ``.all_libraries()``: every library, said out loud (availability rules, Celery jobs,
  management commands, superuser pages).

A query that chose none of them raises ``LibraryScopeError`` when it is evaluated (listed,
counted, aggregated, updated or deleted), so a forgotten filter is a crash in the tests,
never another library's rows on a page. Related managers reached from a ``Library``
(``library.loans``) are scoped by their parent. Django's own model validation (unique and
exclusion constraints) runs inside ``unscoped_validation`` because it must see every row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from extranet.models import Library, Territory, User

# Set while Django validates a model's constraints (see ``LibraryOwnedModel``).
_validation_in_progress: ContextVar[bool] = ContextVar("library_scope_validation", default=False)

# Turned on once every caller states its scope (see the module docstring).
ENFORCE_SCOPES = False


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


class LibraryScopedQuerySet(models.QuerySet):
    """Rows owned by one library, behind a scope that must be chosen before the query runs.

    Models of partner data use ``objects = SomeQuerySet.as_manager()`` where SomeQuerySet
    derives from this class. Set ``library_field`` when the owner is reached through a
    relation (e.g. ``"booking__library"``).
    """

    library_field = "library"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._library_scope: str | None = None

    # --- choosing the scope ----------------------------------------------------------------

    def _scoped(self, scope: str) -> Self:
        clone = self._chain()
        clone._library_scope = scope
        return clone

    def for_library(self, library: Library | int) -> Self:
        """Rows of one library (the only scope of partner pages)."""
        return self.filter(**{self.library_field: library})._scoped("library")

    def for_territories(self, territories: Iterable[Territory] | models.QuerySet[Territory]) -> Self:
        """Rows of the libraries of ``territories``."""
        return self.filter(**{f"{self.library_field}__territory__in": territories})._scoped("territories")

    def for_referent(self, user: User) -> Self:
        """Rows a BDVO staff member may manage: every library for an administrator, their
        territories' libraries for a referent, nothing for anyone else."""
        if user.is_superuser:
            return self.all_libraries()
        if not user.is_staff:
            return self.none()._scoped("none")
        return self.filter(**{f"{self.library_field}__territory__referents": user})._scoped("territories")

    def all_libraries(self) -> Self:
        """Every library's rows, on purpose (staff-wide code, availability rules, jobs)."""
        return self._scoped("all")

    @property
    def library_scope(self) -> str | None:
        """The scope chosen (``library``, ``territories``, ``all``, ``parent``, ``none``) or ``None``."""
        return self._library_scope

    # --- failing closed ---------------------------------------------------------------------

    def _clone(self) -> Self:
        clone = super()._clone()
        clone._library_scope = self._library_scope
        return clone

    def _require_scope(self) -> None:
        if not ENFORCE_SCOPES or self._library_scope is not None or _validation_in_progress.get():
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

    def delete(self) -> tuple[int, dict[str, int]]:
        self._require_scope()
        return super().delete()

    def in_bulk(self, *args: Any, **kwargs: Any) -> dict[Any, Any]:
        self._require_scope()
        return super().in_bulk(*args, **kwargs)


class LibraryScopedManager(models.Manager):
    """Manager of library-owned rows; a related manager reached from a ``Library`` is scoped by it."""

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        instance = getattr(self, "instance", None)
        if instance is not None and instance._meta.label == "extranet.Library":
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
