from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from app import build_parser, main
from domain.outbox import MessagePayload, OutboundMessage, ToConversation
from storage.database import Database
from storage.directory import EmployeeDirectory
from storage.job_runs import JobRuns
from storage.migrations import current_revision, head_revision, upgrade
from storage.outbox import OutboxRepository

ROOT = Path(__file__).resolve().parent.parent


def test_help_lists_the_admin_commands():
    result = subprocess.run(
        [sys.executable, "app.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    for command in ("serve", "migrate", "package", "jobs", "outbox", "run-job", "import-directory", "privacy"):
        assert command in result.stdout


def test_migrate_brings_the_database_to_head(monkeypatch, empty_database_url):
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert main(["migrate"]) == 0
    database = Database(empty_database_url)
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


def test_run_job_runs_it_now_and_records_the_run(monkeypatch, database_url, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    upgrade(database_url)

    assert main(["run-job", "housekeeping.prune-processed-activities"]) == 0
    assert "housekeeping.prune-processed-activities: done" in capsys.readouterr().out
    database = Database(database_url)
    try:
        [run] = database.transaction(lambda s: JobRuns(s).history("housekeeping.prune-processed-activities"))
        assert run.outcome == "done"
    finally:
        database.close()
    assert main(["run-job", "no-such-job"]) == 2
    assert "housekeeping.prune-outbox" in capsys.readouterr().err


def test_jobs_and_outbox_reports(monkeypatch, database_url, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    upgrade(database_url)
    now = datetime.now(UTC)

    def failed_message(session):
        outbox = OutboxRepository(session)
        outbox.enqueue(OutboundMessage("k1", ToConversation("a:1"), MessagePayload(text="hi")), now)
        outbox.enqueue(OutboundMessage("k2", ToConversation("a:2"), MessagePayload(text="hi")), now)
        [claimed] = outbox.claim_due(now, 1)
        outbox.mark_failed(claimed.id, now, "403 ConversationBlockedByUser", 403)

    database = Database(database_url)
    try:
        database.transaction(failed_message)
    finally:
        database.close()

    assert main(["jobs"]) == 0
    out = capsys.readouterr().out
    assert "housekeeping.prune-outbox" in out and "starts with the leader" in out
    assert main(["outbox"]) == 0
    out = capsys.readouterr().out
    assert "pending  1" in out and "failed   1" in out
    assert "k1: 403 ConversationBlockedByUser" in out


DIRECTORY = (
    "Email,Display Name,Department,Office,Team,Manager Email\n"
    "alice@contoso.example,Alice Rossi,Sales,Milan,North,marco@contoso.example\n"
    "not-an-email,Bob,Sales,Milan,North,\n"
    "marco@contoso.example,Marco Bianchi,Sales,Milan,North,\n"
)


def test_import_directory_reports_bad_rows_and_imports_the_rest(monkeypatch, database_url, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    upgrade(database_url)
    export = tmp_path / "hr.csv"
    export.write_text(DIRECTORY, encoding="utf-8")

    assert main(["import-directory", str(export), "--strict"]) == 2
    output = capsys.readouterr()
    assert "line 3: email 'not-an-email' is not an email address" in output.err
    assert "nothing imported: 1 bad row(s) and --strict" in output.err

    assert main(["import-directory", str(export)]) == 1
    output = capsys.readouterr()
    assert "imported 2 people: 2 new, 0 updated, 0 back, 0 no longer in the file" in output.out
    database = Database(database_url)
    try:
        assert database.transaction(lambda s: EmployeeDirectory(s).get("marco@contoso.example")) is not None
    finally:
        database.close()

    assert main(["import-directory", str(tmp_path / "missing.csv")]) == 2


HEADER = "email,display name,department,office,team,manager email\n"


def test_a_refused_row_leaves_that_person_as_they_were(monkeypatch, database_url, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    upgrade(database_url)
    export = tmp_path / "hr.csv"
    export.write_text(HEADER + "ann@contoso.example,Ann,Sales,Milan,A,\nbob@contoso.example,Bob,Sales,Rome,B,\n")
    assert main(["import-directory", str(export)]) == 0
    # Next month Ann's row has no department (a bad export), Bob has left, Cara has joined.
    export.write_text(HEADER + "ann@contoso.example,Ann,,Milan,A,\ncara@contoso.example,Cara,Sales,Rome,B,\n")
    assert main(["import-directory", str(export)]) == 1
    output = capsys.readouterr()
    assert "line 2: department is empty" in output.err
    assert "1 no longer in the file" in output.out, "Bob, not Ann"
    database = Database(database_url)
    try:
        ann = database.transaction(lambda s: EmployeeDirectory(s).get("ann@contoso.example"))
        bob = database.transaction(lambda s: EmployeeDirectory(s).get("bob@contoso.example"))
    finally:
        database.close()
    assert (ann.active, ann.department) == (True, "Sales")
    assert bob.active is False


def test_an_unbalanced_quote_or_a_latin_1_file_imports_nothing_and_says_where(
    monkeypatch, database_url, tmp_path, capsys
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    upgrade(database_url)
    quoted = tmp_path / "quoted.csv"
    quoted.write_text(HEADER + 'ann@contoso.example,"Ann,Sales,Milan,A,\nbob@contoso.example,Bob,Sales,Rome,B,\n')
    assert main(["import-directory", str(quoted)]) == 2
    err = capsys.readouterr().err
    assert "line 2:" in err and "double quotes" in err and "nothing imported" in err
    assert "Error" not in err.split(":")[0], "no raw exception"

    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        (HEADER + "ann@contoso.example,Ann,Sales,Milan,A,\n").encode()
        + "zoe@x.example,Zoë,Sales,Rome,B,\n".encode("latin-1")
    )
    assert main(["import-directory", str(latin)]) == 2
    err = capsys.readouterr().err
    assert "line 3:" in err and "UTF-8" in err and "byte 0xeb" in err
    assert "position" not in err
