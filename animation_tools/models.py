"""Animation tools (outils d'animation), their technical sheets and the libraries' pre-bookings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from extranet.files import stored_file_size
from extranet.querysets import LibraryOwnedModel, LibraryScopedManager, LibraryScopedQuerySet

# Tool photos are held to this even when ``settings.UPLOAD_MAX_BYTES`` (technical sheets) allows more.
MAX_PHOTO_BYTES = 5 * 1024 * 1024


def _check_size(file: File, limit: int) -> None:
    if file.size > limit:
        raise ValidationError(
            _("Ce fichier pèse %(size)s : la limite est de %(limit)s. Réduisez-le puis réessayez."),
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )


def validate_pdf(file: File) -> None:
    """A technical sheet is a PDF of ``settings.UPLOAD_MAX_BYTES`` at most: checked by its
    first bytes, not only its name."""
    _check_size(file, settings.UPLOAD_MAX_BYTES)
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(5)
    file.seek(position)
    if head != b"%PDF-":
        raise ValidationError(_("Ce fichier n'est pas un PDF. Enregistrez la fiche technique au format PDF."))


def validate_photo_size(file: File) -> None:
    """A tool photo weighs at most ``MAX_PHOTO_BYTES`` (and ``settings.UPLOAD_MAX_BYTES``)."""
    _check_size(file, min(MAX_PHOTO_BYTES, settings.UPLOAD_MAX_BYTES))


class ToolType(models.Model):
    """Exposition, kamishibaï, tapis de lecture… (managed by the BDVO staff)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("type d'outil")
        verbose_name_plural = _("types d'outils")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("animation_tools:type_detail", args=[self.slug])


class ToolQuerySet(models.QuerySet["Tool"]):
    def active(self) -> ToolQuerySet:
        return self.filter(is_active=True)

    def available_between(self, start: datetime.date, end: datetime.date) -> ToolQuerySet:
        """Tools with no active booking, whichever library made it, blocking any day of
        ``start``..``end`` (turnaround included)."""
        blocking = ToolBooking.objects.all_libraries().blocking().filter(loan_date__lte=end, blocked_until__gte=start)
        return self.exclude(pk__in=blocking.values("tool_id"))


class Tool(models.Model):
    class Audience(models.TextChoices):
        ALL = "all", _("Tout public")
        EARLY_CHILDHOOD = "early_childhood", _("Petite enfance (0-3 ans)")
        CHILDREN = "children", _("Jeunesse (3-11 ans)")
        TEENAGERS = "teenagers", _("Adolescents")
        ADULTS = "adults", _("Adultes")

    type = models.ForeignKey(ToolType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="tools")
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    description = models.TextField(_("description"))
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    value = models.DecimalField(
        _("valeur (€)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Valeur d'assurance. Au-delà de 5 000 €, une convention de prêt est nécessaire."),
    )
    dimensions = models.CharField(
        _("encombrement"), max_length=200, blank=True, help_text=_("Ex. 8 panneaux de 80 × 200 cm")
    )
    weight_kg = models.DecimalField(_("poids (kg)"), max_digits=6, decimal_places=1, null=True, blank=True)
    crates = models.PositiveSmallIntegerField(_("nombre de caisses"), default=1)
    is_active = models.BooleanField(
        _("actif"), default=True, help_text=_("Décochez pour retirer l'outil du catalogue.")
    )

    objects = ToolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("outil d'animation")
        verbose_name_plural = _("outils d'animation")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("animation_tools:tool_detail", args=[self.slug])


class ToolPhoto(models.Model):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("photo"),
        upload_to="outils/photos/",
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"]), validate_photo_size],
    )
    alt_text = models.CharField(
        _("texte alternatif"),
        max_length=250,
        help_text=_("Ce que montre la photo, pour les personnes qui ne la voient pas."),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text

    def get_absolute_url(self) -> str:
        """The public route that serves the image (``animation_tools.views.photo``)."""
        return reverse("animation_tools:photo", args=[self.pk])


class TechnicalSheet(models.Model):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="sheets")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(
        _("fichier PDF"),
        upload_to="outils/fiches/",
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        help_text=_("PDF de 10 Mo au plus."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("fiche technique")
        verbose_name_plural = _("fiches techniques")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The public route that serves the PDF (``animation_tools.views.sheet_download``)."""
        return reverse("animation_tools:sheet_download", args=[self.pk])

    @cached_property
    def file_size(self) -> int | None:
        """Size of the stored PDF in bytes; None when the file is missing from storage
        (the tool page then says « Fichier indisponible » instead of failing)."""
        return stored_file_size(self.file)

    @property
    def download_name(self) -> str:
        """The file name offered to the browser: the tool's and the sheet's names."""
        return f"{self.tool.slug}-{slugify(self.title) or 'fiche-technique'}.pdf"


class ToolBookingQuerySet(LibraryScopedQuerySet["ToolBooking"]):
    def blocking(self) -> ToolBookingQuerySet:
        """Bookings that hold their tool (every status but refused and cancelled)."""
        return self.exclude(status__in=ToolBooking.INACTIVE_STATUSES)

    def overlapping(self, start: datetime.date, end: datetime.date) -> ToolBookingQuerySet:
        """Bookings whose loan period (without turnaround) shares at least one day with ``start``..``end``."""
        return self.filter(loan_date__lte=end, return_date__gte=start)

    def validated_for_calendar(self) -> ToolBookingQuerySet:
        return self.filter(
            status__in=[
                ToolBooking.Status.VALIDATED,
                ToolBooking.Status.OUT,
                ToolBooking.Status.RETURNED,
                ToolBooking.Status.CHECKED,
            ]
        )

    def return_reminder_due(self, today: datetime.date, days_ahead: int) -> ToolBookingQuerySet:
        """Bookings whose tool is at the library (validated or out, loan date reached) and due back
        between ``today`` and ``today + days_ahead``, not reminded yet."""
        return self.filter(
            status__in=[ToolBooking.Status.VALIDATED, ToolBooking.Status.OUT],
            loan_date__lte=today,
            return_date__gte=today,
            return_date__lte=today + datetime.timedelta(days=days_ahead),
            return_reminder_sent_at__isnull=True,
        )

    def upcoming(self, today: datetime.date) -> ToolBookingQuerySet:
        """Requested or validated bookings not yet out (for a dashboard count)."""
        return self.filter(
            status__in=[ToolBooking.Status.REQUESTED, ToolBooking.Status.VALIDATED], return_date__gte=today
        )


class ToolBooking(LibraryOwnedModel):
    """A library's pre-booking of one tool between a loan date and a return date.

    The dates are days of the library's navette rounds, or BDVO open days when the library
    collects and brings back the tool itself (``self_collect``): ``rules.check_booking``.

    ``blocked_until`` is the return date plus the turnaround gap (working days for the tool
    to come back to the BDVO and be checked): no other booking of the tool may touch
    ``loan_date``..``blocked_until``. On PostgreSQL an exclusion constraint
    (``animation_tools_booking_no_overlap``, created by migration 0002) guarantees it even
    under concurrent requests; on SQLite ``services.booking_request`` serialises the check
    and the insert in one write transaction.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("demandée")
        VALIDATED = "validated", _("validée")
        REFUSED = "refused", _("refusée")
        CANCELLED = "cancelled", _("annulée")
        OUT = "out", _("sortie (en prêt)")
        RETURNED = "returned", _("retournée")
        CHECKED = "checked", _("vérifiée")

    INACTIVE_STATUSES = (Status.REFUSED, Status.CANCELLED)

    tool = models.ForeignKey(Tool, verbose_name=_("outil"), on_delete=models.PROTECT, related_name="bookings")
    library = models.ForeignKey(
        "extranet.Library", verbose_name=_("bibliothèque"), on_delete=models.PROTECT, related_name="tool_bookings"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    loan_date = models.DateField(_("date de prêt"))
    return_date = models.DateField(_("date de retour"))
    self_collect = models.BooleanField(
        _("retrait et retour par la bibliothèque"),
        default=False,
        help_text=_(
            "La bibliothèque vient chercher l'outil à la BDVO et le rapporte elle-même : les dates sont alors "
            "des jours d'ouverture de la BDVO plutôt que des jours de navette."
        ),
    )
    blocked_until = models.DateField(
        _("indisponible jusqu'au"), help_text=_("Date de retour plus le délai de retour et de vérification à la BDVO.")
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    convention_required = models.BooleanField(_("convention nécessaire"), default=False)
    convention_returned_on = models.DateField(_("convention signée reçue le"), null=True, blank=True)
    rules_overridden = models.BooleanField(_("dérogation"), default=False)
    override_reason = models.TextField(_("motif de la dérogation"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dérogation accordée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    return_reminder_sent_at = models.DateTimeField(
        _("rappel de retour envoyé le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Le rappel de la date de retour n'est envoyé qu'une fois aux Gestionnaires."),
    )

    objects = LibraryScopedManager.from_queryset(ToolBookingQuerySet)()

    class Meta:
        ordering = ["-loan_date", "-pk"]
        verbose_name = _("pré-réservation d'outil")
        verbose_name_plural = _("pré-réservations d'outils")
        indexes = [models.Index(fields=["tool", "loan_date"]), models.Index(fields=["library", "loan_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_date__gt=models.F("loan_date")), name="tool_booking_return_after_loan"
            ),
            models.CheckConstraint(
                condition=Q(blocked_until__gte=models.F("return_date")), name="tool_booking_blocked_after_return"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool} — {self.library} ({self.loan_date:%d/%m/%Y} → {self.return_date:%d/%m/%Y})"

    @property
    def is_active(self) -> bool:
        return self.status not in self.INACTIVE_STATUSES

    @property
    def can_be_cancelled(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.VALIDATED)

    @property
    def convention_state(self) -> str:
        if not self.convention_required:
            return str(_("non nécessaire"))
        if self.convention_returned_on:
            return str(_("signée, reçue le %(date)s") % {"date": self.convention_returned_on.strftime("%d/%m/%Y")})
        return str(_("à signer et renvoyer à la BDVO"))
