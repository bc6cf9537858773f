"""Fixtures of the animation tools tests: fixed booking settings and media in a temporary folder."""

from __future__ import annotations

import pytest

from tests.animation_tools.factories import ToolFactory


@pytest.fixture(autouse=True)
def _booking_rules(settings, tmp_path):
    settings.ANIMATION_TOOLS = {
        "TURNAROUND_WORKING_DAYS": 3,
        "MAX_LOAN_DAYS": 42,
        "LEAD_TIME_DAYS": 7,
        "CONVENTION_LEAD_TIME_MONTHS": 1,
        "CONVENTION_THRESHOLD_EUROS": "5000.00",
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tool(db):
    return ToolFactory(name="Raconte-tapis « Le loup »", slug="raconte-tapis-le-loup")
