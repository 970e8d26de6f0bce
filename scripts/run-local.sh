#!/usr/bin/env bash
# Installs what the bot needs and runs it locally on SQLite (anonymous mode, 127.0.0.1:3978).
#   bash scripts/run-local.sh               # the bot only
#   bash scripts/run-local.sh --playground  # the bot and the Microsoft 365 Agents Playground
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_venv requirements.txt
export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-3978}"

if [ "${1:-}" = "--playground" ]; then
  ensure_node
  ensure_npm_packages "$ROOT/scripts/playground"
  say "starting the Agents Playground on http://localhost:56150 (it talks to http://$HOST:$PORT/api/messages)"
  "$ROOT/scripts/playground/node_modules/.bin/agentsplayground" \
    -e "http://$HOST:$PORT/api/messages" -c msteams -p 56150 &
  playground=$!
  trap 'kill "$playground" 2>/dev/null || true' EXIT
fi

say "Champion Circle on http://$HOST:$PORT/api/messages (Ctrl+C to stop)"
"$VENV/bin/python" app.py serve
