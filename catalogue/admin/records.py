"""Admin of records, items and MARC imports (upload → Celery task → report)."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_noop, override
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from catalogue.marc.charsets import ENCODING_CHOICES
from catalogue.models import Item, MarcImport, Record, RecordAuthor, RecordSubject
from catalogue.tasks import run_marc_import

logger = logging.getLogger(__name__)

IMPORT_UNAVAILABLE_MESSAGE = gettext_noop(
    "Le service d'import est momentanément indisponible : l'import n'a pas été lancé. "
    "Réessayez dans quelques minutes ; si cela se répète, contactez l'administrateur du portail."
)


def queue_marc_import(request: HttpRequest, marc_import: MarcImport) -> None:
    """Queue the task of ``marc_import`` (call it once the row is committed).

    When the Celery broker cannot be reached, the import is marked failed with a French
    message saying the service is temporarily unavailable, and the admin user is told so.
    """
    try:
        run_marc_import.delay(marc_import.pk)
    except BrokerUnavailable as error:
        logger.warning("Celery broker unreachable (%s): MARC import %s not started", error, marc_import.pk)
        with override(settings.LANGUAGE_CODE):
            message = gettext(IMPORT_UNAVAILABLE_MESSAGE)
        MarcImport.objects.filter(pk=marc_import.pk, status=MarcImport.Status.PENDING).update(
            status=MarcImport.Status.FAILED, error=message, finished_at=timezone.now()
        )
        messages.error(request, message)


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

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError(_("Choisissez un fichier MARC (ISO 2709 ou MARCXML)."))
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
        "finished_at",
    ]

    def get_fields(self, request, obj=None):
        return ["file", "flavour", "encoding"] if obj is None else ["flavour", "encoding", *self.report_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["flavour", "encoding", *self.report_fields]

    def has_change_permission(self, request, obj=None) -> bool:
        # The report is read-only; the change page stays viewable.
        return super().has_change_permission(request, obj) if obj is None else False

    def save_model(self, request, obj: MarcImport, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
            obj.original_name = getattr(form.cleaned_data.get("file"), "name", "")[:255]
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(lambda: queue_marc_import(request, obj))

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
