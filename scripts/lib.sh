# Shared set-up steps for scripts/run-local.sh and scripts/test.sh. Each step installs only
# what is missing, so the scripts are fast the second time and work on a fresh machine
# that has Python, pip and apt.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "need root (or sudo) to run: $*" >&2; return 1; fi
}

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_venv() {  # ensure_venv REQUIREMENTS_FILE
  local requirements="$1" stamp="$VENV/.installed-$(basename "$1")"
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment in .venv"
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
      apt_install python3-venv
      rm -rf "$VENV"; "$PYTHON" -m venv "$VENV"
    fi
  fi
  # Reinstall only when a requirements file changed since the last install.
  if [ ! -f "$stamp" ] || [ -n "$(find "$ROOT" -maxdepth 1 -name 'requirements*.txt' -newer "$stamp")" ]; then
    say "installing Python packages from $(basename "$requirements")"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say "installing Node.js and npm (Debian packages)"
    apt_install nodejs npm
  fi
}

ensure_chromium() {  # Debian's Chromium, headless, for rendering cards in the tests
  if ! command -v chromium >/dev/null 2>&1; then
    say "installing Chromium (Debian package)"
    apt_install chromium
  fi
}

ensure_npm_packages() {  # ensure_npm_packages DIR  (a folder with package.json and package-lock.json)
  local dir="$1"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing npm packages in ${dir#$ROOT/}"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

# Starts Debian's PostgreSQL on 127.0.0.1:5432 (installing it if needed) and prints a URL
# for an empty test database. The tools' own chatter (e.g. pg_ctlcluster's "Removed stale
# pid file.") goes to stderr: stdout carries only the URL, which callers capture.
start_local_postgres() {
  _start_local_postgres >&2
  echo "postgresql+psycopg://champion:champion@127.0.0.1:5432/champion_test"
}

postgres_restart_command() {  # how the tests can restart the local cluster
  local version prefix=""
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  [ "$(id -u)" -eq 0 ] || prefix="sudo "
  echo "${prefix}pg_ctlcluster $version main restart"
}

_start_local_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    say "installing PostgreSQL (Debian package)"
    apt_install postgresql
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    say "starting PostgreSQL $version on loopback"
    as_root pg_ctlcluster "$version" main start
  fi
  as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='champion'\"" | grep -q 1 \
    || as_root su postgres -c "psql -qc \"CREATE ROLE champion LOGIN PASSWORD 'champion'\""
  # Each test's database is a copy of one migrated once per run (tests/support/database.py).
  as_root su postgres -c "psql -qc \"ALTER ROLE champion CREATEDB\""
  as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='champion_test'\"" | grep -q 1 \
    || as_root su postgres -c "createdb -O champion champion_test"
}
