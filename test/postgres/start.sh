#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the tests and prints the URL to use:
#
#   eval "$(bash test/postgres/start.sh)"   # exports WORKSPACES_LOCAL_TEST_DATABASE_URL
#   bash test/postgres/start.sh stop
#
# PostgreSQL 15 from Debian's packages (installed with apt-get when missing),
# initdb + pg_ctl in a scratch directory owned by a non-root user (the server
# refuses to run as root), listening on 127.0.0.1 only, with its unix socket
# in that directory. PGDIR and PGPORT override the defaults.
set -euo pipefail

dir=${PGDIR:-/tmp/workspaces-local-pg}
port=${PGPORT:-55418}
user=postgres

find_bin() {
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  done
  if command -v pg_ctl >/dev/null; then dirname "$(command -v pg_ctl)"; return; fi
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
  echo "PostgreSQL binaries missing: apt-get install -y postgresql" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  bin=$(find_bin)
fi

# as runs a PostgreSQL binary as the unprivileged user (or as ourselves when
# we are not root).
as() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  as "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
  exit 0
fi

if [ "$(id -u)" = 0 ] && ! id "$user" >/dev/null 2>&1; then
  useradd --system --home-dir "$dir" --shell /usr/sbin/nologin "$user" >&2
fi
mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then chown "$user" "$dir"; fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
  as "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
fi

if ! as "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=on" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
fi

psql() { as "$bin/psql" -h "$dir" -p "$port" -U "$user" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql -c "SELECT 1 FROM pg_roles WHERE rolname = 'wslocal'")" != 1 ]; then
  # CREATEDB: the replica tests make a fresh database per test.
  psql -c "CREATE ROLE wslocal LOGIN CREATEDB PASSWORD 'wslocal'" >&2
fi
# pg_signal_backend: a test's DROP DATABASE ... WITH (FORCE) may have to end
# an autovacuum worker in that database, which only a member may do.
if [ "$(psql -c "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = 'pg_signal_backend' AND u.rolname = 'wslocal'")" != 1 ]; then
  psql -c "GRANT pg_signal_backend TO wslocal" >&2
fi
if [ "$(psql -c "SELECT 1 FROM pg_database WHERE datname = 'wslocal'")" != 1 ]; then
  psql -c "CREATE DATABASE wslocal OWNER wslocal" >&2
fi

url="postgres://wslocal:wslocal@127.0.0.1:$port/wslocal?sslmode=disable"
echo "export WORKSPACES_LOCAL_TEST_DATABASE_URL='$url'"
# The data directory and pg_ctl, for tests that restart the server.
echo "export WORKSPACES_LOCAL_TEST_PGCTL='$bin/pg_ctl' WORKSPACES_LOCAL_TEST_PGDATA='$dir/data'"
