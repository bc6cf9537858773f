"""Staff side of the trainings: programme, sessions, registrations, attendance and trainee requests.

Every change that a registrant must hear about goes through ``trainings.services`` (the
session form, the sessions inline, the actions), never through a bare ``save()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from extranet.models import Library
from extranet.permissions import ReferentScopedAdminMixin, referent_libraries
from trainings import services
from trainings.models import Registration, Theme, TraineeRequest, Training, TrainingSession
from trainings.querysets import RegistrationQuerySet, TrainingSessionQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from extranet.models import User


class _SessionCounts(TypedDict):
    registered_count: int
    waiting_count: int


def _staff_user(request: HttpRequest) -> User:
    """The account of an admin request: the admin site only lets logged-in staff in."""
    return cast("User", request.user)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0
    fields = ["starts_at", "ends_at", "schedule", "place", "address", "capacity", "registration_deadline", "status"]
    show_change_link = True


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "theme", "audience", "duration_days", "is_published"]
    list_filter = ["theme", "audience", "is_published"]
    list_select_related = ["theme"]
    search_fields = ["title", "summary", "trainers"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TrainingSessionInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not TrainingSession:
            super().save_formset(request, form, formset, change)
            return
        # Read by the admin's change message, normally filled by formset.save().
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            is_new = inline_form.instance.pk is None
            session = inline_form.save(commit=False)
            session.training = form.instance
            services.session_save(session=session, changed_fields=[] if is_new else inline_form.changed_data)
            if is_new:
                formset.new_objects.append(session)
            else:
                formset.changed_objects.append((session, inline_form.changed_data))
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                formset.deleted_objects.append(deleted.instance)
                deleted.instance.delete()


class RegistrationInline(admin.TabularInline):
    """Registrations of a session; only attendance is edited here (registering goes through the portal)."""

    model = Registration
    extra = 0
    can_delete = False
    fields = ["user", "library", "status", "created_at", "attended"]
    readonly_fields = ["user", "library", "status", "created_at"]
    ordering = ["status", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        # A session's registrants, whatever their library: sessions belong to the whole network.
        registrations = cast(RegistrationQuerySet, super().get_queryset(request))  # Registration.objects' class
        return registrations.all_libraries().select_related("user", "library")


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_at", "place", "places", "status", "attendance_links"]
    list_filter = ["status", "training__theme", "training", ("starts_at", admin.DateFieldListFilter)]
    list_select_related = ["training"]
    search_fields = ["training__title", "place"]
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]
    actions = ["cancel_sessions"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrainingSession]:
        sessions = cast(TrainingSessionQuerySet, super().get_queryset(request))  # TrainingSession.objects' class
        return sessions.with_counts()

    @admin.display(description=gettext_lazy("inscrit·es / places (attente)"))
    def places(self, session: WithAnnotations[TrainingSession, _SessionCounts]) -> str:
        return f"{session.registered_count} / {session.capacity} ({session.waiting_count})"

    @admin.display(description=gettext_lazy("feuille d'émargement"))
    def attendance_links(self, session: TrainingSession) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">CSV</a>',
            reverse("admin:trainings_trainingsession_attendance", args=[session.pk]),
            _("Imprimer"),
            reverse("exports_staff:export", args=["attendance_sheet"]) + f"?session={session.pk}",
        )

    def save_model(self, request: HttpRequest, obj: TrainingSession, form: Any, change: bool) -> None:
        services.session_save(session=obj, changed_fields=form.changed_data if change else ())

    @admin.action(description=gettext_lazy("Annuler les sessions sélectionnées (les inscrit·es sont prévenu·es)"))
    def cancel_sessions(self, request: HttpRequest, queryset: QuerySet[TrainingSession]) -> None:
        count = 0
        for session in queryset:
            if not session.is_cancelled:
                services.session_cancel(session=session)
                count += 1
        self.message_user(request, _("%(count)s session(s) annulée(s).") % {"count": count}, messages.SUCCESS)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/emargement/",
                self.admin_site.admin_view(self.attendance_sheet),
                name="trainings_trainingsession_attendance",
            ),
            *super().get_urls(),
        ]

    def _attendance(self, request: HttpRequest, pk: int) -> tuple[TrainingSession, list[Registration]]:
        session = get_object_or_404(self.get_queryset(request).select_related("training"), pk=pk)
        if not self.has_view_permission(request, session):
            raise PermissionDenied
        registrations = list(
            session.registrations.all_libraries()
            .filter(status=Registration.Status.REGISTERED)
            .select_related("user", "library")
            .order_by("user__last_name", "user__first_name")
        )
        return session, registrations

    def attendance_sheet(self, request: HttpRequest, pk: int) -> HttpResponse:
        """« Feuille d'émargement »: a printable page, one line to sign per registered person."""
        session, registrations = self._attendance(request, pk)
        return render(
            request, "trainings/admin/attendance_sheet.html", {"session": session, "registrations": registrations}
        )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "library", "session", "status", "attended", "created_at"]
    list_filter = ["status", "attended", "session__training", "library__territory", "library"]
    list_select_related = ["user", "library", "session__training"]
    search_fields = ["user__last_name", "user__first_name", "user__email", "session__training__title"]
    readonly_fields = ["session", "user", "library", "status", "created_at", "promoted_at", "cancelled_at"]
    fields = ["session", "user", "library", "status", "attended", "created_at", "promoted_at", "cancelled_at"]
    actions = ["mark_present", "mark_absent", "cancel_registrations"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        registrations = cast(RegistrationQuerySet, super().get_queryset(request))  # Registration.objects' class
        return registrations.for_referent(_staff_user(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Marquer présent·es"))
    def mark_present(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        count = services.registration_set_attendance(registrations=queryset, attended=True)
        self.message_user(request, _("%(count)s présence(s) enregistrée(s).") % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Marquer absent·es"))
    def mark_absent(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        count = services.registration_set_attendance(registrations=queryset, attended=False)
        self.message_user(request, _("%(count)s absence(s) enregistrée(s).") % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Annuler les inscriptions (la liste d'attente avance)"))
    def cancel_registrations(self, request: HttpRequest, queryset: RegistrationQuerySet) -> None:
        count = 0
        for registration in queryset.active():
            try:
                services.registration_cancel(registration=registration, by=_staff_user(request))
            except ValidationError as exc:
                self.message_user(request, f"{registration} : {' '.join(exc.messages)}", messages.ERROR)
            else:
                count += 1
        self.message_user(request, _("%(count)s inscription(s) annulée(s).") % {"count": count}, messages.SUCCESS)


class ConfirmRequestForm(forms.Form):
    library = forms.ModelChoiceField(
        label=gettext_lazy("Bibliothèque de rattachement"), queryset=Library.objects.none()
    )

    def __init__(self, *args: Any, libraries: QuerySet[Library], required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        library_field = cast("forms.ModelChoiceField[Library]", self.fields["library"])
        library_field.queryset = libraries
        library_field.required = required


class DeclineRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Envoyé tel quel à la personne par e-mail."),
    )


@admin.register(TraineeRequest)
class TraineeRequestAdmin(ReferentScopedAdminMixin, admin.ModelAdmin):
    """The referents' queue: each sees the requests of their territories' libraries only;
    requests with a typed structure (no portal library) are seen by administrators only."""

    list_display = ["full_name", "structure_label", "employment_status", "created_at", "status", "handled_by"]
    list_filter = ["status", "employment_status", "library__territory"]
    list_select_related = ["library", "handled_by"]
    search_fields = ["last_name", "first_name", "email", "structure_name", "library__name"]
    readonly_fields = (
        "last_name", "first_name", "postal_address", "email", "phone", "library", "structure_name",
        "employment_status", "wished_sessions", "status", "decline_reason", "handled_by", "handled_at",
        "created_account", "created_at", "answer_buttons",
    )  # fmt: skip
    fields = readonly_fields
    actions = ["confirm_requests", "purge_old_requests"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=gettext_lazy("nom"))
    def full_name(self, trainee_request: TraineeRequest) -> str:
        return trainee_request.full_name

    @admin.display(description=gettext_lazy("structure"))
    def structure_label(self, trainee_request: TraineeRequest) -> str:
        return trainee_request.structure_label

    @admin.display(description=gettext_lazy("sessions souhaitées"))
    def wished_sessions(self, trainee_request: TraineeRequest) -> str:
        return "\n".join(str(session) for session in trainee_request.sessions.select_related("training"))

    @admin.display(description=gettext_lazy("répondre"))
    def answer_buttons(self, trainee_request: TraineeRequest) -> str:
        if trainee_request.status != TraineeRequest.Status.PENDING:
            return "—"
        return format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
            reverse("admin:trainings_traineerequest_confirm", args=[trainee_request.pk]),
            _("Confirmer et créer le compte"),
            reverse("admin:trainings_traineerequest_decline", args=[trainee_request.pk]),
            _("Refuser"),
        )

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/confirmer/",
                self.admin_site.admin_view(self.confirm_view),
                name="trainings_traineerequest_confirm",
            ),
            path(
                "<int:pk>/refuser/",
                self.admin_site.admin_view(self.decline_view),
                name="trainings_traineerequest_decline",
            ),
            *super().get_urls(),
        ]

    def _get_for_answer(self, request: HttpRequest, pk: int) -> TraineeRequest:
        trainee_request = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, trainee_request):
            raise PermissionDenied
        return trainee_request

    def _report_confirmation(self, request: HttpRequest, result: services.TraineeConfirmation) -> None:
        trainee_request = result.trainee_request
        if result.already_done:
            self.message_user(
                request,
                _("%(name)s : demande déjà confirmée, aucun compte de plus.") % {"name": trainee_request.full_name},
                messages.INFO,
            )
            return
        self.message_user(
            request,
            _("%(name)s : compte créé (lien pour le mot de passe envoyé), %(count)s inscription(s).")
            % {"name": trainee_request.full_name, "count": len(result.registrations)},
            messages.SUCCESS,
        )
        for session, reason in result.refused:
            self.message_user(request, f"{session} : {reason}", messages.WARNING)

    def confirm_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        trainee_request = self._get_for_answer(request, pk)
        libraries = referent_libraries(_staff_user(request)).filter(is_active=True)
        form = ConfirmRequestForm(
            request.POST or None,
            libraries=libraries,
            required=trainee_request.library_id is None,
            initial={"library": trainee_request.library_id},
        )
        if request.method == "POST" and form.is_valid():
            try:
                result = services.trainee_request_confirm(
                    trainee_request=trainee_request, by=_staff_user(request), library=form.cleaned_data["library"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self._report_confirmation(request, result)
                return HttpResponseRedirect(reverse("admin:trainings_traineerequest_changelist"))
        return TemplateResponse(
            request,
            "trainings/admin/traineerequest_answer.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Confirmer la demande de %(name)s") % {"name": trainee_request.full_name},
                "trainee_request": trainee_request,
                "form": form,
                "submit_label": _("Confirmer et créer le compte"),
            },
        )

    def decline_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        trainee_request = self._get_for_answer(request, pk)
        form = DeclineRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.trainee_request_decline(
                    trainee_request=trainee_request, by=_staff_user(request), reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("Demande refusée ; le motif a été envoyé par e-mail."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:trainings_traineerequest_changelist"))
        return TemplateResponse(
            request,
            "trainings/admin/traineerequest_answer.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Refuser la demande de %(name)s") % {"name": trainee_request.full_name},
                "trainee_request": trainee_request,
                "form": form,
                "submit_label": _("Refuser la demande"),
            },
        )

    @admin.action(description=gettext_lazy("Confirmer les demandes sélectionnées (structure du réseau)"))
    def confirm_requests(self, request: HttpRequest, queryset: QuerySet[TraineeRequest]) -> None:
        for trainee_request in queryset:
            try:
                result = services.trainee_request_confirm(trainee_request=trainee_request, by=_staff_user(request))
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{trainee_request.full_name} : {text}", messages.ERROR)
            else:
                self._report_confirmation(request, result)

    @admin.action(description=gettext_lazy("Supprimer les demandes de plus de 12 mois (toutes)"))
    def purge_old_requests(self, request: HttpRequest, queryset: QuerySet[TraineeRequest]) -> None:
        if not request.user.is_superuser:
            raise PermissionDenied
        count = services.trainee_request_purge(older_than_days=TraineeRequest.RETENTION_DAYS)
        self.message_user(
            request, _("%(count)s demande(s) ancienne(s) supprimée(s).") % {"count": count}, messages.SUCCESS
        )

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("purge_old_requests", None)
            actions.pop("delete_selected", None)
        return actions
