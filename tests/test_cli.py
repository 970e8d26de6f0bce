from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app import build_parser, main
from storage.database import Database
from storage.migrations import current_revision, head_revision

ROOT = Path(__file__).resolve().parent.parent


def test_help_lists_the_admin_commands():
    result = subprocess.run(
        [sys.executable, "app.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    for command in ("serve", "migrate", "package"):
        assert command in result.stdout


def test_migrate_brings_the_database_to_head(monkeypatch, database_url):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert main(["migrate"]) == 0
    database = Database(database_url)
    try:
        assert current_revision(database.engine) == head_revision()
    finally:
        database.close()


def test_invalid_configuration_is_reported_not_raised(monkeypatch, capsys):
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert main(["migrate"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_serve_is_the_default_command():
    assert build_parser().parse_args([]).run.__name__ == "cmd_serve"
