"""Treasure-hunt benchmark: 2,000 players from 40 departments answering at once, and action
clues checked against a fake Dataverse.

Opens the Dynamics 365 Sales basics hunt on a SQLite directory of 2,400 employees in 40
departments, serves the real app (anonymous local mode) and a bare botbuilder echo bot in
the same process, and drives both with Teams-shaped messages over HTTP: every player types
an answer to their team's first clue (a third of them right, the rest wrong, so solves,
"already solved", misses, warnings and the per-team rate limit all happen). Replies go to a
fake Bot Connector in a process of its own. Prints answers per second and p50/p99 against
the echo bot in the same run.

Then checks action clues with the real Dataverse verifier (MSAL sign-in, OData queries)
against the fake Dataverse Web API over HTTPS in this process, and against a bare aiohttp
client sending the same two queries per check: the verifier's own cost.

    .venv/bin/python -m bench.hunts
    .venv/bin/python -m bench.hunts --requests 4000 --concurrency 64 --checks 1000
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import aiohttp
from sqlalchemy import select

from app import create_app
from bench._support import bot_settings, personal_message, serve
from bench.directory import Figures, build_directory
from bench.fanout import ConnectorProcess
from bot.assembly import translator_for
from bot.echo import echo_app
from domain.roles import ProgramRoles
from features.hunts.domain import ActionCheck
from features.hunts.plans import template
from features.hunts.storage import Hunts
from features.hunts.verifier import DataverseVerifier, Solver, VerifierSettings, record_filter
from features.hunts.workflows import create_from_template, open_hunt, schedule
from features.installed import INSTALLED_FEATURES
from storage.database import Database
from storage.messaging import Messaging
from storage.migrations import upgrade
from storage.models import EmployeeRecord
from tests.support.dataverse import CLIENT_ID, CLIENT_SECRET, TENANT, FakeDataverse
from tests.support.tls import self_signed

EMPLOYEES = 2_400  # teams of 12 over 40 departments; 2,000 of them play
PLAN = template("d365-sales-basics")
_ids = itertools.count(1)


def open_the_hunt(database: Database) -> dict[str, list[str]]:
    """The hunt, open now; every clue's accepted answers (players guess among all of them)."""
    now = datetime.now(UTC)

    def work(session) -> int:  # type: ignore[no-untyped-def]
        created = create_from_template(session, PLAN.key, "bench", now, verifier=False)
        assert created.hunt_id is not None
        schedule(session, created.hunt_id, now - timedelta(minutes=1), now + timedelta(days=1), "bench", now)
        return created.hunt_id

    hunt_id = database.transaction(work)
    messaging = Messaging(translator_for(INSTALLED_FEATURES), ProgramRoles(()))
    teams = database.transaction(lambda session: open_hunt(session, messaging, hunt_id, now, "UTC"))
    departments = database.transaction(
        lambda session: len(set(session.execute(select(EmployeeRecord.department)).scalars()))
    )
    assert teams == departments == 40, (teams, departments)
    assert database.transaction(lambda session: len(Hunts(session).teams(hunt_id))) == 40
    return {clue.key: [answer for variant in clue.variants for answer in variant.answers] for clue in PLAN.clues()}


async def answer_load(
    name: str, url: str, connector_url: str, players: list[int], guesses: list[str], concurrency: int, requests: int
) -> Figures:
    latencies: list[float] = []
    queue = iter(range(requests))
    rng = random.Random(7)
    turns = itertools.count()

    def activity() -> dict[str, object]:
        player = players[next(turns) % len(players)]
        guess = rng.choice(guesses) if rng.random() < 1 / 3 else f"not {rng.randrange(10_000)}"
        return personal_message(
            connector_url, f"hunt-{next(_ids)}", f"29:person-{player}", f"Person {player}",
            f"a:personal-{player}", f"answer 1 {guess}",
        )  # fmt: skip

    async with aiohttp.ClientSession() as session:

        async def player_turns() -> None:
            for _request in queue:
                started = time.perf_counter()
                async with session.post(url, json=activity()) as response:
                    await response.read()
                    if response.status not in (200, 201):
                        raise RuntimeError(f"{name}: HTTP {response.status}")
                latencies.append(time.perf_counter() - started)

        for _ in range(20):  # warm-up
            async with session.post(url, json=activity()) as response:
                await response.read()
        started = time.perf_counter()
        await asyncio.gather(*(player_turns() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return Figures(name, concurrency, requests, seconds, latencies)


async def verification(checks: int, concurrency: int, folder: str) -> tuple[float, float]:
    """(checks per second with the verifier, the same queries per second from a bare client)."""
    from aiohttp.test_utils import TestServer

    certificate, context = self_signed(Path(folder))
    fake = FakeDataverse()
    server = TestServer(fake.app())
    await server.start_server(ssl=context)
    fake.base_url = str(server.make_url("")).rstrip("/")
    since = datetime.now(UTC) - timedelta(hours=1)
    for person in range(200):
        user = f"00000000-0000-0000-0000-{person:012d}"
        fake.add_user(user, f"aad-{person}", f"person{person}@contoso.example")
        fake.add("phonecalls", subject=f"Call FALCO-{person}", _createdby_value=user, createdon=since.isoformat())
    settings = VerifierSettings(
        DATAVERSE_URL=fake.base_url,
        DATAVERSE_TENANT_ID=TENANT,
        DATAVERSE_CLIENT_ID=CLIENT_ID,
        DATAVERSE_CLIENT_SECRET=CLIENT_SECRET,
        DATAVERSE_AUTHORITY_HOST=fake.base_url,
        DATAVERSE_CA_BUNDLE=str(certificate),
    )
    verifier = DataverseVerifier(settings)
    action = ActionCheck("phonecalls", "contains(subject,'{code}')", "createdby", 1)
    until = datetime.now(UTC) + timedelta(hours=1)

    async def verify_all() -> float:
        queue = iter(range(checks))

        async def worker() -> None:
            for number in queue:
                person = number % 200
                verified = await verifier.verify(action, f"FALCO-{person}", Solver(f"aad-{person}", None), since, until)
                assert verified.found == 1, verified

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return checks / (time.perf_counter() - started)

    async def bare() -> float:
        """The same two queries per check, from a plain client with a token fetched once."""
        token = await verifier._fetch_token()  # the verifier's own sign-in, reused
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        queue = iter(range(checks))
        base = fake.base_url + "/api/data/v9.2"
        ssl_context = __import__("ssl").create_default_context(cafile=str(certificate))
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ssl_context)) as session:

            async def worker() -> None:
                for number in queue:
                    person = number % 200
                    user_filter = quote(f"azureactivedirectoryobjectid eq aad-{person}", safe="")
                    async with session.get(f"{base}/systemusers?$filter={user_filter}", headers=headers) as response:
                        user = (await response.json())["value"][0]["systemuserid"]
                    wanted = quote(record_filter(action, f"FALCO-{person}", user, since, until), safe="")
                    async with session.get(f"{base}/phonecalls?$filter={wanted}&$top=1", headers=headers) as response:
                        assert len((await response.json())["value"]) == 1

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return checks / (time.perf_counter() - started)

    try:
        await verify_all()  # warm-up: the token, TLS sessions
        return await verify_all(), await bare()
    finally:
        await server.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2_000, help="answers per run (one per player by default)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--checks", type=int, default=400)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    connector = ConnectorProcess(limit=10**9, latency=0.0)
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'hunts.db'}"
            upgrade(url)
            database = Database(url)
            players = build_directory(database, connector.url, EMPLOYEES, 40)
            answers = open_the_hunt(database)
            database.close()
            guesses = [answer for answer_list in answers.values() for answer in answer_list]
            settings = bot_settings(url)
            served = {
                "echo bot (bare SDK)": await serve(echo_app(settings, "bare")),
                "hunt answers": await serve(create_app(settings)),
            }
            try:
                results = {
                    name: await answer_load(
                        name, f"{base}api/messages", connector.url, players, guesses, args.concurrency, args.requests
                    )
                    for name, (_, base) in served.items()
                }
            finally:
                for runner, _ in served.values():
                    await runner.cleanup()
            checks_per_second, bare_per_second = await verification(args.checks, 16, folder)
    finally:
        connector.stop()

    print(f"\n{len(players):,} players in 40 departments, {args.concurrency} at once, {args.requests:,} answers")
    print(f"{'run':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for figures in results.values():
        print(f"{figures.name:<22}{figures.rate:>9.1f}{figures.percentile(0.5):>9.1f}{figures.percentile(0.99):>9.1f}")
    bot, echo = results["hunt answers"], results["echo bot (bare SDK)"]
    print(
        f"{'  answers / echo':<22}{bot.rate / echo.rate:>9.2f}"
        f"{bot.percentile(0.5) / echo.percentile(0.5):>9.2f}{bot.percentile(0.99) / echo.percentile(0.99):>9.2f}"
    )
    print(f"\naction clues checked against the fake Dataverse, 16 at once: {checks_per_second:.1f} checks/s")
    print(f"the same queries from a bare client: {bare_per_second:.1f} checks/s")
    print(f"  verifier / bare client: {checks_per_second / bare_per_second:.2f}")
    print(f"RESULT hunt_answers_vs_echo: {bot.rate / echo.rate:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
