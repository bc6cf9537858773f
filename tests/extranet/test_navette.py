"""The navette calendar (``extranet.navette``): round days, holidays, closures, changes, cut-offs."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from extranet import navette
from extranet.models import NavetteRoundChange, NavetteRule, Weekday
from tests.factories import (
    ClosurePeriodFactory,
    LibraryFactory,
    NavetteRoundChangeFactory,
    NavetteRuleFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
D = datetime.date


def days(rounds: list[navette.Round]) -> list[datetime.date]:
    return [one.day for one in rounds]


@pytest.fixture
def territory():
    return TerritoryFactory(name="Vexin français")


@pytest.fixture
def library(territory):
    return LibraryFactory(name="Médiathèque de Marines", territory=territory)


# --- recurring rules ---------------------------------------------------------------------------


def test_every_other_tuesday_counts_weeks_from_its_starting_round(library, territory):
    NavetteRuleFactory(territory=territory, weekday=Weekday.TUESDAY, interval_weeks=2, starts_on=D(2026, 12, 29))
    rounds = navette.rounds_for(library, D(2026, 12, 1), D(2027, 2, 28))
    assert days(rounds) == [D(2026, 12, 29), D(2027, 1, 12), D(2027, 1, 26), D(2027, 2, 9), D(2027, 2, 23)]


def test_a_rule_runs_from_its_start_to_its_end_included(library, territory):
    NavetteRuleFactory(territory=territory, starts_on=D(2027, 1, 12), ends_on=D(2027, 1, 26))
    assert days(navette.rounds_for(library, D(2027, 1, 1), D(2027, 2, 28))) == [
        D(2027, 1, 12),
        D(2027, 1, 19),
        D(2027, 1, 26),
    ]


def test_nth_weekday_of_the_month(library, territory):
    NavetteRuleFactory(
        territory=territory,
        frequency=NavetteRule.Frequency.MONTHLY,
        weekday=Weekday.THURSDAY,
        week_of_month=NavetteRule.WeekOfMonth.FIRST,
        starts_on=D(2027, 1, 1),
    )
    NavetteRuleFactory(
        territory=territory,
        frequency=NavetteRule.Frequency.MONTHLY,
        weekday=Weekday.FRIDAY,
        week_of_month=NavetteRule.WeekOfMonth.LAST,
        starts_on=D(2027, 1, 1),
    )
    assert days(navette.rounds_for(library, D(2027, 1, 1), D(2027, 3, 31))) == [
        D(2027, 1, 7),
        D(2027, 1, 29),
        D(2027, 2, 4),
        D(2027, 2, 26),
        D(2027, 3, 4),
        D(2027, 3, 26),
    ]


def test_second_weekday_of_the_month(library, territory):
    NavetteRuleFactory(
        territory=territory,
        frequency=NavetteRule.Frequency.MONTHLY,
        weekday=Weekday.WEDNESDAY,
        week_of_month=NavetteRule.WeekOfMonth.SECOND,
        starts_on=D(2027, 1, 1),
    )
    assert days(navette.rounds_for(library, D(2027, 1, 1), D(2027, 3, 31))) == [
        D(2027, 1, 13),
        D(2027, 2, 10),
        D(2027, 3, 10),
    ]


def test_libraries_of_other_territories_have_none_of_these_rounds(library, territory):
    NavetteRuleFactory(territory=territory)
    elsewhere = LibraryFactory(territory=TerritoryFactory(name="Plaine de France"))
    assert navette.rounds_for(elsewhere, D(2027, 1, 1), D(2027, 3, 31)) == []
    assert navette.next_round(elsewhere, D(2027, 1, 1)) is None


def test_a_library_follows_its_own_rule_where_it_runs_and_its_territory_elsewhere(library, territory):
    NavetteRuleFactory(territory=territory, weekday=Weekday.TUESDAY, starts_on=D(2027, 1, 5))
    NavetteRuleFactory(
        territory=None, library=library, weekday=Weekday.THURSDAY, starts_on=D(2027, 1, 14), ends_on=D(2027, 1, 28)
    )
    neighbour = LibraryFactory(territory=territory)
    assert days(navette.rounds_for(library, D(2027, 1, 1), D(2027, 2, 10))) == [
        D(2027, 1, 5),
        D(2027, 1, 12),
        D(2027, 1, 14),
        D(2027, 1, 21),
        D(2027, 1, 28),
        D(2027, 2, 2),
        D(2027, 2, 9),
    ]
    assert days(navette.rounds_for(neighbour, D(2027, 1, 1), D(2027, 1, 31))) == [
        D(2027, 1, 5),
        D(2027, 1, 12),
        D(2027, 1, 19),
        D(2027, 1, 26),
    ]


def test_two_rules_on_one_day_make_one_round_with_the_earlier_cutoff(library, territory):
    NavetteRuleFactory(territory=territory, starts_on=D(2027, 1, 5))
    NavetteRuleFactory(territory=territory, starts_on=D(2027, 1, 5), interval_weeks=2, cutoff_open_days=3)
    rounds = navette.rounds_for(library, D(2027, 1, 5), D(2027, 1, 5))
    assert len(rounds) == 1
    assert rounds[0].cutoff == datetime.datetime(2026, 12, 30, 12, tzinfo=PARIS)  # 1 January is a holiday


# --- days that are never round days -----------------------------------------------------------


def test_public_holidays_are_skipped_including_easter_monday_ascension_and_whit_monday(library, territory):
    NavetteRuleFactory(territory=territory, weekday=Weekday.MONDAY, starts_on=D(2027, 3, 1))
    NavetteRuleFactory(territory=territory, weekday=Weekday.THURSDAY, starts_on=D(2027, 3, 4))
    rounds = days(navette.rounds_for(library, D(2027, 3, 20), D(2027, 5, 31)))
    for holiday in (D(2027, 3, 29), D(2027, 5, 6), D(2027, 5, 17)):  # Easter Monday, Ascension, Whit Monday
        assert navette.public_holiday_name(holiday)
        assert holiday not in rounds
        assert not navette.is_round_day(library, holiday)
    assert D(2027, 3, 22) in rounds and D(2027, 4, 5) in rounds and D(2027, 5, 13) in rounds


def test_christmas_is_never_a_round_day(library, territory):
    NavetteRuleFactory(territory=territory, weekday=Weekday.FRIDAY, starts_on=D(2026, 12, 4))
    assert not navette.is_round_day(library, D(2026, 12, 25))
    assert navette.is_round_day(library, D(2026, 12, 18))
    assert navette.closed_reason(D(2026, 12, 25)) == "jour férié (Noël)"


def test_closure_periods_have_no_round_and_are_not_open_days(library, territory):
    NavetteRuleFactory(territory=territory)
    ClosurePeriodFactory(label="Fermeture estivale", starts_on=D(2027, 8, 2), ends_on=D(2027, 8, 13))
    assert days(navette.rounds_for(library, D(2027, 7, 26), D(2027, 8, 24))) == [
        D(2027, 7, 27),
        D(2027, 8, 17),
        D(2027, 8, 24),
    ]
    assert navette.closed_reason(D(2027, 8, 13)) == "la BDVO est fermée (Fermeture estivale)"
    assert navette.closed_reason(D(2027, 8, 16)) == ""
    assert navette.is_bdvo_open(D(2027, 8, 16))
    assert not navette.is_bdvo_open(D(2027, 8, 13))


def test_bdvo_open_days_are_weekdays_without_holidays_nor_closures():
    ClosurePeriodFactory(starts_on=D(2027, 12, 24), ends_on=D(2027, 12, 31))
    assert navette.bdvo_open_days(D(2027, 12, 18), D(2028, 1, 5)) == [
        D(2027, 12, 20),
        D(2027, 12, 21),
        D(2027, 12, 22),
        D(2027, 12, 23),
        D(2028, 1, 3),
        D(2028, 1, 4),
        D(2028, 1, 5),
    ]
    assert navette.bdvo_open_days(D(2027, 3, 26), D(2027, 3, 30)) == [D(2027, 3, 26), D(2027, 3, 30)]  # Easter Monday


def test_sundays_are_never_round_days_even_when_staff_add_one(library, territory):
    NavetteRuleFactory(territory=territory)
    change = NavetteRoundChange(territory=territory, kind=NavetteRoundChange.Kind.ADDED, new_date=D(2027, 1, 10))
    with pytest.raises(ValidationError) as error:
        change.full_clean()
    assert "c'est un dimanche" in str(error.value)
    change.save()  # written around the form: still no round that day
    assert not navette.is_round_day(library, D(2027, 1, 10))
    assert navette.closed_reason(D(2027, 1, 10)) == "c'est un dimanche"


# --- one-off changes ---------------------------------------------------------------------------


def test_a_cancelled_round_disappears(library, territory):
    NavetteRuleFactory(territory=territory)
    NavetteRoundChangeFactory(territory=territory, kind=NavetteRoundChange.Kind.CANCELLED, original_date=D(2027, 1, 12))
    assert days(navette.rounds_for(library, D(2027, 1, 5), D(2027, 1, 19))) == [D(2027, 1, 5), D(2027, 1, 19)]


def test_a_rule_day_on_a_holiday_is_skipped_and_staff_move_it_explicitly(library, territory):
    NavetteRuleFactory(territory=territory, weekday=Weekday.MONDAY, starts_on=D(2027, 3, 1), cutoff_open_days=1)
    assert not navette.is_round_day(library, D(2027, 3, 30))
    NavetteRoundChangeFactory(
        territory=territory,
        kind=NavetteRoundChange.Kind.MOVED,
        original_date=D(2027, 3, 29),
        new_date=D(2027, 3, 30),
        reason="Lundi de Pâques",
    )
    rounds = navette.rounds_for(library, D(2027, 3, 22), D(2027, 4, 5))
    assert days(rounds) == [D(2027, 3, 22), D(2027, 3, 30), D(2027, 4, 5)]
    moved = rounds[1]
    assert moved.moved_from == D(2027, 3, 29)
    # The rule's cut-off (one open day before) counted from the new day: Friday, Monday being a holiday.
    assert moved.cutoff == datetime.datetime(2027, 3, 26, 12, tzinfo=PARIS)


def test_a_moved_round_whose_new_day_is_outside_the_period_leaves_it(library, territory):
    NavetteRuleFactory(territory=territory)
    NavetteRoundChangeFactory(
        territory=territory, kind=NavetteRoundChange.Kind.MOVED, original_date=D(2027, 1, 12), new_date=D(2027, 1, 14)
    )
    assert days(navette.rounds_for(library, D(2027, 1, 10), D(2027, 1, 13))) == []
    assert days(navette.rounds_for(library, D(2027, 1, 13), D(2027, 1, 20))) == [D(2027, 1, 14), D(2027, 1, 19)]


def test_an_added_round(library, territory):
    NavetteRuleFactory(territory=territory)
    NavetteRoundChangeFactory(territory=territory, kind=NavetteRoundChange.Kind.ADDED, new_date=D(2027, 1, 15))
    assert days(navette.rounds_for(library, D(2027, 1, 11), D(2027, 1, 17))) == [D(2027, 1, 12), D(2027, 1, 15)]


def test_territory_changes_skip_the_days_a_library_follows_its_own_rule(library, territory):
    NavetteRuleFactory(territory=territory)
    NavetteRuleFactory(territory=None, library=library, starts_on=D(2027, 1, 12), ends_on=D(2027, 1, 12))
    NavetteRoundChangeFactory(territory=territory, kind=NavetteRoundChange.Kind.CANCELLED, original_date=D(2027, 1, 12))
    NavetteRoundChangeFactory(territory=territory, kind=NavetteRoundChange.Kind.CANCELLED, original_date=D(2027, 1, 19))
    NavetteRoundChangeFactory(
        territory=None, library=library, kind=NavetteRoundChange.Kind.CANCELLED, original_date=D(2027, 1, 26)
    )
    neighbour = LibraryFactory(territory=territory)
    assert days(navette.rounds_for(library, D(2027, 1, 10), D(2027, 1, 31))) == [D(2027, 1, 12)]
    assert days(navette.rounds_for(neighbour, D(2027, 1, 10), D(2027, 1, 31))) == [D(2027, 1, 26)]


def test_a_moved_round_may_not_land_on_a_holiday_or_a_closure(territory):
    ClosurePeriodFactory(label="Fermeture de Noël", starts_on=D(2027, 12, 24), ends_on=D(2027, 12, 31))
    for day, reason in (
        (D(2027, 5, 6), "jour férié (Ascension)"),
        (D(2027, 12, 28), "la BDVO est fermée (Fermeture de Noël)"),
    ):
        change = NavetteRoundChange(
            territory=territory, kind=NavetteRoundChange.Kind.MOVED, original_date=D(2027, 5, 4), new_date=day
        )
        with pytest.raises(ValidationError) as error:
            change.full_clean()
        assert reason in str(error.value)


def test_the_database_refuses_a_rule_for_both_a_territory_and_a_library(library, territory):
    with pytest.raises(IntegrityError), transaction.atomic():
        NavetteRuleFactory(territory=territory, library=library)
    with pytest.raises(IntegrityError), transaction.atomic():
        NavetteRoundChangeFactory(territory=territory, kind=NavetteRoundChange.Kind.MOVED, original_date=D(2027, 1, 5))


def test_a_weekly_rule_starts_on_its_weekday(territory):
    rule = NavetteRule(territory=territory, weekday=Weekday.TUESDAY, starts_on=D(2027, 1, 6))
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "doit être un mardi" in str(error.value)


def test_rules_describe_themselves_in_french(territory):
    assert (
        NavetteRuleFactory.build(territory=territory, interval_weeks=2).describe() == "un mardi toutes les 2 semaines"
    )
    assert NavetteRuleFactory.build(territory=territory).describe() == "chaque mardi"
    monthly = NavetteRuleFactory.build(
        territory=territory,
        frequency=NavetteRule.Frequency.MONTHLY,
        weekday=Weekday.THURSDAY,
        week_of_month=NavetteRule.WeekOfMonth.FIRST,
    )
    assert monthly.describe() == "le premier jeudi du mois"


# --- cut-offs ----------------------------------------------------------------------------------


def test_cutoff_is_two_open_days_before_at_noon(library, territory):
    NavetteRuleFactory(territory=territory, interval_weeks=2, starts_on=D(2026, 12, 29))
    round_ = navette.next_round(library, D(2027, 1, 1))
    assert round_ is not None and round_.day == D(2027, 1, 12)
    assert round_.cutoff == datetime.datetime(2027, 1, 8, 12, tzinfo=PARIS)
    assert navette.format_day(round_.day, today=D(2027, 1, 1)) == "mardi 12 janvier"
    assert navette.format_cutoff(round_.cutoff).startswith("vendredi 8 janvier")
    assert navette.format_cutoff(round_.cutoff).endswith(", 12 h")


def test_cutoff_counts_open_days_over_holidays_and_closures(library, territory):
    NavetteRuleFactory(territory=territory, starts_on=D(2027, 3, 2))
    ClosurePeriodFactory(starts_on=D(2027, 8, 2), ends_on=D(2027, 8, 13))
    easter = navette.rounds_for(library, D(2027, 3, 30), D(2027, 3, 30))[0]
    assert easter.cutoff == datetime.datetime(2027, 3, 25, 12, tzinfo=PARIS)  # Easter Monday is no open day
    after_summer = navette.rounds_for(library, D(2027, 8, 17), D(2027, 8, 17))[0]
    assert after_summer.cutoff == datetime.datetime(2027, 7, 30, 12, tzinfo=PARIS)  # back before the closure


def test_cutoff_keeps_noon_in_paris_across_the_dst_changes(library, territory):
    NavetteRuleFactory(territory=territory, starts_on=D(2027, 3, 2))
    spring = navette.rounds_for(library, D(2027, 3, 30), D(2027, 3, 30))[0]  # DST began on Sunday 28 March
    assert spring.cutoff.astimezone(UTC) == datetime.datetime(2027, 3, 25, 11, tzinfo=UTC)  # noon CET
    autumn = navette.rounds_for(library, D(2027, 11, 2), D(2027, 11, 2))[0]  # DST ended on Sunday 31 October
    assert autumn.cutoff.astimezone(UTC) == datetime.datetime(2027, 10, 28, 10, tzinfo=UTC)  # noon CEST
    assert autumn.cutoff.astimezone(PARIS).hour == 12


def test_the_cutoff_instant_closes_the_round(library, territory):
    NavetteRuleFactory(
        territory=territory, interval_weeks=2, starts_on=D(2026, 12, 29), cutoff_time=datetime.time(12, 0)
    )
    cutoff = datetime.datetime(2027, 1, 8, 12, tzinfo=PARIS)
    just_before = cutoff - datetime.timedelta(microseconds=1)
    assert navette.next_round(library, just_before).day == D(2027, 1, 12)
    assert navette.next_round(library, cutoff).day == D(2027, 1, 26)
    assert navette.next_round(library, cutoff.astimezone(UTC)).day == D(2027, 1, 26)
    round_ = navette.rounds_for(library, D(2027, 1, 12), D(2027, 1, 12))[0]
    assert round_.is_open_at(just_before) and not round_.is_open_at(cutoff)


def test_next_rounds_after_a_day_start_the_day_after(library, territory):
    NavetteRuleFactory(territory=territory, interval_weeks=2, starts_on=D(2026, 12, 29))
    assert days(navette.next_rounds(library, D(2027, 1, 12), 3)) == [D(2027, 1, 26), D(2027, 2, 9), D(2027, 2, 23)]
    assert days(navette.next_rounds(library, D(2027, 1, 11), 1)) == [D(2027, 1, 12)]


def test_next_rounds_stop_when_no_round_is_planned(library, territory):
    NavetteRuleFactory(territory=territory, starts_on=D(2027, 1, 5), ends_on=D(2027, 1, 19))
    assert days(navette.next_rounds(library, D(2027, 1, 1), 5)) == [D(2027, 1, 5), D(2027, 1, 12), D(2027, 1, 19)]


def test_format_day_adds_the_year_far_away():
    assert navette.format_day(D(2027, 1, 12), today=D(2026, 12, 20)) == "mardi 12 janvier"
    assert navette.format_day(D(2028, 1, 11), today=D(2026, 12, 20)) == "mardi 11 janvier 2028"
    assert navette.format_day(D(2027, 2, 1), today=D(2026, 12, 20)) == "lundi 1er février"
    assert navette.format_date(D(2027, 1, 1)) == "1er janvier 2027"


# --- queries -----------------------------------------------------------------------------------


def test_rounds_take_three_queries_whatever_the_number_of_libraries(django_assert_num_queries, territory):
    NavetteRuleFactory(territory=territory)
    libraries = [*LibraryFactory.create_batch(3, territory=territory), LibraryFactory()]
    NavetteRuleFactory(territory=None, library=libraries[0], weekday=Weekday.FRIDAY, starts_on=D(2027, 1, 1))
    with django_assert_num_queries(3):
        by_library = navette.rounds_by_library(libraries, D(2027, 1, 1), D(2027, 3, 31))
    assert len(by_library[libraries[0].pk]) == 12  # its own Fridays only (1 January is a holiday)
    assert len(by_library[libraries[1].pk]) == 13
    assert by_library[libraries[3].pk] == []
    with django_assert_num_queries(3):
        navette.next_round(libraries[1], datetime.datetime(2027, 1, 1, tzinfo=PARIS))


# --- demo data ---------------------------------------------------------------------------------


def test_demo_gives_every_library_rounds_in_the_coming_months_and_loads_twice():
    import io

    from django.utils import timezone

    from extranet import demo
    from extranet.models import ClosurePeriod, Library

    demo.load(io.StringIO())
    counts = (NavetteRule.objects.count(), NavetteRoundChange.objects.count(), ClosurePeriod.objects.count())
    demo.load(io.StringIO())
    assert (NavetteRule.objects.count(), NavetteRoundChange.objects.count(), ClosurePeriod.objects.count()) == counts
    today = timezone.localdate()
    for library in Library.objects.all():
        rounds = navette.next_rounds(library, today, 4)
        assert len(rounds) == 4, library
        assert rounds[-1].day <= today + datetime.timedelta(days=150), library
    assert NavetteRule.objects.filter(library__code="VDO-CHARS").exists()
    assert NavetteRule.objects.filter(frequency=NavetteRule.Frequency.MONTHLY).exists()
    august = D(today.year, 8, 5)
    christmas = D(today.year, 12, 29)
    assert not navette.is_bdvo_open(august) and not navette.is_bdvo_open(christmas)
    for change in NavetteRoundChange.objects.all():
        assert navette.public_holiday_name(change.original_date)
        assert navette.closed_reason(change.new_date) == ""
