#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server: its connection string is in RSQ_TEST_POSTGRES.
#
#   scripts/with-postgres.sh python -m pytest tests/test_storage_postgres.py
#
# The server (Debian's postgresql package, or any whose initdb and pg_ctl are on PATH or in
# /usr/lib/postgresql/*/bin) runs from a temporary directory, listening on a loopback port and
# on a socket in that directory, and is stopped and removed when the command ends. Run as root,
# the server runs as the `postgres` user. The script fails when no server can be started.
# RSQ_TEST_PG_CTL and RSQ_TEST_PG_DATA let tests restart the server (pg_ctl restart).
set -euo pipefail

bin_dir=""
if command -v pg_ctl >/dev/null 2>&1; then
  bin_dir="$(dirname "$(command -v pg_ctl)")"
else
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    bin_dir="$candidate"
    break
  done
fi
if [ -z "$bin_dir" ] || [ ! -x "$bin_dir/pg_ctl" ]; then
  echo "with-postgres: no PostgreSQL server found (install Debian's postgresql package)" >&2
  exit 1
fi

work="$(mktemp -d)"
port="${RSQ_TEST_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}"
as_owner=()
if [ "$(id -u)" = "0" ]; then
  chown postgres "$work"
  as_owner=(su postgres -s /bin/sh -c)
else
  as_owner=(sh -c)
fi

cleanup() {
  "${as_owner[@]}" "'$bin_dir/pg_ctl' -D '$work/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"${as_owner[@]}" "'$bin_dir/initdb' -D '$work/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; echo "with-postgres: initdb failed" >&2; exit 1; }
# fsync off: a throwaway server's data need not survive a power cut (a clean restart keeps it).
options="-k $work -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
"${as_owner[@]}" "'$bin_dir/pg_ctl' -D '$work/data' -o '$options' -l '$work/server.log' -w -t 60 start" >/dev/null \
  || { cat "$work/server.log" >&2; echo "with-postgres: the server did not start" >&2; exit 1; }

export RSQ_TEST_POSTGRES="host=127.0.0.1 port=$port user=postgres dbname=postgres"
export RSQ_TEST_PG_CTL="$bin_dir/pg_ctl"
export RSQ_TEST_PG_DATA="$work/data"
export RSQ_TEST_PG_OPTIONS="$options"
export RSQ_TEST_PG_LOG="$work/server.log"
status=0
"$@" || status=$?
exit "$status"
