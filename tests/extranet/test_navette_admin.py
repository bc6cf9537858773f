"""Staff keep the navette in admin: referents see and edit their territories' rounds only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from extranet.models import NavetteRoundChange, NavetteRule
from tests.factories import (
    ClosurePeriodFactory,
    LibraryFactory,
    NavetteRoundChangeFactory,
    NavetteRuleFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def library(db):
    """Library A without the suite's default weekday rounds: these tests write their own."""
    return LibraryFactory(
        name="Médiathèque de Marines", code="VDO-MARINES", territory=TerritoryFactory(name="Vexin français")
    )


@pytest.fixture
def other_library(db):
    return LibraryFactory(
        name="Médiathèque de Goussainville", code="VDO-GOUSS", territory=TerritoryFactory(name="Plaine de France")
    )


def test_referent_sees_the_rounds_of_their_territory_and_its_libraries_only(
    client_for, referent, library, other_library
):
    mine = NavetteRuleFactory(territory=library.territory)
    my_library = NavetteRuleFactory(territory=None, library=library, weekday=4, starts_on=D(2027, 1, 1))
    theirs = NavetteRuleFactory(territory=other_library.territory)
    their_library = NavetteRuleFactory(territory=None, library=other_library)
    client = client_for(referent)
    response = client.get(reverse("admin:extranet_navetterule_changelist"))
    assert response.status_code == 200
    assert set(response.context["cl"].queryset) == {mine, my_library}
    for rule in (theirs, their_library):
        assert client.get(reverse("admin:extranet_navetterule_change", args=[rule.pk])).status_code == 302
    form = client.get(reverse("admin:extranet_navetterule_add")).context["adminform"].form
    assert list(form.fields["territory"].queryset) == [library.territory]
    assert list(form.fields["library"].queryset) == [library]


def test_referent_adds_a_round_every_other_tuesday(client_for, referent, library):
    response = client_for(referent).post(
        reverse("admin:extranet_navetterule_add"),
        {
            "territory": library.territory.pk,
            "library": "",
            "frequency": "weekly",
            "weekday": "1",
            "interval_weeks": "2",
            "week_of_month": "",
            "starts_on": "29/12/2026",
            "ends_on": "",
            "cutoff_open_days": "2",
            "cutoff_time": "12:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule = NavetteRule.objects.get()
    assert rule.describe() == "un mardi toutes les 2 semaines"


def test_admin_refuses_a_rule_for_a_territory_and_a_library_with_a_french_reason(client_for, admin_user, library):
    response = client_for(admin_user).post(
        reverse("admin:extranet_navetterule_add"),
        {
            "territory": library.territory.pk,
            "library": library.pk,
            "frequency": "weekly",
            "weekday": "1",
            "interval_weeks": "1",
            "starts_on": "29/12/2026",
            "cutoff_open_days": "2",
            "cutoff_time": "12:00",
        },
    )
    assert response.status_code == 200
    assert "Choisissez un territoire ou une bibliothèque, pas les deux." in response.content.decode()
    assert not NavetteRule.objects.exists()


def test_rule_page_lists_its_coming_days_and_says_which_are_skipped(client_for, admin_user, library):
    rule = NavetteRuleFactory(territory=library.territory, weekday=4, starts_on=D(2020, 1, 3))
    today = timezone.localdate()
    ClosurePeriodFactory(label="Inventaire", starts_on=today, ends_on=today + datetime.timedelta(days=6))
    page = client_for(admin_user).get(reverse("admin:extranet_navetterule_change", args=[rule.pk])).content.decode()
    assert "Prochains jours de cette règle" in page
    assert page.count("vendredi") >= 8
    assert "sautée : la BDVO est fermée (Inventaire) ; ajoutez une tournée déplacée si besoin" in page


def test_moved_round_on_a_holiday_is_refused_in_admin(client_for, referent, library):
    response = client_for(referent).post(
        reverse("admin:extranet_navetteroundchange_add"),
        {
            "territory": library.territory.pk,
            "kind": "moved",
            "original_date": "24/12/2027",
            "new_date": "25/12/2027",
            "reason": "Noël",
        },
    )
    assert response.status_code == 200
    assert "jour férié (Noël)" in response.content.decode()
    assert not NavetteRoundChange.objects.exists()


def test_referent_does_not_see_another_territorys_changes(client_for, referent, library, other_library):
    mine = NavetteRoundChangeFactory(territory=library.territory, original_date=D(2027, 1, 12))
    NavetteRoundChangeFactory(territory=other_library.territory, original_date=D(2027, 1, 12))
    response = client_for(referent).get(reverse("admin:extranet_navetteroundchange_changelist"))
    assert set(response.context["cl"].queryset) == {mine}


def test_closures_are_kept_by_administrators_and_read_by_referents(client_for, referent, admin_user):
    assert client_for(referent).get(reverse("admin:extranet_closureperiod_changelist")).status_code == 200
    assert client_for(referent).get(reverse("admin:extranet_closureperiod_add")).status_code == 403
    response = client_for(admin_user).post(
        reverse("admin:extranet_closureperiod_add"),
        {"label": "Fermeture estivale", "starts_on": "02/08/2027", "ends_on": "13/08/2027"},
    )
    assert response.status_code == 302
