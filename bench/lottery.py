"""Lottery benchmark: a draw among 100,000 tickets from 20,000 people, and the stand-alone
verifier rerunning it from the published data.

First the algorithm alone, as the bot runs it (the registry, its SHA-256 and Merkle root at
the commit; the seed and the picks at the draw), then `tools/verify_draw.py` on the same
published data, in the same process: their times, and the verifier's as a ratio of the
bot's. Then the whole path through the database: entries closed and the registry committed
for 20,000 people in a SQLite directory (their tickets from the ledger), and the draw.

    .venv/bin/python -m bench.lottery
    .venv/bin/python -m bench.lottery --people 50000 --tickets 250000
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

from bench.directory import build_directory
from bot.assembly import translator_for
from domain.roles import ProgramRoles
from features.installed import INSTALLED_FEATURES
from features.lottery.domain import (
    Prize,
    TicketRules,
    commitment,
    draw,
    merkle_root,
    published_data,
    registry,
    registry_hash,
    rules_to_data,
    seed,
)
from features.lottery.workflows import DrawSpec, commit_draw, create_draw, open_draw, run_draw
from storage.database import Database
from storage.messaging import Messaging
from storage.migrations import upgrade

PRIZES = (Prize("Surface Laptop", 1), Prize("Headphones", 3), Prize("Mug", 10))
ALTERNATES = 10
VERIFIER = Path(__file__).resolve().parents[1] / "tools" / "verify_draw.py"


def verifier() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_draw", VERIFIER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tickets_of(people: int, tickets: int) -> dict[str, int]:
    """`people` pseudonyms holding `tickets` in all (one to ten each)."""
    rng = random.Random(7)
    counts = [1] * people
    for _ in range(tickets - people):
        index = rng.randrange(people)
        while counts[index] >= 10:
            index = rng.randrange(people)
        counts[index] += 1
    return {f"{rng.getrandbits(64):016x}": count for count in counts}


def algorithm(people: int, tickets: int) -> tuple[float, float, float]:
    """(commit seconds, draw seconds, verifier seconds) on the same data."""
    held = tickets_of(people, tickets)
    started = time.perf_counter()
    entries = registry(held)
    digest, root = registry_hash(entries), merkle_root(entries)
    committed = time.perf_counter()
    secret = "bench-secret"  # the beacon's randomness would be one more input to the seed
    picks = draw(entries, PRIZES, ALTERNATES, seed("1", digest, "", secret))
    drawn = time.perf_counter()
    assert len({pick.pseudonym for pick in picks}) == sum(prize.quantity for prize in PRIZES) + ALTERNATES
    excluded = "e" * 64
    published = published_data(
        "1", "bench", entries, PRIZES, ALTERNATES, excluded, None, commitment(secret), secret, picks
    )
    assert published["merkle_root"] == root
    check = verifier()
    began = time.perf_counter()
    failures = check.verify(published)
    verified = time.perf_counter()
    assert failures == [], failures
    return committed - started, drawn - committed, verified - began


def through_the_database(people: int) -> tuple[int, float, float]:
    """(tickets, commit seconds, draw seconds) for a directory of `people`."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        database = Database(url)
        try:
            build_directory(database, "http://127.0.0.1:1", people, champions=max(1, people // 40))
            messaging = Messaging(translator_for(INSTALLED_FEATURES), ProgramRoles(()))
            now = datetime.now(UTC)
            spec = DrawSpec(
                name="bench",
                prizes=PRIZES,
                opens_at=now - timedelta(days=30),
                closes_at=now,
                audience={"kind": "everyone", "units": []},
                rules=rules_to_data(TicketRules()),
                exclude_recent=0,
                alternates=ALTERNATES,
            )

            def prepare(session) -> int:  # type: ignore[no-untyped-def]
                draw_id = create_draw(session, spec, "bench", None, now)
                open_draw(session, messaging, draw_id, "bench", now)
                return draw_id

            draw_id = database.transaction(prepare)
            started = time.perf_counter()
            database.transaction(lambda session: commit_draw(session, messaging, draw_id, None, "bench", now))
            committed = time.perf_counter()
            database.transaction(lambda session: run_draw(session, messaging, draw_id, None, "bench", now))
            drawn = time.perf_counter()
            from features.lottery.storage import Draws

            total = database.transaction(lambda session: sum(e.tickets for e in Draws(session).entrants(draw_id)))
            return total, committed - started, drawn - committed
        finally:
            database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--tickets", type=int, default=100_000)
    args = parser.parse_args()
    commit_seconds, draw_seconds, verify_seconds = algorithm(args.people, args.tickets)
    prizes = sum(prize.quantity for prize in PRIZES)
    print(f"\n{args.tickets:,} tickets from {args.people:,} people, {prizes} prizes, {ALTERNATES} alternates")
    print(f"bot: registry, its SHA-256 and Merkle root    {commit_seconds:8.3f} s")
    print(f"bot: seed and picks                            {draw_seconds:8.3f} s")
    print(f"stand-alone verifier, the whole check           {verify_seconds:8.3f} s")
    tickets, db_commit, db_draw = through_the_database(args.people)
    print(f"\nthrough SQLite, {args.people:,} people in the directory ({tickets:,} tickets: the ledger is empty here)")
    print(f"entries closed and the registry committed      {db_commit:8.3f} s")
    print(f"the draw                                       {db_draw:8.3f} s")
    ratio = verify_seconds / (commit_seconds + draw_seconds)
    print(f"RESULT lottery_verifier_vs_bot: {ratio:.2f}x")


if __name__ == "__main__":
    main()
