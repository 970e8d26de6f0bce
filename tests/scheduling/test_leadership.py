"""One leader runs the scheduler and the sender; on PostgreSQL it hands over when it dies."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text
from sqlmodel import Session

from app import LEADERSHIP
from domain.clock import SystemClock
from domain.outbox import MessagePayload, OutboundMessage, OutboxStatus, ToConversation
from scheduling.jobs import JobContext, JobSpec
from scheduling.leadership import Leadership
from storage.database import Database
from storage.leader_lock import PostgresAdvisoryLock, SoleProcessLock
from storage.outbox import OutboxRepository
from tests.support.conversations import seed_conversations

needs_postgres = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="leader election across replicas needs PostgreSQL"
)


async def wait_until(condition, event: asyncio.Event, timeout: float = 20.0) -> None:
    """Wait for an event until `condition()` holds (no fixed sleeps)."""

    async def loop() -> None:
        while not condition():
            event.clear()
            if condition():
                return
            await event.wait()

    await asyncio.wait_for(loop(), timeout)


async def test_sqlite_process_leads_at_once():
    started = []

    async def elected() -> None:
        started.append("scheduler and sender")

    async def deposed() -> None:
        started.append("stopped")

    leadership = Leadership(SoleProcessLock(), elected, deposed, interval=0.01)
    running = asyncio.create_task(leadership.run())
    await wait_until(lambda: leadership.is_leader, leadership.changed)
    leadership.stop()
    await running
    assert started == ["scheduler and sender", "stopped"]


@needs_postgres
def test_advisory_lock_is_exclusive_and_dies_with_its_connection(db):
    first, second = PostgresAdvisoryLock(db.engine), PostgresAdvisoryLock(db.engine)
    try:
        assert first.try_acquire() is True
        assert second.try_acquire() is False
        assert first.still_held() is True
        with db.engine.connect() as connection:  # the leader's process dies
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"))
        assert first.still_held() is False
        assert second.try_acquire() is True
    finally:
        first.release()
        second.release()


def enqueue(database: Database, prefix: str, conversations: list[str]) -> None:
    def work(session: Session) -> None:
        for conversation_id in conversations:
            message = OutboundMessage(
                f"{prefix}:{conversation_id}",
                ToConversation(conversation_id),
                MessagePayload(text=f"{prefix}:{conversation_id}"),
            )
            OutboxRepository(session).enqueue(message, SystemClock().now())

    database.transaction(work)


@needs_postgres
async def test_two_replicas_one_leader_jobs_and_messages_once_and_handover(harness_factory, db):
    fire_times: list[datetime] = []
    ticked = asyncio.Event()

    async def tick(context: JobContext, fire_time: datetime) -> None:
        fire_times.append(fire_time)
        ticked.set()

    every_second = JobSpec("test.tick", IntervalTrigger(seconds=1, timezone="UTC"), tick, timedelta(seconds=30))
    replica = dict(
        use_clock=SystemClock(),
        jobs=[every_second],
        RUN_BACKGROUND_WORK=True,
        LEADER_POLL_SECONDS=0.05,
        OUTBOX_RATE_PER_SECOND=200,
    )
    first = await harness_factory(**replica)
    first_leadership = first.client.app[LEADERSHIP]
    await wait_until(lambda: first_leadership.is_leader, first_leadership.changed)
    second = await harness_factory(**replica)
    second_leadership = second.client.app[LEADERSHIP]

    connector = first.connector
    delivered = asyncio.Event()
    connector.on_send = lambda _sent: delivered.set()
    ids = [f"a:replica-{index}" for index in range(40)]
    conversations = seed_conversations(db, first.activities.service_url, ids, SystemClock().now())
    enqueue(db, "before", conversations[:20])
    await wait_until(lambda: len(connector.sent) >= 20, delivered)
    await wait_until(lambda: len(fire_times) >= 2, ticked)
    assert second_leadership.is_leader is False

    # Only what the leader is still sending when it dies may arrive twice (normally nothing).
    in_flight = db.transaction(lambda s: OutboxRepository(s).counts()).get(OutboxStatus.SENDING, 0)

    # The leader dies: its database session goes, and so does the process.
    with db.engine.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"))
    await first.stop()
    await wait_until(lambda: second_leadership.is_leader, second_leadership.changed)

    enqueue(db, "after", conversations[20:])
    fires_before = len(fire_times)
    await wait_until(lambda: len(connector.sent) >= 40, delivered)
    await wait_until(lambda: len(fire_times) >= fires_before + 2, ticked)

    texts = [sent.text for sent in connector.sent]
    expected = {*(f"before:{c}" for c in conversations[:20]), *(f"after:{c}" for c in conversations[20:])}
    assert set(texts) == expected
    assert len(texts) - len(expected) <= in_flight
    assert len(fire_times) == len(set(fire_times)), "a fire time ran twice"
    await second.stop()


async def test_a_leader_that_cannot_start_its_work_steps_down_and_tries_again():
    attempts = []
    elected = asyncio.Event()

    async def start() -> None:
        attempts.append("start")
        if len(attempts) == 1:
            raise RuntimeError("database unreachable")
        elected.set()

    async def stop() -> None:
        attempts.append("stop")

    leadership = Leadership(SoleProcessLock(), start, stop, interval=0.001)
    running = asyncio.create_task(leadership.run())
    await asyncio.wait_for(elected.wait(), 10)
    leadership.stop()
    await running
    assert attempts == ["start", "stop", "start", "stop"]
