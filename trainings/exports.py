"""Exports of the trainings: « Mes inscriptions » (espace professionnel) and the attendance
sheet of a session (staff). Registered from ``TrainingsConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from extranet.exports import (
    CSV,
    DATE,
    DATETIME,
    NUMBER,
    XLSX,
    Column,
    ExportFormat,
    ExportParameters,
    PartnerExporter,
    StaffExporter,
)
from extranet.models import Library, User
from trainings import selectors
from trainings.models import Registration, TrainingSession


def _period(parameters: ExportParameters) -> str:
    return parameters.query.get("periode", "a-venir")


class TrainingRegistrationsExporter(PartnerExporter):
    """« Mes inscriptions »: the library's registrations for a Gestionnaire, one's own for a
    Consulter, of the period shown (« periode »)."""

    identifier = "training_registrations"
    verbose_name = gettext_lazy("Inscriptions aux formations")
    menu_section = "trainings"
    columns = [
        gettext_lazy("Formation"),
        Column(gettext_lazy("Début"), DATETIME),
        Column(gettext_lazy("Fin"), DATETIME),
        gettext_lazy("Lieu"),
        gettext_lazy("Nom"),
        gettext_lazy("Prénom"),
        gettext_lazy("E-mail"),
        gettext_lazy("État"),
        Column(gettext_lazy("Rang en liste d'attente"), NUMBER),
        Column(gettext_lazy("Demandée le"), DATE),
    ]
    formats = {CSV.code: CSV, XLSX.code: XLSX}
    default_format = CSV.code  # the list's « Exporter » link

    def get_queryset(self, parameters: ExportParameters) -> QuerySet[Registration]:
        return selectors.registrations_for_list(
            library=self.library(parameters), user=parameters.user, period=_period(parameters)
        )

    def row(self, registration: Registration) -> list[Any]:
        session = registration.session
        return [
            session.training.title,
            session.starts_at,
            session.ends_at,
            session.place,
            registration.user.last_name,
            registration.user.first_name,
            registration.user.email,
            registration.get_status_display(),
            registration.waiting_rank,  # type: ignore[attr-defined]  # annotated by with_rank()
            timezone.localtime(registration.created_at).date(),
        ]

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        return f"inscriptions-formations.{export_format.extension}"

    def list_url(self, parameters: ExportParameters) -> str:
        return f"{reverse('trainings:my_registrations')}?periode={_period(parameters)}"


class AttendanceSheetExporter(StaffExporter):
    """« Feuille d'émargement » of one session (``?session=<id>``): one line per registered person.

    Opened from the sessions admin, so it asks the admin's right to view sessions. Like the
    printable sheet, it lists the registrants the staff member manages: everyone for BDVO-wide
    staff (the trainers, who have them all in the room), the registrants of their territories'
    libraries for a referent.
    """

    identifier = "attendance_sheet"
    verbose_name = gettext_lazy("Feuille d'émargement")
    permission_message = gettext_lazy(
        "La feuille d'émargement demande le droit de consulter les sessions de formation dans l'administration."
    )
    columns = [
        gettext_lazy("Nom"),
        gettext_lazy("Prénom"),
        gettext_lazy("Bibliothèque"),
        gettext_lazy("E-mail"),
        gettext_lazy("Téléphone"),
        gettext_lazy("Présent·e"),
    ]
    formats = {CSV.code: CSV, XLSX.code: XLSX}
    default_format = CSV.code  # the sheet's « Télécharger » link

    def has_permission(self, user: User, library: Library | None) -> bool:
        return super().has_permission(user, library) and user.has_perm("trainings.view_trainingsession")

    def session(self, parameters: ExportParameters) -> TrainingSession:
        """The session of ``?session=``; 404 when there is none."""
        try:
            return TrainingSession.objects.select_related("training").get(pk=int(parameters.query.get("session", "")))
        except (ValueError, TrainingSession.DoesNotExist) as exc:
            raise Http404 from exc

    def get_queryset(self, parameters: ExportParameters) -> QuerySet[Registration]:
        return (
            self.scope(Registration.objects.all(), parameters.user)
            .filter(session=self.session(parameters), status=Registration.Status.REGISTERED)
            .select_related("user", "library")
            .order_by("user__last_name", "user__first_name")
        )

    def row(self, registration: Registration) -> list[Any]:
        user = registration.user
        return [
            user.last_name,
            user.first_name,
            registration.library.name,
            user.email,
            user.phone,
            _("oui") if registration.attended else "",
        ]

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        session = self.session(parameters)
        day = timezone.localtime(session.starts_at).date().isoformat()
        return f"emargement-{session.training.slug}-{day}.{export_format.extension}"

    def list_url(self, parameters: ExportParameters) -> str:
        return reverse("admin:trainings_trainingsession_changelist")


EXPORTERS = [TrainingRegistrationsExporter, AttendanceSheetExporter]
