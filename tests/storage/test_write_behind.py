"""The write-behind: what turns hand over is written together, kept when writing fails, and
written once more when the app stops."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import text

from storage.write_behind import WriteBehind


def remember(session, items):
    for item in items:
        session.execute(text("INSERT INTO write_behind_probe (item) VALUES (:item)"), {"item": item})


@pytest.fixture
def log_table(database):
    database.transaction(lambda s: s.execute(text("CREATE TABLE write_behind_probe (item VARCHAR(20))")))
    yield lambda: database.transaction(
        lambda s: [row[0] for row in s.execute(text("SELECT item FROM write_behind_probe"))]
    )
    database.transaction(lambda s: s.execute(text("DROP TABLE write_behind_probe")))


async def test_what_is_handed_over_is_written_together_in_order(database, log_table):
    batches = []

    def count(session, items):
        batches.append(list(items))

    behind = WriteBehind(database)
    behind.add(remember, "a")
    behind.add(count, 1)
    behind.add(remember, "b")
    assert behind.pending == 3
    assert log_table() == [], "nothing written until the round"
    await behind.flush()
    assert (log_table(), batches, behind.pending) == (["a", "b"], [[1]], 0)
    await behind.flush()
    assert batches == [[1]], "an empty round writes nothing"


async def test_a_failed_write_is_kept_for_the_next_round(database, log_table, caplog):
    failures = [RuntimeError("the database went away")]

    def flaky(session, items):
        if failures:
            raise failures.pop()
        remember(session, items)

    behind = WriteBehind(database)
    behind.add(flaky, "a")
    with caplog.at_level(logging.WARNING):
        await behind.flush()
    assert "retried next round" in caplog.text
    behind.add(flaky, "b")
    await behind.flush()
    assert log_table() == ["a", "b"], "the kept items first, in order"


async def test_beyond_its_limit_items_are_dropped_and_said_so(database, log_table, caplog):
    behind = WriteBehind(database, limit=2)
    with caplog.at_level(logging.WARNING):
        for item in "abc":
            behind.add(remember, item)
    assert "dropped" in caplog.text
    await behind.flush()
    assert log_table() == ["a", "b"]


async def test_it_writes_round_after_round_until_stopped(database, log_table):
    written = asyncio.Event()

    def remember_and_say(session, items):
        remember(session, items)
        written.set()

    behind = WriteBehind(database, interval=0)
    running = asyncio.create_task(behind.run())
    behind.add(remember_and_say, "first")
    await asyncio.wait_for(written.wait(), 10)
    written.clear()
    behind.add(remember_and_say, "second")
    await asyncio.wait_for(written.wait(), 10)
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert log_table() == ["first", "second"]
