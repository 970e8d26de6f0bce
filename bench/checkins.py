"""Check-in benchmark: one round for N champions through the outbox, and round summaries over a year.

Part 1 prepares a round for N champions (5,000 by default), sends every check-in card
through the durable outbox and the real sender to a local fake Bot Connector that enforces
Teams' app limit (50/s) and answers 429 beyond it. Everyone is due at the same moment, the
worst case. It prints the fan-out rate as a fraction of the limit, the 429s, lost and
duplicated cards, and the same paced fan-out by a bare aiohttp client (no SDK, no database)
measured in the same run as the baseline.

Part 2 fills a year of history (N champions x 26 fortnightly rounds, answers with sentiment,
hours and text) and times the leads' round summary (response rate, sentiment and its change,
answers by unit), a champion's history and streak, against the plainest query on the same
table (counting one round's rows) as the baseline.

    .venv/bin/python -m bench.checkins                    # 5,000 champions, Teams' 50/s, pace 50/s
    .venv/bin/python -m bench.checkins --champions 500    # quicker
    .venv/bin/python -m bench.checkins --champions 20000 --tick-during-chat   # part 3 only

Part 3 measures who-is-my-champion's latency while a check-in tick enqueues a round for N
champions in the bot's own process and database (batches of 1,000 cards, each a write
transaction), against the same chat with the database idle, in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import event, func, insert, select
from sqlmodel import Session, col

from app import create_app, job_context
from bench._support import bot_settings, personal_message, serve
from bench.fanout import ConnectorProcess, deliver, run_baseline
from bot.assembly import translator_for
from bot.web import DATABASE
from domain.clock import SystemClock
from domain.roles import ChampionStatus, ProgramRoles
from features.checkins.domain import DEFAULT_QUESTIONS, AssignmentStatus, Cadence, Frequency
from features.checkins.jobs import run_checkins
from features.checkins.queries import round_summary
from features.checkins.storage import CheckinConfig, CheckinRounds
from features.checkins.tables import CheckinAssignmentRecord, CheckinRoundRecord
from features.checkins.workflows import BATCH, prepare_round, send_due
from features.installed import INSTALLED_FEATURES
from storage.database import Database
from storage.messaging import Messaging
from storage.migrations import upgrade
from storage.models import ChampionRecord, EmployeeRecord, MemberRecord
from storage.sql import table_of
from tests.support.conversations import save_personal_conversations

ZONES = ("Europe/Rome", "Asia/Bangkok", "America/New_York", "Europe/London", "Asia/Tokyo")
DEPARTMENTS = tuple(f"Department {index:02d}" for index in range(40))


def seed_champions(database: Database, service_url: str, count: int, everyone_in: str | None) -> None:
    now = datetime.now(UTC)

    def work(session: Session) -> None:
        conversation_ids = [f"a:champion-{index}" for index in range(count)]
        save_personal_conversations(session, service_url, conversation_ids, now)
        members, employees, champions = [], [], []
        for index, conversation_id in enumerate(conversation_ids):
            email = f"champion{index}@contoso.example"
            members.append(
                {
                    "teams_user_id": f"29:champion-{index}",
                    "display_name": f"Champion {index}",
                    "email": email,
                    "locale": ("en-US", "it-IT", "th-TH")[index % 3],
                    "personal_conversation_id": conversation_id,
                    # Their email came from a roster lookup, as it does in Teams.
                    "profile_fetched_at": now,
                    "first_seen_at": now,
                    "last_seen_at": now,
                }
            )
            employees.append(
                {
                    "email": email,
                    "display_name": f"Champion {index}",
                    "department": DEPARTMENTS[index % len(DEPARTMENTS)],
                    "office": "HQ",
                    "team": f"Team {index % 200}",
                    "timezone": everyone_in or ZONES[index % len(ZONES)],
                    "active": True,
                    "imported_at": now,
                    "updated_at": now,
                }
            )
        session.execute(insert(table_of(MemberRecord)), members)
        session.execute(insert(table_of(EmployeeRecord)), employees)
        member_ids = session.execute(select(col(MemberRecord.id)).order_by(col(MemberRecord.id))).scalars().all()
        for index, member_id in enumerate(member_ids):
            champions.append(
                {
                    "member_id": member_id,
                    "status": ChampionStatus.ACTIVE.value,
                    "department": DEPARTMENTS[index % len(DEPARTMENTS)],
                    "office": "HQ",
                    "team": f"Team {index % 200}",
                    "languages": ["English"],
                    "listed": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        session.execute(insert(table_of(ChampionRecord)), champions)

    database.transaction(work)


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


# --- part 1: one round through the outbox -------------------------------------------------


async def fan_out(args: argparse.Namespace) -> None:
    connector = ConnectorProcess(args.limit, 0.0)
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(database_url)
        database = Database(database_url, workers=8)
        try:
            seed_champions(database, connector.url, args.champions, everyone_in="UTC")
            now = datetime.now(UTC)
            # Due a minute ago for everyone: the whole round at once.
            due = (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
            cadence = Cadence(True, Frequency.WEEKLY, now.weekday(), due, 5, 48, 3, anchor=now.date())
            database.transaction(lambda s: CheckinConfig(s).save_cadence(cadence, "bench", now))
            round_id, prepare_seconds = timed(lambda: database.transaction(lambda s: prepare_round(s, "UTC", now)))
            assert round_id is not None
            messaging = Messaging(translator_for(INSTALLED_FEATURES), ProgramRoles(()))

            def enqueue_all() -> int:
                total = 0
                for _ in range(args.champions // BATCH + 2):
                    processed = database.transaction(lambda s: send_due(s, messaging, now))
                    total += processed
                    if processed < BATCH:
                        break
                return total

            enqueued, enqueue_seconds = timed(enqueue_all)
            if args.enqueue_only:
                print(f"\nPart 1: one check-in round, {args.champions} champions due at once (not delivered)")
                print(f"  prepare the round     {prepare_seconds * 1000:8.0f} ms  ({args.champions} local schedules)")
                print(f"  enqueue the cards     {enqueue_seconds * 1000:8.0f} ms  ({enqueued} check-ins -> outbox)")
                return
            fan_out_args = argparse.Namespace(rate=args.rate, limit=args.limit, concurrency=16, chat_rps=0.0)
            seconds, _ = await deliver(database, connector.url, fan_out_args)
            stats = await connector.stats()
        finally:
            database.close()
            connector.stop()
    baseline = await run_baseline(
        argparse.Namespace(messages=args.champions, limit=args.limit, rate=args.rate, concurrency=16, latency_ms=0.0)
    )
    rate = stats["unique"] / seconds
    print(f"\nPart 1: one check-in round, {args.champions} champions due at once")
    print(f"  prepare the round     {prepare_seconds * 1000:8.0f} ms  ({args.champions} local schedules)")
    print(f"  enqueue the cards     {enqueue_seconds * 1000:8.0f} ms  ({enqueued} check-ins -> outbox)")
    print(f"  deliver               {seconds:8.1f} s   (minimum at the pace: {args.champions / args.rate:.1f} s)")
    print(
        f"  fan-out rate          {rate:8.1f} /s  = {rate / args.limit:.1%} of Teams' {args.limit}/s limit, "
        f"{rate / args.rate:.1%} of the pace {args.rate:g}/s"
    )
    print(f"  most in any 1 s       {stats['max_per_second']:8d}")
    print(f"  429 answers           {stats['throttled']:8d}")
    print(f"  lost                  {args.champions - stats['unique']:8d}")
    print(f"  duplicated            {stats['delivered'] - stats['unique']:8d}")
    print(
        f"  vs bare baseline      {seconds / baseline.seconds:8.3f} x its wall time "
        f"({baseline.rate():.1f}/s = {baseline.rate() / args.limit:.1%} of the limit)"
    )


# --- part 3: chat during a check-in tick --------------------------------------------------


def champion_asks(connector_url: str, number: int, champions: int) -> dict[str, Any]:
    """A champion asks who else champions near them (reads the roster, writes referrals)."""
    index = (number * 7919) % champions
    return personal_message(
        connector_url,
        f"tick-chat-{number}",
        f"29:champion-{index}",
        f"Champion {index}",
        f"a:champion-{index}",
        "who is my champion",
    )


async def chat_until(done: asyncio.Event, url: str, connector_url: str, champions: int, start: int) -> list[float]:
    """One person after another asks the bot until `done`; each turn's seconds."""
    latencies: list[float] = []
    async with aiohttp.ClientSession() as session:
        number = start
        while not done.is_set():
            started = time.perf_counter()
            async with session.post(url, json=champion_asks(connector_url, number, champions)) as response:
                await response.read()
            latencies.append(time.perf_counter() - started)
            number += 1
    return latencies


class BatchTiming:
    """How long each write transaction held SQLite's write lock (first write to commit)."""

    def __init__(self, database: Database) -> None:
        self.held: list[float] = []
        self._engine = database.engine
        self._started: dict[int, float] = {}
        event.listen(self._engine, "before_cursor_execute", self._write)
        event.listen(self._engine, "commit", self._commit)

    def _write(self, connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self._started.setdefault(id(connection.connection.dbapi_connection), time.perf_counter())

    def _commit(self, connection: Any) -> None:
        started = self._started.pop(id(connection.connection.dbapi_connection), None)
        if started is not None and threading.current_thread().name.startswith("db"):
            self.held.append(time.perf_counter() - started)

    def stop(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._write)
        event.remove(self._engine, "commit", self._commit)


def percentile_ms(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def tick_during_chat(args: argparse.Namespace) -> None:
    """Chat latency while the check-in tick enqueues a round for N champions, against idle."""
    connector = ConnectorProcess(10**9, 0.0)
    try:
        with tempfile.TemporaryDirectory() as folder:
            database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
            upgrade(database_url)
            seeding = Database(database_url)
            seed_champions(seeding, connector.url, args.champions, everyone_in="UTC")
            seeding.close()
            settings = bot_settings(database_url)
            runner, base = await serve(create_app(settings))
            try:
                # The tick runs in the bot's process on the bot's database, as the scheduler does.
                database = runner.app[DATABASE]
                url = f"{base}api/messages"
                now = datetime.now(UTC)
                due = (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
                cadence = Cadence(True, Frequency.WEEKLY, now.weekday(), due, 5, 48, 3, anchor=now.date())
                await database.run(lambda s: CheckinConfig(s).save_cadence(cadence, "bench", now))

                idle_done = asyncio.Event()
                idle_task = asyncio.create_task(chat_until(idle_done, url, connector.url, args.champions, 0))
                await asyncio.sleep(args.idle_seconds)
                idle_done.set()
                idle = await idle_task

                tick_done = asyncio.Event()
                chat = asyncio.create_task(chat_until(tick_done, url, connector.url, args.champions, 100_000))
                # The scheduler's own job, with its batches and its rests between them.
                context = job_context(settings, database, SystemClock(), INSTALLED_FEATURES)
                timing = BatchTiming(database)
                tick_started = time.perf_counter()
                await run_checkins(context, now)
                tick_seconds = time.perf_counter() - tick_started
                tick_done.set()
                during = await chat
                timing.stop()
            finally:
                await runner.cleanup()
    finally:
        connector.stop()

    print(f"\nPart 3: chat during a check-in tick for {args.champions:,} champions (SQLite, one asker at a time)")
    held = timing.held
    print(
        f"  the tick                 {tick_seconds:6.2f} s, {len(held)} write transactions "
        f"(batches of up to {BATCH:,} cards): the write lock held {statistics.median(held) * 1000:.0f} ms "
        f"at the median, {max(held) * 1000:.0f} ms at most"
    )
    for name, latencies in (("idle", idle), ("during the tick", during)):
        print(
            f"  who is my champion, {name:<16} p50 {percentile_ms(latencies, 0.5):6.1f} ms  "
            f"p99 {percentile_ms(latencies, 0.99):6.1f} ms  ({len(latencies)} turns)"
        )
    ratio = percentile_ms(during, 0.5) / percentile_ms(idle, 0.5)
    print(f"  during / idle: p50 {ratio:.2f}x, p99 {percentile_ms(during, 0.99) / percentile_ms(idle, 0.99):.2f}x")
    print(f"RESULT chat_p50_during_tick_vs_idle: {ratio:.2f}x")


# --- part 2: summaries over a year --------------------------------------------------------


def seed_history(database: Database, champions: int, rounds: int) -> list[tuple[int, date]]:
    rng = random.Random(7)
    start = date(2025, 12, 1)
    at = datetime(2025, 12, 1, 9, tzinfo=UTC)
    champion_rows = database.transaction(
        lambda s: s.execute(select(col(ChampionRecord.id), col(ChampionRecord.department))).all()
    )
    questions = [question.to_json() for question in DEFAULT_QUESTIONS]
    made: list[tuple[int, date]] = []
    for number in range(rounds):
        round_date = start + timedelta(days=14 * number)

        def work(session: Session, round_date: date = round_date) -> None:
            round_id = session.execute(
                insert(table_of(CheckinRoundRecord))
                .values(round_date=round_date, questions=questions, cadence={}, created_at=at)
                .returning(table_of(CheckinRoundRecord).c.id)
            ).scalar_one()
            made.append((round_id, round_date))
            due = datetime.combine(round_date, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
            rows = []
            for champion_id, department in champion_rows:
                roll = rng.random()
                status = (
                    AssignmentStatus.ANSWERED
                    if roll < 0.7
                    else AssignmentStatus.MISSED
                    if roll < 0.93
                    else AssignmentStatus.SKIPPED
                )
                answered = status is AssignmentStatus.ANSWERED
                sentiment = rng.randint(1, 5) if answered else None
                rows.append(
                    {
                        "round_id": round_id,
                        "champion_id": champion_id,
                        "status": status.value,
                        "timezone": "UTC",
                        "department": department,
                        "office": "HQ",
                        "team": "",
                        "due_at": due,
                        "remind_at": due + timedelta(days=2),
                        "closes_at": due + timedelta(days=5),
                        "sent_at": due,
                        "answered_at": due + timedelta(hours=3) if answered else None,
                        "updated_at": due,
                        "answers": {"working": "The new quote screen saves time", "sentiment": sentiment}
                        if answered
                        else None,
                        "sentiment": sentiment,
                        "hours": rng.choice((0.5, 1.0, 2.0, 3.5)) if answered else None,
                    }
                )
            session.execute(insert(table_of(CheckinAssignmentRecord)), rows)

        database.transaction(work)
    return made


def median_ms(work: Callable[[], Any], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        _, seconds = timed(work)
        samples.append(seconds)
    return statistics.median(samples) * 1000


def summaries(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'history.db'}"
        upgrade(database_url)
        database = Database(database_url)
        try:
            seed_champions(database, "http://127.0.0.1:9/", args.champions, everyone_in=None)
            (made, seed_seconds) = timed(lambda: seed_history(database, args.champions, args.rounds))
            latest_id, latest_date = made[-1]
            total = database.transaction(
                lambda s: s.execute(select(func.count()).select_from(CheckinAssignmentRecord)).scalar_one()
            )

            def count_round() -> int:
                return database.transaction(
                    lambda s: s.execute(
                        select(func.count()).where(col(CheckinAssignmentRecord.round_id) == latest_id)
                    ).scalar_one()
                )

            def summary() -> Any:
                return database.transaction(lambda s: round_summary(s, latest_id, latest_date))

            def history() -> Any:
                return database.transaction(lambda s: CheckinRounds(s).history(1))

            baseline = median_ms(count_round, args.repeat)
            summary_ms = median_ms(summary, args.repeat)
            history_ms = median_ms(history, args.repeat)
            result = summary()
        finally:
            database.close()
    print(f"\nPart 2: a year of history, {args.champions} champions x {args.rounds} rounds = {total:,} check-ins")
    print(f"  seeded in             {seed_seconds:8.1f} s")
    print(f"  baseline: count one round's rows     {baseline:8.2f} ms")
    print(
        f"  round summary (rate, sentiment, change, {len(result.by_unit)} units, quotes) "
        f"{summary_ms:8.2f} ms  = {summary_ms / baseline:6.1f} x baseline"
    )
    print(f"  one champion's history and streak    {history_ms:8.2f} ms  = {history_ms / baseline:6.1f} x baseline")
    print(
        f"  (the summary found {result.answered}/{result.invited} answered, "
        f"sentiment {result.sentiment:.2f}, change {result.sentiment_change:+.2f})"
    )
    print(f"RESULT round_summary_vs_baseline: {summary_ms / baseline:.1f}x")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--champions", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=26)
    parser.add_argument("--limit", type=int, default=50, help="the fake connector's app limit per second (Teams: 50)")
    parser.add_argument("--rate", type=float, default=50.0, help="the sender's pace (the app's default: 50)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--enqueue-only", action="store_true", help="part 1 stops once the cards are enqueued")
    parser.add_argument("--skip-fan-out", action="store_true")
    parser.add_argument(
        "--tick-during-chat", action="store_true", help="only part 3: chat latency during a tick, against idle"
    )
    parser.add_argument("--idle-seconds", type=float, default=10.0, help="part 3: how long idle chat is measured")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.tick_during_chat:
        await tick_during_chat(args)
        return
    if not args.skip_fan_out:
        await fan_out(args)
    if not args.enqueue_only:
        summaries(args)


if __name__ == "__main__":
    asyncio.run(main())
