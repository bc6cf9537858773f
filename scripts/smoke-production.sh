#!/usr/bin/env bash
# Production smoke test: the portal as deployed, driven over HTTP.
#
# On a scratch PostgreSQL database: check --deploy, migrate, collectstatic, seed (a partner,
# a tool with its technical sheet, bookings, a record); then a real Redis (port 6391), a
# Celery worker, Celery beat and gunicorn with DEBUG=false and the production settings.
# scripts/smoke_production.py checks the anonymous pages, static files, the technical
# sheet, the login, an export written by the worker and the French 404; then Redis is
# stopped and the pages must still answer 200 while the export says, in French, that the
# service is unavailable. Every process started here is stopped on exit, the database dropped.
#
# Usage: bash scripts/smoke-production.sh
#   DATABASE_URL=postgres://… selects the PostgreSQL server (its database is left alone);
#   without it, scripts/start-postgres.sh starts one. SMOKE_REDIS_PORT (6391), SMOKE_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV_BIN:-.venv/bin}
REDIS_PORT=${SMOKE_REDIS_PORT:-6391}
WORK=$(mktemp -d /tmp/bdvo-smoke.XXXXXX)
PIDS=()
ADMIN_URL=""
DB=""
REDIS_STARTED=""

stop_pid() {  # TERM, then KILL after 20 s; the children (Celery's pool, gunicorn's workers) too
  local pid=$1 children
  kill -0 "$pid" 2>/dev/null || return 0
  children=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  for child in $children; do kill -KILL "$child" 2>/dev/null || true; done
}

cleanup() {
  local status=$?
  set +e
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ -n "$REDIS_STARTED" ] && [ -s "$WORK/redis.pid" ]; then stop_pid "$(cat "$WORK/redis.pid")"; fi
  if [ -n "$DB" ]; then psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null; fi
  if [ "$status" != 0 ]; then
    for log in "$WORK"/*.log; do [ -s "$log" ] && { echo "---- $(basename "$log") (last lines)"; tail -n 30 "$log"; }; done
    echo "== SMOKE TEST FAILED"
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND…
  local seconds=$1 description=$2
  shift 2
  for _ in $(seq $((seconds * 2))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "timed out after ${seconds} s: $description"
  return 1
}
answers() { "$BIN/python" -c "import sys, urllib.request as u
try: u.urlopen(u.Request(sys.argv[1], headers={'X-Forwarded-Proto': 'https'}), timeout=5)
except u.HTTPError: pass" "$1"; }
free_port() { "$BIN/python" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }

echo "== Scratch database"
if [[ "${DATABASE_URL:-}" == postgres* ]]; then ADMIN_URL=$DATABASE_URL; else ADMIN_URL=$(bash scripts/start-postgres.sh); fi
DB="bdvo_smoke_$$"
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB"
PORT=${SMOKE_PORT:-$(free_port)}
export DATABASE_URL="${ADMIN_URL%/*}/$DB"
export DJANGO_SETTINGS_MODULE=bdvo_portal.settings
export DEBUG=false
SECRET_KEY=$("$BIN/python" -c "import secrets; print(secrets.token_urlsafe(60))")
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL=https://portail-bdvo.smoke.test  # the public address (links in e-mails); requests reach gunicorn directly
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export EMAIL_URL="file://$WORK/mail"
export MEDIA_ROOT="$WORK/media"
export EXPORT_ASYNC_THRESHOLD=1  # even a two-row export goes through the worker
export LOG_LEVEL=WARNING
unset CELERY_TASK_ALWAYS_EAGER
SMOKE_PASSWORD=$("$BIN/python" -c "import secrets; print(secrets.token_urlsafe(18))")
export SMOKE_PASSWORD

echo "== Redis on 127.0.0.1:$REDIS_PORT"
if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "port $REDIS_PORT is taken by another Redis: set SMOKE_REDIS_PORT"
  exit 1
fi
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
REDIS_STARTED=1
wait_until 10 "Redis answers" redis-cli -p "$REDIS_PORT" ping

echo "== check --deploy, migrate, collectstatic, seed"
"$BIN/python" manage.py check --deploy
"$BIN/python" manage.py migrate --noinput -v0
"$BIN/python" manage.py collectstatic --noinput -v0
"$BIN/python" scripts/smoke_production.py seed

echo "== Celery worker and beat, gunicorn on 127.0.0.1:$PORT"
"$BIN/celery" -A bdvo_portal worker --concurrency 1 --loglevel INFO --hostname "smoke@%h" >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A bdvo_portal beat --schedule "$WORK/celerybeat-schedule" --pidfile "$WORK/beat.pid" \
  --loglevel INFO >"$WORK/beat.log" 2>&1 &
BEAT_PID=$!
PIDS+=("$BEAT_PID")
"$BIN/gunicorn" bdvo_portal.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --access-logfile "$WORK/access.log" --error-logfile "$WORK/gunicorn.log" --capture-output \
  --no-control-socket &
PIDS+=($!)
wait_until 60 "the Celery worker is ready" grep -q "ready\." "$WORK/worker.log"
wait_until 30 "Celery beat starts" grep -q "beat: Starting" "$WORK/beat.log"
wait_until 60 "gunicorn answers" answers "http://127.0.0.1:$PORT/accessibilite/"
sleep 2
kill -0 "$BEAT_PID" 2>/dev/null || { echo "Celery beat stopped after starting"; exit 1; }
echo "  ok  worker ready, beat running, gunicorn answering"

"$BIN/python" scripts/smoke_production.py check --base "http://127.0.0.1:$PORT" --redis up

echo "== Stopping Redis"
redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
wait_until 10 "Redis stops" bash -c "! redis-cli -p $REDIS_PORT ping"
"$BIN/python" scripts/smoke_production.py check --base "http://127.0.0.1:$PORT" --redis down
if grep -q "Traceback" "$WORK/gunicorn.log"; then
  echo "gunicorn logged a traceback:"
  exit 1
fi
echo "== SMOKE TEST PASSED"
