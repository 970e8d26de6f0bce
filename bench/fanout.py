"""Fan-out benchmark: N messages to N conversations through the outbox and the real sender.

The messages go over HTTP to a local fake Bot Connector that enforces Teams' limits (the app
rate per second and the per-conversation windows) and answers 429 when they are exceeded.
It prints the send rate as a fraction of the configured pace and of the connector's limit,
the 429s, lost and duplicated messages, and the wall time against the theoretical minimum
N / pace. A baseline measured in the same run, a bare aiohttp client paced the same way
(no SDK, no database), shows what the sender's own work costs.

    .venv/bin/python -m bench.fanout                       # 10,000 messages, Teams' 50/s, pace 40/s
    .venv/bin/python -m bench.fanout --limit 500 --rate 400 # the limit scaled up: is the sender the bottleneck?
"""

from __future__ import annotations

import argparse
import asyncio
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
from sqlmodel import Session

from bot.assembly import build_endpoint
from bot.outbox_sender import OutboxSender, SenderLimits, http_threads
from config import Settings
from domain.clock import SystemClock
from domain.outbox import MessagePayload, OutboundMessage, ToConversation
from storage.database import Database
from storage.migrations import upgrade
from storage.outbox import OutboxRepository
from tests.support.conversations import save_personal_conversations
from tests.support.fake_connector import FakeConnector

TENANT = "11111111-2222-3333-4444-555555555555"


@dataclass
class Result:
    name: str
    messages: int
    seconds: float
    delivered: int
    unique: int
    throttled: int
    max_per_second: int

    def rate(self) -> float:
        return self.unique / self.seconds


def _serve_connector(port: int, limit: int, latency: float, ready: Any) -> None:
    """The fake Bot Connector in a process of its own, as the real one is a remote service."""
    connector = FakeConnector(clock=time.monotonic, app_limit_per_second=limit, latency=latency)
    app = connector.app()

    async def stats(_request: web.Request) -> web.Response:
        texts = Counter((sent.conversation_id, sent.text) for sent in connector.sent)
        return web.json_response(
            {
                "delivered": sum(texts.values()),
                "unique": len(texts),
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


def summarise(name: str, messages: int, seconds: float, stats: dict[str, int]) -> Result:
    return Result(
        name, messages, seconds, stats["delivered"], stats["unique"], stats["throttled"], stats["max_per_second"]
    )


async def deliver(database: Database, *, rate: float, limit: int, concurrency: int) -> float:
    """Drain the outbox with the real sender as the app runs it; the seconds it took."""
    settings = Settings(_env_file=None, DATABASE_URL=database.url)
    # The sender needs the adapter only: no feature answers anything here.
    endpoint = build_endpoint(settings, database, SystemClock(), features=())
    limits = SenderLimits(
        requests_per_second=rate, hard_limit_per_second=limit, concurrency=concurrency, batch_size=500
    )
    # As the app does: the SDK's HTTP calls run in the loop's default thread pool.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=http_threads(concurrency)))
    sender = OutboxSender(database, endpoint.adapter, endpoint.authentication, "", SystemClock(), limits=limits)
    started = time.perf_counter()
    await sender.drain()
    return time.perf_counter() - started


async def run_sender(args: argparse.Namespace) -> Result:
    connector = ConnectorProcess(args.limit, args.latency_ms / 1000)
    url = connector.url
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(database_url)
        database = Database(database_url, workers=8)
        try:
            seed(database, url, args.messages)
            seconds = await deliver(database, rate=args.rate, limit=args.limit, concurrency=args.concurrency)
            stats = await connector.stats()
        finally:
            database.close()
            connector.stop()
    return summarise("outbox sender", args.messages, seconds, stats)


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
    parser.add_argument("--rate", type=float, default=40.0, help="the sender's pace (the app's default: 40)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every connector answer")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    baseline = None if args.no_baseline else await run_baseline(args)
    result = await run_sender(args)
    report(args, result, baseline)
    # The headline: how much of Teams' per-app limit the sender uses (0 lost, 0 twice shown above).
    print(f"RESULT fanout_share_of_limit: {result.rate() / args.limit:.1%}")


if __name__ == "__main__":
    asyncio.run(main())
