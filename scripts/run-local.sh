#!/usr/bin/env bash
# Installs what the bot needs and runs it locally on SQLite (anonymous mode, 127.0.0.1:3978).
#   bash scripts/run-local.sh                      # the bot only
#   bash scripts/run-local.sh --playground         # the bot and the Microsoft 365 Agents Playground
#   bash scripts/run-local.sh --playground --demo  # ... with a sample directory and champions
# PORT (3978) and PLAYGROUND_PORT (56150) change the ports; a busy port stops the script.
# PLAYGROUND_LOCALE=it-IT (or th-TH) chats in that language: the playground itself always says en-US.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

playground="" demo=""
for argument in "$@"; do
  case "$argument" in
    --playground) playground=1 ;;
    --demo) demo=1 ;;
    *) echo "unknown option $argument (use --playground and/or --demo)" >&2; exit 2 ;;
  esac
done

ensure_venv requirements.txt
export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"

port_is_free() {  # port_is_free PORT: nothing listens on it locally
  "$VENV/bin/python" - "$1" <<'PY'
import socket, sys
with socket.socket() as probe:
    probe.settimeout(0.5)
    sys.exit(0 if probe.connect_ex(("127.0.0.1", int(sys.argv[1]))) != 0 else 1)
PY
}

port_is_free "$PORT" || { echo "port $PORT is busy: stop what uses it, or run with PORT=<another port>" >&2; exit 1; }

if [ -n "$demo" ]; then
  say "loading the demo: a sample directory and a few champions (local SQLite only)"
  "$VENV/bin/python" app.py demo
fi

if [ -n "$playground" ]; then
  # The playground would quietly pick another port when its own is taken: check first, so the
  # address printed here is the one that works.
  port_is_free "$PLAYGROUND_PORT" || {
    echo "port $PLAYGROUND_PORT is busy: stop what uses it, or run with PLAYGROUND_PORT=<another port>" >&2
    exit 1
  }
  ensure_node
  ensure_npm_packages "$ROOT/scripts/playground"
  endpoint="http://$HOST:$PORT/api/messages"
  helpers=()
  if [ -n "${PLAYGROUND_LOCALE:-}" ]; then
    proxy_port=$((PORT + 1))
    port_is_free "$proxy_port" || { echo "port $proxy_port (the locale proxy) is busy" >&2; exit 1; }
    "$VENV/bin/python" scripts/playground/locale_proxy.py "$PLAYGROUND_LOCALE" "$proxy_port" "$endpoint" &
    helpers+=($!)
    endpoint="http://127.0.0.1:$proxy_port/api/messages"
    say "the playground's user speaks $PLAYGROUND_LOCALE (through a proxy on port $proxy_port)"
  fi
  say "starting the Agents Playground on http://localhost:$PLAYGROUND_PORT (it talks to $endpoint)"
  "$ROOT/scripts/playground/node_modules/.bin/agentsplayground" -e "$endpoint" -c msteams -p "$PLAYGROUND_PORT" &
  helpers+=($!)
  trap 'kill "${helpers[@]}" 2>/dev/null || true' EXIT
fi

say "Champion Circle on http://$HOST:$PORT/api/messages (Ctrl+C to stop)"
"$VENV/bin/python" app.py serve
