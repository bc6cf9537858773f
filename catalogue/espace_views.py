"""Pages of the espace professionnel: loans ("Prêts en cours"), returns ("Retours") and
reservations of the user's library, with their filters, sort orders, pagination and exports.
They are mounted by ``catalogue/espace.py`` into the espace site (``extranet:loans``…).

Every page runs a constant number of queries (the count and the page of rows, joined to
their item and record); exports stream (see ``catalogue.export.writers``) and, above
``settings.EXPORT_ASYNC_THRESHOLD`` loans, are written by a Celery task to the storage,
under a folder of the library, and offered from a progress page.

Exporting is reading, but the design lists it among the Gestionnaire's actions: export URLs
are ``manager_required`` (a Consulter gets 403), and a file is only ever served from the
folder of the requesting user's library (another library's token → 404).
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from catalogue.espace_filters import (
    LOAN_SORTS,
    RESERVATION_SORTS,
    LoanFilter,
    ReservationFilter,
    filtered_loans,
    loans_of_kind,
)
from catalogue.export.writers import iso2709_stream, marcxml_stream
from catalogue.models import DocumentType, Loan, Reservation
from catalogue.services.reservations import reservation_cancel
from extranet.csv_export import csv_lines, csv_response
from extranet.lists import ordered, paginate, parse_sort, query_string, selected_ids, sortable_columns
from extranet.models import Library
from extranet.tenancy import PartnerRequest, manager_required, partner_required, scoped

EXPORT_FORMATS = {
    "mrc": ("application/marc", gettext_lazy("ISO 2709 (UNIMARC)")),
    "xml": ("application/marcxml+xml", gettext_lazy("MARCXML")),
    "csv": ("text/csv", gettext_lazy("CSV (tableur)")),
}
KIND_HEADINGS = {"loans": gettext_lazy("Prêts en cours"), "returns": gettext_lazy("Retours")}
KIND_FILE_WORDS = {"loans": "prets", "returns": "retours"}
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def export_async_threshold() -> int:
    """Above this many loans an export runs as a Celery task (``settings.EXPORT_ASYNC_THRESHOLD``)."""
    return getattr(settings, "EXPORT_ASYNC_THRESHOLD", 2000)


# --- loans and returns -------------------------------------------------------------------------

LOAN_COLUMNS = [
    ("title", gettext_lazy("Titre")),
    ("author", gettext_lazy("Auteur")),
    ("barcode", gettext_lazy("Code-barres")),
    ("call_number", gettext_lazy("Cote")),
    ("document_type", gettext_lazy("Type de document")),
    ("loaned_on", gettext_lazy("Date de prêt")),
    ("due_on", gettext_lazy("Retour prévu")),
]
RETURN_COLUMNS = [*LOAN_COLUMNS, ("returned_on", gettext_lazy("Date de retour"))]
# Text columns sort A to Z on a first click; dates start with the most recent.
TEXT_COLUMNS = frozenset({"title", "author", "barcode", "call_number", "document_type", "status"})


def _loan_list(request: PartnerRequest, kind: str) -> HttpResponse:
    base = loans_of_kind(scoped(request, Loan), kind)
    filterset = LoanFilter(request.GET, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    key, descending = parse_sort(request.GET.get("o"), LOAN_SORTS, "-loaned_on")
    queryset = ordered(queryset, LOAN_SORTS, key, descending)
    columns = LOAN_COLUMNS if kind == "loans" else RETURN_COLUMNS
    context = {
        "extranet_section": kind,
        "kind": kind,
        "heading": KIND_HEADINGS[kind],
        "filter": filterset,
        "columns": sortable_columns(request.GET, columns, key, descending, ascending_first=TEXT_COLUMNS),
        "export_url": reverse(f"extranet:{kind}_export"),
        "export_formats": [(code, label) for code, (_type, label) in EXPORT_FORMATS.items()],
        "query": request.GET.urlencode(),
        "can_export": request.user.is_manager,
        **paginate(request, queryset),
    }
    return render(request, "catalogue/espace/loans.html", context)


@partner_required
def loans(request: PartnerRequest) -> HttpResponse:
    return _loan_list(request, "loans")


@partner_required
def returns(request: PartnerRequest) -> HttpResponse:
    return _loan_list(request, "returns")


def export_filename(library: Library, kind: str, extension: str, *, on: datetime.date | None = None) -> str:
    """``VDO-MARINES_prets_2026-11-28.mrc``: library code, list, date, format."""
    day = (on or timezone.localdate()).isoformat()
    code = re.sub(r"[^A-Za-z0-9_-]", "", library.code) or "bibliotheque"
    return f"{code}_{KIND_FILE_WORDS[kind]}_{day}.{extension}"


def csv_header(kind: str) -> list[str]:
    columns = LOAN_COLUMNS if kind == "loans" else RETURN_COLUMNS
    return [str(label) for _key, label in columns]


def csv_rows(loans: QuerySet[Loan], kind: str) -> Iterator[list[Any]]:
    """The list's columns, one row per loan, streamed."""
    labels = dict(DocumentType.choices)
    fields = [
        "item__record__title",
        "item__record__main_author",
        "item__barcode",
        "item__call_number",
        "item__document_type",
        "item__record__document_type",
        "loaned_on",
        "due_on",
        "returned_on",
    ]
    for (
        title,
        author,
        barcode,
        call_number,
        item_type,
        record_type,
        loaned_on,
        due_on,
        returned_on,
    ) in loans.values_list(*fields).iterator(chunk_size=2000):
        row = [
            title,
            author,
            barcode,
            call_number,
            str(labels.get(item_type or record_type, "")),
            loaned_on.strftime("%d/%m/%Y"),
            due_on.strftime("%d/%m/%Y"),
        ]
        if kind == "returns":
            row.append(returned_on.strftime("%d/%m/%Y") if returned_on else "")
        yield row


def export_chunks(loans: QuerySet[Loan], kind: str, fmt: str) -> Iterator[bytes]:
    """The bytes of an export file in format ``fmt`` (``mrc``, ``xml`` or ``csv``)."""
    if fmt == "mrc":
        return iso2709_stream(loans)
    if fmt == "xml":
        return marcxml_stream(loans)
    return (line.encode("utf-8") for line in csv_lines(csv_header(kind), csv_rows(loans, kind)))


def _export_queryset(request: PartnerRequest, kind: str, scope: str) -> QuerySet[Loan] | None:
    """Loans to export: the selected rows (another library's id → 404) or all matching the
    list's filters; ``None`` when nothing was selected."""
    base = scoped(request, Loan)
    if scope == "filtered":
        return filtered_loans(base, kind, QueryDict(request.POST.get("query", "")))
    ids = selected_ids(request)
    if not ids:
        return None
    queryset = loans_of_kind(base, kind).filter(pk__in=ids)
    if queryset.count() != len(ids):
        raise Http404
    return queryset


def _export(request: PartnerRequest, kind: str) -> HttpResponse:
    fmt = request.POST.get("format", "")
    scope = request.POST.get("scope", "selected")
    list_url = reverse(f"extranet:{kind}") + (f"?{request.POST['query']}" if request.POST.get("query") else "")
    if fmt not in EXPORT_FORMATS:
        messages.error(request, _("Choisissez un format d'export : ISO 2709, MARCXML ou CSV."))
        return redirect(list_url)
    queryset = _export_queryset(request, kind, scope)
    if queryset is None:
        messages.error(
            request,
            _("Cochez au moins une ligne, ou choisissez « toutes les lignes correspondant aux filtres »."),
        )
        return redirect(list_url)
    library = request.library
    filename = export_filename(library, kind, fmt)
    if queryset.count() > export_async_threshold():
        return _start_async_export(request, kind, fmt, scope, filename)
    if fmt == "csv":
        return csv_response(filename, csv_header(kind), csv_rows(queryset, kind))
    response = StreamingHttpResponse(export_chunks(queryset, kind, fmt), content_type=EXPORT_FORMATS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@manager_required
def loans_export(request: PartnerRequest) -> HttpResponse:
    return _export(request, "loans")


@require_POST
@manager_required
def returns_export(request: PartnerRequest) -> HttpResponse:
    return _export(request, "returns")


# --- large exports: Celery task, progress page, download -------------------------------------


def export_folder(library: Library, token: str) -> str:
    """Storage folder of one export; the library's id is part of the path."""
    return f"exports/library-{library.pk}/{token}"


def _start_async_export(request: PartnerRequest, kind: str, fmt: str, scope: str, filename: str) -> HttpResponse:
    from extranet.tasks import export_loans_file  # the task imports this module

    library = request.library
    token = uuid.uuid4().hex
    ids = sorted(selected_ids(request)) if scope != "filtered" else []
    folder = export_folder(library, token)
    default_storage.save(f"{folder}/{filename}.part", ContentFile(b""))
    export_loans_file.delay(
        library_id=library.pk,
        kind=kind,
        fmt=fmt,
        ids=ids,
        query=request.POST.get("query", "") if scope == "filtered" else "",
        folder=folder,
        filename=filename,
    )
    if _ready_file(library, token):
        # Eager mode (no worker): the file is already written, simply download it.
        return redirect("extranet:export_download", token=token)
    return redirect("extranet:export_status", token=token)


def _ready_file(library: Library, token: str) -> str | None:
    if not _TOKEN_RE.match(token):
        return None
    folder = export_folder(library, token)
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return None
    finished = [name for name in files if not name.endswith((".part", ".failed"))]
    return f"{folder}/{finished[0]}" if finished else None


def _folder_exists(library: Library, token: str) -> bool:
    if not _TOKEN_RE.match(token):
        return False
    try:
        _dirs, files = default_storage.listdir(export_folder(library, token))
    except FileNotFoundError:
        return False
    return bool(files)


@manager_required
def export_status(request: PartnerRequest, token: str) -> HttpResponse:
    library = request.library
    if not _folder_exists(library, token):
        raise Http404
    ready = _ready_file(library, token)
    _dirs, files = default_storage.listdir(export_folder(library, token))
    return render(
        request,
        "extranet/lists/export_status.html",
        {
            "extranet_section": "loans",
            "ready": bool(ready),
            "failed": not ready and any(name.endswith(".failed") for name in files),
            "filename": ready.rsplit("/", 1)[-1] if ready else "",
            "download_url": reverse("extranet:export_download", kwargs={"token": token}),
        },
    )


@manager_required
def export_download(request: PartnerRequest, token: str) -> HttpResponse:
    library = request.library
    path = _ready_file(library, token)
    if path is None:
        raise Http404
    filename = path.rsplit("/", 1)[-1]
    content_type = EXPORT_FORMATS.get(filename.rsplit(".", 1)[-1], ("application/octet-stream",))[0]
    return FileResponse(
        default_storage.open(path, "rb"), as_attachment=True, filename=filename, content_type=content_type
    )


# --- reservations ------------------------------------------------------------------------------

RESERVATION_COLUMNS = [
    ("title", gettext_lazy("Titre")),
    ("author", gettext_lazy("Auteur")),
    ("created_at", gettext_lazy("Date de la demande")),
    ("status", gettext_lazy("Statut")),
]


def _reservations(request: PartnerRequest) -> QuerySet[Reservation]:
    return (
        scoped(request, Reservation)
        .select_related("record")
        .only("id", "created_at", "status", "library_id", "record__title", "record__main_author")
    )


@partner_required
def reservations(request: PartnerRequest) -> HttpResponse:
    base = _reservations(request)
    filterset = ReservationFilter(request.GET, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    key, descending = parse_sort(request.GET.get("o"), RESERVATION_SORTS, "-created_at")
    queryset = ordered(queryset, RESERVATION_SORTS, key, descending)
    context = {
        "extranet_section": "reservations",
        "filter": filterset,
        "columns": sortable_columns(request.GET, RESERVATION_COLUMNS, key, descending, ascending_first=TEXT_COLUMNS),
        "can_delete": request.user.is_manager,
        "export_url": reverse("extranet:reservations_export") + query_string(request.GET, page=None, per_page=None),
        "active_statuses": [str(status) for status in Reservation.ACTIVE_STATUSES],
        **paginate(request, queryset),
    }
    return render(request, "catalogue/espace/reservations.html", context)


@manager_required
def reservations_export(request: PartnerRequest) -> HttpResponse:
    """CSV of the reservations matching the list's filters, in its sort order."""
    base = _reservations(request)
    filterset = ReservationFilter(request.GET, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    key, descending = parse_sort(request.GET.get("o"), RESERVATION_SORTS, "-created_at")
    rows = (
        (title, author, timezone.localtime(created_at).strftime("%d/%m/%Y %H:%M"), Reservation.Status(status).label)
        for title, author, created_at, status in ordered(queryset, RESERVATION_SORTS, key, descending)
        .values_list("record__title", "record__main_author", "created_at", "status")
        .iterator(chunk_size=2000)
    )
    library = request.library
    code = re.sub(r"[^A-Za-z0-9_-]", "", library.code) or "bibliotheque"
    filename = f"{code}_reservations_{timezone.localdate().isoformat()}.csv"
    return csv_response(filename, [str(label) for _key, label in RESERVATION_COLUMNS], rows)


@require_POST
@manager_required
def reservations_delete(request: PartnerRequest) -> HttpResponse:
    """Confirmation page (no JavaScript) then cancellation of the selected reservations."""
    ids = selected_ids(request)
    if not ids:
        messages.error(request, _("Cochez au moins une réservation à supprimer."))
        return redirect("extranet:reservations")
    selected = list(_reservations(request).filter(pk__in=ids))
    if len(selected) != len(ids):
        raise Http404
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "catalogue/espace/reservations_confirm_delete.html",
            {"extranet_section": "reservations", "reservations": selected},
        )
    cancelled = 0
    for reservation in selected:
        try:
            reservation_cancel(reservation=reservation, user=request.user)
        except ValidationError as exc:
            messages.error(request, f"{reservation.record.title} : {' '.join(exc.messages)}")
        else:
            cancelled += 1
    if cancelled:
        messages.success(request, _("Réservation(s) supprimée(s) : %(count)d.") % {"count": cancelled})
    return redirect("extranet:reservations")
