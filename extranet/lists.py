"""What every list of the espace professionnel shares: query strings, pagination, sortable
column headers, sort orders and the ids ticked in a list form.

The lists themselves live with their data (``catalogue.espace_views`` for loans, returns and
reservations); their templates include ``extranet/lists/_filters.html``,
``_thead.html`` and ``_pagination.html``, which read the context these helpers build.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Expression, F, QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.utils.functional import Promise

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 25
# The largest primary key either database can hold: a bigger number is no row at all (and
# SQLite would raise OverflowError instead of finding nothing).
MAX_ID = 2**63 - 1

Sorts = Mapping[str, str | Expression]


def query_string(params: QueryDict, **changes: Any) -> str:
    """``?…`` of ``params`` with ``changes`` applied (``None`` removes a key)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def page_size(params: QueryDict) -> int:
    """The ``per_page`` asked for when it is one of ``PAGE_SIZES``, else ``DEFAULT_PAGE_SIZE``."""
    try:
        size = int(params.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def sortable_columns(
    params: QueryDict,
    columns: Sequence[tuple[str, str | Promise]],
    key: str,
    descending: bool,
    *,
    ascending_first: Collection[str] = (),
) -> list[dict[str, Any]]:
    """Header cells for ``_thead.html``: label, link toggling the sort, and ``aria-sort`` of the
    sorted column (``key``). A column not sorted yet starts descending (dates: newest first),
    except those in ``ascending_first`` (text: A to Z)."""
    cells = []
    for column, label in columns:
        current = column == key
        next_order = column if (current and descending) else f"-{column}"
        if not current and column in ascending_first:
            next_order = column
        cells.append(
            {
                "key": column,
                "label": label,
                "url": query_string(params, o=next_order, page=None),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return cells


def paginate(request: HttpRequest, queryset: QuerySet[Any]) -> dict[str, Any]:
    """The page asked for (``?page=``, ``?per_page=``) and the links of ``_pagination.html``;
    two queries: the count and the page of rows."""
    per_page = page_size(request.GET)
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET
    return {
        "page": page,
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "count": paginator.count,
        "previous_url": query_string(params, page=page.previous_page_number()) if page.has_previous() else "",
        "next_url": query_string(params, page=page.next_page_number()) if page.has_next() else "",
        "first_url": query_string(params, page=1) if page.number > 2 else "",
        "last_url": query_string(params, page=paginator.num_pages) if page.number < paginator.num_pages - 1 else "",
        "hidden_params": [(k, v) for k, v in params.items() if k not in ("per_page", "page")],
    }


def parse_sort(value: str | None, allowed: Sorts, default: str) -> tuple[str, bool]:
    """``(key, descending)`` from ``?o=-loaned_on``; the default for anything unknown."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in allowed:
        return default.lstrip("-"), default.startswith("-")
    return key, descending


def ordered(queryset: QuerySet[Any], allowed: Sorts, key: str, descending: bool) -> QuerySet[Any]:
    """``queryset`` sorted on ``allowed[key]``, the id breaking ties so that pages stay stable."""
    field = allowed[key]
    expression = F(field) if isinstance(field, str) else field
    tie_breaker = F("id")
    if descending:
        return queryset.order_by(expression.desc(), tie_breaker.desc())
    return queryset.order_by(expression.asc(), tie_breaker.asc())


def selected_ids(request: HttpRequest) -> set[int]:
    """The row ids ticked in a list form (``selected``); a value that cannot be a row id is a
    404, as a row of another library would be."""
    try:
        ids = {int(value) for value in request.POST.getlist("selected")}
    except ValueError as exc:
        raise Http404 from exc
    if any(not 0 < pk <= MAX_ID for pk in ids):
        raise Http404
    return ids
