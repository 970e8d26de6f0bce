"""Faults outside the bot (a Bot Connector that never answers, a locked database) never make a
turn slow enough for Teams to re-deliver it (about 15 s), and never wipe anyone's state."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import subprocess

import pytest
from aiohttp import web

from domain.outbox import OutboxStatus, ToConversation
from storage.outbox import OutboxRepository
from tests.support.activities import BOB, ActivityFactory
from tests.support.outbox import Outbox

# Teams re-delivers after about 15 s; a turn must be done well before.
TURN_BOUND_SECONDS = 6.0


@pytest.fixture
async def silent_connector(aiohttp_server):
    """A Bot Connector that accepts connections and never answers."""
    released = asyncio.Event()

    async def never(request: web.Request) -> web.Response:
        await released.wait()
        return web.Response(status=503)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", never)
    server = await aiohttp_server(app)
    yield str(server.make_url("/"))
    released.set()


async def test_a_connector_that_never_answers_keeps_the_turn_short(harness, silent_connector, caplog):
    activities = ActivityFactory(silent_connector)
    # Bob is unknown, so the turn also asks the silent connector for his profile.
    activity = activities.message(BOB, "help")
    response = await asyncio.wait_for(harness.post(activity), TURN_BOUND_SECONDS)
    assert response.status == 200
    assert "could not reach the Bot Connector" in caplog.text
    assert "roster lookup for 29:bob failed" in caplog.text


async def test_a_locked_database_fails_the_turn_fast_and_only_once(harness, caplog):
    if not harness.settings.is_sqlite:
        pytest.skip("a SQLite write lock")
    path = harness.settings.database_url.removeprefix("sqlite:///")
    locker = sqlite3.connect(path, timeout=0, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        caplog.set_level(logging.INFO)
        response = await asyncio.wait_for(harness.post(harness.activities.message(BOB, "help")), TURN_BOUND_SECONDS)
        assert response.status == 200
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    [apology] = harness.connector.sent
    assert "something went wrong" in apology.text
    assert "could not clear" not in caplog.text, "the error hook did not wait for the lock a second time"
    # Once the lock is gone, the same person is served as usual.
    harness.connector.clear()
    await harness.send(harness.activities.message(BOB, "help"))
    assert harness.connector.sent[-1].cards


@pytest.mark.skipif(
    not os.environ.get("TEST_POSTGRES_RESTART"),
    reason="restarts the local PostgreSQL server that bash scripts/test.sh started",
)
async def test_postgresql_restarted_under_load_recovers_and_resends_nothing(harness, db):
    outbox = Outbox(harness, db, rate=50, concurrency=8)
    conversations = outbox.add_conversations(300)
    for index, conversation in enumerate(conversations):
        outbox.enqueue(f"restart:{index}", ToConversation(conversation))
    everything_arrived = asyncio.Event()
    restart: list[asyncio.Task] = []

    def on_send(_sent) -> None:
        if len(outbox.connector.sent) == 100 and not restart:
            command = os.environ["TEST_POSTGRES_RESTART"]
            restart.append(asyncio.create_task(asyncio.to_thread(subprocess.run, command, shell=True, check=True)))
        if len(set(outbox.texts())) == 300:
            everything_arrived.set()

    outbox.connector.on_send = on_send
    running = asyncio.create_task(outbox.sender.run())  # the sender as the leader runs it, never restarted
    await asyncio.wait_for(everything_arrived.wait(), 120)
    await restart[0]
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    await outbox.sender.drain()  # stores any outcome still held when the loop was stopped

    texts = outbox.texts()
    assert len(texts) == len(set(texts)) == 300, "0 lost, 0 sent twice"
    assert outbox.db.transaction(lambda s: OutboxRepository(s).counts()) == {OutboxStatus.SENT: 300}


async def test_a_refused_reply_fails_the_turn_and_the_apology_still_goes(harness, caplog):
    await harness.send(harness.activities.message(BOB, "help"))  # Bob's roster lookup is done
    harness.connector.clear()
    harness.connector.fail_next(502)

    response = await harness.post(harness.activities.message(BOB, "help"))

    assert response.status == 200
    assert "turn failed" in caplog.text and "502" in caplog.text
    [apology] = harness.connector.sent
    assert apology.text.startswith("Sorry, something went wrong")
