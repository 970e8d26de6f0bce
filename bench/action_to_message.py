"""Action-to-message benchmark: from a committed action to its message leaving the outbox.

A lead's Approve commits the decision and the welcome message in one transaction; the
outbox sender, running as the app runs it (leader loop, idle poll every 5 s), delivers it.
This measures, at idle, the time from the commit to the message reaching a local fake Bot
Connector: with the sender woken by the commit (in-process on SQLite; PostgreSQL's NOTIFY
from another replica with --database-url), against a baseline in the same run that only
polls (what the sender did before it was woken).

    .venv/bin/python -m bench.action_to_message
    .venv/bin/python -m bench.action_to_message --database-url postgresql+psycopg://champion:champion@127.0.0.1:5432/champion_test
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete

from bench.directory import serve
from bot.assembly import build_endpoint
from bot.outbox_sender import OutboxSender, SenderLimits
from config import Settings
from domain.clock import SystemClock
from domain.outbox import MessagePayload, OutboundMessage, ToConversation
from storage.database import Database
from storage.migrations import upgrade
from storage.models import OutboxRecord
from storage.outbox import OutboxRepository
from tests.support.conversations import save_personal_conversations
from tests.support.fake_connector import FakeConnector

# One conversation per action, as approvals welcome different people (one conversation's own
# limits, 8 messages in 2 s, would otherwise pace the rounds).
CONVERSATIONS = [f"a:bench-approval-{index}" for index in range(1000)]


async def measure(database_url: str, rounds: int, *, woken: bool) -> list[float]:
    """Milliseconds from each commit to the connector receiving its message."""
    connector = FakeConnector()
    runner, url = await serve(connector.app())
    database, replica = Database(database_url, workers=4), Database(database_url, workers=1)
    arrived = asyncio.Event()
    connector.on_send = lambda _sent: arrived.set()
    # The action commits in another replica on PostgreSQL (NOTIFY), in this process on SQLite.
    acting = replica if database.backend == "postgresql" else database
    try:
        now = SystemClock().now()

        def prepare(session) -> None:
            session.execute(delete(OutboxRecord))
            save_personal_conversations(session, url, CONVERSATIONS[:rounds], now)

        database.transaction(prepare)
        settings = Settings(_env_file=None, DATABASE_URL=database_url)
        endpoint = build_endpoint(settings, database, SystemClock(), features=())
        sender = OutboxSender(
            database, endpoint.adapter, endpoint.authentication, "", SystemClock(), limits=SenderLimits()
        )
        if not woken:
            sender.wake = lambda: None  # type: ignore[method-assign]  # the old behaviour: poll only
        running = asyncio.create_task(sender.run())
        timings: list[float] = []
        try:
            for index in range(rounds):
                await asyncio.wait_for(sender.idle.wait(), timeout=30)
                arrived.clear()
                message = OutboundMessage(
                    f"welcome:{woken}:{index}", ToConversation(CONVERSATIONS[index]), MessagePayload(text="Welcome!")
                )
                started = time.perf_counter()
                await acting.run(lambda s, m=message: OutboxRepository(s).enqueue(m, SystemClock().now()))
                await asyncio.wait_for(arrived.wait(), timeout=30)
                timings.append((time.perf_counter() - started) * 1000)
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
    finally:
        database.close()
        replica.close()
        await runner.cleanup()
    return timings


def describe(name: str, timings: list[float]) -> str:
    quantiles = statistics.quantiles(timings, n=10)
    return (
        f"  {name:<28} median {statistics.median(timings):8.1f} ms   p90 {quantiles[-1]:8.1f} ms"
        f"   max {max(timings):8.1f} ms   ({len(timings)} actions)"
    )


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database_url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(database_url)
        woken = await measure(database_url, args.rounds, woken=True)
        polled = await measure(database_url, args.baseline_rounds, woken=False)
    backend = "PostgreSQL, acting in another replica" if args.database_url else "SQLite, one process"
    print(f"\naction to message at idle ({backend}); the sender polls every 5 s")
    print(describe("woken by the commit", woken))
    print(describe("baseline: polling only", polled))
    print(f"  ratio woken/polling median {statistics.median(woken) / statistics.median(polled):.3f}")
    print(f"RESULT action_to_message_median_ms: {statistics.median(woken):.1f}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=50, help="at most 1000")
    parser.add_argument("--baseline-rounds", type=int, default=6, help="each waits for a poll (up to 5 s)")
    parser.add_argument("--database-url", help="PostgreSQL to measure NOTIFY between replicas (default SQLite)")
    asyncio.run(main(parser.parse_args()))
