"""Admin of the animation tools: catalogue, and the bookings the BDVO staff decide on.

Every change of a booking goes through ``services`` (so rules, permissions and e-mails
are the same as everywhere); the change form only shows the booking, the rules' verdict
and links. Referents see the bookings of their territories' libraries, administrators all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Field, ForeignKey, QuerySet
from django.forms import Field as FormField
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from animation_tools import rules, services
from animation_tools.forms import ConventionReturnForm, OverrideForm, RefusalReasonForm
from animation_tools.models import TechnicalSheet, Tool, ToolBooking, ToolPhoto, ToolType
from extranet.permissions import ReferentScopedAdminMixin, referent_libraries, referent_territories

if TYPE_CHECKING:
    from extranet.models import User


@admin.register(ToolType)
class ToolTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


class TechnicalSheetInline(admin.TabularInline):
    model = TechnicalSheet
    extra = 1

    def formfield_for_dbfield(self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any) -> FormField | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            db_field.name == "file" and field is not None
        ):  # the limit is a setting: the model's help text cannot know it
            field.help_text = _("PDF de %(limit)s au plus.") % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        return field


class ToolPhotoInline(admin.TabularInline):
    model = ToolPhoto
    extra = 1


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "audience", "value", "crates", "is_active"]
    list_filter = ["type", "audience", "is_active"]
    search_fields = ["name", "description"]
    list_select_related = ["type"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TechnicalSheetInline, ToolPhotoInline]


class BookingAddForm(forms.ModelForm):
    """Staff book for a library (e.g. after a phone call); the rules apply, a reason overrides the lead time."""

    override_reason = forms.CharField(
        label=_("Motif de dérogation (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Renseigné, il lève les règles du délai de prévenance et des jours de navette pour ce cas exceptionnel."
        ),
    )

    class Meta:
        model = ToolBooking
        fields = ["tool", "library", "loan_date", "return_date", "self_collect"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if all(data.get(key) for key in ("tool", "library", "loan_date", "return_date")):
            verdict = rules.check_booking(
                tool=data["tool"], library=data["library"], loan_date=data["loan_date"], return_date=data["return_date"],
                today=timezone.localdate(), override=bool(data.get("override_reason", "").strip()),
                self_collect=bool(data.get("self_collect")),
            )  # fmt: skip
            if not verdict.accepted:
                raise ValidationError(verdict.messages)
        return data


class TerritoryFilter(admin.SimpleListFilter):
    title = _("territoire")
    parameter_name = "territory"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[Any, str]]:
        user = cast("User", request.user)  # the admin site only lets logged-in staff in
        return [(territory.pk, territory.name) for territory in referent_territories(user)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(library__territory_id=self.value()) if self.value() else queryset


@admin.register(ToolBooking)
class ToolBookingAdmin(ReferentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["tool", "library", "loan_date", "return_date", "status", "convention_column", "rules_overridden"]
    list_filter = [
        "status",
        "convention_required",
        ("convention_returned_on", admin.EmptyFieldListFilter),
        "tool__type",
        TerritoryFilter,
        "loan_date",
        "return_date",
        ("tool", admin.RelatedOnlyFieldListFilter),
        ("library", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["tool__name", "library__name", "library__code"]
    list_select_related = ["tool__type", "library__territory"]
    date_hierarchy = "loan_date"
    actions = ["validate", "refuse", "mark_out", "mark_returned", "mark_checked", "record_convention", "override"]
    readonly_fields = (
        "tool", "library", "requested_by", "loan_date", "return_date", "self_collect", "blocked_until", "status",
        "refusal_reason",
        "convention_required", "convention_returned_on", "convention_link", "rules_overridden", "override_reason",
        "overridden_by", "rules_verdict", "created_at", "updated_at",
    )  # fmt: skip

    def get_form(
        self, request: HttpRequest, obj: ToolBooking | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[ToolBooking]]:
        if obj is None:
            kwargs["form"] = BookingAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: ToolBooking | None = None) -> tuple[str, ...]:
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: ToolBooking | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("tool", "library", "loan_date", "return_date", "self_collect", "override_reason")
        return self.readonly_fields

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "library":
            user = cast("User", request.user)  # the admin site only lets logged-in staff in
            kwargs["queryset"] = referent_libraries(user).filter(is_active=True)
        if db_field.name == "tool":
            kwargs["queryset"] = Tool.objects.active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: ToolBooking | None = None) -> bool:
        return False  # a booking is refused or cancelled, never deleted: its history stays

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: ToolBooking | None = None,
    ) -> HttpResponse:
        if change:  # read-only page: changes go through the actions of the list
            context.update(
                show_save=False, show_save_and_continue=False, show_save_and_add_another=False, show_delete=False
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_model(
        self, request: HttpRequest, obj: ToolBooking, form: forms.ModelForm[ToolBooking], change: bool
    ) -> None:
        if change:  # the change form is read-only: changes go through the actions
            return
        data = form.cleaned_data
        booking = services.booking_request(
            tool=data["tool"], library=data["library"], user=cast("User", request.user), loan_date=data["loan_date"],
            return_date=data["return_date"], override_reason=data.get("override_reason", ""),
            self_collect=bool(data.get("self_collect")),
        )  # fmt: skip
        obj.pk = booking.pk

    @admin.display(description=_("convention"))
    def convention_column(self, booking: ToolBooking) -> str:
        return booking.convention_state

    @admin.display(description=_("document de convention"))
    def convention_link(self, booking: ToolBooking) -> str:
        if not booking.convention_required:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("animation_tools:staff_booking_convention", args=[booking.pk]),
            _("Ouvrir la convention à imprimer"),
        )

    @admin.display(description=_("règles de pré-réservation"))
    def rules_verdict(self, booking: ToolBooking) -> str:
        if not booking.is_active:
            return str(
                _("Pré-réservation « %(status)s » : elle ne bloque pas l'outil.")
                % {"status": booking.get_status_display()}
            )
        return rules.booking_verdict(booking, today=timezone.localdate()).summary()

    # --- actions: each calls a service per booking and reports refusals by booking ------------

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet[ToolBooking],
        service: Callable[..., object],
        done: str,
        **kwargs: Any,
    ) -> None:
        applied = 0
        for booking in queryset.select_related("tool", "library"):
            try:
                service(booking=booking, user=request.user, **kwargs)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{booking} : {text}", messages.ERROR)
            else:
                applied += 1
        if applied:
            self.message_user(
                request,
                _("%(count)s pré-réservation(s) %(done)s.") % {"count": applied, "done": done},
                messages.SUCCESS,
            )

    def _form_page(
        self, request: HttpRequest, queryset: QuerySet[ToolBooking], form: forms.Form, action: str, title: str
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "bookings": queryset.select_related("tool", "library"),
            "form": form,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/animation_tools/booking_action_form.html", context)

    @admin.action(description=_("Valider les pré-réservations sélectionnées"))
    def validate(self, request: HttpRequest, queryset: QuerySet[ToolBooking]) -> None:
        self._apply(request, queryset, services.booking_validate, str(_("validée(s)")))

    @admin.action(description=_("Refuser les pré-réservations sélectionnées (avec un motif)"))
    def refuse(self, request: HttpRequest, queryset: QuerySet[ToolBooking]) -> HttpResponse | None:
        form = RefusalReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply(
                request, queryset, services.booking_refuse, str(_("refusée(s)")), reason=form.cleaned_data["reason"]
            )
            return None
        return self._form_page(request, queryset, form, "refuse", str(_("Refuser des pré-réservations")))

    @admin.action(description=_("Marquer comme sorties (en prêt)"))
    def mark_out(self, request: HttpRequest, queryset: QuerySet[ToolBooking]) -> None:
        self._apply(request, queryset, services.booking_mark_out, str(_("sortie(s)")))

    @admin.action(description=_("Marquer comme retournées"))
    def mark_returned(self, request: HttpRequest, queryset: QuerySet[ToolBooking]) -> None:
        self._apply(request, queryset, services.booking_mark_returned, str(_("retournée(s)")))

    @admin.action(description=_("Marquer comme vérifiées"))
    def mark_checked(self, request: HttpRequest, queryset: QuerySet[ToolBooking]) -> None:
        self._apply(request, queryset, services.booking_mark_checked, str(_("vérifiée(s)")))

    @admin.action(description=_("Enregistrer le retour de la convention signée"))
    def record_convention(self, request: HttpRequest, queryset: QuerySet[ToolBooking]) -> HttpResponse | None:
        form = ConventionReturnForm(
            request.POST if "apply" in request.POST else None, initial={"returned_on": timezone.localdate()}
        )
        if form.is_valid():
            self._apply(
                request,
                queryset,
                services.booking_record_convention,
                str(_("mise(s) à jour")),
                returned_on=form.cleaned_data["returned_on"],
            )
            return None
        return self._form_page(request, queryset, form, "record_convention", str(_("Convention signée reçue")))

    @admin.action(description=_("Accorder une dérogation aux règles (avec un motif)"))
    def override(self, request: HttpRequest, queryset: QuerySet[ToolBooking]) -> HttpResponse | None:
        form = OverrideForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply(
                request, queryset, services.booking_override, str(_("avec dérogation")),
                reason=form.cleaned_data["reason"], waive_convention=form.cleaned_data["waive_convention"],
            )  # fmt: skip
            return None
        return self._form_page(request, queryset, form, "override", str(_("Dérogation aux règles")))
