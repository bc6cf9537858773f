"""Production settings: validated at start-up and clean under ``check --deploy``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#pW2!zR9@mQ4$vT8&nX1^bL6*cJ3(hF5)gD0-sA=yE+uI_oP]rK[wZ{xC}vB|",
    "ALLOWED_HOSTS": "portail.bdvo.example.fr",
    "SITE_URL": "https://portail.bdvo.example.fr",
    "DATABASE_URL": "sqlite:////tmp/bdvo-deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens there: read by the checks, never contacted
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_environment():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
    ],
)
def test_production_refuses_to_start_with_unsafe_values(override, message):
    result = _manage("check", env={**PRODUCTION_ENV, **override})
    assert result.returncode != 0
    assert message in result.stderr


def test_demo_data_is_refused_when_debug_is_off():
    result = _manage("load_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refusées quand DEBUG est désactivé" in result.stderr
