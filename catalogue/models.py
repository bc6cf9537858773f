"""Bibliographic records, their items, document reservations, loans and MARC imports."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Self

import pymarc
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.marc import sigb
from catalogue.marc.unimarc import Item995Writer
from extranet.models import Territory
from extranet.querysets import LibraryOwnedModel, LibraryScopedManager, LibraryScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from extranet.models import Library, User


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
        # Kept for the library at the head of the title's reservations (``Reservation.item``).
        SET_ASIDE = "set_aside", _("Mis de côté")
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
        """Open reservations: waiting for an item or set aside (not delivered, not cancelled)."""
        return self.filter(status__in=Reservation.ACTIVE_STATUSES)

    def holding(self, item: Item | int) -> ReservationQuerySet:
        """The reservation ``item`` is set aside for (at most one: ``reservation_item_set_aside_once``)."""
        return self.filter(item=item, status=Reservation.Status.SET_ASIDE)

    def waiting(self) -> ReservationQuerySet:
        """Reservations « En attente » that are served when an item is free: those of active
        libraries, in the order the title's reservations are served (``created_at``, ``pk``)."""
        return self.filter(status=Reservation.Status.PENDING, library__is_active=True).order_by("created_at", "pk")

    def with_queue_rank(self) -> ReservationQuerySet:
        """Annotate ``queue_rank``: 1 for the first reservation « En attente » of its title (all
        libraries counted, in serving order), 2 for the next…; ``None`` for the other statuses.

        Reads every library's waiting reservations of the title on purpose: a library sees its
        rank, never who is ahead of it."""
        ahead = (
            Reservation.objects.all_libraries()
            .filter(record=models.OuterRef("record"), status=Reservation.Status.PENDING, library__is_active=True)
            .filter(
                models.Q(created_at__lt=models.OuterRef("created_at"))
                | models.Q(created_at=models.OuterRef("created_at"), pk__lt=models.OuterRef("pk"))
            )
            .order_by()
            .values("record")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            queue_rank=models.Case(
                models.When(
                    status=Reservation.Status.PENDING,
                    then=Coalesce(models.Subquery(ahead, output_field=models.IntegerField()), 0) + 1,
                ),
                default=None,
                output_field=models.IntegerField(),
            )
        )


class Reservation(LibraryOwnedModel):
    """A library's request for a catalogue document, and its way to the library.

    « En attente » (``pending``) → « Mise de côté » (``set_aside``: ``item`` is kept for the
    library and travels with the navette of ``delivery_on``) → « Livrée » (``fulfilled``: the
    item was lent, ``loan``); or « Annulée » (``cancelled``, ``cancellation_reason``) while open.
    The workflow is in ``catalogue.services.reservations`` and ``catalogue.services.circulation``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        SET_ASIDE = "set_aside", _("Mise de côté")
        FULFILLED = "fulfilled", _("Livrée")
        CANCELLED = "cancelled", _("Annulée")

    ACTIVE_STATUSES = (Status.PENDING, Status.SET_ASIDE)

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
    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reservations",
        verbose_name=_("exemplaire"),
        help_text=_("L'exemplaire mis de côté pour la bibliothèque, puis celui qui lui a été prêté."),
    )
    delivery_on = models.DateField(
        _("navette prévue le"), null=True, blank=True, help_text=_("La tournée de navette qui apporte l'exemplaire.")
    )
    loan = models.OneToOneField(
        "Loan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reservation",
        verbose_name=_("prêt"),
    )
    set_aside_at = models.DateTimeField(_("mise de côté le"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("livrée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancellation_reason = models.CharField(_("motif d'annulation"), max_length=255, blank=True)

    objects = LibraryScopedManager.from_queryset(ReservationQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        # The queue of a title: its waiting reservations in serving order.
        indexes = [models.Index(fields=["record", "status", "created_at"], name="reservation_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "library"],
                condition=models.Q(status__in=["pending", "set_aside"]),
                name="reservation_one_active_per_library_record",
                violation_error_message=_("Votre bibliothèque a déjà une réservation en cours pour ce document."),
            ),
            # One item is set aside for one reservation at a time.
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="set_aside"),
                name="reservation_item_set_aside_once",
                violation_error_message=_("Cet exemplaire est déjà mis de côté pour une autre réservation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} — {self.library}"


class LoanQuerySet(LibraryScopedQuerySet["Loan"]):
    def in_progress(self) -> LoanQuerySet:
        return self.filter(returned_on__isnull=True)

    def returned(self) -> LoanQuerySet:
        return self.filter(returned_on__isnull=False)

    def overdue(self, today: datetime.date) -> LoanQuerySet:
        """Loans in progress whose due date is before ``today`` (« En retard »)."""
        return self.in_progress().filter(due_on__lt=today)

    def with_renewal_facts(self) -> LoanQuerySet:
        """Annotate what a renewal depends on: ``renewal_pending`` (a request waits for the
        BDVO) and ``reserved_elsewhere`` (another library waits for the title: a reservation
        « En attente », which reads every library's reservations on purpose)."""
        return self.annotate(
            renewal_pending=models.Exists(
                LoanRenewal.objects.all_libraries().filter(
                    loan=models.OuterRef("pk"), status=LoanRenewal.Status.PENDING
                )
            ),
            reserved_elsewhere=models.Exists(
                Reservation.objects.all_libraries()
                .filter(
                    record=models.OuterRef("item__record"),
                    status=Reservation.Status.PENDING,
                    library__is_active=True,
                )
                .exclude(library=models.OuterRef("library"))
            ),
        )


class Loan(LibraryOwnedModel):
    """An item lent by the BDVO to a library (prêt); ``returned_on`` is set on its return.

    ``return_announced_for``: the day of the library's navette round that will bring it back,
    announced by a Gestionnaire (``catalogue.services.returns``), with ``return_announced_at``.
    """

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
    renewal_count = models.PositiveSmallIntegerField(
        _("prolongations"), default=0, help_text=_("Nombre de prolongations accordées (voir LOAN_MAX_RENEWALS).")
    )
    return_announced_for = models.DateField(
        _("retour annoncé pour la navette du"),
        null=True,
        blank=True,
        help_text=_("Jour de la tournée de navette qui rapportera le document (annoncé par la bibliothèque)."),
    )
    return_announced_at = models.DateTimeField(_("retour annoncé le"), null=True, blank=True)

    objects = LibraryScopedManager.from_queryset(LoanQuerySet)()

    class Meta:
        ordering = ["-loaned_on", "-id"]
        verbose_name = _("prêt")
        verbose_name_plural = _("prêts")
        indexes = [
            models.Index(fields=["library", "returned_on", "loaned_on"], name="loan_library_lists"),
            # The staff navette plan: the returns announced for a period.
            models.Index(
                fields=["return_announced_for"],
                condition=models.Q(returned_on__isnull=True, return_announced_for__isnull=False),
                name="loan_return_announced",
            ),
        ]
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

    def is_overdue(self, today: datetime.date) -> bool:
        """In progress and due before ``today``."""
        return self.returned_on is None and self.due_on < today


class LoanRenewalQuerySet(LibraryScopedQuerySet["LoanRenewal"]):
    library_field = "loan__library"

    def pending(self) -> LoanRenewalQuerySet:
        return self.filter(status=LoanRenewal.Status.PENDING)


class LoanRenewal(LibraryOwnedModel):
    """A library's request to keep a loan longer (prolongation), and the answer.

    Granted at once or left « Demandée » for BDVO staff (setting ``LOAN_RENEWALS_NEED_STAFF``);
    see ``catalogue.services.renewals`` for the rules. A granted renewal moves the loan's
    ``due_on`` from ``previous_due_on`` to ``new_due_on``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Demandée")
        GRANTED = "granted", _("Accordée")
        REFUSED = "refused", _("Refusée")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="renewals", verbose_name=_("prêt"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("demandée par")
    )
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    previous_due_on = models.DateField(_("retour prévu avant la prolongation"))
    new_due_on = models.DateField(_("nouveau retour prévu"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    refusal_reason = models.CharField(_("motif du refus"), max_length=255, blank=True)

    objects = LibraryScopedManager.from_queryset(LoanRenewalQuerySet)()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("prolongation")
        verbose_name_plural = _("prolongations")
        constraints = [
            models.UniqueConstraint(
                fields=["loan"],
                condition=models.Q(status="pending"),
                name="loan_renewal_one_pending_per_loan",
                violation_error_message=_("Une demande de prolongation de ce prêt attend déjà la réponse de la BDVO."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.loan} ({self.get_status_display()})"


class SigbSystem(models.TextChoices):
    """The library system (SIGB) an export profile writes the 995 for (``catalogue.marc.sigb``)."""

    KOHA = sigb.KOHA, _("Koha")
    PMB = sigb.PMB, _("PMB")
    RECOMMENDATION_995 = sigb.RECOMMENDATION_995, _("Autre SIGB (Recommandation 995)")


# French names of the 995 elements (form labels and messages).
SIGB_ELEMENT_LABELS = {
    sigb.LENDER: _("Établissement prêteur (la BDVO)"),
    sigb.OWNER: _("Propriétaire"),
    sigb.HOLDING: _("Bibliothèque dépositaire"),
    sigb.LOCATION: _("Localisation"),
    sigb.SECTION: _("Section / code statistique"),
    sigb.AUDIENCE: _("Public visé (j, y, a, t)"),
    sigb.LOAN_DATE: _("Date de prêt (AAAAMMJJ)"),
    sigb.DUE_DATE: _("Date de retour prévue (AAAAMMJJ)"),
    sigb.ITEM_TYPE: _("Type de document"),
}


class ExportProfileQuerySet(LibraryScopedQuerySet):
    """Export profiles: a library's own (library-owned, fails closed) and the staff defaults of
    a territory (no library). Staff scopes reach both: a referent manages the profiles of
    their territories' libraries and their territories' defaults."""

    def for_territories(self, territories: Iterable[Territory] | QuerySet[Territory]) -> Self:
        return self.filter(
            Q(library__territory__in=territories) | Q(library__isnull=True, territory__in=territories)
        )._scoped("territories")

    def for_referent(self, user: User | AnonymousUser) -> Self:
        if user.is_superuser:
            return self.all_libraries()
        if not user.is_staff:
            return self.none()
        return self.for_territories(Territory.objects.filter(referents=user))

    def territory_default(self, territory: Territory | int) -> Self:
        """The staff default of ``territory`` (a row of no library: every library of it reads it)."""
        return self.all_libraries().filter(library__isnull=True, territory=territory)


class ExportProfile(LibraryOwnedModel):
    """How a library's ISO 2709 / MARCXML exports write the 995 for its library system (SIGB).

    A row belongs either to one library (chosen by its Gestionnaire in « Mon SIGB / Profil
    d'export », or by staff) or to one territory (a staff default for the libraries of that
    territory without a profile of their own). ``effective_for`` says which applies: the
    library's own, else its territory's, else the built-in « Autre SIGB (Recommandation
    995) », whose 995 is byte for byte what the portal always wrote.

    The rules of each system live in ``catalogue.marc.sigb`` (Koha's branch and type codes of
    at most 10 characters, never a due date for Koha…); ``clean`` refuses a profile that
    breaks them, in French, and ``layout`` gives the writer what to write.
    """

    library = models.OneToOneField(
        "extranet.Library",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="export_profile",
        verbose_name=_("bibliothèque"),
    )
    territory = models.OneToOneField(
        "extranet.Territory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="export_profile",
        verbose_name=_("territoire (profil par défaut)"),
        help_text=_("Profil appliqué aux bibliothèques du territoire qui n'ont pas choisi le leur."),
    )
    system = models.CharField(
        _("SIGB"), max_length=10, choices=SigbSystem.choices, default=SigbSystem.RECOMMENDATION_995
    )
    owner_code = models.CharField(
        _("code du propriétaire (995$b)"),
        max_length=40,
        blank=True,
        help_text=_(
            "Koha : code du site propriétaire ; vide, le code de la bibliothèque dépositaire. "
            "Autre SIGB : vide, le code de la BDVO."
        ),
    )
    holding_code = models.CharField(
        _("code de la bibliothèque dépositaire (995$c)"),
        max_length=40,
        blank=True,
        help_text=_(
            "Le code de votre bibliothèque dans votre SIGB (Koha : code du site) ; vide, son code sur le portail."
        ),
    )
    location = models.CharField(
        _("localisation"),
        max_length=80,
        blank=True,
        help_text=_("Koha : 995$e (localisation) ; PMB : 995$a (créée si elle manque). Vide : non écrite."),
    )
    section = models.CharField(
        _("section / code statistique"),
        max_length=40,
        blank=True,
        help_text=_("PMB : 995$q ; vide, le public visé (j, y, a, t). Autre SIGB : où le tableau l'indique."),
    )
    write_due_date = models.BooleanField(
        _("écrire la date de retour prévue (995$n)"),
        default=True,
        help_text=_("Jamais pour Koha, qui afficherait chaque document « en prêt »."),
    )
    item_types = models.JSONField(
        _("types de document"),
        default=dict,
        blank=True,
        help_text=_("Type de document de la BDVO → code de votre SIGB ; absent, le code de la BDVO."),
    )
    subfields = models.JSONField(
        _("sous-zones (Autre SIGB)"),
        default=dict,
        blank=True,
        help_text=_("Élément → sous-zone de la 995 (vide : non écrit) ; absent, celle de la Recommandation 995."),
    )
    dropped_tags = models.CharField(
        _("zones locales retirées des notices"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple « 9XX » ou « 917, 930 » (X : n'importe quel chiffre)."),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifié par"),
    )

    objects = LibraryScopedManager.from_queryset(ExportProfileQuerySet)()

    # What a profile decides (copied when a library starts from its territory's default).
    SETTINGS = (
        "system",
        "owner_code",
        "holding_code",
        "location",
        "section",
        "write_due_date",
        "item_types",
        "subfields",
        "dropped_tags",
    )

    class Meta:
        verbose_name = _("profil d'export SIGB")
        verbose_name_plural = _("profils d'export SIGB")
        constraints = [
            models.CheckConstraint(
                condition=Q(library__isnull=False, territory__isnull=True)
                | Q(library__isnull=True, territory__isnull=False),
                name="export_profile_library_xor_territory",
                violation_error_message=_("Un profil d'export appartient à une bibliothèque ou à un territoire."),
            )
        ]

    def __str__(self) -> str:
        owner = self.library or self.territory
        return f"{self.get_system_display()} — {owner}" if owner else str(self.get_system_display())

    # --- which profile applies --------------------------------------------------------------

    @classmethod
    def effective_for(cls, library: Library) -> ExportProfile:
        """The profile of ``library``'s exports: its own, else its territory's default, else the
        built-in « Autre SIGB (Recommandation 995) » (an unsaved row)."""
        own = cls.objects.for_library(library).first()
        if own is not None:
            return own
        default = cls.objects.territory_default(library.territory_id).first()
        return default if default is not None else cls(system=SigbSystem.RECOMMENDATION_995)

    @classmethod
    def to_edit_for(cls, library: Library) -> ExportProfile:
        """The row a Gestionnaire of ``library`` edits: its own, else a new one (unsaved) holding
        the settings of the profile that applies today (territory default or built-in)."""
        own = cls.objects.for_library(library).first()
        if own is not None:
            return own
        current = cls.effective_for(library)
        return cls(
            library=library,
            **{name: getattr(current, name) for name in cls.SETTINGS},
        )

    @property
    def source(self) -> str:
        """Whose profile this is: ``"library"``, ``"territory"`` or ``"builtin"`` (unsaved default)."""
        if self.pk is None:
            return "builtin"
        return "library" if self.library_id else "territory"

    # --- what the profile writes ------------------------------------------------------------

    def subfield_map(self) -> dict[str, str]:
        """Element → subfield code written (elements not written are absent)."""
        fixed = sigb.FIXED_SUBFIELDS.get(self.system)
        if fixed is not None:
            mapping = dict(fixed)
            if self.system == SigbSystem.PMB and not self.section:
                mapping[sigb.AUDIENCE] = mapping.pop(sigb.SECTION)  # PMB's statistics code: the audience
        else:
            mapping = dict(sigb.RECOMMENDATION_995_SUBFIELDS)
            for element, code in (self.subfields or {}).items():
                if element in sigb.ELEMENTS:
                    mapping[element] = str(code or "")
        if self.system == SigbSystem.KOHA or not self.write_due_date:
            mapping.pop(sigb.DUE_DATE, None)
        return {element: code for element, code in mapping.items() if code}

    def effective_codes(self, library: Library | None) -> tuple[str, str]:
        """``(owner, holding)`` codes written for ``library`` (empty: not known without a library)."""
        library_code = library.code if library is not None else ""
        holding = self.holding_code or library_code
        if self.owner_code:
            owner = self.owner_code
        elif self.system == SigbSystem.KOHA:
            owner = holding
        else:
            owner = lender_code()
        return owner, holding

    def layout(self, library: Library) -> sigb.Item995Layout:
        """What the 995 writer needs for ``library``'s export; ``ValidationError`` (French) when
        the profile cannot be written for this library (e.g. a territory's Koha default and a
        portal code longer than Koha's 10 characters)."""
        problems = self.code_problems(library)
        if problems:
            raise ValidationError(problems)
        owner, holding = self.effective_codes(library)
        item_types = dict(sigb.DEFAULT_ITEM_TYPES)
        item_types.update({key: str(value) for key, value in (self.item_types or {}).items() if value})
        return sigb.Item995Layout(
            subfields=tuple(sorted((code, element) for element, code in self.subfield_map().items())),
            lender=lender_code(),
            owner=owner,
            holding=holding,
            location=self.location,
            section=self.section,
            item_types=item_types,
            dropped_tags=tuple(sigb.parse_tag_patterns(self.dropped_tags)),
        )

    def preview_995(self, library: Library) -> str:
        """The 995 this profile writes for ``library``, for an example item (a book for adults,
        lent today for 120 days), as « $b … $c … »; empty when it cannot be written."""
        try:
            layout = self.layout(library)
        except ValidationError:
            return ""
        today = datetime.date.today()
        body = Item995Writer(layout).body(
            "0012345678901", "R HUG", "book", "adult", library.code, today, today + datetime.timedelta(days=120)
        )
        return " ".join(f"${part[:1]} {part[1:]}" for part in body.decode("utf-8").split("\x1f")[1:])

    # --- validation -------------------------------------------------------------------------

    def code_problems(self, library: Library | None) -> list[str]:
        """French reasons why the owner / holding codes written for ``library`` break the rules of
        the profile's system (none checked without a library, except the codes typed in)."""
        if self.system != SigbSystem.KOHA:
            return []
        problems = []
        owner, holding = self.effective_codes(library)
        checked = [(gettext("de la bibliothèque dépositaire (995$c)"), holding)]
        if self.owner_code:  # otherwise the owner is the holding branch, checked already
            checked.insert(0, (gettext("du propriétaire (995$b)"), owner))
        for label, code in checked:
            if code and not sigb.is_koha_code(code):
                problems.append(
                    gettext(
                        "Le code %(which)s « %(code)s » ne peut pas être un code de site Koha : au plus "
                        "10 caractères, lettres majuscules, chiffres, « _ » ou « - ». Indiquez le code de "
                        "votre site dans Koha (Mon SIGB / Profil d'export)."
                    )
                    % {"which": label, "code": code}
                )
        return problems

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}

        def refuse(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        if (self.library_id is None) == (self.territory_id is None):
            refuse(
                "__all__", gettext("Un profil d'export appartient à une bibliothèque ou à un territoire, pas aux deux.")
            )
        koha = self.system == SigbSystem.KOHA
        library = self.library if self.library_id else None
        for field, code in (("owner_code", self.owner_code), ("holding_code", self.holding_code)):
            if code and not (sigb.is_koha_code(code) if koha else sigb.is_code(code)):
                refuse(field, _code_message(koha, code))
        if not errors.get("owner_code") and not errors.get("holding_code"):
            for message in self.code_problems(library):
                refuse("holding_code", message)
        if koha and self.write_due_date:
            refuse(
                "write_due_date",
                gettext(
                    "Koha lit la zone 995$n comme la date de retour d'un prêt en cours : chaque document "
                    "apparaîtrait « en prêt » dans votre catalogue. Décochez « écrire la date de retour "
                    "prévue » pour Koha."
                ),
            )
        if self.location and not sigb.is_code(self.location, max_length=80):
            refuse(
                "location",
                gettext("La localisation tient sur une ligne, sans espace au bord ni caractère de contrôle."),
            )
        if self.section and not sigb.is_code(self.section):
            refuse("section", _code_message(False, self.section))
        types = self.item_types if isinstance(self.item_types, dict) else {}
        if not isinstance(self.item_types, dict):
            refuse("item_types", gettext("La correspondance des types de document est un tableau type → code."))
        labels = dict(DocumentType.choices)
        for key, code in types.items():
            if key not in labels:
                refuse("item_types", gettext("Type de document inconnu : « %(type)s ».") % {"type": key})
            elif code and not (sigb.is_koha_code(str(code)) if koha else sigb.is_code(str(code))):
                refuse(
                    "item_types",
                    gettext("%(type)s : %(reason)s") % {"type": labels[key], "reason": _code_message(koha, str(code))},
                )
        if self.system == SigbSystem.RECOMMENDATION_995:
            self._clean_subfields(refuse)
        for pattern in sigb.parse_tag_patterns(self.dropped_tags):
            problem = sigb.tag_pattern_problem(pattern)
            if problem == "format":
                refuse(
                    "dropped_tags",
                    gettext("« %(pattern)s » n'est pas une zone : trois chiffres, X pour n'importe quel chiffre (9XX).")
                    % {"pattern": pattern},
                )
            elif problem == "protected":
                refuse(
                    "dropped_tags",
                    gettext(
                        "« %(pattern)s » retirerait une zone dont votre SIGB a besoin pour créer la notice "
                        "(titre, auteurs, ISBN, données codées…) : seules les zones locales peuvent être retirées."
                    )
                    % {"pattern": pattern},
                )
        if errors:
            raise ValidationError(errors)

    def _clean_subfields(self, refuse: Callable[[str, str], None]) -> None:
        if not isinstance(self.subfields, dict):
            refuse("subfields", gettext("Les sous-zones sont un tableau élément → sous-zone."))
            return
        seen: dict[str, str] = {}
        for element, code in self.subfield_map().items():
            label = SIGB_ELEMENT_LABELS[element]
            if element not in sigb.ELEMENTS:
                continue
            if not sigb.SUBFIELD_CODE_RE.fullmatch(code) or code in (sigb.BARCODE_SUBFIELD, sigb.CALL_NUMBER_SUBFIELD):
                refuse(
                    "subfields",
                    gettext("%(element)s : « %(code)s » n'est pas une sous-zone possible (a-z ou 0-9, sauf f et k).")
                    % {"element": label, "code": code},
                )
            elif code in seen:
                refuse(
                    "subfields",
                    gettext("%(element)s et %(other)s ne peuvent pas partager la sous-zone $%(code)s.")
                    % {"element": label, "other": SIGB_ELEMENT_LABELS[seen[code]], "code": code},
                )
            else:
                seen[code] = element


def _code_message(koha: bool, code: str) -> str:
    if koha:
        return gettext(
            "« %(code)s » ne peut pas être un code Koha : au plus 10 caractères, lettres majuscules, "
            "chiffres, « _ » ou « - »."
        ) % {"code": code}
    return gettext("« %(code)s » : un code tient sur une ligne, sans espace au bord, en 40 caractères au plus.") % {
        "code": code
    }


def lender_code() -> str:
    """Code of the BDVO written as lending body and owner (``settings.EXPORT_LENDER_CODE``, ``BDVO`` by default)."""
    return getattr(settings, "EXPORT_LENDER_CODE", "BDVO")


def export_layout_for(library: Library) -> sigb.Item995Layout:
    """The 995 layout of ``library``'s exports (its effective profile); ``ValidationError`` (French)
    when that profile cannot be written for it."""
    return ExportProfile.effective_for(library).layout(library)


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
