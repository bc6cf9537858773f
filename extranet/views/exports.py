"""The export endpoints: one per exporter (partner and staff), a job's status page and its file.

``export`` answers GET (the list's query string) and POST (``selected`` row ids and/or the
list's ``query``, ``scope=filtered`` for every matching row) through
``extranet.exports.services.export_response``. Exporting is reading: a partner exporter
is open to any partner of the library (Consulter included), a staff exporter to staff.
A job is only ever shown to the user who started it: another library's, or another
user's, is a 404.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from extranet.exports import registry
from extranet.exports.base import Exporter, ExportError, ExportParameters
from extranet.exports.services import ExportRequest, export_response
from extranet.lists import selected_ids
from extranet.models import ExportJob, Library, User
from extranet.permissions import partner_required, staff_required
from extranet.tenancy import PartnerRequest


def _exporter(identifier: str, *, for_partners: bool) -> Exporter:
    try:
        exporter = registry.get(identifier)
    except registry.ExporterNotFound as exc:
        raise Http404 from exc
    if exporter.for_partners != for_partners:
        raise Http404
    return exporter


def _export_request(
    request: HttpRequest, exporter: Exporter, user: User, library: Library | None
) -> ExportRequest | HttpResponseBase:
    """The export asked for, or a redirect to the list with a French message saying what to fix."""
    query: QueryDict
    if request.method == "POST":
        data = request.POST
        query = QueryDict(data.get("query", ""))
    else:
        data = request.GET
        query = request.GET.copy()
        query.pop("format", None)
    parameters = ExportParameters(user=user, library=library, query=query)
    list_url = exporter.list_url(parameters)
    code = (
        data.get("format")
        or exporter.default_format
        or (next(iter(exporter.formats)) if len(exporter.formats) == 1 else "")
    )
    if code not in exporter.formats:
        labels = ", ".join(str(export_format.label) for export_format in exporter.formats.values())
        messages.error(request, _("Choisissez un format d'export : %(formats)s.") % {"formats": labels})
        return redirect(list_url)
    if request.method == "POST" and data.get("scope") != "filtered":
        ids = frozenset(selected_ids(request))
        if not ids and data.get("scope") == "selected":
            messages.error(
                request,
                _("Cochez au moins une ligne, ou choisissez « toutes les lignes correspondant aux filtres »."),
            )
            return redirect(list_url)
        parameters = dataclasses.replace(parameters, ids=ids)
    return ExportRequest(exporter=exporter, export_format=exporter.formats[code], parameters=parameters)


def _answer(
    request: HttpRequest, exporter: Exporter, user: User, library: Library | None, url_names: tuple[str, str]
) -> HttpResponseBase:
    if not exporter.has_permission(user, library):
        raise PermissionDenied(str(exporter.permission_message))
    export = _export_request(request, exporter, user, library)
    if isinstance(export, HttpResponseBase):
        return export
    job_name, download_name = url_names
    try:
        return export_response(
            export,
            status_url=lambda job: reverse(job_name, kwargs={"pk": job.pk}),
            download_url=lambda job: reverse(download_name, kwargs={"pk": job.pk}),
        )
    except ExportError as error:
        messages.error(request, error.message)
        return redirect(exporter.list_url(export.parameters))


def _job_page(request: HttpRequest, job: ExportJob, template: str, download_name: str) -> HttpResponseBase:
    try:
        exporter: Exporter | None = registry.get(job.exporter)
    except registry.ExporterNotFound:
        exporter = None
    parameters = ExportParameters.from_json(job.parameters, user=job.user, library=job.library)
    return render(
        request,
        template,
        {
            "extranet_section": exporter.menu_section if exporter else "",
            "job": job,
            "exporter_name": str(exporter) if exporter else job.exporter,
            "list_url": exporter.list_url(parameters) if exporter else "",
            "download_url": reverse(download_name, kwargs={"pk": job.pk}),
            "refresh_seconds": 3,
        },
    )


def _download(job: ExportJob) -> FileResponse:
    if job.status != ExportJob.Status.DONE or not job.file or job.expires_at <= timezone.now():
        raise Http404
    try:
        content_type = registry.get(job.exporter).formats[job.format].content_type
    except (registry.ExporterNotFound, KeyError):
        content_type = "application/octet-stream"
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:  # removed from the storage behind the job's back
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=job.filename, content_type=content_type)


# --- espace professionnel ----------------------------------------------------------------------


def _partner_job(request: PartnerRequest, pk: uuid.UUID) -> ExportJob:
    jobs: QuerySet[ExportJob] = ExportJob.objects.for_library(request.library).filter(user=request.user)
    return get_object_or_404(jobs.select_related("user", "library"), pk=pk)


@partner_required
@require_http_methods(["GET", "HEAD", "POST"])
def export(request: PartnerRequest, identifier: str) -> HttpResponseBase:
    """Export of one list of the espace professionnel (any partner of the library)."""
    exporter = _exporter(identifier, for_partners=True)
    return _answer(
        request, exporter, request.user, request.library, ("extranet:export_job", "extranet:export_job_download")
    )


@partner_required
@require_safe
def export_job(request: PartnerRequest, pk: uuid.UUID) -> HttpResponseBase:
    """Status of a background export; refreshes itself (no JavaScript) until it is finished."""
    return _job_page(request, _partner_job(request, pk), "extranet/exports/job.html", "extranet:export_job_download")


@partner_required
@require_safe
def export_job_download(request: PartnerRequest, pk: uuid.UUID) -> HttpResponseBase:
    return _download(_partner_job(request, pk))


# --- staff pages -------------------------------------------------------------------------------


def _staff_user(request: HttpRequest) -> User:
    return cast(User, request.user)  # staff_required ran: an active BDVO staff account


def _staff_job(request: HttpRequest, pk: uuid.UUID) -> ExportJob:
    return get_object_or_404(ExportJob.objects.of_staff_user(_staff_user(request)).select_related("user"), pk=pk)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_export(request: HttpRequest, identifier: str) -> HttpResponseBase:
    """Export of one list of the staff pages (BDVO staff only; partners get 403)."""
    user = _staff_user(request)
    exporter = _exporter(identifier, for_partners=False)
    return _answer(request, exporter, user, None, ("exports_staff:job", "exports_staff:download"))


@staff_required
@require_safe
def staff_export_job(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    return _job_page(request, _staff_job(request, pk), "extranet/exports/staff_job.html", "exports_staff:download")


@staff_required
@require_safe
def staff_export_job_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    return _download(_staff_job(request, pk))


__all__ = [
    "export",
    "export_job",
    "export_job_download",
    "staff_export",
    "staff_export_job",
    "staff_export_job_download",
]
