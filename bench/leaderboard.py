"""Leaderboard benchmark: 5,000 champions and 1,000,000 points-ledger entries.

Times the queries behind `leaderboard` (this month, this quarter, all time: champions ranked,
departments by total and by points per champion), one champion's total and ledger page, and,
as the baseline measured in the same run, the plainest query over the same table (count the
month's entries through the period index). Prints the median time per query and the ratio.

    .venv/bin/python -m bench.leaderboard                         # 5,000 champions, 1,000,000 entries
    .venv/bin/python -m bench.leaderboard --entries 100000        # quicker
    .venv/bin/python -m bench.leaderboard --database-url postgresql+psycopg://...   # an empty database
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlmodel import Session, col

from features.recognition.domain import Period, PointsReason, period_start
from features.recognition.storage import PointsLedger
from features.recognition.tables import PointsEntryRecord
from features.recognition.workflows import leaderboard
from storage.database import Database
from storage.migrations import upgrade
from storage.models import ChampionRecord, MemberRecord
from storage.sql import table_of

DEPARTMENTS = tuple(f"Department {index:02d}" for index in range(60))
REASONS = (PointsReason.CHECKIN, PointsReason.KUDOS, PointsReason.STORY, PointsReason.AWARD)
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def seed(database: Database, champions: int, entries: int) -> None:
    rng = random.Random(11)

    def people(session: Session) -> None:
        members = [
            {
                "teams_user_id": f"29:champion-{index}",
                "display_name": f"Champion {index:05d}",
                "first_seen_at": NOW,
                "last_seen_at": NOW,
            }
            for index in range(champions)
        ]
        session.execute(insert(table_of(MemberRecord)), members)
        ids = session.execute(select(col(MemberRecord.id)).order_by(col(MemberRecord.id))).scalars().all()
        session.execute(
            insert(table_of(ChampionRecord)),
            [
                {
                    "member_id": member_id,
                    "status": "active",
                    "department": DEPARTMENTS[index % len(DEPARTMENTS)],
                    "languages": [],
                    "listed": True,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for index, member_id in enumerate(ids)
            ],
        )

    database.transaction(people)
    champions = database.transaction(
        lambda s: s.execute(
            select(col(ChampionRecord.id), col(ChampionRecord.member_id), col(ChampionRecord.department))
        ).all()
    )
    batch = 50_000
    # Two years of history, a little busier lately, as a growing program is.
    span = timedelta(days=730).total_seconds()
    for start in range(0, entries, batch):
        rows = []
        for _ in range(min(batch, entries - start)):
            reason = rng.choice(REASONS)
            champion_id, member_id, department = rng.choice(champions)
            rows.append(
                {
                    "champion_id": champion_id,
                    "member_id": member_id,
                    "department": department,
                    "points": 5 if reason is PointsReason.KUDOS else rng.choice((10, 20, 30)),
                    "reason": reason.value,
                    "note": "",
                    "source_key": None,
                    "by": "bench",
                    "created_at": NOW - timedelta(seconds=span * (rng.random() ** 1.5)),
                }
            )
        database.transaction(lambda s, rows=rows: s.execute(insert(table_of(PointsEntryRecord)), rows))


def median_ms(work: Callable[[], Any], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def since(period: Period) -> datetime | None:
    start = period_start(period, NOW.date())
    return datetime.combine(start, datetime.min.time(), tzinfo=UTC) if start else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--champions", type=int, default=5_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", help="an empty database to use instead of a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'leaderboard.db'}"
        upgrade(url)
        database = Database(url)
        try:
            started = time.perf_counter()
            seed(database, args.champions, args.entries)
            seeded = time.perf_counter() - started
            month_start = since(Period.MONTH)

            def baseline() -> int:
                return database.transaction(
                    lambda s: s.execute(
                        select(func.count()).where(col(PointsEntryRecord.created_at) >= month_start)
                    ).scalar_one()
                )

            month_entries = baseline()
            base = median_ms(baseline, args.repeat)
            results = []
            for period in Period:
                start = since(period)
                board = database.transaction(lambda s, start=start: leaderboard(s, start))
                took = median_ms(lambda start=start: database.transaction(lambda s: leaderboard(s, start)), args.repeat)
                results.append((period, took, board))
            champion_id = results[-1][2].champions[0].key

            def own() -> Any:
                return database.transaction(
                    lambda s: (PointsLedger(s).total(champion_id), PointsLedger(s).entries(champion_id))
                )

            own_ms = median_ms(own, args.repeat)
            # Contest standings: everyone's points this month, by the department they earned them in.
            departments = database.transaction(lambda s: PointsLedger(s).department_totals(month_start))
            departments_ms = median_ms(
                lambda: database.transaction(lambda s: PointsLedger(s).department_totals(month_start)), args.repeat
            )
        finally:
            database.close()
    print(f"\nLeaderboards over {args.champions:,} champions and {args.entries:,} ledger entries ({url.split(':')[0]})")
    print(f"  seeded in {seeded:.1f} s; this month has {month_entries:,} entries")
    print(f"  baseline: count this month's entries       {base:9.1f} ms")
    for period, took, board in results:
        top = board.champions[0]
        print(
            f"  leaderboard {period.value:9} (3 rankings)   {took:9.1f} ms = {took / base:6.1f} x baseline"
            f"   (#1 {top.name}, {top.points:g} points; {len(board.champions):,} ranked)"
        )
    print(f"  one champion's total and ledger page     {own_ms:9.1f} ms = {own_ms / base:6.2f} x baseline")
    print(
        f"  department standings this month          {departments_ms:9.1f} ms = {departments_ms / base:6.2f} x baseline"
        f"   ({len(departments):,} departments)"
    )
    month = next(took for period, took, _ in results if period is Period.MONTH)
    print(f"RESULT leaderboard_month_vs_baseline: {month / base:.2f}x")


if __name__ == "__main__":
    main()
