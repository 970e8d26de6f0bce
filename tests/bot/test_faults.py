"""Faults outside the bot (a Bot Connector that never answers, a locked database) never make a
turn slow enough for Teams to re-deliver it (about 15 s), and never wipe anyone's state."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

import pytest
from aiohttp import web

from tests.support.activities import BOB, ActivityFactory

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
