"""The catalogue's results page: :func:`search_catalogue` turns ``SearchParams`` into what the
templates of ``catalogue/search/partials/`` show (records, facets, chips, sorts, pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.text import Truncator

from catalogue.models import Item, Record
from catalogue.search import facets
from catalogue.search.facets import Chip, Facet
from catalogue.search.params import SORT_LABELS, SearchParams, search_url, url_with
from catalogue.search.query import matched_rows, ordered, summarise

PER_PAGE = 20


@dataclass
class CatalogueResults:
    query: str
    page: Page[Record]
    facets: list[Facet]
    chips: list[Chip]
    sort: str
    sort_options: list[tuple[str, str, str]]  # (key, label, url)
    clear_url: str
    previous_url: str = ""
    next_url: str = ""

    @property
    def count(self) -> int:
        return self.page.paginator.count


def search_catalogue(params: SearchParams, *, per_page: int = PER_PAGE) -> CatalogueResults:
    """The catalogue results page of ``params``: matches, facets, chips, sorts.

    Two SQL queries whatever the sort, the page, its size and the number of hits: one
    statement reads the matching search rows once (``query.summarise``) and gives the
    total, the facets (authors and subjects counted on up to 1 000 matching ids) and the
    page's ids; then the page's records. Bad input (unknown values, absurd pages, 2 000
    characters) gives a normal, possibly empty, page.
    """
    matched = matched_rows(params)
    results = ordered(matched, params.sort)
    summary = summarise(
        matched, results, sort=params.sort, page=params.page, per_page=per_page, materialise=bool(params.terms)
    )
    paginator = Paginator(results, per_page)
    paginator.count = summary.total
    # The page summarise read (same rule), of ids: its objects become their records.
    page: Page[Any] = paginator.get_page(params.page)
    page.object_list = records_in_order(summary.page_ids)

    links = params.links
    selected: dict[str, list[str]] = {}
    for name, value in params.facet_values:
        selected.setdefault(name, []).append(value)
    path = reverse("search")  # once: the page links to it about a hundred times
    return CatalogueResults(
        query=params.query,
        page=page,
        facets=facets.facets(summary, path, links, selected) if summary.total else [],
        chips=facets.chips(params.facet_values, path, links),
        sort=params.sort,
        sort_options=[
            (key, str(SORT_LABELS[key]), search_url([*links, ("sort", key)], path=path)) for key in params.sort_keys
        ],
        clear_url=search_url([(n, v) for n, v in links if n not in facets.FACET_PARAMS], path=path),
        previous_url=url_with(path, params.params, "page", str(page.previous_page_number()))
        if page.has_previous()
        else "",
        next_url=url_with(path, params.params, "page", str(page.next_page_number())) if page.has_next() else "",
    )


def available_items_exist() -> Exists:
    """Condition: the record has at least one available item."""
    return Exists(Item.objects.filter(record=OuterRef("pk"), status=Item.Status.AVAILABLE))


def records_in_order(ids: list[int]) -> list[Record]:
    """The records of a results page, in the page's order, with ``has_available_item`` and the labels
    of their type and audience (``get_document_type_display`` evaluates every translated choice
    of the field on each call: a third of the list's rendering time)."""
    records = (
        Record.objects.only(
            "id", "title", "responsibility", "main_author", "publisher", "publication_year", "document_type", "audience"
        )
        .annotate(has_available_item=available_items_exist())
        .in_bulk(ids)
    )
    page: list[Record] = [records[pk] for pk in ids if pk in records]
    for record in page:
        # Attributes of the results template only, not fields: set in the instance's namespace.
        # Most titles are short: Truncator (truncatechars) costs ~40 µs even then.
        vars(record).update(
            title_display=_shortened(record.title, 300),
            responsibility_display=_shortened(record.responsibility, 200),
            document_type_label=facets.value_label("type", record.document_type),
            audience_label=facets.value_label("audience", record.audience) if record.audience else "",
        )
    return page


def _shortened(text: str, limit: int) -> str:
    """``text`` as the ``truncatechars:limit`` filter shows it."""
    return text if len(text) <= limit else Truncator(text).chars(limit)
