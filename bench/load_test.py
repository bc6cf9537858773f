"""Load test: gunicorn + PostgreSQL with the 250 000-record catalogue, driven by wrk on loopback.

Three scenarios, each ``--duration`` seconds at ``--connections`` concurrent connections:
the search page (« Catalogue » and « Partout » scopes, several queries), record pages
(ids taken from search results), and the espace professionnel lists of a logged-in
Gestionnaire (session cookie). For each: requests/s, p50/p95/p99 latency and errors
(connection errors, timeouts and any status other than 2xx/3xx).

Production mode: gunicorn runs with the production settings (``DEBUG=false``, HTTPS
redirect, secure cookies, a public ``SITE_URL``), and every request says, as the TLS proxy
does, ``X-Forwarded-Proto: https``; so ``--no-server`` may also measure a server started
exactly as deployed.

Bounded and local: the server listens on 127.0.0.1 only, every wrk run stops after
``--duration`` seconds, and the script stops gunicorn when done.

Prerequisites (Debian): ``apt-get install -y wrk``; a PostgreSQL database holding the
catalogue and the demo accounts. The one used for the figures in the closing note is a
copy of engineer marcimport's 250 000-record ``bdvo_bench`` plus the demo data::

    psql -h 127.0.0.1 -p 5433 -U bdvo postgres -c "CREATE DATABASE bdvo_bench_proof TEMPLATE bdvo_bench"
    DATABASE_URL=postgres://bdvo:bdvo@127.0.0.1:5433/bdvo_bench_proof .venv/bin/python manage.py load_demo

Then::

    .venv/bin/python bench/load_test.py \\
        --database-url postgres://bdvo:bdvo@127.0.0.1:5433/bdvo_bench_proof --port 8107 \\
        --duration 60 --connections 50 --workers 5

``--url http://127.0.0.1:8107`` with ``--no-server`` measures a server you started yourself.

As in production, the gunicorn workers share one Redis cache (``REDIS_URL``, default
``--redis-url redis://127.0.0.1:6390/1``; ``redis-server --port 6390``): cached record
bodies and header bits are valid for every worker, and a write in one process invalidates
them for all (a per-process cache could not). The script empties that Redis database
before starting gunicorn, so that every run starts cold, as after a deployment, and never
meets bodies cached from another database: give it a database of its own.
"""

from __future__ import annotations

import argparse
import http.cookies
import os
import re
import secrets
import shutil
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = [
    "history",
    "war",
    "love",
    "paris",
    "new york",
    "science",
    "children",
    "poetry",
    "music",
    "france",
    "economics",
    "women",
]
LISTS = ["/espace-pro/", "/espace-pro/prets/", "/espace-pro/retours/", "/espace-pro/reservations/"]

# What the TLS proxy in front of gunicorn adds to every request (SECURE_PROXY_SSL_HEADER).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

LUA = """
local paths = {%(paths)s}
local counter = 0
wrk.headers["Cookie"] = "%(cookie)s"
wrk.headers["X-Forwarded-Proto"] = "https"
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95)))
  io.write(string.format("P99 %%d\\n", latency:percentile(99)))
end
"""


@dataclass
class Result:
    scenario: str
    requests: int
    seconds: float
    socket_errors: int
    status_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    server_cpu_seconds: float | None = None

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def production_env(database_url: str, redis_url: str) -> dict[str, str]:
    """The environment of a deployment (see docker-compose.yml), on the given database and Redis."""
    alphabet = string.ascii_letters + string.digits
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECURE_SSL_REDIRECT", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://portail-bdvo.bench.test",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        LOG_LEVEL="WARNING",
    )
    return env


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by the gunicorn workers of ``master_pid`` (Linux).

    Divided by the requests of a scenario, it tells what a request costs the server whatever
    else runs on the machine: throughput varies with the other loads, this much less."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master_pid:  # fields[1] is the parent pid; utime, stime follow at 11, 12
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def empty_cache(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "bdvo_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-control-socket",  # gunicorn 27's default socket is per user: others may run
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _html = fetch(f"http://127.0.0.1:{port}", "/accessibilite/")
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # workers still booting
            status = 0
        if status == 200:
            return server
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def _cookies(response: object) -> dict[str, str]:
    jar = http.cookies.SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:  # type: ignore[attr-defined]
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def log_in(base: str, username: str, password: str) -> str:
    """Log in through the login form; returns the Cookie header of the session.

    In production gunicorn stands behind the TLS proxy: the script says so with
    ``X-Forwarded-Proto: https`` and carries the cookies itself, since they are marked
    ``Secure`` and a client would not send them back over plain HTTP."""
    proxy = PROXY_HEADERS
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(urllib.request.Request(f"{base}/compte/login/", headers=proxy), timeout=30) as response:  # noqa: S310
        cookies = _cookies(response)
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"login": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    headers = {
        **proxy,
        "Referer": base.replace("http://", "https://", 1) + "/compte/login/",
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
    }
    request = urllib.request.Request(f"{base}/compte/login/", data=data, headers=headers)  # noqa: S310
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as redirect:  # the login redirects (302) to the espace professionnel
        response = redirect
    cookies.update(_cookies(response))
    if "sessionid" not in cookies:
        raise SystemExit(f"login as {username} failed (HTTP {response.status})")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def fetch(base: str, path: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - http(s) base given on the command line
        f"{base}{path}", headers={**PROXY_HEADERS, **({"Cookie": cookie} if cookie else {})}
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def search_paths() -> list[str]:
    paths = []
    for query in SEARCHES:
        for scope in ("catalogue", "all"):
            paths.append("/recherche/?" + urllib.parse.urlencode({"q": query, "scope": scope}))
    return paths


def record_paths(base: str, limit: int = 300) -> list[str]:
    ids: list[str] = []
    for query in SEARCHES:
        for page in (1, 2, 3):
            _status, html = fetch(
                base, "/recherche/?" + urllib.parse.urlencode({"q": query, "scope": "catalogue", "page": page})
            )
            ids += re.findall(r"/catalogue/notice/(\d+)/", html)
    unique = list(dict.fromkeys(ids))[:limit]
    if not unique:
        raise SystemExit("no record found through the search page: is the catalogue loaded?")
    return [f"/catalogue/notice/{pk}/" for pk in unique]


def check_paths(base: str, paths: list[str], cookie: str) -> None:
    """Every path answers 200 before the load starts (a login redirect would flatter the figures)."""
    for path in paths[:20]:
        status, _html = fetch(base, path, cookie)
        if status != 200:
            raise SystemExit(f"{path} answered {status}, expected 200")


def run_wrk(base: str, scenario: str, paths: list[str], cookie: str, args: argparse.Namespace) -> Result:
    lua = LUA % {"paths": ", ".join(f'"{path}"' for path in paths), "cookie": cookie}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        output = subprocess.run(
            [
                "wrk",
                f"-t{args.threads}",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=args.duration + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    requests, duration_us, socket_errors, status_errors, p50, p95 = map(
        int, re.search(r"RESULT ([\d ]+)", output).group(1).split()
    )
    p99 = int(re.search(r"P99 (\d+)", output).group(1))
    return Result(
        scenario, requests, duration_us / 1e6, socket_errors, status_errors, p50 / 1000, p95 / 1000, p99 / 1000
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://bdvo:bdvo@127.0.0.1:5433/bdvo_bench_proof")
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--url", help="measure this server instead of starting gunicorn (with --no-server)")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6390/1", help="cache shared by the workers")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--duration", type=int, default=60, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--user", default="gestionnaire")
    parser.add_argument("--password", default="demo-bdvo-2026")
    parser.add_argument(
        "--scenario", action="append", choices=["search", "record", "lists"], help="only these (repeatable)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    base = args.url or f"http://127.0.0.1:{args.port}"
    if not base.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("loopback only")

    server = None
    if not args.no_server:
        empty_cache(args.redis_url)
        server = start_gunicorn(production_env(args.database_url, args.redis_url), args.port, args.workers)
    try:
        cookie = log_in(base, args.user, args.password)
        scenarios = {"search": (search_paths(), ""), "record": (record_paths(base), ""), "lists": (LISTS, cookie)}
        results = []
        for name, (paths, scenario_cookie) in scenarios.items():
            if args.scenario and name not in args.scenario:
                continue
            check_paths(base, paths, scenario_cookie)
            cpu_before = server_cpu_seconds(server.pid) if server else None
            result = run_wrk(base, name, paths, scenario_cookie, args)
            if server:
                result.server_cpu_seconds = server_cpu_seconds(server.pid) - cpu_before
            results.append(result)
            print(f"{name}: done", file=sys.stderr)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    print(f"{args.connections} connections, {args.duration} s per scenario, gunicorn {args.workers} workers, {base}")
    print(
        f"{'scenario':<8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
        f" {'server CPU ms/request':>22}"
    )
    for result in results:
        errors = result.socket_errors + result.status_errors
        print(
            f"{result.scenario:<8} {result.requests:>9} {result.per_second:>8.1f} {result.p50_ms:>8.1f} "
            f"{result.p95_ms:>8.1f} {result.p99_ms:>8.1f} {errors:>7}"
            f" {cpu_per_request(result):>22}"
        )


def cpu_per_request(result: Result) -> str:
    if result.server_cpu_seconds is None or not result.requests:
        return "—"
    return f"{result.server_cpu_seconds * 1000 / result.requests:.1f}"


if __name__ == "__main__":
    main()
