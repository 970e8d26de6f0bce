"""Who-is-my-champion benchmark: 100,000 employees, 5,000 champions, through /api/messages.

Builds the directory in a SQLite file, serves the real app (anonymous local mode) and a
bare botbuilder echo bot in the same process, and drives both with Teams-shaped activities
over HTTP. Replies go to a fake Bot Connector in a process of its own (no rate limit: this
measures the bot, not Teams). Prints requests/s and p50/p99 latency at 1 and 32 concurrent
users, and the ratio to the echo bot measured in the same run.

    .venv/bin/python -m bench.directory
    .venv/bin/python -m bench.directory --employees 20000 --champions 1000 --requests 500
    .venv/bin/python -m bench.directory --sweep     # 10k-300k employees, 1k-15k champions
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import insert, inspect, text

from app import create_app
from bench._support import TENANT, bot_settings, personal_message, serve
from bench.fanout import ConnectorProcess
from bot.echo import echo_app
from bot.edge import parse_activity
from bot.teams import conversation_snapshot
from features.enrolment.tables import ChampionReferralCountRecord
from storage.database import Database
from storage.migrations import upgrade
from storage.models import ChampionFocusRecord, ChampionRecord, ConversationRecord, EmployeeRecord, MemberRecord
from storage.sql import table_of

DEPARTMENTS = [f"Department {index:02d}" for index in range(40)]
OFFICES = [f"Office {index:02d}" for index in range(60)]
FOCUS = ["Sales", "Customer Service", "Field Service", "Reporting"]
ASKERS = 2_000


@dataclass
class Figures:
    name: str
    concurrency: int
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def stored_reference(connector_url: str, asker: int) -> dict[str, Any]:
    """The conversation reference the asker's own message makes the bot keep: the askers talked
    to the bot before, so their turns find nothing new to write."""
    message = parse_activity(json.dumps(activity(connector_url, asker)).encode())
    assert not isinstance(message, str), message
    return conversation_snapshot(message).reference


def build_directory(database: Database, connector_url: str, employees: int, champions: int) -> list[int]:
    """Bulk rows: employees in teams of ~12, champions spread over them, askers who talked before."""
    rng = random.Random(42)
    now = datetime.now(UTC)
    people = []
    for index in range(employees):
        team = index // 12
        department = DEPARTMENTS[team % len(DEPARTMENTS)]
        office = OFFICES[(team * 7) % len(OFFICES)]
        people.append(
            {
                "email": f"person{index}@contoso.example",
                "display_name": f"Person {index}",
                "department": department,
                "office": office,
                "team": f"Team {team}",
                "manager_email": None,
                "aad_object_id": None,
                "country": None,
                "preferred_language": None,
                "active": True,
                "imported_at": now,
                "updated_at": now,
            }
        )
    champion_indexes = rng.sample(range(employees), champions)
    others = sorted(set(range(employees)) - set(champion_indexes))
    asker_indexes = rng.sample(others, min(ASKERS, len(others)))

    def member(index: int, member_id: int, conversation_id: str | None) -> dict[str, Any]:
        return {
            "id": member_id,
            "teams_user_id": f"29:person-{index}",
            "display_name": f"Person {index}",
            "email": f"person{index}@contoso.example",
            "user_principal_name": f"person{index}@contoso.example",
            "locale": "en-US",
            "tenant_id": TENANT,
            "personal_conversation_id": conversation_id,
            "profile_fetched_at": now,
            "first_seen_at": now,
            "last_seen_at": now,
        }

    def work(session: Any) -> None:
        connection = session.connection()
        connection.execute(insert(table_of(EmployeeRecord)), people)
        conversations = [
            {
                "id": f"a:personal-{index}",
                "kind": "personal",
                "channel_id": "msteams",
                "service_url": connector_url,
                "tenant_id": TENANT,
                "reference": stored_reference(connector_url, index),
                "installed": True,
                "created_at": now,
                "updated_at": now,
            }
            for index in asker_indexes
        ]
        connection.execute(insert(table_of(ConversationRecord)), conversations)
        members = [member(index, number + 1, None) for number, index in enumerate(champion_indexes)]
        members += [
            member(index, champions + number + 1, f"a:personal-{index}") for number, index in enumerate(asker_indexes)
        ]
        connection.execute(insert(table_of(MemberRecord)), members)
        rows, focus = [], []
        for number, index in enumerate(champion_indexes):
            person = people[index]
            rows.append(
                {
                    "id": number + 1,
                    "member_id": number + 1,
                    "status": "active",
                    "department": person["department"],
                    "office": person["office"],
                    "team": person["team"],
                    "languages": ["English"],
                    "listed": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            focus += [{"champion_id": number + 1, "focus_area": area} for area in rng.sample(FOCUS, 2)]
        connection.execute(insert(table_of(ChampionRecord)), rows)
        connection.execute(insert(table_of(ChampionFocusRecord)), focus)
        # As enrolment places each champion for searches: a count of 0, with their units.
        counts = [
            {"champion_id": row["id"], "people": 0, "department": row["department"], "team": row["team"]}
            for row in rows
        ]
        connection.execute(insert(table_of(ChampionReferralCountRecord)), counts)

    database.transaction(work)
    return asker_indexes


_ids = itertools.count(1)
# Each request goes to the next asker, across runs and endpoints: no one chat meets Teams'
# per-conversation limits (8 in 2 s), which the fake connector enforces.
_turns = itertools.count()


def activity(connector_url: str, asker: int) -> dict[str, Any]:
    return personal_message(
        connector_url,
        f"bench-{next(_ids)}",
        f"29:person-{asker}",
        f"Person {asker}",
        f"a:personal-{asker}",
        "who is my champion",
    )


async def load(name: str, url: str, connector_url: str, askers: list[int], concurrency: int, requests: int) -> Figures:
    latencies: list[float] = []
    queue = iter(range(requests))

    async with aiohttp.ClientSession() as session:

        async def user() -> None:
            for _request in queue:
                body = activity(connector_url, askers[next(_turns) % len(askers)])
                started = time.perf_counter()
                async with session.post(url, json=body) as response:
                    await response.read()
                    if response.status not in (200, 201):
                        raise RuntimeError(f"{name}: HTTP {response.status}")
                latencies.append(time.perf_counter() - started)

        # Warm-up: connection pools, caches, the SDK's first-call costs.
        for _ in range(20):
            async with session.post(url, json=activity(connector_url, askers[next(_turns) % len(askers)])) as response:
                await response.read()
        started = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return Figures(name, concurrency, requests, seconds, latencies)


def prepare(url: str, scratch_postgres: bool, connector_url: str, employees: int, champions: int) -> list[int]:
    """A fresh schema at `url` holding the directory; the askers."""
    if scratch_postgres:
        scratch = Database(url, workers=1)
        with scratch.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        scratch.close()
    upgrade(url)
    database = Database(url)
    started = time.perf_counter()
    askers = build_directory(database, connector_url, employees, champions)
    if scratch_postgres:
        # What autovacuum does within a minute of a bulk import: without statistics the planner
        # guesses a few dozen rows per table and scans them all.
        tables = ", ".join(inspect(database.engine).get_table_names())
        with database.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(f"ANALYZE {tables}")
    print(f"directory: {employees:,} employees, {champions:,} champions built in {time.perf_counter() - started:.1f} s")
    database.close()
    return askers


async def compare(args: argparse.Namespace, connector: ConnectorProcess, folder: str) -> list[dict[str, Figures]]:
    """Who-is-my-champion against the echo baselines, at 1 and 32 users."""
    url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
    askers = prepare(url, bool(args.database_url), connector.url, args.employees, args.champions)
    settings = bot_settings(url)
    endpoints = {
        "echo bot (bare SDK)": echo_app(settings, "bare"),
        "echo bot (kept clients)": echo_app(settings, "kept_clients"),
        "echo + de-dup write": echo_app(settings, "remembering"),
        "who is my champion": create_app(settings),
    }
    served = {name: await serve(app) for name, app in endpoints.items()}
    try:
        results: list[dict[str, Figures]] = []
        for concurrency, requests in ((1, max(50, args.requests // 3)), (32, args.requests)):
            results.append(
                {
                    name: await load(name, f"{base}api/messages", connector.url, askers, concurrency, requests)
                    for name, (_, base) in served.items()
                }
            )
    finally:
        for runner, _ in served.values():
            await runner.cleanup()
    return results


# (employees, champions): the employee series at 1,000 champions, the champion series at 100,000 employees.
SWEEP = {
    "employees": [(10_000, 1_000), (100_000, 1_000), (300_000, 1_000)],
    "champions": [(100_000, 1_000), (100_000, 5_000), (100_000, 15_000)],
}


async def sweep(args: argparse.Namespace, connector: ConnectorProcess, folder: str) -> None:
    """Who-is-my-champion's latency at one user as the directory grows: it should stay flat.

    Every size is served at once and measured in interleaved rounds, so that the machine's
    drift over the run (the echo bot's own speed moves by 20%) falls on all sizes alike."""
    sizes = sorted({size for series in SWEEP.values() for size in series})
    served: dict[tuple[int, int], tuple[web.AppRunner, str, list[int]]] = {}
    latencies: dict[tuple[int, int], list[float]] = {size: [] for size in sizes}
    try:
        for employees, champions in sizes:
            url = f"sqlite:///{Path(folder) / f'sweep-{employees}-{champions}.db'}"
            askers = prepare(url, False, connector.url, employees, champions)
            runner, base = await serve(create_app(bot_settings(url)))
            served[(employees, champions)] = (runner, base, askers)
        rounds = 3
        for _ in range(rounds):
            for size, (_, base, askers) in served.items():
                figures = await load("who", f"{base}api/messages", connector.url, askers, 1, args.requests // 9)
                latencies[size] += figures.latencies
    finally:
        for runner, _, _ in served.values():
            await runner.cleanup()

    def p50(size: tuple[int, int]) -> float:
        ordered = sorted(latencies[size])
        return ordered[len(ordered) // 2] * 1000

    def p99(size: tuple[int, int]) -> float:
        ordered = sorted(latencies[size])
        return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000

    spreads = []
    for series, members in SWEEP.items():
        print(f"\nseries over {series}")
        for employees, champions in members:
            size = (employees, champions)
            print(
                f"  {employees:>8,} employees {champions:>7,} champions: "
                f"p50 {p50(size):6.1f} ms, p99 {p99(size):6.1f} ms"
            )
        medians = [p50(size) for size in members]
        spreads.append(max(medians) / min(medians))
        print(f"  largest / smallest p50: {spreads[-1]:.2f}x")
    print(f"RESULT who_is_my_champion_scale_spread: {max(spreads):.2f}x")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--champions", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=1_000, help="per run (the single user runs a third)")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL to measure instead of SQLite; its public schema is DROPPED and rebuilt (a scratch database)",
    )
    parser.add_argument(
        "--sweep", action="store_true", help="latency from 10k to 300k employees and from 1k to 15k champions"
    )
    args = parser.parse_args()
    if args.sweep and args.database_url:
        parser.error("--sweep serves five directories at once, in SQLite files; leave out --database-url")
    logging.basicConfig(level=logging.WARNING)

    connector = ConnectorProcess(limit=10**9, latency=0.0)
    try:
        with tempfile.TemporaryDirectory() as folder:
            if args.sweep:
                await sweep(args, connector, folder)
                return
            results = await compare(args, connector, folder)
    finally:
        connector.stop()
    report(results)


def report(results: list[dict[str, Figures]]) -> None:
    print(f"\n{'run':<26}{'users':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for run in results:
        bot = run["who is my champion"]
        for figures in run.values():
            print(
                f"{figures.name:<26}{figures.concurrency:>6}{figures.rate:>9.1f}"
                f"{figures.percentile(0.5):>9.1f}{figures.percentile(0.99):>9.1f}"
            )
        for name in ("echo bot (bare SDK)", "echo bot (kept clients)", "echo + de-dup write"):
            echo = run[name]
            print(
                f"{'  bot / ' + name.removeprefix('echo bot '):<26}{'':>6}{bot.rate / echo.rate:>9.2f}"
                f"{bot.percentile(0.5) / echo.percentile(0.5):>9.2f}"
                f"{bot.percentile(0.99) / echo.percentile(0.99):>9.2f}"
            )
    # The headline: who-is-my-champion's throughput against the bare SDK echo bot (the issue's
    # baseline), at the highest concurrency; the kept-clients echo is printed beside it.
    last = results[-1]
    ratio = last["who is my champion"].rate / last["echo bot (bare SDK)"].rate
    print(f"RESULT who_is_my_champion_vs_echo: {ratio:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
