#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what it needs, runs every test on
# SQLite, then again on PostgreSQL (Debian's package, started on loopback).
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
ensure_npm_packages "$ROOT/manifest"

say "lint and type checks"
"$VENV/bin/ruff" check --quiet .
"$VENV/bin/ruff" format --check --quiet .
"$VENV/bin/mypy" --no-error-summary app.py config.py domain storage bot dialogs manifest scheduling views features

say "tests on SQLite"
env -u TEST_DATABASE_URL "$VENV/bin/python" -m pytest "${pytest_args[@]}"

if [ -n "$sqlite_only" ]; then
  say "skipped the PostgreSQL run (--sqlite-only)"
  exit 0
fi
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  postgres_url="$(start_local_postgres)"
  # The fault tests restart this local server under load (a server of your own is left alone).
  export TEST_POSTGRES_RESTART="$(postgres_restart_command)"
else
  postgres_url="$TEST_DATABASE_URL"
fi
say "tests on PostgreSQL"
TEST_DATABASE_URL="$postgres_url" "$VENV/bin/python" -m pytest "${pytest_args[@]}"
