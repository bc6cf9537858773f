"""E-mails go through Celery: eagerly in development, through Redis to a real worker in production."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail

from extranet.tasks import queue_email

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_queued_email_is_sent_after_commit_only(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_email(subject="Sujet", body="Corps", to=["a@example.fr", ""])
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["a@example.fr"]]


@pytest.mark.django_db
def test_attachments_are_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            subject="S", body="B", to=["a@example.fr"], attachments=[("x.ics", "BEGIN:VCALENDAR", "text/calendar")]
        )
    assert mail.outbox[0].attachments[0][0] == "x.ics"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is required under CI")
        pytest.skip("redis-server absent: the real-worker test is skipped")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_real_worker_sends_the_email_through_redis(redis_url, tmp_path):
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"file://{tmp_path}",
        "DJANGO_SETTINGS_MODULE": "bdvo_portal.settings",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "bdvo_portal", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        sender = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup();"
                "from extranet.tasks import send_email;"
                "print(send_email.apply_async(kwargs={'subject': 'Navette du 3 décembre', 'body': 'Bonjour',"
                " 'to': ['bib@example.fr']}, ignore_result=False).get(timeout=60))",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert sender.returncode == 0, sender.stderr
        assert sender.stdout.strip() == "1"
        sent = [path.read_text() for path in tmp_path.iterdir()]
        assert len(sent) == 1
        assert "bib@example.fr" in sent[0]
        assert "Bonjour" in sent[0]
    finally:
        worker.terminate()
        worker.wait(timeout=20)
