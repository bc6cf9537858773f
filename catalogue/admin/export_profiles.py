"""Admin of the SIGB export profiles: staff set a territory's default and may adjust a
library's own profile (the rules are the model's, ``ExportProfile.clean``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from catalogue.models import ExportProfile
from extranet.permissions import ReferentScopedAdminMixin


@admin.register(ExportProfile)
class ExportProfileAdmin(ReferentScopedAdminMixin, admin.ModelAdmin):
    """A referent sees and edits the profiles of their territories' libraries and their
    territories' defaults (``ExportProfileQuerySet.for_referent``)."""

    list_display = ["owner", "system", "holding_code", "write_due_date", "updated_at", "updated_by"]
    # Related-only filters: a referent's choices are those of the rows they may see.
    list_filter = [
        "system",
        ("library", admin.EmptyFieldListFilter),
        ("territory", admin.RelatedOnlyFieldListFilter),
        ("library__territory", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["library", "territory", "updated_by"]
    search_fields = ["library__name", "library__code", "territory__name", "holding_code"]
    readonly_fields = ["updated_at", "updated_by"]
    fieldsets = [
        (_("À qui s'applique ce profil"), {"fields": ["library", "territory"]}),
        (_("SIGB et codes"), {"fields": ["system", "holding_code", "owner_code", "location", "section"]}),
        (_("Contenu de la zone 995"), {"fields": ["write_due_date", "item_types", "subfields"]}),
        (_("Notices"), {"fields": ["dropped_tags"]}),
        (_("Suivi"), {"fields": ["updated_at", "updated_by"]}),
    ]

    @admin.display(description=_("bibliothèque ou territoire"))
    def owner(self, profile: ExportProfile) -> str:
        if profile.library_id:
            return str(profile.library)
        return _("Défaut du territoire %(name)s") % {"name": profile.territory}

    def save_model(self, request: HttpRequest, obj: ExportProfile, form: Any, change: bool) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]  # the admin only lets staff in
        super().save_model(request, obj, form, change)
