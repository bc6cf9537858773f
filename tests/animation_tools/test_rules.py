"""The BDVO's booking rules at their boundaries (``animation_tools.rules.check_booking``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from animation_tools import rules
from animation_tools.models import ToolBooking
from animation_tools.working_days import add_working_days
from extranet.models import Weekday
from tests.animation_tools.factories import TODAY, ToolBookingFactory, ToolFactory
from tests.factories import ClosurePeriodFactory, LibraryFactory, NavetteRuleFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

D = datetime.date
# The suite's libraries have a navette round every weekday (tests/conftest.py): the dates
# below are weekdays, never a weekend nor a public holiday.


def check(tool, library, loan_date, return_date, **kwargs):
    return rules.check_booking(
        tool=tool, library=library, loan_date=loan_date, return_date=return_date, today=TODAY, **kwargs
    )


def refused_rules(verdict) -> list[str]:
    return [refusal.rule for refusal in verdict.refusals]


# --- rule 1: dates -----------------------------------------------------------------------


def test_return_date_must_be_after_loan_date(tool, library):
    verdict = check(tool, library, D(2026, 10, 1), D(2026, 10, 1))
    assert refused_rules(verdict) == [rules.DATES]
    assert "la date de retour doit être après la date de prêt" in verdict.messages[0]
    assert "02/10/2026" in verdict.messages[0]


def test_loan_of_exactly_six_weeks_is_accepted_one_day_more_is_refused(tool, library):
    assert check(tool, library, D(2026, 10, 1), D(2026, 11, 12)).accepted
    verdict = check(tool, library, D(2026, 10, 1), D(2026, 11, 13))
    assert refused_rules(verdict) == [rules.DATES]
    assert verdict.messages[0] == (
        "Durée trop longue : un prêt dure au plus 6 semaines. Choisissez une date de retour au plus tard le 12/11/2026."
    )


# --- rule 2: lead time --------------------------------------------------------------------


def test_exactly_seven_days_ahead_is_accepted(tool, library):
    assert check(tool, library, TODAY + datetime.timedelta(days=7), D(2026, 9, 21)).accepted


def test_six_days_ahead_is_refused_with_the_first_possible_date(tool, library):
    tuesday = TODAY + datetime.timedelta(days=1)  # six days after a Monday is a Sunday, never a round day
    verdict = rules.check_booking(
        tool=tool, library=library, loan_date=tuesday + datetime.timedelta(days=6), return_date=D(2026, 9, 21),
        today=tuesday,
    )  # fmt: skip
    assert refused_rules(verdict) == [rules.LEAD_TIME]
    assert verdict.messages[0] == (
        "Délai insuffisant : une pré-réservation doit être faite au moins 7 jours avant la date de prêt "
        "(1 mois quand une convention est nécessaire). Choisissez une date de prêt à partir du 15/09/2026, "
        "ou contactez la BDVO pour un cas exceptionnel."
    )


def test_with_a_convention_exactly_one_calendar_month_is_accepted_one_day_less_refused(library):
    expensive = ToolFactory(value=Decimal("6500.00"))
    assert check(expensive, library, D(2026, 10, 7), D(2026, 10, 20)).accepted
    verdict = check(expensive, library, D(2026, 10, 6), D(2026, 10, 20))
    assert refused_rules(verdict) == [rules.LEAD_TIME]
    assert (
        "Une convention est nécessaire ici : la valeur de cet outil (6 500,00 €) dépasse 5 000,00 €."
        in verdict.messages[0]
    )
    assert "à partir du 07/10/2026" in verdict.messages[0]


def test_one_month_is_a_calendar_month_even_at_the_end_of_january(library):
    expensive = ToolFactory(value=Decimal("6500.00"))
    verdict = rules.check_booking(
        tool=expensive, library=library, loan_date=D(2029, 2, 28), return_date=D(2029, 3, 9), today=D(2029, 1, 31)
    )  # 28 February 2027 is a Sunday, never a round day: 2029's is a Wednesday
    assert verdict.accepted
    assert rules.earliest_loan_date(today=D(2027, 1, 31), convention_required=True) == D(2027, 2, 28)
    assert rules.earliest_loan_date(today=D(2029, 1, 31), convention_required=True) == D(2029, 2, 28)


def test_staff_override_sets_the_lead_time_aside(tool, library):
    assert check(tool, library, TODAY + datetime.timedelta(days=2), D(2026, 9, 21), override=True).accepted


# --- rule 3: convention -------------------------------------------------------------------


def test_a_tool_worth_exactly_5000_euros_needs_no_convention(library):
    verdict = check(ToolFactory(value=Decimal("5000.00")), library, D(2026, 9, 14), D(2026, 9, 21))
    assert verdict.accepted
    assert verdict.convention_required is False


def test_a_tool_worth_5000_euros_and_one_cent_needs_one(library):
    verdict = check(ToolFactory(value=Decimal("5000.01")), library, D(2026, 10, 7), D(2026, 10, 20))
    assert verdict.accepted
    assert verdict.convention_required is True
    assert "5 000,01 €" in verdict.convention_reason


def test_two_tools_of_2600_euros_overlapping_by_one_day_need_a_convention(library):
    ToolBookingFactory(
        library=library, tool=ToolFactory(name="Tapis de lecture « La mer »", value=Decimal("2600")),
        loan_date=D(2026, 10, 1), return_date=D(2026, 10, 15),
    )  # fmt: skip
    second = ToolFactory(value=Decimal("2600"))
    verdict = check(second, library, D(2026, 10, 15), D(2026, 10, 26))
    assert verdict.convention_required is True
    assert "Tapis de lecture « La mer »" in verdict.convention_reason
    assert "5 200,00 €" in verdict.convention_reason


def test_two_tools_of_2600_euros_one_after_the_other_need_none(library):
    ToolBookingFactory(
        library=library, tool=ToolFactory(value=Decimal("2600")), loan_date=D(2026, 10, 1), return_date=D(2026, 10, 15)
    )
    verdict = check(ToolFactory(value=Decimal("2600")), library, D(2026, 10, 16), D(2026, 10, 26))
    assert verdict.accepted
    assert verdict.convention_required is False


def test_cancelled_refused_and_other_libraries_bookings_do_not_count_towards_the_convention(library, other_library):
    for status in (ToolBooking.Status.CANCELLED, ToolBooking.Status.REFUSED):
        ToolBookingFactory(
            library=library,
            tool=ToolFactory(value=Decimal("2600")),
            status=status,
            loan_date=D(2026, 10, 1),
            return_date=D(2026, 10, 15),
        )
    ToolBookingFactory(
        library=other_library,
        tool=ToolFactory(value=Decimal("2600")),
        loan_date=D(2026, 10, 1),
        return_date=D(2026, 10, 15),
    )
    verdict = check(ToolFactory(value=Decimal("2600")), library, D(2026, 10, 12), D(2026, 10, 20))
    assert verdict.convention_required is False


def test_group_convention_asks_one_month_of_lead_time(library):
    ToolBookingFactory(
        library=library, tool=ToolFactory(value=Decimal("3000")), loan_date=D(2026, 9, 14), return_date=D(2026, 9, 30)
    )
    verdict = check(ToolFactory(value=Decimal("3000")), library, D(2026, 9, 21), D(2026, 9, 30))
    assert refused_rules(verdict) == [rules.LEAD_TIME]
    assert "la valeur totale (6 000,00 €) dépasse 5 000,00 €" in verdict.messages[0]


def test_staff_may_waive_the_convention(library):
    verdict = check(ToolFactory(value=Decimal("9000")), library, D(2026, 9, 14), D(2026, 9, 21), convention_waived=True)
    assert verdict.accepted
    assert verdict.convention_required is False


# --- rule 4: turnaround gap (no transfer between libraries) ------------------------------


def test_turnaround_counts_working_days_skipping_weekends_and_public_holidays():
    assert add_working_days(D(2026, 10, 2), 3) == D(2026, 10, 7)  # Friday → Wednesday
    assert add_working_days(D(2026, 11, 10), 3) == D(2026, 11, 16)  # 11 November is a holiday
    assert add_working_days(D(2026, 5, 13), 1) == D(2026, 5, 15)  # Ascension Thursday 14 May 2026


def test_last_blocked_day_after_a_return_is_refused_the_next_day_is_accepted(tool, library, other_library):
    ToolBookingFactory(tool=tool, library=other_library, loan_date=D(2026, 9, 21), return_date=D(2026, 10, 2))
    verdict = check(tool, library, D(2026, 10, 7), D(2026, 10, 20))
    assert refused_rules(verdict) == [rules.TURNAROUND]
    assert "Pas de transfert entre bibliothèques" in verdict.messages[0]
    assert "Choisissez une date de prêt à partir du 08/10/2026." in verdict.messages[0]
    assert check(tool, library, D(2026, 10, 8), D(2026, 10, 20)).accepted


def test_a_return_too_close_to_the_next_loan_is_refused_with_the_latest_possible_return(tool, library, other_library):
    ToolBookingFactory(tool=tool, library=other_library, loan_date=D(2026, 10, 19), return_date=D(2026, 10, 30))
    verdict = check(tool, library, D(2026, 10, 1), D(2026, 10, 14))
    assert refused_rules(verdict) == [rules.TURNAROUND]
    assert "Choisissez une date de retour au plus tard le 13/10/2026." in verdict.messages[0]
    assert check(tool, library, D(2026, 10, 1), D(2026, 10, 13)).accepted


def test_the_turnaround_applies_to_the_same_library_too(tool, library):
    ToolBookingFactory(tool=tool, library=library, loan_date=D(2026, 9, 21), return_date=D(2026, 10, 2))
    assert refused_rules(check(tool, library, D(2026, 10, 5), D(2026, 10, 20))) == [rules.TURNAROUND]


# --- rule 5: no overlap ---------------------------------------------------------------------


def test_overlapping_an_active_booking_is_refused(tool, library, other_library):
    ToolBookingFactory(tool=tool, library=other_library, loan_date=D(2026, 10, 1), return_date=D(2026, 10, 15))
    verdict = check(tool, library, D(2026, 10, 15), D(2026, 10, 26))
    assert refused_rules(verdict) == [rules.OVERLAP]
    assert verdict.messages[0].startswith(
        "Outil déjà réservé : cet outil est déjà pré-réservé du 01/10/2026 au 20/10/2026"
    )


@pytest.mark.parametrize("status", [ToolBooking.Status.CANCELLED, ToolBooking.Status.REFUSED])
def test_cancelled_and_refused_bookings_free_the_tool(tool, library, other_library, status):
    ToolBookingFactory(
        tool=tool, library=other_library, status=status, loan_date=D(2026, 10, 1), return_date=D(2026, 10, 15)
    )
    assert check(tool, library, D(2026, 10, 1), D(2026, 10, 15)).accepted


def test_inactive_tool_cannot_be_booked(library):
    verdict = check(ToolFactory(is_active=False), library, D(2026, 10, 1), D(2026, 10, 15))
    assert refused_rules(verdict) == [rules.TOOL_INACTIVE]


def test_unavailable_days_mark_loan_and_turnaround_days(tool, other_library):
    ToolBookingFactory(tool=tool, library=other_library, loan_date=D(2026, 10, 1), return_date=D(2026, 10, 2))
    days = rules.unavailable_days(tool, D(2026, 10, 1), D(2026, 10, 31))
    assert days == {
        D(2026, 10, 1): "loan", D(2026, 10, 2): "loan",
        D(2026, 10, 3): "turnaround", D(2026, 10, 4): "turnaround", D(2026, 10, 5): "turnaround",
        D(2026, 10, 6): "turnaround", D(2026, 10, 7): "turnaround",
    }  # fmt: skip


def test_loan_dates_beyond_two_years_are_refused_even_at_the_end_of_the_calendar(tool, library):
    # TODAY + 730 days is a Thursday, + 738 a Friday (+ 740, the Sunday, is never a round day).
    assert check(tool, library, TODAY + datetime.timedelta(days=730), TODAY + datetime.timedelta(days=738)).accepted
    verdict = check(tool, library, TODAY + datetime.timedelta(days=731), TODAY + datetime.timedelta(days=740))
    assert refused_rules(verdict) == [rules.DATES]
    assert verdict.messages[0].startswith("Date trop lointaine")
    for loan, back in [
        (D(9999, 12, 31), D(9999, 12, 31)),
        (D(9999, 12, 20), D(9999, 12, 31)),
        (D(2026, 10, 1), D(9999, 12, 31)),
    ]:
        assert refused_rules(check(tool, library, loan, back)) == [rules.DATES]


# --- rule 1: days of the navette, or of the BDVO's opening when the library collects itself -----


@pytest.fixture
def tuesday_library(db):
    """A library whose navette comes every other Tuesday from Tuesday 29 December 2026."""
    territory = TerritoryFactory(name="Pays de France")
    NavetteRuleFactory(territory=territory, weekday=Weekday.TUESDAY, interval_weeks=2, starts_on=D(2026, 12, 29))
    return LibraryFactory(territory=territory)


def test_a_loan_on_christmas_is_refused_with_the_next_round_days(tool, tuesday_library):
    verdict = rules.check_booking(
        tool=tool, library=tuesday_library, loan_date=D(2026, 12, 25), return_date=D(2027, 1, 12), today=D(2026, 11, 2)
    )
    assert refused_rules(verdict) == [rules.ROUND_DAY]
    assert verdict.messages == [
        "Le 25 décembre 2026 n'est pas un jour de navette pour votre bibliothèque. "
        "Prochains jours possibles : mardi 29 décembre, mardi 12 janvier."
    ]


def test_loan_and_return_on_round_days_are_accepted_a_return_the_day_after_is_refused(tool, tuesday_library):
    kwargs = {"tool": tool, "library": tuesday_library, "today": D(2026, 11, 2)}
    assert rules.check_booking(loan_date=D(2026, 12, 29), return_date=D(2027, 1, 26), **kwargs).accepted
    verdict = rules.check_booking(loan_date=D(2026, 12, 29), return_date=D(2027, 1, 27), **kwargs)
    assert verdict.messages == [
        "Le 27 janvier 2027 n'est pas un jour de navette pour votre bibliothèque. "
        "Prochains jours possibles : mardi 9 février, mardi 23 février."
    ]


def test_a_sunday_is_refused_for_the_loan_and_for_the_return(tool, library):
    verdict = check(tool, library, D(2026, 10, 4), D(2026, 10, 18))
    assert refused_rules(verdict) == [rules.ROUND_DAY, rules.ROUND_DAY]
    assert verdict.messages[0] == (
        "Le 4 octobre 2026 n'est pas un jour de navette pour votre bibliothèque. "
        "Prochains jours possibles : lundi 5 octobre, mardi 6 octobre."
    )
    assert verdict.messages[1].startswith("Le 18 octobre 2026 n'est pas un jour de navette")


def test_public_holidays_and_closures_are_never_loan_days(tool, library):
    ClosurePeriodFactory(label="Fermeture estivale", starts_on=D(2027, 8, 2), ends_on=D(2027, 8, 13))
    today = D(2027, 3, 1)
    for holiday in (D(2027, 3, 29), D(2027, 5, 6), D(2027, 8, 4)):  # Easter Monday, Ascension, closure
        verdict = rules.check_booking(
            tool=tool, library=library, loan_date=holiday, return_date=holiday + datetime.timedelta(days=14),
            today=today,
        )  # fmt: skip
        assert refused_rules(verdict) == [rules.ROUND_DAY], holiday
    after_summer = rules.check_booking(
        tool=tool, library=library, loan_date=D(2027, 8, 4), return_date=D(2027, 8, 20), today=today
    )
    assert "Prochains jours possibles : lundi 16 août, mardi 17 août." in after_summer.messages[0]


def test_a_library_that_collects_itself_picks_bdvo_open_days(tool, tuesday_library):
    today = D(2026, 11, 2)
    kwargs = {"tool": tool, "library": tuesday_library, "today": today, "self_collect": True}
    assert rules.check_booking(loan_date=D(2026, 12, 3), return_date=D(2026, 12, 11), **kwargs).accepted  # Thu, Fri
    verdict = rules.check_booking(loan_date=D(2026, 12, 5), return_date=D(2026, 12, 11), **kwargs)  # a Saturday
    assert verdict.messages == [
        "Le 5 décembre 2026 n'est pas un jour d'ouverture de la BDVO : pas de retrait ni de retour ce jour-là. "
        "Prochains jours possibles : lundi 7 décembre, mardi 8 décembre."
    ]
    # Without the option, the same Thursday is no navette day of this library.
    assert refused_rules(
        rules.check_booking(tool=tool, library=tuesday_library, loan_date=D(2026, 12, 3), return_date=D(2026, 12, 29),
                            today=today)
    ) == [rules.ROUND_DAY]  # fmt: skip


def test_a_library_without_rounds_is_told_what_to_do(tool, db):
    verdict = check(tool, LibraryFactory(), D(2026, 10, 5), D(2026, 10, 19))
    assert refused_rules(verdict) == [rules.ROUND_DAY, rules.ROUND_DAY]
    assert verdict.messages[0] == (
        "Le 5 octobre 2026 n'est pas un jour de navette pour votre bibliothèque. Aucune tournée n'est prévue dans "
        "l'année qui suit : choisissez le retrait et le retour par la bibliothèque, ou contactez votre référent·e."
    )


def test_staff_override_sets_the_navette_days_aside(tool, tuesday_library):
    verdict = rules.check_booking(
        tool=tool, library=tuesday_library, loan_date=D(2026, 12, 3), return_date=D(2026, 12, 10),
        today=D(2026, 11, 2), override=True,
    )  # fmt: skip
    assert verdict.accepted
    assert rules.ROUND_DAY in rules.OVERRIDABLE_RULES


def test_rechecking_a_booking_leaves_it_out_of_the_overlap_and_the_convention_total(library):
    tool = ToolFactory(value=Decimal("2600"))
    ToolBookingFactory(
        library=library, tool=ToolFactory(value=Decimal("2600")), loan_date=D(2026, 10, 1), return_date=D(2026, 10, 15)
    )
    booking = ToolBookingFactory(tool=tool, library=library, loan_date=D(2026, 10, 15), return_date=D(2026, 10, 26))
    as_new = check(tool, library, D(2026, 10, 15), D(2026, 10, 26))
    rechecked = check(tool, library, D(2026, 10, 15), D(2026, 10, 26), exclude_pk=booking.pk)
    assert refused_rules(as_new) == [rules.OVERLAP]
    assert rechecked.accepted
    assert rechecked.convention_required is True  # the other tool still counts, the booking itself once
    assert "5 200,00 €" in rechecked.convention_reason
