"""The database's units of work: on SQLite, writers take turns and readers never wait."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from storage.database import Database, OneWriter
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
