"""The query string of the search page, read into :class:`SearchParams`, and the URLs of searches.

Parameters: ``q`` (words), ``scope`` (``all`` « Partout », ``catalogue``), the facets of
``FACET_PARAMS`` (each may repeat), ``sort`` (a key of ``SORT_LABELS``) and ``page``.
Reading never fails: unknown parameters and values are dropped, texts are cut to bounded
lengths and control characters removed, so that whatever a user, a bot or a broken link
sends gives a normal page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy

MAX_QUERY_LENGTH = 500
MAX_VALUE_LENGTH = 255
MAX_VALUES_PER_FACET = 10
MAX_TERMS = 12
MAX_TERM_LENGTH = 60
FACET_PARAMS = ("type", "author", "subject", "language", "period", "audience", "available")
SCOPES = ("all", "catalogue")
# The sorts a search may ask for, in the order they are offered (``query.ORDERINGS`` orders by each).
SORT_LABELS = {
    "relevance": gettext_lazy("Pertinence"),
    "title": gettext_lazy("Titre"),
    "author": gettext_lazy("Auteur"),
    "newest": gettext_lazy("Date (plus récent)"),
    "oldest": gettext_lazy("Date (plus ancien)"),
}

_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(text: str) -> list[str]:
    """The words of a user query, lower-cased, at most ``MAX_TERMS`` of them, without repeats."""
    terms: list[str] = []
    for match in _WORD.finditer((text or "")[:2000]):
        word = match.group().replace("_", "").lower()[:MAX_TERM_LENGTH]
        if word and word not in terms:
            terms.append(word)
        if len(terms) >= MAX_TERMS:
            break
    return terms


def _printable(text: str) -> str:
    """``text`` without control characters (PostgreSQL refuses NUL bytes in text parameters)."""
    return "".join(char for char in text if char.isprintable() or char == " ")


def clean_params(data: QueryDict) -> list[tuple[str, str]]:
    """The search parameters worth keeping in links, in a stable order (no page, no empty values)."""
    params: list[tuple[str, str]] = []
    query = _printable(data.get("q", "")[:MAX_QUERY_LENGTH]).strip()
    if query:
        params.append(("q", query))
    scope = data.get("scope")
    if scope in SCOPES:
        params.append(("scope", scope))
    for name in FACET_PARAMS:
        seen: list[str] = []
        for value in data.getlist(name)[:MAX_VALUES_PER_FACET]:
            value = _printable(value[:MAX_VALUE_LENGTH]).strip()
            if value and value not in seen:
                seen.append(value)
                params.append((name, value))
    sort = data.get("sort", "")
    if sort in SORT_LABELS:
        params.append(("sort", sort))
    return params


@dataclass(frozen=True)
class SearchParams:
    """A search page's query string, cleaned: what its results, facets and links are built from.

    ``params``: the parameters kept in links (``clean_params``); ``query``: the words as
    typed (cleaned); ``terms``: the words searched (``query_terms``); ``sort``: the sort
    applied (relevance when there are words and no other sort was asked, title otherwise);
    ``page``: the requested page as sent (``Paginator.get_page`` reads it).
    """

    params: list[tuple[str, str]]
    query: str
    terms: list[str]
    sort: str
    page: str | None

    @classmethod
    def from_query_dict(cls, data: QueryDict) -> SearchParams:
        """Read the query string of the search page (never fails, see the module docstring)."""
        params = clean_params(data)
        query = next((value for name, value in params if name == "q"), "")
        terms = query_terms(query)
        default = "relevance" if terms else "title"
        asked = data.get("sort") or default
        # Relevance without words to rank would be an arbitrary order: sorted by title instead.
        sort = asked if asked in SORT_LABELS and (asked != "relevance" or terms) else default
        return cls(params=params, query=query, terms=terms, sort=sort, page=data.get("page"))

    @property
    def scope(self) -> str:
        """``catalogue`` (catalogue only) or ``all`` (« Partout »: catalogue, help pages and agenda)."""
        return "catalogue" if ("scope", "catalogue") in self.params else "all"

    @property
    def links(self) -> list[tuple[str, str]]:
        """The parameters of links that change the search (a facet, a sort): all but the sort."""
        return [(name, value) for name, value in self.params if name != "sort"]

    @property
    def facet_values(self) -> list[tuple[str, str]]:
        """The chosen facet values ``(param, value)``, in the order of the query string's facets."""
        return [(name, value) for name, value in self.params if name in FACET_PARAMS]

    @property
    def sort_keys(self) -> list[str]:
        """The sorts offered: relevance only when there are words to rank."""
        return [key for key in SORT_LABELS if key != "relevance" or self.terms]


def search_url(params: Sequence[tuple[str, str]], *, path: str = "") -> str:
    """The search page's URL with these query-string parameters (``path``: ``reverse("search")``, if known)."""
    return (path or reverse("search")) + ("?" + urlencode(list(params)) if params else "")


def facet_search_url(param: str, value: str) -> str:
    """A new catalogue search restricted to one facet value (authors and subjects of a record)."""
    return search_url([("scope", "catalogue"), (param, value)])


def url_with(path: str, params: list[tuple[str, str]], name: str, value: str) -> str:
    """The search of ``params`` with one more parameter."""
    return search_url([*params, (name, value)], path=path)


def url_without(path: str, params: list[tuple[str, str]], name: str, value: str | None = None) -> str:
    """The search of ``params`` without parameter ``name`` (only its value ``value``, if given)."""
    return search_url([(n, v) for n, v in params if not (n == name and (value is None or v == value))], path=path)
