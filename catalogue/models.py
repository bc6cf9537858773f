"""Bibliographic records, their items, document reservations, loans and MARC imports."""

from __future__ import annotations

import pymarc
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from extranet.querysets import LibraryOwnedModel, LibraryScopedManager, LibraryScopedQuerySet


class DocumentType(models.TextChoices):
    BOOK = "book", _("Livre")
    COMIC = "comic", _("Bande dessinée")
    PERIODICAL = "periodical", _("Périodique")
    AUDIO = "audio", _("CD audio")
    VIDEO = "video", _("DVD / vidéo")
    GAME = "game", _("Jeu vidéo / jeu")
    SCORE = "score", _("Partition")
    MAP = "map", _("Carte")
    OTHER = "other", _("Autre document")


class Audience(models.TextChoices):
    CHILDREN = "children", _("Jeunesse")
    YOUNG_ADULT = "young_adult", _("Adolescents")
    ADULT = "adult", _("Adultes")
    ALL = "all", _("Tous publics")
    UNKNOWN = "", _("Non précisé")


class MarcFlavour(models.TextChoices):
    UNIMARC = "unimarc", "UNIMARC"
    MARC21 = "marc21", "MARC 21"


class Record(models.Model):
    """A bibliographic record (notice).

    ``marc`` keeps the source record as UTF-8 ISO 2709 bytes (leader/09 = ``a``) so that
    exports can give back the whole record; the other fields are what the portal shows,
    sorts and searches.
    """

    source_id = models.CharField(
        _("identifiant source"), max_length=120, unique=True, help_text=_("001 de la notice, ou identifiant calculé.")
    )
    flavour = models.CharField(_("format"), max_length=10, choices=MarcFlavour.choices)
    marc = models.BinaryField(_("notice MARC (ISO 2709, UTF-8)"))
    title = models.CharField(_("titre"), max_length=1000)
    responsibility = models.CharField(_("mention de responsabilité"), max_length=1000, blank=True)
    main_author = models.CharField(_("auteur principal"), max_length=255, blank=True, db_index=True)
    publisher = models.CharField(_("éditeur"), max_length=255, blank=True)
    publication_year = models.PositiveSmallIntegerField(_("année de publication"), null=True, blank=True, db_index=True)
    isbn = models.CharField(_("ISBN / EAN"), max_length=40, blank=True, db_index=True)
    # Type, audience and language are filtered and counted on ``catalogue_record_search``;
    # an index of them here would only slow the import down (migration 0007).
    language = models.CharField(_("langue"), max_length=3, blank=True)
    document_type = models.CharField(
        _("type de document"), max_length=12, choices=DocumentType.choices, default=DocumentType.BOOK
    )
    audience = models.CharField(_("public"), max_length=12, choices=Audience.choices, blank=True)
    series = models.CharField(_("collection / série"), max_length=500, blank=True)
    summary = models.TextField(_("résumé"), blank=True)
    # Denormalised text of the authors and subjects tables, filled by the importer, for full-text search.
    authors_text = models.TextField(_("auteurs (texte)"), blank=True)
    subjects_text = models.TextField(_("sujets (texte)"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["title"]
        # Browsing sorted by title, and the admin's list, walk the titles in order (0008).
        indexes = [models.Index(fields=["title", "id"], name="catalogue_record_title_id")]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.title

    def as_pymarc(self) -> pymarc.Record:
        """The stored source record, decoded as UTF-8."""
        return pymarc.Record(data=bytes(self.marc), force_utf8=True, to_unicode=True)


class RecordAuthor(models.Model):
    """An author of a record, with its role (facet "Auteur", links to new searches)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(_("nom"), max_length=255, db_index=True)
    role = models.CharField(_("rôle"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["record", "position"]
        verbose_name = _("auteur")
        verbose_name_plural = _("auteurs")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class RecordSubject(models.Model):
    """A subject heading of a record (facet "Sujet")."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="subjects")
    label = models.CharField(_("sujet"), max_length=255, db_index=True)

    class Meta:
        ordering = ["record", "label"]
        verbose_name = _("sujet")
        verbose_name_plural = _("sujets")

    def __str__(self) -> str:
        return self.label


class Item(models.Model):
    """A physical copy (exemplaire) held by the BDVO."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Disponible")
        ON_LOAN = "on_loan", _("En prêt")
        IN_PROCESSING = "processing", _("En traitement")
        LOST = "lost", _("Perdu")
        WITHDRAWN = "withdrawn", _("Retiré")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="items", verbose_name=_("notice"))
    barcode = models.CharField(_("code-barres"), max_length=40, unique=True)
    call_number = models.CharField(_("cote"), max_length=100, blank=True)
    section = models.CharField(_("section / localisation"), max_length=100, blank=True)
    document_type = models.CharField(_("type de document"), max_length=12, choices=DocumentType.choices, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.AVAILABLE, db_index=True
    )

    class Meta:
        ordering = ["record", "barcode"]
        verbose_name = _("exemplaire")
        verbose_name_plural = _("exemplaires")

    def __str__(self) -> str:
        return self.barcode


class ReservationQuerySet(LibraryScopedQuerySet["Reservation"]):
    def active(self) -> ReservationQuerySet:
        return self.filter(status__in=Reservation.ACTIVE_STATUSES)


class Reservation(LibraryOwnedModel):
    """A library's request for a catalogue document."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        AVAILABLE = "available", _("Disponible")
        FULFILLED = "fulfilled", _("Satisfaite")
        CANCELLED = "cancelled", _("Annulée")

    ACTIVE_STATUSES = (Status.PENDING, Status.AVAILABLE)

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("notice"))
    library = models.ForeignKey(
        "extranet.Library", on_delete=models.PROTECT, related_name="reservations", verbose_name=_("bibliothèque")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("demandée par")
    )
    created_at = models.DateTimeField(_("date de la demande"), auto_now_add=True, db_index=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    status_changed_at = models.DateTimeField(_("statut modifié le"), null=True, blank=True)

    objects = LibraryScopedManager.from_queryset(ReservationQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "library"],
                condition=models.Q(status__in=["pending", "available"]),
                name="reservation_one_active_per_library_record",
                violation_error_message=_("Votre bibliothèque a déjà une réservation en cours pour ce document."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.record} — {self.library}"


class LoanQuerySet(LibraryScopedQuerySet["Loan"]):
    def in_progress(self) -> LoanQuerySet:
        return self.filter(returned_on__isnull=True)

    def returned(self) -> LoanQuerySet:
        return self.filter(returned_on__isnull=False)


class Loan(LibraryOwnedModel):
    """An item lent by the BDVO to a library (prêt); ``returned_on`` is set on its return."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans", verbose_name=_("exemplaire"))
    library = models.ForeignKey(
        "extranet.Library", on_delete=models.PROTECT, related_name="loans", verbose_name=_("bibliothèque")
    )
    loaned_on = models.DateField(_("date de prêt"), db_index=True)
    due_on = models.DateField(_("date de retour prévue"))
    returned_on = models.DateField(_("date de retour"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enregistré par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LibraryScopedManager.from_queryset(LoanQuerySet)()

    class Meta:
        ordering = ["-loaned_on", "-id"]
        verbose_name = _("prêt")
        verbose_name_plural = _("prêts")
        indexes = [models.Index(fields=["library", "returned_on", "loaned_on"], name="loan_library_lists")]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(returned_on__isnull=True),
                name="loan_one_active_per_item",
                violation_error_message=_("Cet exemplaire est déjà en prêt."),
            ),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("loaned_on")), name="loan_due_after_loan"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.library}"


class RecordSearch(models.Model):
    """Narrow search row of a record, maintained by the database (see ``catalogue/search/backends.py``).

    PostgreSQL: a table filled by a trigger on ``catalogue_record``, holding the weighted
    ``search_vector`` and the columns the facets count, so that broad searches read a
    small table instead of the records with their MARC. SQLite: a view of the records.
    Never written by Django.
    """

    record = models.OneToOneField(
        Record, primary_key=True, on_delete=models.DO_NOTHING, db_column="record_id", related_name="search_row"
    )
    document_type = models.CharField(max_length=12, choices=DocumentType.choices)
    audience = models.CharField(max_length=12, choices=Audience.choices, blank=True)
    language = models.CharField(max_length=3, blank=True)
    publication_year = models.PositiveSmallIntegerField(null=True)
    # An item of the record is available (PostgreSQL: kept by triggers on the items, migration 0005).
    available_now = models.BooleanField(default=False)

    class Meta:
        managed = False
        db_table = "catalogue_record_search"

    def __str__(self) -> str:
        return f"Search row of record {self.pk}"


class PredefinedSearch(models.Model):
    """A search staff offer under the search bar (label + query + facets), opening its results page."""

    class Scope(models.TextChoices):
        ALL = "all", _("Partout")
        CATALOGUE = "catalogue", _("Catalogue")

    label = models.CharField(_("libellé"), max_length=120)
    query = models.CharField(_("recherche"), max_length=255, blank=True)
    scope = models.CharField(_("où chercher"), max_length=10, choices=Scope.choices, default=Scope.CATALOGUE)
    facets = models.JSONField(
        _("facettes"),
        default=dict,
        blank=True,
        help_text=_('Par exemple {"type": ["comic"], "audience": ["children"], "available": "1"}.'),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("recherche prédéfinie")
        verbose_name_plural = _("recherches prédéfinies")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        from urllib.parse import urlencode

        from django.urls import reverse

        params: list[tuple[str, str]] = [("q", self.query), ("scope", self.scope)]
        for name, values in (self.facets or {}).items():
            for value in values if isinstance(values, list) else [values]:
                params.append((str(name), str(value)))
        return f"{reverse('search')}?{urlencode(params)}"


class MarcImport(models.Model):
    """One MARC file imported by staff (admin upload or ``import_marc``), with its report."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    file = models.FileField(_("fichier MARC"), upload_to="marc_imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    flavour = models.CharField(_("format forcé"), max_length=10, choices=MarcFlavour.choices, blank=True)
    encoding = models.CharField(_("encodage forcé"), max_length=20, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    records_read = models.PositiveIntegerField(_("notices lues"), default=0)
    records_created = models.PositiveIntegerField(_("notices créées"), default=0)
    records_updated = models.PositiveIntegerField(_("notices mises à jour"), default=0)
    records_rejected = models.PositiveIntegerField(_("notices rejetées"), default=0)
    report = models.JSONField(_("rapport"), default=list, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # Written by the worker when it starts and after every batch: a running import whose
    # heartbeat is too old lost its worker (see ``catalogue.services.import_jobs``).
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    # Runs started so far: a worker only writes to the row while it holds the latest one.
    attempts = models.PositiveSmallIntegerField(_("lancements"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import MARC")
        verbose_name_plural = _("imports MARC")

    def __str__(self) -> str:
        return self.original_name or f"Import {self.pk}"
