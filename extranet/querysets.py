"""QuerySet base for every model that belongs to a partner library (tenant data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

if TYPE_CHECKING:
    from extranet.models import Library


class LibraryScopedQuerySet(models.QuerySet):
    """Rows owned by one library.

    Models of partner data use ``objects = SomeQuerySet.as_manager()`` where SomeQuerySet
    derives from this class. Set ``library_field`` when the owner is reached through a
    relation (e.g. ``"booking__library"``). Views never call this directly: they go through
    ``extranet.tenancy.scoped`` which takes the library from the request.
    """

    library_field = "library"

    def for_library(self, library: Library) -> Self:
        return self.filter(**{self.library_field: library})
