"""PostgreSQL only: no two active bookings of one tool share a day (turnaround included).

An exclusion constraint on (tool, daterange(loan_date, blocked_until, '[]')) for every
status but refused and cancelled. It lives in the database only (not in the model state):
SQLite has no exclusion constraints, and there ``services.booking_request`` serialises the
check and the insert in one write transaction instead.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import F, Func, Q, Value

CONSTRAINT_NAME = "animation_tools_booking_no_overlap"


def _constraint() -> ExclusionConstraint:
    period = Func(F("loan_date"), F("blocked_until"), Value("[]"), function="daterange", output_field=DateRangeField())
    return ExclusionConstraint(
        name=CONSTRAINT_NAME,
        expressions=[("tool", RangeOperators.EQUAL), (period, RangeOperators.OVERLAPS)],
        index_type="gist",
        condition=~Q(status__in=["refused", "cancelled"]),
        violation_error_message="Outil déjà réservé sur ces dates.",
    )


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_constraint(apps.get_model("animation_tools", "ToolBooking"), _constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_constraint(apps.get_model("animation_tools", "ToolBooking"), _constraint())


class Migration(migrations.Migration):
    dependencies = [("animation_tools", "0001_initial")]

    operations = [
        BtreeGistExtension(),  # does nothing outside PostgreSQL
        migrations.RunPython(add_constraint, remove_constraint),
    ]
