#!/usr/bin/env bash
# Run the test suite with a throw-away PostgreSQL server on loopback, so the
# PostgreSQL code path (PIANURA_TEST_PG_URL) is tested for real, not skipped.
# Falls back to SQLite-only tests when PostgreSQL cannot be started (no root).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
PGDIR=$(mktemp -d /tmp/pianura-pg.XXXXXX)
PGPORT=${PIANURA_TEST_PG_PORT:-55432}
started=0
if [ -n "$PGBIN" ] && [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    chown postgres "$PGDIR"
    if su postgres -s /bin/sh -c "$PGBIN/initdb -D $PGDIR/data -A trust -U postgres >/dev/null" \
       && su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $PGDIR/data -w -o '-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1' -l $PGDIR/log start >/dev/null"; then
        started=1
        su postgres -s /bin/sh -c "$PGBIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -qc 'CREATE DATABASE pianura_test'"
        export PIANURA_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/pianura_test"
    fi
fi
stop() {
    if [ "$started" = 1 ]; then
        su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $PGDIR/data -m immediate stop >/dev/null" || true
    fi
    rm -rf "$PGDIR"
}
trap stop EXIT
[ "$started" = 1 ] || echo "PostgreSQL not started: its tests will be skipped" >&2
"$PY" -m pytest "$@"
