"""Catalogue records for the search tests, with their author and subject rows filled."""

from __future__ import annotations

from collections.abc import Sequence

from catalogue.models import Item, Record, RecordAuthor, RecordSubject
from tests.factories import ItemFactory, RecordFactory


def make_record(
    title: str,
    *,
    authors: Sequence[str] = ("Hugo, Victor",),
    subjects: Sequence[str] = (),
    items: Sequence[str] = (),
    **fields: object,
) -> Record:
    """A record whose ``authors_text``/``subjects_text`` match its RecordAuthor/RecordSubject rows.

    ``items`` lists the statuses of its items (e.g. ``[Item.Status.AVAILABLE]``).
    """
    fields.setdefault("main_author", authors[0] if authors else "")
    record = RecordFactory(title=title, authors_text=" ; ".join(authors), subjects_text=" ; ".join(subjects), **fields)
    RecordAuthor.objects.bulk_create(
        RecordAuthor(record=record, name=name, role="Auteur", position=position)
        for position, name in enumerate(authors)
    )
    RecordSubject.objects.bulk_create(RecordSubject(record=record, label=label) for label in subjects)
    for status in items:
        ItemFactory(record=record, status=status)
    return record


AVAILABLE = Item.Status.AVAILABLE
ON_LOAN = Item.Status.ON_LOAN
