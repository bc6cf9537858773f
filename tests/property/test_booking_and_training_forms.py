"""Booking dates of an animation tool and the first-time training request: whatever is sent,
a booking is made or a French message says what rule refused it — never a 500."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from animation_tools.models import ToolBooking
from tests.animation_tools.factories import ToolFactory
from tests.property.conftest import assert_answers_in_french
from tests.trainings.factories import TrainingSessionFactory
from trainings.forms import fill_token
from trainings.models import TraineeRequest

pytestmark = pytest.mark.django_db
FAST = settings(
    max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

DATE_TEXT = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    st.integers(min_value=-30, max_value=400).map(
        lambda days: (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
    ),
    st.text(max_size=12),
    st.sampled_from(["", "2026-02-30", "31/12/9999", "0001-01-01", "9999-12-31", "\x00"]),
)
REFUSAL_MARKERS = ('class="form-errors"', 'class="errors"', "message-error")


@pytest.fixture
def tool(db):
    return ToolFactory(name="Raconte-tapis « Le loup »", slug="raconte-tapis-le-loup")


@FAST
@given(loan_date=DATE_TEXT, return_date=DATE_TEXT)
def test_booking_dates_never_fail_and_refusals_say_why(client_for, manager, tool, loan_date, return_date):
    before = ToolBooking.objects.all_libraries().count()
    response = client_for(manager).post(
        f"/outils-animation/{tool.slug}/pre-reserver/", {"loan_date": loan_date, "return_date": return_date}
    )
    assert_answers_in_french(response)
    if ToolBooking.objects.all_libraries().count() == before:
        assert response.status_code == 200
        assert any(marker in response.content.decode() for marker in REFUSAL_MARKERS)


MONTH = st.one_of(
    st.tuples(st.integers(min_value=-5, max_value=10001), st.integers(min_value=-1, max_value=13)).map(
        lambda pair: f"{pair[0]}-{pair[1]}"
    ),
    st.sampled_from(["9999-12", "0001-01", "1-1", "2026-1-1", "", "x", "10000-1"]),
    st.text(max_size=10),
)


@FAST
@given(month=MONTH, loan=DATE_TEXT, back=DATE_TEXT)
def test_tool_calendar_never_fails(client, manager, tool, month, loan, back):
    client.force_login(manager)
    response = client.get(f"/outils-animation/{tool.slug}/calendrier/", {"mois": month, "pret": loan, "retour": back})
    assert_answers_in_french(response)


@FAST
@given(audience=st.text(max_size=10), start=DATE_TEXT, end=DATE_TEXT)
def test_tool_type_filters_never_fail(client, tool, audience, start, end):
    response = client.get(
        f"/outils-animation/type/{tool.type.slug}/",
        {"audience": audience, "available_from": start, "available_to": end},
    )
    assert_answers_in_french(response)


FIELD = st.one_of(st.text(max_size=40), st.just(""), st.just("\x00"), st.text(min_size=200, max_size=300))


@FAST
@given(
    fields=st.fixed_dictionaries(
        {
            "last_name": FIELD,
            "first_name": FIELD,
            "postal_address": FIELD,
            "email": st.one_of(st.emails(), FIELD),
            "phone": FIELD,
            "employment_status": st.one_of(st.sampled_from(["A", "B", "C", "contractual", "volunteer"]), FIELD),
            "library": st.one_of(st.integers().map(str), FIELD),
            "structure_name": FIELD,
        }
    ),
    sessions=st.lists(st.one_of(st.integers().map(str), st.text(max_size=6)), max_size=3),
)
def test_first_time_training_request_never_fails(client, fields, sessions):
    before = TraineeRequest.objects.all_libraries().count()
    # Sent as a person would: the page served a minute before (robots are refused before validation).
    data = {**fields, "sessions": sessions, "form_started": fill_token(time.time() - 60)}
    response = client.post("/formations/premiere-inscription/", data)
    assert_answers_in_french(response)
    if TraineeRequest.objects.all_libraries().count() == before:
        assert response.status_code == 200
        assert any(marker in response.content.decode() for marker in REFUSAL_MARKERS)


@FAST
@given(session_offset=st.integers(min_value=-400, max_value=400))
def test_session_registration_never_fails(client_for, viewer, session_offset):
    starts = timezone.now() + datetime.timedelta(days=session_offset)
    session = TrainingSessionFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=6))
    assert_answers_in_french(client_for(viewer).post(f"/formations/sessions/{session.pk}/inscription/"))


# --- the edges of the calendar (500s found by the properties above, fixed in 05c6a48) -------------


def test_booking_at_the_end_of_the_calendar_is_refused_in_french(client_for, manager, tool):
    response = client_for(manager).post(
        f"/outils-animation/{tool.slug}/pre-reserver/", {"loan_date": "9999-12-20", "return_date": "9999-12-31"}
    )
    assert_answers_in_french(response)
    assert "form-errors" in response.content.decode()
    assert not ToolBooking.objects.all_libraries().exists()


@pytest.mark.parametrize("month", ["9999-12", "1-1"])
def test_tool_calendar_at_the_ends_of_the_calendar(client_for, manager, tool, month):
    assert_answers_in_french(client_for(manager).get(f"/outils-animation/{tool.slug}/calendrier/", {"mois": month}))
