"""Stored files served by the application, with the access rule and the caching of each.

Every download goes through a view that first decides who may read the file (public
files: anyone; a library's files: that library and the BDVO staff), then answers with
``stored_file_response``. Files are read through their storage (Django's storage API,
never a filesystem path), so an S3-compatible storage can replace the local disk without
changing a view, and the portal needs no front server to serve them.

A file whose record exists but whose bytes are gone (deleted by hand, lost in a restore)
is not an error of the portal: pages ask ``stored_file_size`` and say « Fichier
indisponible »; download routes answer the French 404 page of ``file_unavailable``.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _

from extranet.permissions import staff_required

if TYPE_CHECKING:
    from django.core.files.storage import Storage
    from django.db.models.fields.files import FieldFile

# How long browsers and shared caches may keep a public file (technical sheets, tool photos)
# before asking again; the ETag makes that second request a cheap 304.
DEFAULT_PUBLIC_MAX_AGE = 24 * 3600


def _public_max_age() -> int:
    return int(getattr(settings, "PUBLIC_FILES_MAX_AGE", DEFAULT_PUBLIC_MAX_AGE))


def stored_file_size(field_file: FieldFile) -> int | None:
    """Size in bytes of the stored file, or None when the field is empty or the file is missing
    from its storage (the page then says the file is unavailable instead of failing)."""
    if not field_file or not field_file.name:
        return None
    storage = field_file.storage
    try:
        if not storage.exists(field_file.name):
            return None
        return storage.size(field_file.name)
    except OSError:
        return None


def file_unavailable(request: HttpRequest) -> HttpResponse:
    """The French 404 page for a file that is referenced but absent from storage."""
    message = _(
        "Ce fichier est indisponible pour le moment. Réessayez plus tard ; "
        "si le problème persiste, écrivez à %(email)s en indiquant la page où vous l'avez trouvé."
    ) % {"email": settings.BDVO_CONTACT_EMAIL}
    return render(request, "404.html", {"message": message}, status=404)


def stored_file_response(
    request: HttpRequest,
    field_file: FieldFile,
    *,
    public: bool,
    filename: str | None = None,
    as_attachment: bool = False,
) -> HttpResponseBase:
    """Stream ``field_file`` from its storage once the caller has checked who may read it.

    ``public=True``: ``Cache-Control: public, max-age=PUBLIC_FILES_MAX_AGE`` with an ``ETag`` and
    a ``Last-Modified`` (a conditional request gets 304). ``public=False``: ``Cache-Control:
    private, no-store``, so neither a shared cache nor the browser's disk keeps a library's file.
    ``filename`` is the name offered to the browser (default: the stored name's last part).
    A missing file answers ``file_unavailable`` (404, French), never a 500.
    """
    return _serve(
        request,
        field_file.storage,
        field_file.name or "",
        public=public,
        filename=filename,
        as_attachment=as_attachment,
    )


def _serve(
    request: HttpRequest, storage: Storage, name: str, *, public: bool, filename: str | None, as_attachment: bool
) -> HttpResponseBase:
    try:
        if not name or not storage.exists(name):
            return file_unavailable(request)
        validators = _validators(storage, name) if public else None
    except OSError:
        return file_unavailable(request)
    if validators is not None:
        etag, last_modified = validators
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return _cached(not_modified, public=True, validators=validators)
    try:
        handle = storage.open(name, "rb")
    except OSError:
        return file_unavailable(request)
    shown_name = filename or posixpath.basename(name)
    content_type = mimetypes.guess_type(shown_name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=as_attachment, filename=shown_name, content_type=content_type)
    return _cached(response, public=public, validators=validators)


def _validators(storage: Storage, name: str) -> tuple[str, int | None]:
    """(ETag, Last-Modified timestamp) from the storage's metadata, without reading the file."""
    size = storage.size(name)
    try:
        modified: int | None = int(storage.get_modified_time(name).timestamp())
    except NotImplementedError:
        modified = None
    digest = hashlib.sha256(f"{name}\0{size}\0{modified}".encode()).hexdigest()[:32]
    return quote_etag(digest), modified


def _cached(response: HttpResponseBase, *, public: bool, validators: tuple[str, int | None] | None) -> HttpResponseBase:
    if public:
        patch_cache_control(response, public=True, max_age=_public_max_age())
        if validators is not None:
            etag, modified = validators
            response.headers["ETag"] = etag
            if modified is not None:
                response.headers["Last-Modified"] = http_date(modified)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


# Stored names under these folders are served by their own routes only (see ``staff_media``).
PRIVATE_PREFIXES = ("exports/",)


@staff_required
def staff_media(request: HttpRequest, name: str) -> HttpResponseBase:
    """A stored file by its raw name, for the BDVO staff only (the admin's « Actuellement » links).

    Pages link files through routes by object, each with its own access rule; this route only
    keeps the links that Django's admin draws from ``FieldFile.url`` working. Never cached.
    Export files (``exports/``) belong to one library or one staff member: they are served by
    their job's route only (the admin links none), never here, so that a referent cannot read
    another territory's export by its stored name.
    """
    # Only plain names (no "", "." or ".." segment), so that no spelling reaches a private folder.
    if any(part in {"", ".", ".."} for part in name.split("/")) or name.startswith(PRIVATE_PREFIXES):
        return file_unavailable(request)
    return _serve(request, default_storage, name, public=False, filename=None, as_attachment=False)
