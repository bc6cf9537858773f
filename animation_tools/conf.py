"""The configurable values of the booking rules.

They live in ``settings.ANIMATION_TOOLS`` (one block in ``bdvo_portal/settings.py``);
any key left out takes the default below, so tests can override one value with the
``settings`` fixture. A change applies to new bookings: the turnaround gap of an existing
booking is stored on it (``ToolBooking.blocked_until``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

DEFAULTS: dict[str, object] = {
    "TURNAROUND_WORKING_DAYS": 3,
    "MAX_LOAN_DAYS": 42,
    "LEAD_TIME_DAYS": 7,
    "CONVENTION_LEAD_TIME_MONTHS": 1,
    "CONVENTION_THRESHOLD_EUROS": "5000.00",
    # How far ahead a tool may be pre-booked (also keeps date arithmetic away from year 9999).
    "MAX_ADVANCE_DAYS": 730,
    # The library's Gestionnaires are reminded of a tool's return this many days before it.
    "RETURN_REMINDER_DAYS": 3,
}


@dataclass(frozen=True)
class BookingSettings:
    turnaround_working_days: int
    max_loan_days: int
    lead_time_days: int
    convention_lead_time_months: int
    convention_threshold: Decimal
    max_advance_days: int
    return_reminder_days: int


def booking_settings() -> BookingSettings:
    values = {**DEFAULTS, **getattr(settings, "ANIMATION_TOOLS", {})}
    return BookingSettings(
        turnaround_working_days=int(values["TURNAROUND_WORKING_DAYS"]),
        max_loan_days=int(values["MAX_LOAN_DAYS"]),
        lead_time_days=int(values["LEAD_TIME_DAYS"]),
        convention_lead_time_months=int(values["CONVENTION_LEAD_TIME_MONTHS"]),
        convention_threshold=Decimal(str(values["CONVENTION_THRESHOLD_EUROS"])),
        max_advance_days=int(values["MAX_ADVANCE_DAYS"]),
        return_reminder_days=int(values["RETURN_REMINDER_DAYS"]),
    )
