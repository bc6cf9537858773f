"""Read-side queries of the catalogue."""

from __future__ import annotations

from collections.abc import Sequence


def header_predefined_searches() -> Sequence[object]:
    """Predefined searches offered under the search bar (staff define them in admin).

    Objects need ``label``, ``query`` and ``get_absolute_url()``. The catalogue search
    issue provides the model; until then the bar offers none.
    """
    return []
