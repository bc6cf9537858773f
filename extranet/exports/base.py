"""What an exporter is: one list of the portal that can be written to a file.

An exporter declares its identifier, French name, formats, columns, file name and who may
use it, and knows how to build its rows from plain parameters (``ExportParameters``: the
user, their library, the list's query string and the selected row ids). The same
parameters drive a streamed download and a background job, so a job replays exactly the
request that started it.

Two kinds:

- ``PartnerExporter``: a list of the espace professionnel. Exporting is reading: any partner
  of the library (Gestionnaire or Consulter) who may see the list may export it; rows come
  from ``.for_library(parameters.library)``.
- ``StaffExporter``: a list of the BDVO staff pages; active staff accounts only, rows scoped
  with ``.for_referent(user)`` unless the exporter says why its page shows every library.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from extranet.exports.cells import Column, as_columns, text_rows, xlsx_chunks
from extranet.exports.formats import CSV, XLSX, ExportFormat, csv_chunks

if TYPE_CHECKING:
    from extranet.models import Library, User


class ExportError(Exception):
    """An export cannot be written; ``message`` says why in French, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExportParameters:
    """Everything an exporter needs to build its rows, in plain values a job can store.

    ``library`` is the partner's library (``None`` for staff exports); ``query`` the list's
    query string (its filters and sort); ``ids`` the selected rows, empty for « every row
    matching the query ».
    """

    user: User
    library: Library | None
    query: QueryDict = field(default_factory=QueryDict)
    ids: frozenset[int] = frozenset()

    def to_json(self) -> dict[str, Any]:
        """What ``ExportJob.parameters`` stores (the user and library are columns of the job)."""
        return {"query": self.query.urlencode(), "ids": sorted(self.ids)}

    @classmethod
    def from_json(cls, data: dict[str, Any], *, user: User, library: Library | None) -> ExportParameters:
        return cls(
            user=user,
            library=library,
            query=QueryDict(data.get("query", "")),
            ids=frozenset(int(pk) for pk in data.get("ids", [])),
        )


class Progress:
    """Told of each row written; a job's progress saves it, a streamed download ignores it."""

    def __init__(self) -> None:
        self.rows = 0

    def counted(self, rows: Iterable[Any]) -> Iterator[Any]:
        """``rows`` unchanged, each one counted (call ``advance``) as it is written."""
        for row in rows:
            yield row
            self.advance()

    def advance(self, count: int = 1) -> None:
        self.rows += count


class Exporter(ABC):
    """Base of every exporter (see the module docstring).

    Subclasses set ``identifier``, ``verbose_name``, ``columns`` (French labels, or ``Column``
    with their kind: codes, dates…) and, for a list of model rows, implement ``get_queryset``
    (scoped!) and ``row``; lists that are not one queryset (a plan computed per day) override
    ``rows`` and ``count`` instead. CSV and XLSX are written from the rows (dates as
    ``datetime.date`` values); other formats by overriding ``chunks``.
    """

    identifier: ClassVar[str]
    verbose_name: ClassVar[str | Promise]
    columns: ClassVar[Sequence[str | Promise | Column]] = ()
    formats: ClassVar[dict[str, ExportFormat]] = {CSV.code: CSV}
    # The format of a request that names none (a list's plain « Exporter » link); empty: the
    # only format when there is one, else the user must choose.
    default_format: ClassVar[str] = ""
    for_partners: ClassVar[bool] = True
    # Key of the espace professionnel's menu entry the job pages highlight (partner exporters).
    menu_section: ClassVar[str] = ""
    # The 403's French message when ``has_permission`` refuses: say which right is missing.
    permission_message: ClassVar[str | Promise] = _("Vous n'avez pas accès à cet export.")

    # --- who may export --------------------------------------------------------------------

    @abstractmethod
    def has_permission(self, user: User, library: Library | None) -> bool:
        """Whether ``user`` (of ``library`` for partner exporters) may use this exporter."""

    # --- the rows --------------------------------------------------------------------------

    def get_queryset(self, parameters: ExportParameters) -> models.QuerySet[Any]:
        """The list's rows for ``parameters`` (filters and sort of the query), scoped explicitly."""
        raise NotImplementedError(f"{type(self).__name__} lists no queryset: override rows() and count()")

    def selected(self, parameters: ExportParameters) -> models.QuerySet[Any]:
        """``get_queryset`` restricted to the selected ids, when some were selected."""
        queryset = self.get_queryset(parameters)
        return queryset.filter(pk__in=parameters.ids) if parameters.ids else queryset

    def count(self, parameters: ExportParameters) -> int:
        """How many rows the file will hold (decides between a download and a job)."""
        return self.selected(parameters).count()

    def row(self, obj: Any) -> Sequence[Any]:
        """The cells of one object, in the order of ``columns`` (exporters of a queryset override it)."""
        raise NotImplementedError(f"{type(self).__name__} must define row() or rows()")

    def rows(self, parameters: ExportParameters) -> Iterable[Sequence[Any]]:
        """Every row of the file, streamed from the database."""
        return (self.row(obj) for obj in self.selected(parameters).iterator(chunk_size=2000))

    def header(self, parameters: ExportParameters) -> list[str]:
        return [str(label) for label in self.columns]

    def typed_columns(self, parameters: ExportParameters) -> list[Column]:
        """The columns with their kinds (a plain label is text)."""
        return as_columns(self.columns)

    # --- the file --------------------------------------------------------------------------

    @abstractmethod
    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        """The downloaded file's name (tests and users rely on it: keep it stable)."""

    def chunks(self, parameters: ExportParameters, export_format: ExportFormat, progress: Progress) -> Iterator[bytes]:
        """The bytes of the file in ``export_format``; each row written is told to ``progress``."""
        columns = self.typed_columns(parameters)
        if export_format.code == XLSX.code:
            return xlsx_chunks(columns, progress.counted(self.rows(parameters)), sheet_name=str(self.verbose_name))
        if export_format.code != CSV.code:
            raise ExportError(f"{type(self).__name__} cannot write {export_format.code}")
        return csv_chunks(self.header(parameters), progress.counted(text_rows(columns, self.rows(parameters))))

    @abstractmethod
    def list_url(self, parameters: ExportParameters) -> str:
        """The page of the list, with its query: where « Retour » and refused exports lead."""

    def __str__(self) -> str:
        return str(self.verbose_name)


class PartnerExporter(Exporter):
    """A list of the espace professionnel; rows of ``parameters.library`` only."""

    for_partners = True
    permission_message = _("Cet export est réservé aux comptes de la bibliothèque.")

    def has_permission(self, user: User, library: Library | None) -> bool:
        """Any partner of an active library: exporting is reading, like seeing the list."""
        return library is not None and user.is_active and user.library_id == library.pk

    @staticmethod
    def library(parameters: ExportParameters) -> Library:
        """The library whose rows are exported (a partner export always has one)."""
        if parameters.library is None:
            raise ExportError(f"partner export without a library for {parameters.user}")
        return parameters.library


class StaffExporter(Exporter):
    """A list of the BDVO staff pages; rows scoped with ``scope`` (``for_referent`` by default)."""

    for_partners = False
    permission_message = _("Cet export est réservé aux personnels de la BDVO.")

    def has_permission(self, user: User, library: Library | None) -> bool:
        """Active BDVO staff accounts."""
        return user.is_active and user.is_staff

    def scope(self, queryset: models.QuerySet[Any], user: User) -> models.QuerySet[Any]:
        """Rows this staff member may see: their territories' libraries (all for an administrator)."""
        return queryset.for_referent(user)  # type: ignore[attr-defined,no-any-return]  # library-owned querysets only
