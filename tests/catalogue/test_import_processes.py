"""Imports in real processes: a worker killed midway (SIGKILL) is recovered, and ``import_marc``
stopped by Ctrl-C (SIGINT to its process group, as a terminal sends it) summarises in French.

The processes share a database with the test: the test database itself on PostgreSQL (rows
committed, hence ``transactional_db``), a migrated SQLite file otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

# On PostgreSQL the processes use the test database: their rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
LOC_FILE = Path("marc21") / "loc_booksall2016_part01_first10000_utf8.mrc"
LOC_RECORDS = 10_000


@dataclass
class SharedDatabase:
    env: dict[str, str]
    scalar: Callable[[str], object]


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("shared-db") / "template.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{path}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def shared_database(request, tmp_path) -> SharedDatabase:
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        url = f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}/{db['NAME']}"

        def scalar(sql: str) -> object:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0]

    else:
        path = tmp_path / "shared.sqlite3"
        shutil.copy(request.getfixturevalue("_migrated_sqlite"), path)
        url = f"sqlite:///{path}"

        def scalar(sql: str) -> object:
            with closing(sqlite3.connect(path, timeout=20)) as database:
                return database.execute(sql).fetchone()[0]

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "PYTHONUNBUFFERED": "1",
    }
    return SharedDatabase(env=env, scalar=scalar)


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the process ended before {what}: {process.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def _django(code: str, env: dict[str, str]) -> dict:
    """Run ``code`` after ``django.setup()`` in a new process; it prints one JSON line last."""
    result = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


WORKER = """
from catalogue.models import MarcImport
from catalogue.services.import_jobs import marc_import_run
marc_import = MarcImport.objects.create(original_name="loc.mrc", file="marc_imports/loc.mrc")
marc_import_run(import_id=marc_import.pk, batch_size=250)
"""

RECOVERY = """
import datetime, json
from django.conf import settings
from django.utils import timezone
from catalogue.models import MarcImport, Record
from catalogue.services.import_jobs import marc_import_retry, marc_imports_fail_stalled
later = timezone.now() + datetime.timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT + 1)
failed_now, failed_later = marc_imports_fail_stalled(), marc_imports_fail_stalled(now=later)
row = MarcImport.objects.get()
failed = (row.status, row.error)
marc_import_retry(marc_import=row)
row.refresh_from_db()
print(json.dumps({
    "failed_now": failed_now, "failed_later": failed_later, "failed": failed,
    "final": [row.status, row.attempts, row.records_read, row.records_created, row.records_updated],
    "records": Record.objects.count(),
}))
"""


@pytest.mark.shared_data
def test_import_whose_worker_was_killed_is_failed_then_rerun_without_duplicates(shared_marc_dir, shared_database):
    media = Path(shared_database.env["MEDIA_ROOT"]) / "marc_imports"
    media.mkdir(parents=True)
    shutil.copy(shared_marc_dir / LOC_FILE, media / "loc.mrc")
    worker = subprocess.Popen(  # noqa: S603 - our own code
        [sys.executable, "-c", f"import django\ndjango.setup()\n{WORKER}"],
        cwd=ROOT,
        env=shared_database.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(
            lambda: bool(shared_database.scalar("SELECT COALESCE(MAX(records_read), 0) FROM catalogue_marcimport")),
            worker,
            "the first heartbeat",
        )
    finally:
        worker.kill()  # SIGKILL: no except, no finally, nothing written any more
        worker.wait(timeout=30)
    assert shared_database.scalar("SELECT status FROM catalogue_marcimport") == "running"
    committed = shared_database.scalar("SELECT COUNT(*) FROM catalogue_record")
    assert 0 < committed < LOC_RECORDS

    outcome = _django(RECOVERY, shared_database.env)
    assert (outcome["failed_now"], outcome["failed_later"]) == (0, 1)  # not before the timeout
    status, error = outcome["failed"]
    assert status == "failed" and "ne donne plus signe de vie depuis plus de 10 minutes" in error
    assert outcome["final"] == ["done", 2, LOC_RECORDS, LOC_RECORDS - committed, committed]
    assert outcome["records"] == LOC_RECORDS


def _import_marc(path: Path, env: dict[str, str], *options: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "import_marc", str(path), "--batch-size", "250", "--no-progress", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, which Ctrl-C reaches as a whole
    )


@pytest.mark.shared_data
@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_on_import_marc_summarises_what_was_committed_and_how_to_resume(
    shared_marc_dir, shared_database, workers
):
    path = shared_marc_dir / LOC_FILE
    command = _import_marc(path, shared_database.env, "--workers", workers)
    _wait_for(lambda: bool(shared_database.scalar("SELECT COUNT(*) FROM catalogue_record")), command, "the first batch")
    os.killpg(command.pid, signal.SIGINT)
    out, err = command.communicate(timeout=120)

    assert command.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert out.startswith(f"Import interrompu (Ctrl-C) pendant {path}.")
    summary = re.search(
        r"(\d+) lot\(s\) enregistré\(s\), jusqu'à la notice n° (\d+) du fichier : (\d+) créée\(s\), 0 mise\(s\) à jour",
        out,
    )
    assert summary, out
    batches, last, created = map(int, summary.groups())
    # Exactly what the database holds: the batch being written when Ctrl-C came was finished first.
    assert last == created == batches * 250 == shared_database.scalar("SELECT COUNT(*) FROM catalogue_record")
    assert 0 < created < LOC_RECORDS
    assert f"Rien de ce qui suit la notice n° {last} n'est enregistré." in out
    resume = f"Pour reprendre : python manage.py import_marc {path} --batch-size 250 --resume-after {last}"
    assert resume in out

    resumed = _import_marc(path, shared_database.env, "--resume-after", str(last))
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert f"{LOC_RECORDS - last} notices lues, {LOC_RECORDS - last} créées, 0 mises à jour, 0 rejetées" in out
    assert shared_database.scalar("SELECT COUNT(*) FROM catalogue_record") == LOC_RECORDS
