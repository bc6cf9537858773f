"""Admin of records, items and MARC imports (upload → Celery task → report; re-run when failed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.marc.charsets import ENCODING_CHOICES
from catalogue.models import Item, MarcImport, Record, RecordAuthor, RecordSubject
from catalogue.services.import_jobs import marc_import_queue, marc_import_retry, marc_imports_fail_stalled

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups
    from django.http import HttpRequest

    from extranet.models import User


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["barcode", "call_number", "section", "document_type", "status"]


class RecordAuthorInline(admin.TabularInline):
    model = RecordAuthor
    extra = 0
    fields = ["position", "name", "role"]


class RecordSubjectInline(admin.TabularInline):
    model = RecordSubject
    extra = 0
    fields = ["label"]


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ["title", "main_author", "publication_year", "document_type", "audience", "language", "source_id"]
    list_filter = ["document_type", "audience", "language", "flavour"]
    search_fields = ["title", "isbn", "source_id", "main_author"]
    readonly_fields = [
        "source_id",
        "flavour",
        "marc_display",
        "authors_text",
        "subjects_text",
        "created_at",
        "updated_at",
    ]
    exclude = ["marc"]
    inlines = [ItemInline, RecordAuthorInline, RecordSubjectInline]
    show_full_result_count = False  # COUNT(*) on 250 000 rows for every list page is wasted

    @admin.display(description=_("notice MARC"))
    def marc_display(self, obj: Record) -> str:
        if not obj.marc:
            return "—"
        return format_html("<pre>{}</pre>", str(obj.as_pymarc()))


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["barcode", "record", "call_number", "section", "document_type", "status"]
    list_filter = ["status", "document_type"]
    search_fields = ["barcode", "call_number", "record__title"]
    list_select_related = ["record"]
    raw_id_fields = ["record"]


class MarcImportForm(forms.ModelForm):
    encoding = forms.ChoiceField(
        label=_("encodage forcé"),
        required=False,
        choices=[("", _("Détection automatique"))] + [(value, value) for value in ENCODING_CHOICES],
    )

    class Meta:
        model = MarcImport
        fields = ["file", "flavour", "encoding"]

    def clean_file(self) -> UploadedFile:
        """The uploaded file, refused when missing or over ``settings.MARC_UPLOAD_MAX_BYTES``."""
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError(_("Choisissez un fichier MARC (ISO 2709 ou MARCXML)."))
        if upload.size > settings.MARC_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "Ce fichier pèse %(size)s : la limite des fichiers MARC envoyés ici est de %(limit)s. "
                    "Découpez-le en plusieurs fichiers, ou faites-le importer sur le serveur par la commande "
                    "« manage.py import_marc », qui n'a pas de limite."
                ),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MARC_UPLOAD_MAX_BYTES)},
            )
        return upload


@admin.register(MarcImport)
class MarcImportAdmin(admin.ModelAdmin):
    form = MarcImportForm
    list_display = [
        "__str__",
        "status",
        "records_read",
        "records_created",
        "records_updated",
        "records_rejected",
        "created_by",
        "created_at",
    ]
    list_filter = ["status"]
    actions = ["retry"]
    report_fields = [
        "original_name",
        "status",
        "records_read",
        "records_created",
        "records_updated",
        "records_rejected",
        "error",
        "report_table",
        "created_by",
        "created_at",
        "heartbeat_at",
        "attempts",
        "finished_at",
    ]

    def get_fields(self, request: HttpRequest, obj: MarcImport | None = None) -> _FieldGroups:
        return ["file", "flavour", "encoding"] if obj is None else ["flavour", "encoding", *self.report_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: MarcImport | None = None) -> list[str]:
        return [] if obj is None else ["flavour", "encoding", *self.report_fields]

    def has_change_permission(self, request: HttpRequest, obj: MarcImport | None = None) -> bool:
        # The report is read-only; the change page stays viewable.
        return super().has_change_permission(request, obj) if obj is None else False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        marc_imports_fail_stalled()  # an import whose worker died is shown as failed, not « en cours »
        return super().changelist_view(request, extra_context)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        marc_imports_fail_stalled()
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: MarcImport, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = cast("User", request.user)  # the admin site only lets logged-in staff in
            obj.original_name = getattr(form.cleaned_data.get("file"), "name", "")[:255]
        super().save_model(request, obj, form, change)
        if not change:
            marc_import_queue(marc_import=obj)

    @admin.action(description=_("Relancer l'import"), permissions=["add"])
    def retry(self, request: HttpRequest, queryset: QuerySet[MarcImport]) -> None:
        """Queue the selected failed imports again; the others are left as they are."""
        retried = sum(marc_import_retry(marc_import=marc_import) for marc_import in queryset)
        skipped = len(queryset) - retried
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d import relancé : les notices déjà enregistrées seront mises à jour, sans doublon.",
                    "%(count)d imports relancés : les notices déjà enregistrées seront mises à jour, sans doublon.",
                    retried,
                )
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d import non relancé : seuls les imports en échec peuvent l'être.",
                    "%(count)d imports non relancés : seuls les imports en échec peuvent l'être.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.display(description=_("notices rejetées et avertissements"))
    def report_table(self, obj: MarcImport) -> str:
        if not obj.report:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (line.get("position"), line.get("control_number") or "—", line.get("level"), line.get("message"))
                for line in obj.report
            ),
        )
        return format_html(
            '<table><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Rapport d'import"),
            _("Position"),
            _("001"),
            _("Niveau"),
            _("Raison"),
            rows,
        )
