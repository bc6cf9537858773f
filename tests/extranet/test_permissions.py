"""The permission vocabulary: who may act for a library, what an admin shows a referent, who opens a page."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from animation_tools import services as tool_services
from animation_tools.admin import TerritoryFilter
from animation_tools.models import ToolBooking
from catalogue.models import Loan, Record
from catalogue.services.reservations import reservation_cancel
from extranet.models import Library, Territory, User
from extranet.permissions import (
    ReferentScopedAdminMixin,
    manager_required,
    partner_required,
    referent_libraries,
    referent_territories,
    staff_required,
)
from tests.factories import LibraryFactory, LoanFactory, RecordFactory, ReservationFactory, StaffFactory, UserFactory
from tests.trainings.factories import RegistrationFactory, TraineeRequestFactory
from trainings import services as training_services
from trainings.models import TraineeRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_without_territory(db) -> User:
    return StaffFactory(first_name="Inès", last_name="Sans-Territoire")


def _request(user: User | AnonymousUser) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user
    return request


# --- User.may_act_for ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("account", "expected"),
    [
        ("manager", True),  # Gestionnaire of the library
        ("viewer", False),  # Consulter of the library
        ("other_manager", False),  # Gestionnaire of another library
        ("referent", True),  # referent of the library's territory
        ("other_referent", False),  # referent of another territory (issue 15)
        ("staff_without_territory", False),  # staff who follow no territory and are not BDVO-wide
        ("network_staff", True),  # BDVO-wide staff (« Personnel BDVO (tout le réseau) »)
        ("admin_user", True),
    ],
)
def test_may_act_for_truth_table(request, library, account, expected):
    user = request.getfixturevalue(account)
    assert user.may_act_for(library) is expected
    assert user.may_act_for(library.pk) is expected


def test_referent_of_another_territory_may_not_act_for_the_library(referent, other_library):
    """Issue 15: a referent of « Vexin français » acted for Goussainville (Plaine de France)."""
    assert not referent.may_act_for(other_library)
    assert not referent.may_act_for(other_library.pk)
    assert not referent.manages_library(other_library)


def test_network_wide_staff_act_for_every_library_without_reading_a_row(
    network_staff, library, other_library, django_assert_num_queries
):
    network_staff = User.objects.get(pk=network_staff.pk)
    assert network_staff.manages_library(library)  # loads the permissions once
    with django_assert_num_queries(0):
        assert network_staff.may_act_for(library.pk)
        assert network_staff.may_act_for(other_library)


def test_deactivated_gestionnaire_may_not_act(manager, library):
    manager.is_active = False
    assert not manager.may_act_for(library)
    assert not manager.may_act_for(library.pk)


def test_deactivated_staff_may_not_act(admin_user, library):
    admin_user.is_active = False
    assert not admin_user.may_act_for(library)


def test_gestionnaire_of_an_inactive_library_may_not_act(manager, library):
    Library.objects.filter(pk=library.pk).update(is_active=False)
    manager = User.objects.select_related("library").get(pk=manager.pk)
    assert not manager.may_act_for(manager.library)
    assert not manager.may_act_for(library.pk)


def test_may_act_for_by_id_reads_no_row(manager, library, django_assert_num_queries):
    manager = User.objects.select_related("library").get(pk=manager.pk)
    with django_assert_num_queries(0):
        assert manager.may_act_for(library.pk)
        assert not manager.may_act_for(library.pk + 1000)


def test_services_refuse_a_gestionnaire_of_an_inactive_library(manager, library):
    Library.objects.filter(pk=library.pk).update(is_active=False)
    library.refresh_from_db()
    with pytest.raises(PermissionDenied):
        tool_services.calendar_link_renew(library=library, user=manager)


def test_reservation_cancel_says_why_it_refuses(manager, viewer, other_manager, admin_user, library):
    reservation = ReservationFactory(library=library)
    with pytest.raises(PermissionDenied, match="autre bibliothèque"):
        reservation_cancel(reservation=reservation, user=other_manager)
    with pytest.raises(PermissionDenied, match="Consulter"):
        reservation_cancel(reservation=reservation, user=viewer)
    assert reservation_cancel(reservation=reservation, user=manager).status == reservation.Status.CANCELLED


def test_a_registration_is_cancelled_by_its_person_a_gestionnaire_of_its_library_or_staff(
    manager, viewer, other_manager, referent
):
    registration = RegistrationFactory(user=viewer)
    colleague = UserFactory(library=viewer.library, profile=User.Profile.VIEWER)
    assert training_services.can_cancel(registration=registration, by=viewer)
    assert training_services.can_cancel(registration=registration, by=manager)
    assert training_services.can_cancel(registration=registration, by=referent)
    assert not training_services.can_cancel(registration=registration, by=colleague)
    assert not training_services.can_cancel(registration=registration, by=other_manager)


# --- ReferentScopedAdminMixin ---------------------------------------------------------------


def _rows(model: type[Model], user: User) -> list[Model]:
    """The rows the registered admin of ``model`` lists for ``user``."""
    return list(admin.site._registry[model].get_queryset(_request(user)))


@pytest.fixture
def loans(library, other_library) -> tuple[Loan, Loan]:
    return LoanFactory(library=library), LoanFactory(library=other_library)


def test_referent_sees_the_rows_of_their_territory_only(referent, library, loans):
    assert _rows(Loan, referent) == [loans[0]]
    assert _rows(Library, referent) == [library]
    assert _rows(Territory, referent) == [library.territory]


def test_administrator_sees_every_row(admin_user, library, other_library, loans):
    assert set(_rows(Loan, admin_user)) == set(loans)
    assert set(_rows(Library, admin_user)) == {library, other_library}
    assert set(_rows(Territory, admin_user)) == {library.territory, other_library.territory}


def test_staff_without_territory_and_partners_see_nothing(staff_without_territory, manager, loans):
    for user in (staff_without_territory, manager):
        assert _rows(Loan, user) == []
        assert _rows(Library, user) == []
        assert _rows(Territory, user) == []


def test_rows_without_library_are_seen_by_administrators_only(referent, admin_user, library):
    mine = TraineeRequestFactory(library=library)
    typed = TraineeRequestFactory(structure_name="Ludothèque de Pontoise")
    assert _rows(TraineeRequest, referent) == [mine]
    assert set(_rows(TraineeRequest, admin_user)) == {mine, typed}


def test_a_path_through_a_to_many_relation_lists_each_row_once(referent, library):
    class RecordsReservedByMyLibrariesAdmin(ReferentScopedAdminMixin, admin.ModelAdmin):
        library_field = "reservations__library"

    record = RecordFactory()
    ReservationFactory(record=record, library=library)
    ReservationFactory(record=record, library=LibraryFactory(territory=library.territory))
    RecordFactory()
    model_admin = RecordsReservedByMyLibrariesAdmin(Record, admin.site)
    assert list(model_admin.get_queryset(_request(referent))) == [record]


def test_library_and_territory_choices_follow_the_same_rule(referent, admin_user, library, other_library):
    user_admin = admin.site._registry[User]
    library_admin = admin.site._registry[Library]
    library_field, territory_field = User._meta.get_field("library"), Library._meta.get_field("territory")
    for user, libraries in ((referent, {library}), (admin_user, {library, other_library})):
        choices = user_admin.formfield_for_foreignkey(library_field, _request(user)).queryset
        assert set(choices) == libraries == set(referent_libraries(user))
        territories = {each.territory for each in libraries}
        choices = library_admin.formfield_for_foreignkey(territory_field, _request(user)).queryset
        assert set(choices) == territories == set(referent_territories(user))


def test_tool_booking_territory_filter_lists_the_referent_territories(referent, admin_user, library, other_library):
    model_admin = admin.site._registry[ToolBooking]
    for user, territories in (
        (referent, [library.territory]),
        (admin_user, [library.territory, other_library.territory]),
    ):
        choices = TerritoryFilter(_request(user), {}, ToolBooking, model_admin).lookup_choices
        assert sorted(choices) == sorted((territory.pk, territory.name) for territory in territories)


# --- staff roles: one rule, BDVO-wide staff by group ----------------------------------------


def test_staff_scope_truth_table(referent, network_staff, staff_without_territory, admin_user, manager):
    from extranet.querysets import staff_scope

    assert [staff_scope(user) for user in (admin_user, network_staff, referent, staff_without_territory)] == [
        "all",
        "all",
        "territories",
        "territories",
    ]
    assert staff_scope(manager) == staff_scope(AnonymousUser()) == "none"
    for user in (admin_user, network_staff, referent):
        user.is_active = False
        assert staff_scope(user) == "none"


def test_the_network_wide_group_is_made_after_migrations_and_holds_its_permission(db):
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from extranet.apps import ensure_network_wide_group
    from extranet.querysets import NETWORK_WIDE_GROUP, NETWORK_WIDE_PERMISSION

    ensure_network_wide_group(sender=apps.get_app_config("extranet"))  # idempotent
    group = Group.objects.get(name=NETWORK_WIDE_GROUP)
    app_label, codename = NETWORK_WIDE_PERMISSION.split(".")
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [(app_label, codename)]
    assert Permission.objects.filter(codename=codename).count() == 1


def test_a_partner_given_the_permission_still_manages_nothing(manager, library):
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(Permission.objects.get(codename="act_for_whole_network"))
    manager = User.objects.get(pk=manager.pk)
    assert list(referent_libraries(manager)) == []
    assert not manager.manages_library(library)


def test_bdvo_wide_staff_see_every_row_in_admin(network_staff, library, other_library, loans):
    assert set(_rows(Loan, network_staff)) == set(loans)
    assert set(_rows(Library, network_staff)) == {library, other_library}


@pytest.mark.parametrize(
    ("model", "path"),
    [
        (Loan, "library"),
        (Loan, "library__territory"),
        (User, "library"),
        (User, "library__territory"),
        (Library, "territory"),
    ],
)
def test_list_filter_sidebars_offer_the_referents_libraries_and_territories(
    referent, admin_user, library, other_library, model, path
):
    """Issue 15: the admin's filter sidebars listed every territory's libraries to a referent."""
    model_admin = admin.site._registry[model]
    entry = next(e for e in model_admin.get_list_filter(_request(referent)) if isinstance(e, tuple) and e[0] == path)
    field = model._meta.get_field(path.split("__")[0])
    if "__" in path:
        field = field.related_model._meta.get_field(path.split("__")[1])
    for user, expected in ((referent, {library}), (admin_user, {library, other_library})):
        list_filter = entry[1](field, _request(user), {}, model, model_admin, field_path=path)
        names = {name for _pk, name in list_filter.lookup_choices}
        if field.related_model is Territory:
            expected = {each.territory for each in expected}
        assert names == {str(each) for each in expected}


# --- page decorators ------------------------------------------------------------------------


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_staff_required_sends_anonymous_visitors_to_the_login_page():
    response = staff_required(_page)(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("account", ["manager", "viewer"])
def test_staff_required_refuses_partners(request, account):
    with pytest.raises(PermissionDenied, match="réservée aux personnels de la BDVO"):
        staff_required(_page)(_request(request.getfixturevalue(account)))


def test_staff_required_refuses_a_deactivated_staff_account(referent):
    referent.is_active = False
    with pytest.raises(PermissionDenied):
        staff_required(_page)(_request(referent))


def test_staff_required_lets_staff_in(referent, staff_without_territory):
    assert staff_required(_page)(_request(referent)).status_code == 200
    assert staff_required(_page)(_request(staff_without_territory)).status_code == 200


def test_staff_pages_use_the_one_staff_required(client_for, manager):
    assert client_for(None).get(reverse("catalogue_staff:lending")).status_code == 302
    assert client_for(manager).get(reverse("catalogue_staff:lending")).status_code == 403
    assert client_for(manager).get(reverse("animation_tools:navette")).status_code == 403


def test_partner_required_refuses_staff_and_sets_the_library(manager, referent, library):
    seen = []
    view = partner_required(lambda request: seen.append(request.library) or HttpResponse("ok"))
    assert view(_request(manager)).status_code == 200
    assert seen == [library]
    with pytest.raises(PermissionDenied):
        view(_request(referent))


def test_manager_required_refuses_a_consulter(manager, viewer):
    view = manager_required(_page)
    assert view(_request(manager)).status_code == 200
    with pytest.raises(PermissionDenied, match="Consulter"):
        view(_request(viewer))
