"""Tenancy fails closed (``extranet.querysets``): a query of library-owned rows that chose no
scope raises ``LibraryScopeError`` however it is evaluated; each scope returns exactly its
libraries' rows; related managers, prefetches, combinations and model validation keep the rule."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Prefetch, ProtectedError, UniqueConstraint
from django.http import Http404
from django.test import RequestFactory

from animation_tools.models import ToolBooking
from catalogue.models import Item, Loan, Reservation
from extranet.models import Library, User
from extranet.querysets import LibraryScopedManager, LibraryScopedQuerySet, LibraryScopeError, unscoped_validation
from extranet.tenancy import get_scoped_object_or_404, scoped
from tests.animation_tools.factories import ToolBookingFactory, ToolFactory
from tests.factories import ItemFactory, LoanFactory, RecordFactory, ReservationFactory, StaffFactory
from tests.trainings.factories import RegistrationFactory, TraineeRequestFactory
from trainings.models import Registration, TraineeRequest

LIBRARY_OWNED = [Loan, Reservation, ToolBooking, Registration, TraineeRequest]


@pytest.fixture
def loans(library, other_library) -> tuple[Loan, Loan]:
    """One loan in each library (A: ``library``, B: ``other_library``)."""
    return LoanFactory(library=library), LoanFactory(library=other_library)


# --- every evaluation refuses a query without a scope ---------------------------------------

EVALUATIONS: dict[str, Callable[[Any, Loan], Any]] = {
    "list": lambda qs, loan: list(qs),
    "len": lambda qs, loan: len(qs),
    "bool": lambda qs, loan: bool(qs),
    "index": lambda qs, loan: qs[0],
    "get": lambda qs, loan: qs.get(pk=loan.pk),
    "first": lambda qs, loan: qs.first(),
    "last": lambda qs, loan: qs.last(),
    "latest": lambda qs, loan: qs.latest("pk"),
    "count": lambda qs, loan: qs.count(),
    "exists": lambda qs, loan: qs.exists(),
    "contains": lambda qs, loan: qs.contains(loan),
    "aggregate": lambda qs, loan: qs.aggregate(total=Count("pk")),
    "update": lambda qs, loan: qs.update(due_on=datetime.date(2030, 1, 1)),
    "delete": lambda qs, loan: qs.delete(),
    "iterator": lambda qs, loan: list(qs.iterator()),
    "aiterator": lambda qs, loan: qs.aiterator(),
    "in_bulk": lambda qs, loan: qs.in_bulk(),
    "values": lambda qs, loan: list(qs.values("pk")),
    "values_list": lambda qs, loan: list(qs.values_list("pk", flat=True)),
    "dates": lambda qs, loan: list(qs.dates("loaned_on", "month")),
    "select_for_update": lambda qs, loan: list(qs.select_for_update()),
    "get_or_create": lambda qs, loan: qs.get_or_create(pk=loan.pk),
    "update_or_create": lambda qs, loan: qs.update_or_create(pk=loan.pk, defaults={"due_on": loan.due_on}),
    "filter value": lambda qs, loan: list(Item.objects.filter(pk__in=qs.values("item_id"))),
    "union": lambda qs, loan: list(qs.order_by().union(Loan.objects.all_libraries().order_by())),
    "or": lambda qs, loan: list(Loan.objects.all_libraries() | qs),
    "and": lambda qs, loan: list(Loan.objects.all_libraries() & qs),
}


@pytest.mark.parametrize("evaluate", EVALUATIONS.values(), ids=EVALUATIONS.keys())
def test_every_evaluation_without_scope_raises(loans, evaluate):
    with transaction.atomic(), pytest.raises(LibraryScopeError, match="Loan: query without a library scope"):
        evaluate(Loan.objects.filter(returned_on__isnull=True), loans[0])
    assert Loan.objects.all_libraries().count() == 2  # nothing was changed on the way


@pytest.mark.parametrize("evaluate", EVALUATIONS.values(), ids=EVALUATIONS.keys())
def test_every_evaluation_runs_once_a_scope_is_chosen(loans, library, evaluate):
    with transaction.atomic():
        evaluate(Loan.objects.for_library(library).filter(returned_on__isnull=True), loans[0])


@pytest.mark.parametrize("model", LIBRARY_OWNED, ids=lambda model: model.__name__)
def test_every_library_owned_model_fails_closed(db, model):
    assert isinstance(model.objects, LibraryScopedManager)
    assert isinstance(model.objects.all(), LibraryScopedQuerySet)
    with pytest.raises(LibraryScopeError):
        model.objects.count()
    with pytest.raises(LibraryScopeError):
        list(model.objects.all())
    assert model.objects.all_libraries().count() == 0


def test_managers_do_not_offer_delete_or_act_as_an_expression(db):
    assert not hasattr(Loan.objects, "delete")
    assert not hasattr(Loan.objects, "resolve_expression")
    assert isinstance(LibraryScopedQuerySet.as_manager(), LibraryScopedManager)


# --- each scope returns its rows, and keeps them through clones -----------------------------


def test_for_library_returns_that_library_only(loans, library):
    mine, _theirs = loans
    assert list(Loan.objects.for_library(library)) == [mine]
    assert list(Loan.objects.for_library(library.pk)) == [mine]


def test_for_territories_returns_their_libraries_rows(loans, library, other_library):
    mine, theirs = loans
    assert list(Loan.objects.for_territories([library.territory])) == [mine]
    both = Loan.objects.for_territories(type(library.territory).objects.all())
    assert set(both) == {mine, theirs}


def test_all_libraries_returns_every_row(loans):
    assert set(Loan.objects.all_libraries()) == set(loans)


def test_none_is_scoped_and_empty(loans):
    assert Loan.objects.none().count() == 0
    assert list(Loan.objects.filter(pk=loans[0].pk).none()) == []


def test_scope_survives_clones(loans, library):
    mine, _ = loans
    scoped = Loan.objects.for_library(library)
    assert list(scoped.filter(pk=mine.pk).exclude(pk=0).order_by("pk")) == [mine]
    assert list(scoped.values_list("pk", flat=True)) == [mine.pk]
    assert list(scoped.values("pk")) == [{"pk": mine.pk}]
    assert scoped.annotate(n=Count("pk")).get().n == 1
    assert list(scoped.in_progress().select_related("item")[:5]) == [mine]
    assert scoped.filter(pk=mine.pk).library_scope == "library"
    with transaction.atomic():
        assert list(scoped.select_for_update()) == [mine]


def test_for_referent_truth_table(loans, library, other_library, referent, admin_user, manager):
    mine, theirs = loans
    staff_without_territory = StaffFactory()
    other_referent = StaffFactory()
    other_library.territory.referents.add(other_referent)
    seen = {
        "superuser": set(Loan.objects.for_referent(admin_user)),
        "referent of A": set(Loan.objects.for_referent(referent)),
        "referent of B": set(Loan.objects.for_referent(other_referent)),
        "staff following no territory": set(Loan.objects.for_referent(staff_without_territory)),
        "partner": set(Loan.objects.for_referent(manager)),
        "anonymous": set(Loan.objects.for_referent(AnonymousUser())),
    }
    assert seen == {
        "superuser": {mine, theirs},
        "referent of A": {mine},
        "referent of B": {theirs},
        "staff following no territory": set(),
        "partner": set(),
        "anonymous": set(),
    }


def test_a_referent_following_two_territories_sees_each_row_once(loans, library, other_library, referent):
    other_library.territory.referents.add(referent)
    assert sorted(Loan.objects.for_referent(referent).values_list("pk", flat=True)) == sorted(loan.pk for loan in loans)


# --- combinations are scoped only when each part is -----------------------------------------


def test_combinations_need_every_part_scoped(loans, library, other_library):
    mine, theirs = loans
    a, b = (
        Loan.objects.for_library(library).order_by(),
        Loan.objects.for_library(other_library).order_by(),
    )  # SQLite: no ORDER BY in UNION parts
    assert set(a | b) == {mine, theirs}
    assert set(a.union(b)) == {mine, theirs}
    assert list(a & b) == []
    assert list(a.difference(b)) == [mine]
    unscoped = Loan.objects.filter(pk=theirs.pk).order_by()
    for combined in (a | unscoped, unscoped | a, a ^ unscoped, a.union(unscoped), a.intersection(unscoped)):
        with pytest.raises(LibraryScopeError):
            list(combined)


# --- related managers and prefetches ---------------------------------------------------------


def test_related_manager_of_a_library_is_scoped_by_it(loans, library):
    mine, _ = loans
    assert list(library.loans.all()) == [mine]
    assert library.loans.count() == 1
    assert library.loans.all().library_scope == "parent"


def test_related_manager_of_another_parent_requires_a_scope(loans, library, manager):
    mine, theirs = loans
    for manager_of_rows in (mine.item.loans, RecordFactory().reservations):
        with pytest.raises(LibraryScopeError):
            manager_of_rows.count()
    assert list(mine.item.loans.for_library(library)) == [mine]
    assert list(theirs.item.loans.for_library(library)) == []
    registration = RegistrationFactory(user=manager)
    with pytest.raises(LibraryScopeError):
        list(registration.session.registrations.all())
    assert list(registration.session.registrations.all_libraries()) == [registration]
    with pytest.raises(LibraryScopeError):
        manager.training_registrations.exists()


def test_prefetch_from_libraries_is_scoped_by_each_library(loans, library, other_library):
    mine, theirs = loans
    libraries = Library.objects.filter(pk__in=[library.pk, other_library.pk]).prefetch_related("loans")
    assert {lib.pk: list(lib.loans.all()) for lib in libraries} == {library.pk: [mine], other_library.pk: [theirs]}


def test_prefetch_from_another_parent_needs_a_scoped_queryset(loans, library):
    mine, _ = loans
    items = Item.objects.filter(pk__in=[loan.item_id for loan in loans]).order_by("pk")
    with pytest.raises(LibraryScopeError):
        list(items.prefetch_related("loans"))
    prefetched = items.prefetch_related(Prefetch("loans", queryset=Loan.objects.for_library(library)))
    assert {item.pk: list(item.loans.all()) for item in prefetched} == {mine.item_id: [mine], loans[1].item_id: []}


# --- writing objects in hand needs no scope ---------------------------------------------------


def test_objects_in_hand_are_created_saved_refreshed_and_deleted_without_scope(library):
    loan = LoanFactory(library=library)  # the factories create through the default manager
    loan.due_on += datetime.timedelta(days=1)
    loan.save()
    loan.refresh_from_db()
    reservation = Reservation.objects.create(record=RecordFactory(), library=library)
    assert reservation.library == library
    reservation.delete()
    assert Reservation.objects.for_library(library).count() == 0


def test_bulk_update_changes_the_objects_given(loans, library):
    for loan in loans:
        loan.due_on = datetime.date(2031, 1, 1)
    assert Loan.objects.bulk_update(loans, ["due_on"]) == 2
    assert Loan.objects.all_libraries().filter(due_on=datetime.date(2031, 1, 1)).count() == 2
    for loan in loans:
        loan.due_on = datetime.date(2032, 1, 1)
    assert Loan.objects.for_library(library).bulk_update(loans, ["due_on"]) == 1  # a chosen scope still filters


def test_deleting_a_library_still_finds_its_protected_rows(loans):
    with pytest.raises(ProtectedError):
        loans[0].library.delete()


# --- users keep the vocabulary without failing closed ----------------------------------------


def test_users_are_looked_up_without_scope_and_listed_per_library(manager, other_manager, library):
    assert User.objects.filter(email__iexact=manager.email).get() == manager  # authentication's look-up
    assert list(User.objects.for_library(library)) == [manager]


# --- trainee requests: library-owned, some without library -----------------------------------


def test_trainee_requests_without_library_reach_superusers_only(library, referent, admin_user):
    addressed = TraineeRequestFactory(library=library)
    typed = TraineeRequestFactory(library=None, structure_name="Ludothèque de Pontoise")
    assert set(TraineeRequest.objects.for_referent(admin_user)) == {addressed, typed}
    assert list(TraineeRequest.objects.for_referent(referent)) == [addressed]
    assert list(TraineeRequest.objects.for_territories([library.territory])) == [addressed]
    assert set(TraineeRequest.objects.all_libraries()) == {addressed, typed}
    assert list(TraineeRequest.objects.for_library(None)) == []  # no library, no rows (not those without one)


# --- model validation looks across libraries ---------------------------------------------------


def test_full_clean_finds_a_duplicate_reservation(library):
    existing = ReservationFactory(library=library)
    duplicate = Reservation(record=existing.record, library=library)
    with pytest.raises(ValidationError, match="déjà une réservation en cours"):
        duplicate.full_clean()


def test_full_clean_finds_the_item_on_loan_to_another_library(loans, library):
    _, theirs = loans
    loan = Loan(item=theirs.item, library=library, loaned_on=theirs.loaned_on, due_on=theirs.due_on)
    with pytest.raises(ValidationError, match="déjà en prêt"):
        loan.full_clean()
    Loan(item=ItemFactory(), library=library, loaned_on=theirs.loaned_on, due_on=theirs.due_on).full_clean()


def test_full_clean_finds_a_registration_made_by_another_library(manager, other_library):
    registration = RegistrationFactory(user=manager)
    moved = Registration(session=registration.session, user=manager, library=other_library, status="registered")
    with pytest.raises(ValidationError, match="déjà inscrite"):
        moved.full_clean()


def test_model_validation_queries_every_library(loans, library, monkeypatch):
    """Django's checks that read rows (unique fields, unconditional constraints) go through the
    default manager: ``LibraryOwnedModel`` lets them look at every library, and only them."""
    _, theirs = loans
    monkeypatch.setattr(Loan._meta, "unique_together", (("item",),))
    monkeypatch.setattr(
        Loan._meta,
        "constraints",
        [*Loan._meta.constraints, UniqueConstraint(fields=["item"], name="one_loan_per_item")],
    )
    second = Loan(item=theirs.item, library=library, loaned_on=theirs.loaned_on, due_on=theirs.due_on)
    with pytest.raises(LibraryScopeError):
        models.Model.validate_unique(second)
    with pytest.raises(LibraryScopeError):
        models.Model.validate_constraints(second)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert set(error.value.message_dict) == {"item"}  # found, not a LibraryScopeError


def test_validation_outside_model_validation_is_still_scoped(loans):
    with unscoped_validation():
        assert Loan.objects.count() == 2
    with pytest.raises(LibraryScopeError):
        Loan.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraint: PostgreSQL only")
def test_exclusion_constraint_sees_every_library_booking(library, other_library):
    from importlib import import_module

    constraint = import_module("animation_tools.migrations.0002_booking_no_overlap_constraint")._constraint()
    tool = ToolFactory()
    held = ToolBookingFactory(tool=tool, library=other_library)
    clash = ToolBooking(
        tool=tool,
        library=library,
        loan_date=held.loan_date,
        return_date=held.return_date,
        blocked_until=held.blocked_until,
    )
    clash.full_clean()  # the constraint lives in the database only, not in the model state
    # As LibraryOwnedModel.validate_constraints runs it: the other library's booking is seen.
    with unscoped_validation(), pytest.raises(ValidationError, match="Outil déjà réservé"):
        constraint.validate(ToolBooking, clash)
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()


def test_library_owned_models_need_no_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# --- extranet.tenancy: the request's library ------------------------------------------------


def _request_of(user: User) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_scoped_reads_the_requests_library_only(loans, manager):
    mine, theirs = loans
    request = _request_of(manager)
    assert list(scoped(request, Loan)) == [mine]
    assert list(scoped(request, Loan.objects.filter(pk__in=[mine.pk, theirs.pk]))) == [mine]
    assert get_scoped_object_or_404(request, Loan, pk=mine.pk) == mine
    with pytest.raises(Http404):
        get_scoped_object_or_404(request, Loan, pk=theirs.pk)


def test_scoped_refuses_a_model_without_library_scoping(manager):
    with pytest.raises(TypeError, match="Library has no library scoping"):
        scoped(_request_of(manager), Library)
