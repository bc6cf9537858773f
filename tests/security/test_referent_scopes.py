"""Referents of two territories attack each other's libraries on every staff page and in the admin.

Issue 15, item 1: a referent of « Plaine de France » (``other_referent``) tries every staff
page, staff export, stored file, admin list, filter sidebar, autocomplete, change page, admin
action and admin form on the data of the Médiathèque de Marines (library A, « Vexin
français »). Each attempt must be refused (404, or a redirect to the admin index for a change
page, or a French refusal for a form), show nothing of A and change no row. Both referents hold
the admin rights an administrator might give them (loans, bookings, registrations, sessions),
so that what is tested is the territory, not a missing right.

Every attempt has its oracle: the same request by A's referent (``referent``) does show A's
data (GET) or change A's rows (POST), so a refusal can never pass because the request was
wrong. ``test_the_attack_table`` prints the table the issue's closing note asks for.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from extranet.models import ExportJob
from tests.factories import next_weekday
from tests.security.conftest import changed_tables, database_snapshot
from tests.security.matrix import World

pytestmark = pytest.mark.django_db

# Rights an administrator might add to a referent: the attacks test the territory, not these.
EXTRA_RIGHTS = [
    "view_loan", "change_loan", "view_toolbooking", "change_toolbooking", "add_toolbooking",
    "view_registration", "change_registration", "view_trainingsession",
]  # fmt: skip


@dataclass
class Scene:
    """The world of the security matrix, plus what the staff pages of A's territory show."""

    world: World
    objects: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name: str) -> object:
        try:
            return self.objects[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def secrets(self) -> list[str]:
        return [*self.world.secrets, *self.world.staff_secrets, "Vexin français", "martine.leroy@marines.example.fr"]


@pytest.fixture
def scene(world: World) -> Scene:
    from tests.animation_tools.factories import ToolFactory
    from tests.factories import ItemFactory
    from tests.trainings.factories import RegistrationFactory, TraineeRequestFactory, TrainingSessionFactory

    rights = Permission.objects.filter(codename__in=EXTRA_RIGHTS)
    for referent in (world.referent, world.other_referent):
        referent.user_permissions.add(*rights)
    today = timezone.localdate()
    session = TrainingSessionFactory()
    job = ExportJob.objects.create(
        exporter="loans", format="csv", library=world.library, user=world.manager, filename="prets.csv",
        status=ExportJob.Status.DONE, expires_at=timezone.now() + datetime.timedelta(hours=24),
    )  # fmt: skip
    job.file.save(job.filename, ContentFile(f"Code-barres\r\nMARINES-PRET-0001;{world.manager.email}".encode()))
    staff_job = ExportJob.objects.create(
        exporter="navette_plan", format="csv", library=None, user=world.referent, filename="navette.csv",
        status=ExportJob.Status.DONE, expires_at=timezone.now() + datetime.timedelta(hours=24),
    )  # fmt: skip
    staff_job.file.save(staff_job.filename, ContentFile("Médiathèque de Marines;VDO-MARINES".encode()))
    from catalogue.models import LoanRenewal
    from tests.security.matrix import _booking

    return Scene(
        world,
        {
            "session": session,
            "registration": RegistrationFactory(session=session, user=world.viewer),
            "other_registration": RegistrationFactory(session=session, user=world.other_manager),
            "trainee_request": TraineeRequestFactory(
                library=world.library, email="martine.leroy@marines.example.fr", sessions=[session]
            ),
            "other_trainee_request": TraineeRequestFactory(library=world.other_library, sessions=[session]),
            "booking": _booking(world),  # requested, needs a convention
            "free_item": ItemFactory(barcode="BDVO-LIBRE-0003"),
            # A copy of A's reserved title on the shelf (it can be set aside), and a renewal of
            # A's loan waiting for the BDVO.
            "title_copy": ItemFactory(barcode="BDVO-PRINCE-0004", record=world.reservation.record),
            "renewal": LoanRenewal.objects.create(loan=world.loan, previous_due_on=world.loan.due_on),
            "new_tool": ToolFactory(name="Exposition « Jardins du Vexin »", slug="jardins-du-vexin"),
            "job": job,
            "staff_job": staff_job,
            "today": today,
        },
    )


@dataclass(frozen=True)
class Attempt:
    """One forged request of the referent of another territory.

    ``kind``: ``"list"`` (a page or export that must show nothing of A), ``"object"`` (A's
    object by its id: 404, or the admin's redirect to its index), ``"write"`` (a POST that must
    change no row and show nothing of A). ``oracle``: what A's referent gets for the same
    request — ``"sees"`` A's data, ``"changes"`` rows, or ``""`` when it does not apply.
    """

    label: str
    kind: str
    url: Callable[[Scene], str]
    data: Callable[[Scene], dict[str, object]] | None = None
    oracle: str = "sees"

    @property
    def method(self) -> str:
        return "post" if self.data is not None else "get"


def _admin(name: str, *args: object) -> Callable[[Scene], str]:
    return lambda s: reverse(f"admin:{name}", args=[arg(s) if callable(arg) else arg for arg in args])


def _action(name: str, rows: Callable[[Scene], object], **extra: object) -> Callable[[Scene], dict[str, object]]:
    return lambda s: {"action": name, ACTION_CHECKBOX_NAME: [rows(s).pk], "index": "0", **extra}


def _autocomplete(app: str, model: str, field_name: str, term: str) -> Callable[[Scene], str]:
    return lambda s: (
        f"{reverse('admin:autocomplete')}?app_label={app}&model_name={model}&field_name={field_name}&term={term}"
    )


def _navette(query: Callable[[Scene], str] = lambda s: "") -> Callable[[Scene], str]:
    return lambda s: reverse("animation_tools:navette") + query(s)


def _navette_csv(query: Callable[[Scene], str] = lambda s: "") -> Callable[[Scene], str]:
    return lambda s: reverse("exports_staff:export", args=["navette_plan"]) + query(s)


def _wide_period(s: Scene) -> str:
    start, end = s.today - datetime.timedelta(days=30), s.today + datetime.timedelta(days=60)
    return f"?date_from={start.isoformat()}&date_to={end.isoformat()}"


def _a_territory(s: Scene) -> str:
    return f"?territory={s.world.library.territory_id}"


def _loan(s: Scene) -> object:
    return s.world.loan


def _reservation(s: Scene) -> object:
    return s.world.reservation


def _validated(s: Scene) -> object:
    return s.world.navette_booking


def _user_add(library: Callable[[Scene], object]) -> Callable[[Scene], dict[str, object]]:
    return lambda s: {
        "first_name": "Paul", "last_name": "Roux", "email": "paul.roux@example.fr",
        "library": library(s).pk, "profile": "viewer",
    }  # fmt: skip


def _booking_add(s: Scene) -> dict[str, object]:
    loan = next_weekday(s.today + datetime.timedelta(days=40))
    return {
        "tool": s.new_tool.pk, "library": s.world.library.pk, "loan_date": loan.isoformat(),
        "return_date": next_weekday(loan + datetime.timedelta(days=14)).isoformat(), "override_reason": "",
    }  # fmt: skip


# fmt: off
ATTEMPTS = [
    # --- staff pages (/personnel/) ----------------------------------------------------------
    Attempt("staff home", "list", lambda s: reverse("staff_home")),
    Attempt("lending page (choice of libraries)", "list", lambda s: reverse("catalogue_staff:lending")),
    Attempt(
        "lend a free item to A",
        "write",
        lambda s: reverse("catalogue_staff:lending"),
        lambda s: {"library": s.world.library.pk, "barcode": s.free_item.barcode},
        oracle="changes",
    ),
    Attempt(
        "lend A's loaned item to one's own library (refusal must not name A)",
        "write",
        lambda s: reverse("catalogue_staff:lending"),
        lambda s: {"library": s.world.other_library.pk, "barcode": "MARINES-PRET-0001"},
        oracle="",
    ),
    Attempt(
        "return an item lent to A",
        "write",
        lambda s: reverse("catalogue_staff:returns"),
        lambda s: {"barcode": "MARINES-PRET-0001"},
        oracle="changes",
    ),
    Attempt("navette plan, this week", "list", _navette()),
    Attempt("navette plan, A's territory forged", "list", _navette(_a_territory)),
    Attempt("navette plan, three months", "list", _navette(_wide_period)),
    Attempt("navette CSV, this week", "list", _navette_csv()),
    Attempt("navette CSV, A's territory forged", "list", _navette_csv(_a_territory)),
    Attempt(
        "navette CSV by POST, A's territory forged",
        "list",
        _navette_csv(),
        lambda s: {"format": "csv", "scope": "filtered", "query": _a_territory(s)[1:]},
        oracle="sees",
    ),
    Attempt(
        "attendance sheet CSV of a session with A's registrant",
        "list",
        lambda s: reverse("exports_staff:export", args=["attendance_sheet"]) + f"?session={s.session.pk}",
    ),
    Attempt(
        "convention of A's booking",
        "object",
        lambda s: reverse("animation_tools:staff_booking_convention", args=[s.booking.pk]),
    ),
    Attempt(
        "staff export job of A's referent",
        "object",
        lambda s: reverse("exports_staff:download", args=[s.staff_job.pk]),
    ),
    Attempt("A's export file by its stored name", "object", lambda s: "/media/" + s.job.file.name, oracle=""),
    # --- admin: lists, filter sidebars, forged filters, autocomplete --------------------------
    *[
        Attempt(f"admin list and filter sidebar: {name}", "list", _admin(f"{name}_changelist"))
        for name in (
            "catalogue_loan", "catalogue_reservation", "animation_tools_toolbooking", "trainings_registration",
            "trainings_traineerequest", "extranet_user", "extranet_library", "extranet_territory",
        )
    ],
    *[
        Attempt(
            f"admin list filtered on A: {name}",
            "list",
            lambda s, name=name, lookup=lookup: reverse(f"admin:{name}_changelist")
            + f"?{lookup}={s.world.library.pk}",
        )
        for name, lookup in (
            ("catalogue_loan", "library__id__exact"),
            ("catalogue_reservation", "library__id__exact"),
            ("trainings_registration", "library__id__exact"),
            ("extranet_user", "library__id__exact"),
        )
    ],
    Attempt("autocomplete of libraries", "list", _autocomplete("catalogue", "loan", "library", "Marines")),
    Attempt("autocomplete of accounts", "list", _autocomplete("trainings", "registration", "user", "Bernardini")),
    Attempt("attendance sheet (printable)", "list", _admin("trainings_trainingsession_attendance", lambda s: s.session.pk)),
    Attempt("session page with its registrants", "list", _admin("trainings_trainingsession_change", lambda s: s.session.pk)),
    # --- admin: A's objects by id -------------------------------------------------------------
    Attempt("admin page of A's loan", "object", _admin("catalogue_loan_change", lambda s: s.world.loan.pk)),
    Attempt("admin page of A's reservation", "object", _admin("catalogue_reservation_change", lambda s: s.world.reservation.pk)),
    Attempt("admin page of A's renewal", "object", _admin("catalogue_loanrenewal_change", lambda s: s.renewal.pk)),
    Attempt("admin page of A's booking", "object", _admin("animation_tools_toolbooking_change", lambda s: s.booking.pk)),
    Attempt("admin page of A's registration", "object", _admin("trainings_registration_change", lambda s: s.registration.pk)),
    Attempt("admin page of A's trainee request", "object", _admin("trainings_traineerequest_change", lambda s: s.trainee_request.pk)),
    Attempt("admin page of A's account", "object", _admin("extranet_user_change", lambda s: s.world.viewer.pk)),
    Attempt("admin page of A", "object", _admin("extranet_library_change", lambda s: s.world.library.pk)),
    # --- admin: actions on A's rows (forged selections) ---------------------------------------
    Attempt("action: record the return of A's loan", "write", _admin("catalogue_loan_changelist"), _action("record_return", _loan), oracle="changes"),
    Attempt("action: set an item aside for A's reservation", "write", _admin("catalogue_reservation_changelist"), _action("set_aside", _reservation), oracle="changes"),
    Attempt("action: cancel A's reservation", "write", _admin("catalogue_reservation_changelist"), _action("cancel", _reservation, apply="1", reason="Piraté"), oracle="changes"),
    Attempt("action: grant A's renewal", "write", _admin("catalogue_loanrenewal_changelist"), _action("grant", lambda s: s.renewal), oracle="changes"),
    Attempt("action: refuse A's renewal", "write", _admin("catalogue_loanrenewal_changelist"), _action("refuse", lambda s: s.renewal, apply="1", reason="Piraté"), oracle="changes"),
    Attempt("action: validate A's booking", "write", _admin("animation_tools_toolbooking_changelist"), _action("validate", lambda s: s.booking), oracle="changes"),
    Attempt("action: refuse A's booking", "write", _admin("animation_tools_toolbooking_changelist"), _action("refuse", lambda s: s.booking, apply="1", reason="Piraté"), oracle="changes"),
    Attempt("action: A's tool goes out", "write", _admin("animation_tools_toolbooking_changelist"), _action("mark_out", _validated), oracle="changes"),
    Attempt("action: A's convention came back", "write", _admin("animation_tools_toolbooking_changelist"), _action("record_convention", lambda s: s.booking, apply="1", returned_on=timezone.localdate().isoformat()), oracle="changes"),
    Attempt("action: override the rules for A", "write", _admin("animation_tools_toolbooking_changelist"), _action("override", lambda s: s.booking, apply="1", reason="Piraté"), oracle="changes"),
    Attempt("action: A's registrant present", "write", _admin("trainings_registration_changelist"), _action("mark_present", lambda s: s.registration), oracle="changes"),
    Attempt("action: cancel A's registration", "write", _admin("trainings_registration_changelist"), _action("cancel_registrations", lambda s: s.registration), oracle="changes"),
    Attempt("action: confirm A's trainee request", "write", _admin("trainings_traineerequest_changelist"), _action("confirm_requests", lambda s: s.trainee_request), oracle="changes"),
    # --- admin: forms aimed at A ------------------------------------------------------------
    Attempt("confirm A's trainee request (page)", "write", _admin("trainings_traineerequest_confirm", lambda s: s.trainee_request.pk), lambda s: {"library": s.world.library.pk}, oracle="changes"),
    Attempt("decline A's trainee request (page)", "write", _admin("trainings_traineerequest_decline", lambda s: s.trainee_request.pk), lambda s: {"reason": "Piraté"}, oracle="changes"),
    Attempt(
        "attach one's own trainee request to A",
        "write",
        _admin("trainings_traineerequest_confirm", lambda s: s.other_trainee_request.pk),
        lambda s: {"library": s.world.library.pk},
        oracle="",
    ),
    Attempt("book a tool for A", "write", _admin("animation_tools_toolbooking_add"), _booking_add, oracle="changes"),
    Attempt("create an account in A", "write", _admin("extranet_user_add"), _user_add(lambda s: s.world.library), oracle="changes"),
]
# fmt: on


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):  # "\u00e9" would hide "é"
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def _send(attempt: Attempt, scene: Scene, user):
    url = attempt.url(scene)
    data = attempt.data(scene) if attempt.data else None
    client = _client(user)
    return client.post(url, data) if data is not None else client.get(url), data or {}


def _refused_object(response) -> bool:
    """404, or the admin's answer for an object the user may not see (redirect to its index)."""
    if response.status_code == 404:
        return True
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


@dataclass
class Outcome:
    attempt: Attempt
    status: int
    leaked: list[str]
    changed: list[str]

    @property
    def refused(self) -> bool:
        return not self.leaked and not self.changed and self.status < 500


def _attack(attempt: Attempt, scene: Scene) -> tuple[Outcome, object]:
    before = database_snapshot()
    response, data = _send(attempt, scene, scene.world.other_referent)
    changed = changed_tables(before, database_snapshot())
    typed = " ".join(str(value) for value in data.values())  # what the attacker typed comes back
    body = _body(response)
    leaked = [secret for secret in scene.secrets if secret in body and secret not in typed]
    return Outcome(attempt, response.status_code, leaked, changed), response


def _check(outcome: Outcome, response) -> list[str]:
    where = f"{outcome.attempt.label} → {outcome.status}"
    problems = []
    if outcome.status >= 500:
        problems.append(f"{where}: server error")
    if outcome.leaked:
        problems.append(f"{where}: shows A's data {outcome.leaked}")
    if outcome.changed:
        problems.append(f"{where}: changed {outcome.changed}")
    if outcome.attempt.kind == "object" and not _refused_object(response):
        problems.append(f"{where}: A's object must be refused (404)")
    return problems


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda attempt: attempt.label)
def test_a_referent_of_another_territory_is_refused(scene: Scene, attempt: Attempt):
    outcome, response = _attack(attempt, scene)
    assert _check(outcome, response) == []


@pytest.mark.parametrize(
    "attempt", [attempt for attempt in ATTEMPTS if attempt.oracle], ids=lambda attempt: attempt.label
)
def test_the_same_request_by_the_referent_of_the_territory_works(scene: Scene, attempt: Attempt):
    """The oracle: each refusal above is a refusal of the territory, not of a malformed request."""
    before = database_snapshot()
    response, _data = _send(attempt, scene, scene.world.referent)
    assert response.status_code < 400, attempt.label
    if attempt.oracle == "changes":
        assert changed_tables(before, database_snapshot()) != [], attempt.label
    else:
        body = _body(response)
        assert any(secret in body for secret in scene.secrets), attempt.label


def test_bdvo_wide_staff_see_both_territories(scene: Scene):
    """The group « Personnel BDVO (tout le réseau) » sees every library, like an administrator."""
    client = _client(scene.world.network_staff)
    page = client.get(reverse("catalogue_staff:lending")).content.decode()
    assert scene.world.library.name in page and scene.world.other_library.name in page
    assert scene.world.library.name in client.get(reverse("animation_tools:navette")).content.decode()


def test_the_attack_table(scene: Scene, capsys):
    """Every attempt in one world, as the closing note of issue 15 reports them."""
    rows: dict[str, list[Outcome]] = {}
    problems = []
    for attempt in ATTEMPTS:
        outcome, response = _attack(attempt, scene)
        problems += _check(outcome, response)
        rows.setdefault(attempt.kind, []).append(outcome)
    with capsys.disabled():
        print("\n| attempts (referent of another territory) | tried | refused | leaks | rows changed |")
        print("|---|---|---|---|---|")
        names = {
            "list": "pages, exports, lists, filters, autocomplete",
            "object": "A's objects by id",
            "write": "POSTs",
        }
        for kind, outcomes in rows.items():
            print(
                f"| {names[kind]} | {len(outcomes)} | {sum(o.refused for o in outcomes)} | "
                f"{sum(bool(o.leaked) for o in outcomes)} | {sum(len(o.changed) for o in outcomes)} |"
            )
    assert problems == []
