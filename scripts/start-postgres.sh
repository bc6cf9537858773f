#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on 127.0.0.1:${PGPORT:-5433} owned by the `postgres`
# system user, with a superuser role `bdvo` (tests create their database and the
# unaccent / btree_gist extensions). Prints the DATABASE_URL to use.
set -euo pipefail
PGPORT=${PGPORT:-5433}
PGDATA=${PGDATA:-/tmp/bdvo-pgdata}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
run_as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
  run_as_postgres "$BIN/initdb -D $PGDATA -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
fi
if ! run_as_postgres "$BIN/pg_ctl -D $PGDATA status" >/dev/null 2>&1; then
  run_as_postgres "$BIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -w -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off' start" >/dev/null
fi
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='bdvo'" | grep -q 1 \
  || psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE ROLE bdvo LOGIN SUPERUSER PASSWORD 'bdvo'"
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='bdvo'" | grep -q 1 \
  || psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE bdvo OWNER bdvo"
echo "postgres://bdvo:bdvo@127.0.0.1:$PGPORT/bdvo"
