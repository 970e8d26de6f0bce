#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what it needs, runs every test on
# SQLite and, side by side, again on PostgreSQL (Debian's package, started on loopback).
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh --sqlite-only   # skip the PostgreSQL run
#   bash scripts/test.sh -- -k help      # extra arguments after -- go to pytest
# Set TEST_DATABASE_URL to use a PostgreSQL server of your own instead of the local one.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

sqlite_only=""
pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sqlite-only) sqlite_only=1 ;;
    --) shift; pytest_args+=("$@"); break ;;
    *) pytest_args+=("$1") ;;
  esac
  shift
done

ensure_venv requirements-dev.txt
ensure_node
ensure_chromium
ensure_npm_packages "$ROOT/manifest"
ensure_npm_packages "$ROOT/tests/render"

say "lint and type checks"
"$VENV/bin/ruff" check --quiet .
"$VENV/bin/ruff" format --check --quiet .
"$VENV/bin/mypy" --no-error-summary app.py config.py domain storage bot dialogs manifest scheduling views features

if [ -n "$sqlite_only" ]; then
  say "tests on SQLite"
  env -u TEST_DATABASE_URL "$VENV/bin/python" -m pytest "${pytest_args[@]}"
  say "skipped the PostgreSQL run (--sqlite-only)"
  exit 0
fi

# The SQLite run goes side by side with PostgreSQL's set-up and run (each is mostly one
# process waiting on its database); its output is shown when it ends, not interleaved.
sqlite_log="$(mktemp)"
trap 'rm -f "$sqlite_log"' EXIT
say "tests on SQLite (in the background)"
# Each run keeps its temporary files apart, so neither cleans up the other's.
mkdir -p "$ROOT/.pytest-tmp"
env -u TEST_DATABASE_URL "$VENV/bin/python" -m pytest --basetemp="$ROOT/.pytest-tmp/sqlite" "${pytest_args[@]}" \
  >"$sqlite_log" 2>&1 &
sqlite_pid=$!

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  postgres_url="$(start_local_postgres)"
  # The fault tests restart this local server under load (a server of your own is left alone).
  export TEST_POSTGRES_RESTART="$(postgres_restart_command)"
else
  postgres_url="$TEST_DATABASE_URL"
fi
say "tests on PostgreSQL"
postgres_status=0
TEST_DATABASE_URL="$postgres_url" "$VENV/bin/python" -m pytest --basetemp="$ROOT/.pytest-tmp/postgres" \
  "${pytest_args[@]}" || postgres_status=$?

sqlite_status=0
wait "$sqlite_pid" || sqlite_status=$?
say "tests on SQLite: the output"
cat "$sqlite_log"
if [ "$sqlite_status" -ne 0 ] || [ "$postgres_status" -ne 0 ]; then
  say "failed: SQLite exit $sqlite_status, PostgreSQL exit $postgres_status"
  exit 1
fi
