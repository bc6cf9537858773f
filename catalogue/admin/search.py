"""Admin of the predefined searches offered under the search bar."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalogue.models import PredefinedSearch


@admin.register(PredefinedSearch)
class PredefinedSearchAdmin(admin.ModelAdmin):
    list_display = ["label", "query", "scope", "position", "is_active", "results_link"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "scope"]
    search_fields = ["label", "query"]

    @admin.display(description=_("résultats"))
    def results_link(self, obj: PredefinedSearch) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Ouvrir"))
