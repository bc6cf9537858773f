"""Every URL pattern of the project, and how to build a URL of each for library A.

``portal_patterns()`` walks the URL resolver itself, so a view added anywhere is in the
security matrix (and in the accessibility sweep) without anyone listing it. A pattern with
arguments needs one line in ``REGISTRY``: a function that builds the object it addresses
(belonging to library A when the entry is ``owned``) and returns the URL kwargs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from extranet.models import Library, User
from extranet.querysets import NETWORK_WIDE_GROUP
from tests.factories import (
    ItemFactory,
    LibraryFactory,
    LoanFactory,
    RecordFactory,
    ReservationFactory,
    StaffFactory,
    TerritoryFactory,
    UserFactory,
    weekday_rounds,
)

# allauth endpoints that serve flows this portal turned off (e-mail management and
# verification, login and reauthentication codes): not reachable from any page.
ALLAUTH_INTERNALS = {
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
}
# Not views of ours: the admin has its own referent checks (test_admin_scoping), and files.
SKIPPED_PREFIXES = ("admin/", "static/", "media/", "^media/", "^static/")


@dataclass
class World:
    """Library A (Vexin français) with its people and data; library B in another territory.

    ``referent`` follows A's territory, ``other_referent`` B's only: on the staff pages and in
    the admin, ``other_referent`` is the attacker of A's data and ``referent`` the oracle that
    proves a request is a real action. ``network_staff`` is BDVO-wide staff without being an
    administrator (group « Personnel BDVO (tout le réseau) »).
    """

    library: Library
    other_library: Library
    manager: User
    viewer: User
    other_manager: User
    referent: User  # follows A's territory
    other_referent: User  # follows B's territory only
    staff: User  # BDVO administrator
    network_staff: User  # BDVO-wide staff, not an administrator
    loan: object
    returned_loan: object
    reservation: object
    navette_booking: object  # a validated booking of A delivered by the navette this week
    # Strings that only A's partner data contains: never shown to anyone outside A.
    secrets: list[str] = field(default_factory=list)
    # What the staff who manage A see of it (its name, code, address on the navette plan, the
    # lending form, exports): never shown to a referent of another territory.
    staff_secrets: list[str] = field(default_factory=list)
    _built: dict[str, object] = field(default_factory=dict)

    def once(self, key: str, build: Callable[[], object]) -> object:
        """The object ``build`` makes, made once per world (URLs may be built several times)."""
        if key not in self._built:
            self._built[key] = build()
        return self._built[key]


def build_world() -> World:
    library = LibraryFactory(
        name="Médiathèque de Marines", code="VDO-MARINES", territory=TerritoryFactory(name="Vexin français"),
        address="2 rue des Écoles", postal_code="95640", commune="Marines",
    )  # fmt: skip
    other_library = LibraryFactory(
        name="Médiathèque de Goussainville", code="VDO-GOUSS", territory=TerritoryFactory(name="Plaine de France")
    )
    for territory in (library.territory, other_library.territory):
        weekday_rounds(territory)  # any weekday is a navette day (tool bookings must fall on one)
    manager = UserFactory(
        library=library, profile=User.Profile.MANAGER, first_name="Sophie", last_name="Martin",
        email="sophie.martin@marines.example.fr", phone="01 30 39 00 01",
    )  # fmt: skip
    viewer = UserFactory(
        library=library, profile=User.Profile.VIEWER, first_name="Lucas", last_name="Bernardini",
        email="lucas.bernardini@marines.example.fr", phone="01 30 39 00 02",
    )  # fmt: skip
    other_manager = UserFactory(
        library=other_library, profile=User.Profile.MANAGER, first_name="Nadia", last_name="Haddad"
    )
    referents = Group.objects.get(name="Référents de territoire")
    referent = StaffFactory(first_name="Karim", last_name="Benali")
    referent.groups.add(referents)
    library.territory.referents.add(referent)
    other_referent = StaffFactory(first_name="Élise", last_name="Moreau")
    other_referent.groups.add(referents)
    other_library.territory.referents.add(other_referent)
    staff = StaffFactory(username="bdvo-admin", is_superuser=True)
    network_staff = StaffFactory(username="bdvo-pret", first_name="Hugo", last_name="Lambert")
    network_staff.groups.add(Group.objects.get(name=NETWORK_WIDE_GROUP))
    today = timezone.localdate()
    loan = LoanFactory(library=library, item=ItemFactory(barcode="MARINES-PRET-0001", status="on_loan"))
    returned_loan = LoanFactory(
        library=library,
        item=ItemFactory(barcode="MARINES-RETOUR-0002"),
        loaned_on=today - datetime.timedelta(days=60),
        returned_on=today - datetime.timedelta(days=5),
    )
    reservation = ReservationFactory(library=library, record=RecordFactory(title="Le Petit Prince"), created_by=manager)
    from tests.animation_tools.factories import ToolBookingFactory, ToolFactory

    navette_booking = ToolBookingFactory(
        tool=ToolFactory(name="Raconte-tapis « La moufle »", slug="raconte-tapis-la-moufle"), library=library,
        loan_date=today + datetime.timedelta(days=2), return_date=today + datetime.timedelta(days=16),
        status="validated",
    )  # fmt: skip
    return World(
        library=library,
        other_library=other_library,
        manager=manager,
        viewer=viewer,
        other_manager=other_manager,
        referent=referent,
        other_referent=other_referent,
        staff=staff,
        network_staff=network_staff,
        loan=loan,
        returned_loan=returned_loan,
        reservation=reservation,
        navette_booking=navette_booking,
        secrets=[manager.email, viewer.email, viewer.phone, "Bernardini", "MARINES-PRET-0001", "MARINES-RETOUR-0002"],
        staff_secrets=["Médiathèque de Marines", "VDO-MARINES", "2 rue des Écoles"],
    )


def _no_kwargs(world: World) -> dict[str, object]:
    return {}


@dataclass(frozen=True)
class Entry:
    """How to address a pattern: ``kwargs(world)`` builds what it needs and returns the URL kwargs.

    ``owned``: the object is library A's data, so library B must get 404 on a partner page, and
    a referent of another territory on a staff page.
    ``post``: form data a real change would send (default: an empty POST). Patterns without
    arguments only need an entry to give such data.
    """

    kwargs: Callable[[World], dict[str, object]] = _no_kwargs
    owned: bool = True
    post: Callable[[World], dict[str, object]] | None = None


def owned(kwargs: Callable[[World], dict[str, object]] = _no_kwargs, **options: object) -> Entry:
    return Entry(kwargs, owned=True, **options)


def public(kwargs: Callable[[World], dict[str, object]] = _no_kwargs, **options: object) -> Entry:
    return Entry(kwargs, owned=False, **options)


def _page(world: World) -> dict[str, object]:
    from content.models import Page

    page = world.once(
        "page",
        lambda: Page.objects.create(title="Préparer une animation", slug="preparer-une-animation", body="Texte."),
    )
    return {"slug": page.slug}


def _event(world: World) -> dict[str, object]:
    from content.models import Event

    event = world.once(
        "event", lambda: Event.objects.create(title="Rencontre d'auteur", starts_at=timezone.now(), place="Cergy")
    )
    return {"pk": event.pk}


def _tool(world: World) -> object:
    from tests.animation_tools.factories import ToolFactory

    return world.once("tool", lambda: ToolFactory(name="Exposition « Les mots voyageurs »", slug="les-mots-voyageurs"))


def _tool_file(world: World, kind: str) -> dict[str, object]:
    """A technical sheet or a photo of the public tool (public files, served by object)."""
    from tests.animation_tools.factories import TechnicalSheetFactory, ToolPhotoFactory

    factory = TechnicalSheetFactory if kind == "sheet" else ToolPhotoFactory
    return {"pk": world.once(kind, lambda: factory(tool=_tool(world))).pk}


def _booking(world: World) -> object:
    """A booking of library A that needs a convention (a tool worth more than 5 000 €)."""
    from decimal import Decimal

    from tests.animation_tools.factories import ToolBookingFactory, ToolFactory

    today = timezone.localdate()
    return world.once(
        "booking",
        lambda: ToolBookingFactory(
            tool=ToolFactory(value=Decimal("6500.00")), library=world.library, loan_date=today + datetime.timedelta(days=60),
            return_date=today + datetime.timedelta(days=74), status="requested", convention_required=True,
        ),
    )  # fmt: skip


def _free_item(world: World) -> str:
    """The barcode of an item on the shelves, that staff may lend."""
    return world.once("free_item", lambda: ItemFactory(barcode="BDVO-LIBRE-0003")).barcode


def _booking_dates(world: World) -> dict[str, object]:
    today = timezone.localdate()
    return {"loan_date": today + datetime.timedelta(days=40), "return_date": today + datetime.timedelta(days=54)}


def _training_session(world: World) -> object:
    from tests.trainings.factories import TrainingSessionFactory

    return world.once("session", TrainingSessionFactory)


def _registration(world: World) -> object:
    """The Gestionnaire's registration: their Consulter colleague may not cancel it."""
    from tests.trainings.factories import RegistrationFactory

    return world.once("registration", lambda: RegistrationFactory(user=world.manager))


def _invitation_token(world: World) -> dict[str, object]:
    """A valid invitation of A's Gestionnaire to a colleague who has no account yet."""
    from extranet.services import Invitation

    invitation = Invitation(
        library_id=world.library.pk, invited_by_id=world.manager.pk, first_name="Paul", last_name="Roux",
        email="paul.roux@example.fr", profile="viewer",
    )  # fmt: skip
    return {"token": invitation.token()}


def _feed_token(world: World) -> dict[str, object]:
    from animation_tools.ics import library_token

    return {"token": library_token(world.library)}


def _navette_feed_token(world: World) -> dict[str, object]:
    from extranet.calendars import NAVETTE_SALT, library_token

    return {"token": library_token(world.library, salt=NAVETTE_SALT)}


def _export_job(world: World, *, staff: bool = False) -> dict[str, object]:
    """A finished export job of A's Gestionnaire (of the BDVO administrator with ``staff``), with its file."""
    from extranet.models import ExportJob

    def build() -> ExportJob:
        job = ExportJob.objects.create(
            exporter="tool_bookings" if not staff else "navette_plan", format="csv",
            library=None if staff else world.library, user=world.staff if staff else world.manager,
            filename="export.csv", status=ExportJob.Status.DONE,
            expires_at=timezone.now() + datetime.timedelta(hours=24),
        )  # fmt: skip
        job.file.save(job.filename, ContentFile(("Nom\r\n" + world.manager.email).encode()), save=True)
        return job

    return {"pk": world.once("staff_export_job" if staff else "export_job", build).pk}


# One line per URL name with arguments. A new pattern with arguments and no entry here
# fails the matrix with "add <name> to the security matrix registry".
REGISTRY: dict[str, Entry] = {
    "account_reset_password_from_key": public(lambda w: {"uidb36": "zz", "key": "lien-invalide"}),
    # The link is the capability (signed, dated): whoever holds it sees the form.
    "invitation_accept": public(_invitation_token),
    "extranet:user_create": owned(
        post=lambda w: {
            "user_type": "partner",
            "last_name": "Roux",
            "first_name": "Paul",
            "email": "paul.roux@example.fr",
            "profile": "viewer",
        }
    ),
    "extranet:reservations_delete": owned(post=lambda w: {"selected": [w.reservation.pk], "confirm": "1"}),
    "extranet:loans_renew": owned(post=lambda w: {"selected": [w.loan.pk], "confirm": "1"}),
    "extranet:loans_announce_return": owned(post=lambda w: {"selected": [w.loan.pk], "confirm": "1"}),
    "extranet:export_profile_save": owned(
        post=lambda w: {"system": "koha", "holding_code": "MARINES", "location": "DEPOT-BDVO"}
    ),
    "extranet:user_edit": owned(
        lambda w: {"pk": w.viewer.pk}, post=lambda w: {"last_name": "X", "first_name": "Y", "profile": "manager"}
    ),
    "extranet:user_toggle_active": owned(lambda w: {"pk": w.viewer.pk}),
    "extranet:export": public(lambda w: {"identifier": "tool_bookings"}),
    "extranet:export_job": owned(_export_job),
    "extranet:export_job_download": owned(_export_job),
    "exports_staff:export": public(lambda w: {"identifier": "navette_plan"}),
    "exports_staff:job": public(lambda w: _export_job(w, staff=True)),
    "exports_staff:download": public(lambda w: _export_job(w, staff=True)),
    "catalogue:record_detail": public(lambda w: {"pk": w.reservation.record_id}),
    "catalogue:record_reserve": public(lambda w: {"pk": w.reservation.record_id}, post=lambda w: {"confirm": "1"}),
    "catalogue_staff:clear_lines": public(lambda w: {"kind": "lend"}),
    # Staff pages without arguments, with the data of a real change of library A's rows: the
    # referent of A's territory makes it, a referent of another territory must change nothing.
    "catalogue_staff:lending": public(post=lambda w: {"library": w.library.pk, "barcode": _free_item(w)}),
    "catalogue_staff:returns": public(post=lambda w: {"barcode": "MARINES-PRET-0001"}),
    "animation_tools:type_detail": public(lambda w: {"slug": _tool(w).type.slug}),
    "animation_tools:tool_detail": public(lambda w: {"slug": _tool(w).slug}),
    "animation_tools:tool_book_intro": public(lambda w: {"slug": _tool(w).slug}),
    "animation_tools:tool_calendar": public(lambda w: {"slug": _tool(w).slug}),
    "animation_tools:sheet_download": public(lambda w: _tool_file(w, "sheet")),
    "animation_tools:photo": public(lambda w: _tool_file(w, "photo")),
    "animation_tools:tool_book": public(lambda w: {"slug": _tool(w).slug}, post=_booking_dates),
    # The feed URL is a capability (signed token, no session): whoever holds it reads it.
    "animation_tools:calendar_feed": public(_feed_token),
    "navette:calendar_feed": public(_navette_feed_token),
    "animation_tools:booking_cancel": owned(lambda w: {"pk": _booking(w).pk}),
    "animation_tools:booking_convention": owned(lambda w: {"pk": _booking(w).pk}),
    # A staff page addressing A's booking: a referent of another territory gets 404.
    "animation_tools:staff_booking_convention": owned(lambda w: {"pk": _booking(w).pk}),
    "trainings:training_detail": public(lambda w: {"slug": _training_session(w).training.slug}),
    "trainings:session_register": public(lambda w: {"pk": _training_session(w).pk}),
    "trainings:registration_cancel": owned(lambda w: {"pk": _registration(w).pk}),
    # The e-mailed link is the capability (signed, dated); a forged one changes nothing.
    "trainings:trainee_request_confirm": public(lambda w: {"token": "lien-invalide"}),
    "content:page_detail": public(_page),
    "content:event_detail": public(_event),
}


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    arguments: tuple[str, ...]
    view: Callable[..., object]

    def decorated_with(self, decorator: str) -> bool:
        """Whether ``decorator`` (e.g. ``manager_required``) wraps the view, read from the wrapper chain."""
        function: object | None = self.view
        while function is not None:
            code = getattr(function, "__code__", None)
            if code is not None and code.co_qualname.startswith(f"{decorator}.<locals>"):
                return True
            function = getattr(function, "__wrapped__", None)
        return False

    def url(self, world: World) -> str:
        if not self.arguments:
            return reverse(self.name)
        entry = REGISTRY.get(self.name)
        if entry is None:
            raise LookupError(f"add {self.name} to the security matrix registry (tests/security/matrix.py)")
        return reverse(self.name, kwargs=entry.kwargs(world))

    @property
    def owned(self) -> bool:
        return bool(self.arguments) and self.name in REGISTRY and REGISTRY[self.name].owned

    def post_data(self, world: World) -> dict[str, object]:
        entry = REGISTRY.get(self.name)
        return entry.post(world) if entry is not None and entry.post is not None else {}


def _walk(patterns: list, prefix: str = "", namespace: str | None = None) -> Iterator[Pattern]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if not pattern.name:
                raise AssertionError(
                    f"URL pattern {route!r} has no name: name it so the security matrix can address it"
                )
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name in ALLAUTH_INTERNALS:
                continue
            arguments = tuple(pattern.pattern.regex.groupindex)
            yield Pattern(name=name, route=route, arguments=arguments, view=pattern.callback)


def portal_patterns() -> list[Pattern]:
    """Every named URL pattern of the portal except the admin, files and the allauth internals."""
    return sorted(_walk(get_resolver().url_patterns), key=lambda pattern: pattern.route)
