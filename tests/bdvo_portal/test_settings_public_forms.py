"""The settings of the public « Première inscription » form fail loudly when they make no sense."""

from __future__ import annotations

import pytest

from tests.bdvo_portal.test_settings import _manage


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TRUSTED_PROXY_COUNT", "-1"),
        ("TRAINEE_REQUESTS_PER_ADDRESS_PER_HOUR", "-5"),
        ("TRAINEE_REQUESTS_PER_EMAIL_PER_DAY", "-1"),
        ("TRAINEE_REQUEST_MIN_FILL_SECONDS", "-3"),
        ("TRAINEE_REQUEST_CONFIRMATION_HOURS", "0"),
        ("TRAINEE_REQUEST_CONFIRMATION_HOURS", "deux jours"),
    ],
)
def test_nonsense_values_stop_the_start(name, value):
    result = _manage("check", env={name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_the_defaults_start():
    assert _manage("check", env={}).returncode == 0
