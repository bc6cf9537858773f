"""Production settings of the portal: SITE_URL required by ``check --deploy``, ``make run``
passing its port, S3 storage selected from the environment (without network access)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bdvo_portal.checks import site_url_check

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#pW2!zR9@mQ4$vT8&nX1^bL6*cJ3(hF5)gD0-sA=yE+uI_oP]rK[wZ{xC}vB|",
    "ALLOWED_HOSTS": "portail.bdvo.example.fr",
    "DATABASE_URL": "sqlite:////tmp/bdvo-deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens there: read by the checks, never contacted
}
# Variables of the outer environment that would change what the subprocess sees.
OWN_VARIABLES = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {key: value for key, value in os.environ.items() if key not in OWN_VARIABLES and not key.startswith("AWS_")}
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


# --- SITE_URL ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "site_url",
    ["", "http://127.0.0.1:8000", "http://localhost", "https://[::1]:8443", "portail.bdvo.example.fr", "ftp://x.fr"],
)
def test_site_url_check_refuses_unset_local_or_relative_addresses_without_debug(settings, site_url):
    settings.DEBUG = False
    settings.SITE_URL = site_url
    assert [message.id for message in site_url_check()] == ["bdvo_portal.E001"]


def test_site_url_check_accepts_the_public_address_and_anything_in_development(settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://portail.bdvo.example.fr"
    assert site_url_check() == []
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert site_url_check() == []


def test_check_deploy_fails_when_site_url_is_unset():
    result = _manage("check", "--deploy", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "bdvo_portal.E001" in result.stdout + result.stderr


def test_check_deploy_passes_with_site_url():
    result = _manage("check", "--deploy", env={**PRODUCTION_ENV, "SITE_URL": "https://portail.bdvo.example.fr"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_its_port_to_site_url():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],  # noqa: S607 - make from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "SITE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py runserver 127.0.0.1:8123" in result.stdout


# --- storage -------------------------------------------------------------------------------------

STORAGE_PROBE = """
from django.core.files.storage import storages
from animation_tools.models import TechnicalSheet
storage = TechnicalSheet._meta.get_field("file").storage
print(type(storages["default"]).__module__, type(storages["default"]).__name__)
print(storage.bucket_name, storage.endpoint_url, storage.location, storage.file_overwrite)
"""


def test_s3_storage_is_selected_by_the_bucket_name_without_network(tmp_path):
    # The endpoint is a closed port: building the storage must not contact it.
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "AWS_STORAGE_BUCKET_NAME": "bdvo-fichiers",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:1",
        "AWS_LOCATION": "portail",
    }
    result = _manage("shell", "-c", STORAGE_PROBE, env=env)
    assert result.returncode == 0, result.stderr
    backend, field_storage = result.stdout.strip().splitlines()[-2:]
    assert backend == "storages.backends.s3 S3Storage"
    assert field_storage == "bdvo-fichiers http://127.0.0.1:1 portail False"


def test_local_disk_is_the_default_storage():
    probe = 'from django.core.files.storage import storages; print(type(storages["default"]).__module__, type(storages["default"]).__name__)'
    result = _manage("shell", "-c", probe, env={})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.files.storage.filesystem FileSystemStorage"
