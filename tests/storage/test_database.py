"""The database's units of work: on SQLite, writers take turns and readers never wait."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

import storage.database
from storage.database import Database, OneWriter
from storage.migrations import upgrade
from storage.models import ProcessedActivity
from storage.repositories import ActivityLedger

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def writer(database: Database) -> OneWriter:
    found = OneWriter.of(database.engine)
    if found is None:
        pytest.skip("PostgreSQL lets writers proceed in parallel")
    return found


def test_a_write_holds_the_writers_turn_until_it_commits(database: Database, writer: OneWriter) -> None:
    seen: list[bool] = []

    def work(session: Session) -> None:
        seen.append(writer.writing)
        ActivityLedger(session).first_delivery("a:1", "one", NOW)
        seen.append(writer.writing)

    database.transaction(work)
    assert seen == [False, True]
    assert not writer.writing


def test_a_failed_write_gives_the_turn_back(database: Database, writer: OneWriter) -> None:
    def work(session: Session) -> None:
        ActivityLedger(session).first_delivery("a:1", "one", NOW)
        raise RuntimeError("the work failed after writing")

    with pytest.raises(RuntimeError):
        database.transaction(work)
    assert not writer.writing
    assert database.transaction(lambda s: ActivityLedger(s).first_delivery("a:1", "one", NOW))  # rolled back


def test_reading_takes_no_turn(database: Database, writer: OneWriter) -> None:
    def work(session: Session) -> bool:
        session.execute(select(func.count()).select_from(ProcessedActivity)).scalar_one()
        return writer.writing

    assert database.transaction(work) is False


def test_many_threads_write_at_once_and_every_write_lands(database: Database) -> None:
    def write(number: int) -> bool:
        return database.transaction(lambda s: ActivityLedger(s).first_delivery("a:1", f"activity-{number}", NOW))

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(write, range(400)))
    count = database.transaction(lambda s: s.execute(select(func.count()).select_from(ProcessedActivity)).scalar_one())
    assert count == 400


def test_with_a_background_checkpointer_no_commit_copies_the_log_back(tmp_path) -> None:
    """The commits leave the write-ahead log to the checkpointer, which empties it."""
    url = f"sqlite:///{tmp_path / 'checkpoints.db'}"
    upgrade(url)
    database = Database(url, checkpoint_in_background=True, checkpoint_every=3600)
    try:
        checkpointer = database.checkpointer
        assert checkpointer is not None
        # Past SQLite's own threshold (1,000 pages) in many commits: none of them checkpoints.
        for batch in range(60):
            database.transaction(_record_activities, batch, 200)
        assert (tmp_path / "checkpoints.db-wal").stat().st_size // 4096 > 2_000
        busy, logged, copied = checkpointer.checkpoint()
        assert busy == 0 and copied == logged > 2_000
        assert database.transaction(lambda session: session.scalar(select(func.count(ProcessedActivity.id)))) == 12_000
    finally:
        database.close()


def test_the_checkpointer_checkpoints_on_its_own(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'checkpoints.db'}"
    upgrade(url)
    database = Database(url, checkpoint_in_background=True, checkpoint_every=0.01)
    try:
        database.transaction(_record_activities, 0, 10)
        assert database.checkpointer is not None
        assert database.checkpointer.wait_for(2, timeout=30)
    finally:
        database.close()


def test_without_it_sqlite_checkpoints_as_it_commits(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'commits.db'}"
    upgrade(url)
    database = Database(url)
    try:
        assert database.checkpointer is None
        for batch in range(60):
            database.transaction(_record_activities, batch, 200)
        # The log was copied back and reused along the way: it never held all those pages.
        assert (tmp_path / "commits.db-wal").stat().st_size // 4096 < 1_500
    finally:
        database.close()


def _record_activities(session: Session, batch: int, count: int) -> None:
    ledger = ActivityLedger(session)
    for number in range(count):
        ledger.first_delivery(f"conversation-{batch}", f"activity-{number:04d}-" + "x" * 200, NOW)


@pytest.mark.parametrize("rested_long_enough", [True, False])
def test_a_connection_the_server_closed_while_it_rested_is_replaced(
    monkeypatch, database_url: str, rested_long_enough: bool
) -> None:
    """Pooled PostgreSQL connections are checked only after resting (not on every transaction)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to close a connection")
    monkeypatch.setattr(storage.database, "PING_AFTER_RESTING_SECONDS", 0.0 if rested_long_enough else 3600.0)
    database, other = Database(database_url, workers=1), Database(database_url, workers=1)
    try:
        backend = database.transaction(lambda session: session.scalar(text("SELECT pg_backend_pid()")))
        other.transaction(lambda session: session.execute(text("SELECT pg_terminate_backend(:p)"), {"p": backend}))
        if rested_long_enough:
            assert database.transaction(lambda session: session.scalar(text("SELECT pg_backend_pid()"))) != backend
        else:
            with pytest.raises(OperationalError):
                database.transaction(lambda session: session.scalar(text("SELECT 1")))
    finally:
        database.close()
        other.close()
