"""Fan-out benchmark: N messages to N conversations through the outbox and the real sender.

The messages go over HTTP to a local fake Bot Connector that enforces Teams' limits (the app
rate per second and the per-conversation windows) and answers 429 when they are exceeded.
It prints the send rate as a fraction of the configured pace and of the connector's limit,
the 429s, lost and duplicated messages, and the wall time against the theoretical minimum
N / pace. A baseline measured in the same run, a bare aiohttp client paced the same way
(no SDK, no database), shows what the sender's own work costs.

    .venv/bin/python -m bench.fanout                       # 10,000 messages, Teams' 50/s, pace 50/s
    .venv/bin/python -m bench.fanout --limit 500 --rate 500 # the limit scaled up: is the sender the bottleneck?
    .venv/bin/python -m bench.fanout --chat-rps 10          # people chat during the fan-out
    .venv/bin/python -m bench.fanout --announcement         # the N messages are one announcement to everyone

With `--chat-rps`, the real app serves /api/messages during the fan-out and people send it
"help" at that rate; its replies and the sender share the app's budget, as in production.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import multiprocessing
import socket
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import insert
from sqlmodel import Session

from app import create_app
from bench._support import bot_settings, personal_message, serve
from bot.assembly import translator_for
from bot.outbox_sender import OutboxSender, SenderLimits, http_threads
from bot.web import BOT_ENDPOINT
from domain.clock import SystemClock
from domain.outbox import MessagePayload, OutboundMessage, ToConversation
from domain.roles import ProgramRoles
from features.announcements.domain import Audience, AudienceKind, Draft
from features.announcements.workflows import save_draft, send
from features.installed import INSTALLED_FEATURES
from storage.database import Database
from storage.messaging import Messaging
from storage.migrations import upgrade
from storage.models import EmployeeRecord, MemberRecord
from storage.outbox import OutboxRepository
from storage.sql import table_of
from tests.support.conversations import save_personal_conversations
from tests.support.fake_connector import FakeConnector

# Conversations of people chatting during a fan-out (their replies are not the fan-out's).
CHAT_PREFIX = "a:chat-"


@dataclass
class Result:
    name: str
    messages: int
    seconds: float
    delivered: int
    unique: int
    throttled: int
    max_per_second: int
    replies: int = 0
    reply_latencies: tuple[float, ...] = ()

    def rate(self) -> float:
        return self.unique / self.seconds


def _serve_connector(port: int, limit: int, latency: float, ready: Any) -> None:
    """The fake Bot Connector in a process of its own, as the real one is a remote service."""
    connector = FakeConnector(clock=time.monotonic, app_limit_per_second=limit, latency=latency)
    app = connector.app()

    async def stats(_request: web.Request) -> web.Response:
        proactive = [sent for sent in connector.sent if not sent.conversation_id.startswith(CHAT_PREFIX)]
        texts = Counter((sent.conversation_id, sent.text) for sent in proactive)
        return web.json_response(
            {
                "delivered": sum(texts.values()),
                "unique": len(texts),
                "replies": len(connector.sent) - len(proactive),
                "throttled": connector.throttled,
                "max_per_second": connector.max_requests_in(1.0),
            }
        )

    app.router.add_get("/_stats", stats)

    async def serve() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(serve())


class ConnectorProcess:
    def __init__(self, limit: int, latency: float) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        ready = multiprocessing.Event()
        self._process = multiprocessing.Process(
            target=_serve_connector, args=(self.port, limit, latency, ready), daemon=True
        )
        self._process.start()
        if not ready.wait(30):
            raise RuntimeError("the fake connector did not start")
        self.url = f"http://127.0.0.1:{self.port}/"

    async def stats(self) -> dict[str, int]:
        async with aiohttp.ClientSession() as session, session.get(f"{self.url}_stats") as reply:
            return dict(await reply.json())

    def stop(self) -> None:
        self._process.terminate()
        self._process.join(10)


def seed(database: Database, url: str, count: int) -> None:
    now = SystemClock().now()

    def work(session: Session) -> None:
        ids = [f"a:bench-{index}" for index in range(count)]
        save_personal_conversations(session, url, ids, now)
        outbox = OutboxRepository(session)
        for index, conversation_id in enumerate(ids):
            text = f"bench message {index}"
            outbox.enqueue(
                OutboundMessage(f"bench:{index}", ToConversation(conversation_id), MessagePayload(text=text)), now
            )

    database.transaction(work)


def seed_announcement(database: Database, url: str, count: int) -> float:
    """`count` people in the directory who talked to the bot, and one announcement to everyone,
    made and sent by the announcements workflow (a tracked link each); the seconds the send took."""
    now = SystemClock().now()

    def people(session: Session) -> None:
        ids = [f"a:bench-{index}" for index in range(count)]
        save_personal_conversations(session, url, ids, now)
        connection = session.connection()
        connection.execute(
            insert(table_of(EmployeeRecord)),
            [
                {
                    "email": f"person{index}@contoso.example",
                    "display_name": f"Person {index}",
                    "department": "Sales",
                    "office": "Milan",
                    "team": "North",
                    "active": True,
                    "imported_at": now,
                    "updated_at": now,
                }
                for index in range(count)
            ],
        )
        connection.execute(
            insert(table_of(MemberRecord)),
            [
                {
                    "teams_user_id": f"29:{conversation_id}",
                    "display_name": f"Person {index}",
                    "email": f"person{index}@contoso.example",
                    "locale": ("en-US", "it-IT", "th-TH")[index % 3],
                    "personal_conversation_id": conversation_id,
                    "first_seen_at": now,
                    "last_seen_at": now,
                }
                for index, conversation_id in enumerate(ids)
            ],
        )

    database.transaction(people)
    messaging = Messaging(translator_for(INSTALLED_FEATURES), ProgramRoles(()))
    draft = Draft(
        text="**Demo day** on Friday: bring one question from your team.",
        audience=Audience(AudienceKind.EVERYONE),
        link_title="Read the guide",
        link_url="https://contoso.example/guide",
    )
    announcement_id = database.transaction(lambda session: save_draft(session, draft, None, "bench", now))
    assert announcement_id is not None
    started = time.perf_counter()
    outcome, sent = database.transaction(
        lambda session: send(session, messaging, announcement_id, "https://bot.contoso.example", "bench", now)
    )
    assert sent == count, (outcome, sent)
    return time.perf_counter() - started


def summarise(name: str, messages: int, seconds: float, stats: dict[str, int]) -> Result:
    return Result(
        name,
        messages,
        seconds,
        stats["delivered"],
        stats["unique"],
        stats["throttled"],
        stats["max_per_second"],
        stats.get("replies", 0),
    )


def chat_activity(connector_url: str, number: int) -> dict[str, Any]:
    person = number % 500  # many people, so that no one chat meets its own per-conversation limit
    return personal_message(
        connector_url, f"chat-{number}", f"29:chatter-{person}", f"Chatter {person}", f"{CHAT_PREFIX}{person}", "help"
    )


async def chat_during(done: asyncio.Event, url: str, connector_url: str, rate: float) -> list[float]:
    """People send the app "help" at `rate` per second until `done`; each turn's latency."""
    latencies: list[float] = []
    interval, number = 1.0 / rate, 0
    async with aiohttp.ClientSession() as session:

        async def turn(activity: dict[str, Any]) -> None:
            started = time.perf_counter()
            async with session.post(url, json=activity) as response:
                await response.read()
            latencies.append(time.perf_counter() - started)

        turns = []
        started = time.perf_counter()
        while not done.is_set():
            turns.append(asyncio.create_task(turn(chat_activity(connector_url, number))))
            number += 1
            delay = started + number * interval - time.perf_counter()
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(done.wait(), delay)
        await asyncio.gather(*turns)
    return latencies


async def deliver(database: Database, connector_url: str, args: argparse.Namespace) -> tuple[float, list[float]]:
    """Drain the outbox with the real sender as the app runs it (with chat beside it when asked);
    the seconds it took, and the chat turns' latencies."""
    # Teams' budget at the connector's limit: replies and sends share it, as in production.
    settings = bot_settings(database.url).model_copy(update={"teams_requests_per_second": args.limit})
    limits = SenderLimits(
        requests_per_second=args.rate,
        hard_limit_per_second=args.limit,
        concurrency=args.concurrency,
        batch_size=500,
    )
    # As the app does: the SDK's HTTP calls run in the loop's default thread pool.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=http_threads(args.concurrency)))
    runner, base = await serve(create_app(settings))
    try:
        endpoint = runner.app[BOT_ENDPOINT]
        sender = OutboxSender(
            database,
            endpoint.adapter,
            endpoint.authentication,
            "",
            SystemClock(),
            limits=limits,
            budget=endpoint.adapter.budget,
        )
        done = asyncio.Event()
        chat = (
            asyncio.create_task(chat_during(done, f"{base}api/messages", connector_url, args.chat_rps))
            if args.chat_rps
            else None
        )
        started = time.perf_counter()
        await sender.drain()
        seconds = time.perf_counter() - started
        done.set()
        latencies = await chat if chat is not None else []
    finally:
        await runner.cleanup()
    return seconds, latencies


async def run_sender(args: argparse.Namespace) -> Result:
    connector = ConnectorProcess(args.limit, args.latency_ms / 1000)
    url = connector.url
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(database_url)
        database = Database(database_url, workers=8)
        try:
            if args.announcement:
                enqueued = seed_announcement(database, url, args.messages)
                print(f"\nannouncement to {args.messages:,} people enqueued (cards, tracked links) in {enqueued:.2f} s")
            else:
                seed(database, url, args.messages)
            seconds, latencies = await deliver(database, url, args)
            stats = await connector.stats()
        finally:
            database.close()
            connector.stop()
    result = summarise("announcement" if args.announcement else "outbox sender", args.messages, seconds, stats)
    result.reply_latencies = tuple(latencies)
    return result


async def run_baseline(args: argparse.Namespace) -> Result:
    """The same paced fan-out with a bare aiohttp client: no SDK, no database, no retries."""
    connector = ConnectorProcess(args.limit, args.latency_ms / 1000)
    url = connector.url
    interval = 1.0 / args.rate
    slots = asyncio.Semaphore(args.concurrency)
    try:
        async with aiohttp.ClientSession() as session:

            async def post(index: int) -> None:
                async with slots:
                    body = {"type": "message", "text": f"bench message {index}"}
                    async with session.post(f"{url}v3/conversations/a:bench-{index}/activities", json=body) as reply:
                        await reply.read()

            started = time.perf_counter()
            tasks = []
            for index in range(args.messages):
                delay = started + index * interval - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(post(index)))
            await asyncio.gather(*tasks)
            seconds = time.perf_counter() - started
        stats = await connector.stats()
    finally:
        connector.stop()
    return summarise("bare aiohttp baseline", args.messages, seconds, stats)


def report(args: argparse.Namespace, result: Result, baseline: Result | None) -> None:
    minimum = args.messages / args.rate
    print(f"\n{result.name}: {args.messages} messages, pace {args.rate:g}/s, connector limit {args.limit}/s")
    print(f"  wall time          {result.seconds:8.1f} s   (theoretical minimum N/pace {minimum:.1f} s)")
    print(
        f"  send rate          {result.rate():8.1f} /s  = {result.rate() / args.rate:.1%} of the pace, "
        f"{result.rate() / args.limit:.1%} of the connector limit"
    )
    if args.chat_rps:
        ordered = sorted(result.reply_latencies) or [0.0]
        p50, p99 = ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        print(
            f"  chat replies       {result.replies:8d}   ({result.replies / result.seconds:.1f}/s asked at "
            f"{args.chat_rps:g}/s; turn p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms)"
        )
        total = (result.unique + result.replies) / result.seconds
        print(f"  everything sent    {total:8.1f} /s  = {total / args.limit:.1%} of the connector limit")
    print(f"  most in any 1 s    {result.max_per_second:8d}")
    print(f"  429 answers        {result.throttled:8d}")
    print(f"  lost               {args.messages - result.unique:8d}")
    print(f"  duplicated         {result.delivered - result.unique:8d}")
    if baseline is not None:
        print(
            f"  vs bare baseline   {result.seconds / baseline.seconds:8.3f} x its wall time "
            f"({baseline.seconds:.1f} s, {baseline.rate():.1f}/s, {baseline.throttled} x 429)"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=50, help="the fake connector's app limit per second (Teams: 50)")
    parser.add_argument("--rate", type=float, default=50.0, help="the sender's pace (the app's default: 50)")
    parser.add_argument("--chat-rps", type=float, default=0.0, help="people chatting with the app during the fan-out")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every connector answer")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--announcement", action="store_true", help="send one announcement to everyone instead")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    baseline = None if args.no_baseline else await run_baseline(args)
    result = await run_sender(args)
    report(args, result, baseline)
    # The headline: how much of Teams' per-app limit the bot uses, its replies included (0 lost,
    # 0 twice and the 429s are shown above).
    print(f"RESULT fanout_share_of_limit: {(result.unique + result.replies) / result.seconds / args.limit:.1%}")


if __name__ == "__main__":
    asyncio.run(main())
