"""Admin of territories, libraries and accounts, scoped to the referent's territories."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from extranet import services
from extranet.models import Library, Territory, User
from extranet.permissions import ReferentScopedAdminMixin

if TYPE_CHECKING:
    # Generic in django-stubs only: these classes have no __class_getitem__ at run time.
    _TerritoryAdmin = admin.ModelAdmin[Territory]
    _LibraryAdmin = admin.ModelAdmin[Library]
    _UserAdmin = DjangoUserAdmin[User]
    _UserForm = forms.ModelForm[User]
else:
    _TerritoryAdmin = _LibraryAdmin = admin.ModelAdmin
    _UserAdmin = DjangoUserAdmin
    _UserForm = forms.ModelForm


@admin.register(Territory)
class TerritoryAdmin(ReferentScopedAdminMixin, _TerritoryAdmin):
    list_display = ["name", "referent_names"]
    filter_horizontal = ["referents"]
    search_fields = ["name"]
    territory_field = ""  # the territory itself

    def get_queryset(self, request: HttpRequest) -> QuerySet[Territory]:
        return super().get_queryset(request).prefetch_related("referents")

    @admin.display(description=_("référent·es"))
    def referent_names(self, territory: Territory) -> str:
        return ", ".join(str(referent) for referent in territory.referents.all())


@admin.register(Library)
class LibraryAdmin(ReferentScopedAdminMixin, _LibraryAdmin):
    list_display = ["name", "code", "commune", "territory", "is_active"]
    list_filter = ["territory", "is_active"]
    search_fields = ["name", "code", "commune"]
    list_select_related = ["territory"]


class PartnerAccountCreationForm(_UserForm):
    """Creation of an account in admin: no password field, a set-password e-mail is sent."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "library", "profile", "job_title", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ["first_name", "last_name", "email"]:
            self.fields[name].required = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("library") and not cleaned.get("profile"):
            self.add_error("profile", _("Choisissez le profil Gestionnaire ou Consulter."))
        if not cleaned.get("library") and cleaned.get("profile"):
            self.add_error(
                "library", _("Un profil ne s'applique qu'à un compte partenaire : choisissez sa bibliothèque.")
            )
        return cleaned


@admin.register(User)
class UserAdmin(ReferentScopedAdminMixin, _UserAdmin):
    add_form = PartnerAccountCreationForm
    add_fieldsets = (
        (None, {"fields": ("first_name", "last_name", "email", "library", "profile", "job_title", "phone")}),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "email", "job_title", "phone")}),
        (_("Bibliothèque"), {"fields": ("library", "profile")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ["username", "last_name", "first_name", "email", "library", "profile", "is_active", "is_staff"]
    list_filter = ["profile", "is_active", "is_staff", "library__territory", "library"]
    list_select_related = ["library"]
    search_fields = ["username", "first_name", "last_name", "email", "library__name"]

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not request.user.is_superuser:
            # Referents manage partner accounts, never staff rights.
            return [fs for fs in fieldsets if fs[0] != _("Droits")] + [(_("Droits"), {"fields": ("is_active",)})]
        return fieldsets

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[User]]:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        account = obj

        class KeepsAManagerForm(form_class):  # type: ignore[misc, valid-type]  # a base chosen at run time
            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean()
                try:
                    services.ensure_keeps_a_manager(
                        account,
                        profile=cleaned.get("profile", account.profile),
                        active=cleaned.get("is_active", account.is_active),
                    )
                except ValidationError as exc:
                    self.add_error(None, exc)
                return cleaned

        return KeepsAManagerForm

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.user_create(
            library=obj.library,
            first_name=obj.first_name,
            last_name=obj.last_name,
            email=obj.email,
            profile=obj.profile,
            job_title=obj.job_title,
            phone=obj.phone,
        )
        obj.pk = created.pk
        obj.refresh_from_db()


# The navette's rounds, their changes and the BDVO's closures have their own module.
from extranet import navette_admin  # noqa: E402, F401
