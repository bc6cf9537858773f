"""Admin of the navette: rounds of territories and libraries, one-off changes, BDVO closures.

Imported by ``extranet.admin`` (so that admin's autodiscovery registers these too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from extranet import navette
from extranet.models import ClosurePeriod, NavetteRoundChange, NavetteRule
from extranet.permissions import ReferentScopedAdminMixin

if TYPE_CHECKING:
    # Generic in django-stubs only: ModelAdmin has no __class_getitem__ at run time.
    _ModelAdmin = admin.ModelAdmin[Any]
    _ClosureAdmin = admin.ModelAdmin[ClosurePeriod]
else:
    _ModelAdmin = _ClosureAdmin = admin.ModelAdmin


class TerritoryOrLibraryAdmin(ReferentScopedAdminMixin, _ModelAdmin):
    """Rows of a territory or of one library (never both): a referent sees those of the
    territories they follow and of their libraries; the choices of territory and library are
    theirs too (``ReferentScopedAdminMixin.formfield_for_foreignkey``)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # The mixin scopes through one lookup; these rows reach their territory through one of two.
        queryset = super(ReferentScopedAdminMixin, self).get_queryset(request)
        user = request.user
        if user.is_superuser:
            return queryset
        if not user.is_staff:
            return queryset.none()
        return queryset.filter(Q(territory__referents=user) | Q(library__territory__referents=user)).distinct()

    @admin.display(description=_("territoire ou bibliothèque"), ordering="territory__name")
    def owner(self, obj: NavetteRule | NavetteRoundChange) -> str:
        return str(obj.library.name) if obj.library else str(obj.territory)


@admin.register(NavetteRule)
class NavetteRuleAdmin(TerritoryOrLibraryAdmin):
    list_display = ["owner", "description", "starts_on", "ends_on", "cutoff"]
    list_filter = ["territory", "frequency", "weekday"]
    list_select_related = ["territory", "library"]
    search_fields = ["territory__name", "library__name"]
    readonly_fields = ["coming_days"]
    fieldsets = (
        (
            _("Pour qui"),
            {
                "fields": ("territory", "library"),
                "description": _(
                    "Un territoire, ou une seule bibliothèque quand sa tournée diffère de celle de son territoire "
                    "(les jours où l'une de ses règles s'applique, elle ne suit plus celles du territoire)."
                ),
            },
        ),
        (_("Quand"), {"fields": ("frequency", "weekday", "interval_weeks", "week_of_month", "starts_on", "ends_on")}),
        (_("Date limite des commandes et retours"), {"fields": ("cutoff_open_days", "cutoff_time")}),
        (_("Prochaines dates"), {"fields": ("coming_days",)}),
    )

    @admin.display(description=_("tournée"))
    def description(self, rule: NavetteRule) -> str:
        return rule.describe()

    @admin.display(description=_("date limite"))
    def cutoff(self, rule: NavetteRule) -> str:
        return _("%(days)s jours d'ouverture avant, %(time)s") % {
            "days": rule.cutoff_open_days,
            "time": rule.cutoff_time.strftime("%H:%M"),
        }

    @admin.display(description=_("prochains jours de cette règle"))
    def coming_days(self, rule: NavetteRule) -> str:
        """The rule's next days, those it skips (holiday, Sunday, closure) said so: staff move them."""
        if rule.pk is None:
            return "—"
        lines = []
        for day, reason in navette.rule_days(rule, timezone.localdate(), count=8):
            text = navette.format_day(day)
            if reason:
                text += " — " + _("sautée : %(reason)s ; ajoutez une tournée déplacée si besoin") % {"reason": reason}
            lines.append(text)
        return "\n".join(lines) or str(_("aucune date à venir"))


@admin.register(NavetteRoundChange)
class NavetteRoundChangeAdmin(TerritoryOrLibraryAdmin):
    list_display = ["owner", "kind", "original_date", "new_date", "reason"]
    list_filter = ["kind", "territory"]
    list_select_related = ["territory", "library"]
    search_fields = ["territory__name", "library__name", "reason"]
    date_hierarchy = "original_date"
    fields = ["territory", "library", "kind", "original_date", "new_date", "reason"]


@admin.register(ClosurePeriod)
class ClosurePeriodAdmin(_ClosureAdmin):
    """Closures of the whole BDVO (no territory): no round, no open day."""

    list_display = ["label", "starts_on", "ends_on"]
    date_hierarchy = "starts_on"
