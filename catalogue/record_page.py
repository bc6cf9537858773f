"""What every visitor sees of the public catalogue pages, kept in the shared cache.

The record page: its description (authors, subjects, summary) and its items with their
availability are the same for every visitor, so they are rendered once and kept in the
cache; the reservation block, the messages, the header and the CSRF token are rendered for
each request and never cached (the header's predefined searches have their own cache entry:
``catalogue.search.predefined``).

Invalidation by versions: the key of a record's body carries a catalogue-wide version and
the record's own version, both random tokens kept in the cache. A write bumps them (deletes
them; the next reader draws new ones), so an old body is never read again:

- a save or deletion of a record, an item or a loan (admin, staff lending page, loan
  services, demo data) bumps the record's version (signals, see :func:`connect_signals`);
- an import (``catalogue.services.imports``, which writes by COPY and bulk updates without
  signals) bumps the catalogue version by :func:`catalogue_changed`.

Versions are bumped at once and again when the transaction commits: a reader that read the
old version, then the rows before the commit, stores its body under a version nobody asks
for any more. The cache must be shared by all the processes that serve or write (Redis in
production): a per-process cache would miss the other processes' bumps.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from functools import cache as memoize
from typing import Any, cast

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, OuterRef, Subquery
from django.db.models.signals import ModelSignal, post_delete, post_save
from django.template.backends.django import Template as DjangoBackendTemplate
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from catalogue.models import Item, Loan, PredefinedSearch, Record, RecordAuthor, RecordSubject
from catalogue.search.facets import language_label
from catalogue.search.params import facet_search_url
from catalogue.search.predefined import predefined_searches_changed

BODY_TEMPLATE = "catalogue/partials/record_body.html"
# A missed write path (raw SQL, a shell) shows for a day at most. Versions expire too (an
# expired version only makes its bodies unreachable), so that visits of unknown ids leave
# nothing behind for long.
BODY_TIMEOUT = 24 * 3600
CATALOGUE_VERSION_KEY = "catalogue:version"

# Fields of the record the page shows; never its MARC.
RECORD_FIELDS = [
    "id",
    "title",
    "responsibility",
    "publisher",
    "publication_year",
    "isbn",
    "language",
    "document_type",
    "audience",
    "series",
    "summary",
]


def _record_version_key(pk: int) -> str:
    return f"catalogue:record-version:{pk}"


def record_page(pk: int) -> dict[str, Any]:
    """The shared part of the page of record ``pk``: ``pk``, ``title``, ``responsibility``
    and ``body`` (safe HTML of the description and the items with their availability).

    From the cache when the record and the catalogue have not changed since it was rendered;
    otherwise four queries. Raises ``Record.DoesNotExist``.
    """
    key = f"catalogue:record-page:{_body_template_digest()}:{'.'.join(_versions(pk))}:{pk}"
    page = cache.get(key)
    if page is None:
        page = _render(pk)
        cache.set(key, page, BODY_TIMEOUT)
    page["body"] = mark_safe(page["body"])  # noqa: S308 - rendered by our own template, escaped there
    return page


def _versions(pk: int) -> list[str]:
    """The catalogue version and the version of record ``pk``, drawing new ones when absent."""
    keys = [CATALOGUE_VERSION_KEY, _record_version_key(pk)]
    versions = cache.get_many(keys)
    for key in keys:
        if key not in versions:
            # add: when two readers draw at once, both end up with the one stored first.
            cache.add(key, secrets.token_hex(6), timeout=BODY_TIMEOUT)
            versions[key] = cache.get(key, "")
    return [versions[key] for key in keys]


@memoize
def _body_template_digest() -> str:
    """Changes with the template, so that a deployment never serves bodies of the previous one."""
    # The project's only engine is Django's (the stubs return the engine-neutral template type).
    source = cast(DjangoBackendTemplate, get_template(BODY_TEMPLATE)).template.source
    return hashlib.blake2b(source.encode(), digest_size=6).hexdigest()


def _render(pk: int) -> dict[str, Any]:
    record = Record.objects.only(*RECORD_FIELDS).get(pk=pk)
    authors = RecordAuthor.objects.filter(record_id=pk).order_by("position", "id").values_list("name", "role")
    subjects = RecordSubject.objects.filter(record_id=pk).order_by("label").values_list("label", flat=True)
    # The due date of the item's loan, whoever borrowed it (the page names no library).
    loan_in_progress = Loan.objects.all_libraries().filter(item=OuterRef("pk"), returned_on__isnull=True).order_by()
    items = (
        Item.objects.filter(record_id=pk)
        .only("id", "barcode", "call_number", "section", "status")
        .annotate(loan_due_on=Subquery(loan_in_progress.values("due_on")[:1]))
        .order_by("barcode")
    )
    context = {
        "record": record,
        "authors": [(name, role, facet_search_url("author", name)) for name, role in authors],
        "subjects": [(label, facet_search_url("subject", label)) for label in subjects],
        "items": list(items),
        "language": language_label(record.language),
    }
    return {
        "pk": record.pk,
        "title": record.title,
        "responsibility": record.responsibility,
        "body": render_to_string(BODY_TEMPLATE, context),
    }


def _now_and_on_commit(keys: list[str]) -> None:
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def record_pages_changed(record_ids: Iterable[int]) -> None:
    """The pages of these records are rendered again (now and after the transaction commits)."""
    keys = [_record_version_key(pk) for pk in set(record_ids) if pk is not None]
    if keys:
        _now_and_on_commit(keys)


def catalogue_changed() -> None:
    """Every record page is rendered again (now and after the transaction commits)."""
    _now_and_on_commit([CATALOGUE_VERSION_KEY])


def _record_written(sender: type, instance: Record, **kwargs: Any) -> None:
    record_pages_changed([instance.pk])


def _part_of_record_written(sender: type, instance: Item | RecordAuthor | RecordSubject, **kwargs: Any) -> None:
    record_pages_changed([instance.record_id])


def _loan_written(sender: type, instance: Loan, **kwargs: Any) -> None:
    # The lending services build the loan from its item: no query to find the record then.
    if Loan.item.is_cached(instance):
        record_pages_changed([instance.item.record_id])
    else:
        record_pages_changed(Item.objects.filter(pk=instance.item_id).values_list("record_id", flat=True))


def connect_signals() -> None:
    """Called once by the app config; also connects the predefined searches' receiver (their
    list under the search bar is cached too). Authors and subjects have no deletion receiver: one
    would make the importer's bulk deletions fetch every row to send it, and an import bumps
    the catalogue version anyway; the admin deletes them while saving their record."""
    receivers: list[tuple[Callable[..., None], type[Model], list[ModelSignal]]] = [
        (_record_written, Record, [post_save, post_delete]),
        (_part_of_record_written, Item, [post_save, post_delete]),
        (_part_of_record_written, RecordAuthor, [post_save]),
        (_part_of_record_written, RecordSubject, [post_save]),
        (_loan_written, Loan, [post_save, post_delete]),
        (predefined_searches_changed, PredefinedSearch, [post_save, post_delete]),
    ]
    for receiver, model, signals in receivers:
        for signal in signals:
            signal.connect(receiver, sender=model, dispatch_uid=f"record_page.{receiver.__name__}.{model.__name__}")
