"""Upload size limits: MARC files in admin (``MARC_UPLOAD_MAX_BYTES``), read from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import MarcImport

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_admin_refuses_a_marc_file_over_the_limit_and_names_it(admin_user, client_for, settings):
    settings.MARC_UPLOAD_MAX_BYTES = 2048
    response = client_for(admin_user).post(
        reverse("admin:catalogue_marcimport_add"),
        {"file": SimpleUploadedFile("gros.mrc", b"0" * 3 * 1024), "flavour": "", "encoding": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce fichier pèse 3,0\xa0Kio : la limite des fichiers MARC envoyés ici est de 2,0\xa0Kio." in html
    assert "manage.py import_marc" in html
    assert not MarcImport.objects.exists()


@pytest.mark.django_db
def test_admin_accepts_a_marc_file_at_the_limit(admin_user, client_for, settings, django_capture_on_commit_callbacks):
    settings.MARC_UPLOAD_MAX_BYTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            reverse("admin:catalogue_marcimport_add"),
            {"file": SimpleUploadedFile("petit.mrc", b"0123456789"), "flavour": "", "encoding": ""},
        )
    assert response.status_code == 302
    assert MarcImport.objects.get().records_rejected == 1


def _setting(name: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = f"from django.conf import settings; print(settings.{name})"
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_limits_come_from_the_environment_and_must_be_positive_integers():
    result = _setting("MARC_UPLOAD_MAX_BYTES", {"MARC_UPLOAD_MAX_BYTES": "1048576", "UPLOAD_MAX_BYTES": "4096"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1048576"
    for value, message in (("200Mo", "must be an integer"), ("0", "must be positive")):
        result = _setting("UPLOAD_MAX_BYTES", {"UPLOAD_MAX_BYTES": value})
        assert result.returncode != 0 and message in result.stderr
