"""Digests benchmark: a lead digest and a sponsor digest for a program of 5,000 champions
with a year of fortnightly check-ins, 1,000,000 points-ledger entries and 10,000 feedback
items, on SQLite.

Each digest is built as the job builds it (every slice's pulse, in one transaction), and
timed against a baseline in the same run: one `count(*)` over each set of rows the digest
reads (the window's check-ins and ledger entries, the feedback, the rounds), which no
digest can beat by much. The goal is 0.5 s per digest.

    .venv/bin/python -m bench.digests
    .venv/bin/python -m bench.digests --champions 2000 --ledger 200000
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlmodel import Session, col

from bench.directory import DEPARTMENTS, build_directory
from features.checkins.domain import DEFAULT_QUESTIONS
from features.checkins.tables import (
    CheckinAssignmentRecord,
    CheckinRoundRecord,
    FeedbackEventRecord,
    FeedbackItemRecord,
)
from features.digests.domain import month_of, previous_month, week_of
from features.digests.workflows import lead_figures, sponsor_figures
from features.recognition.tables import PointsEntryRecord
from storage.database import Database
from storage.migrations import upgrade
from storage.sql import table_of

ROUNDS = 26  # fortnightly, a year
REASONS = ("checkin", "kudos", "story", "award", "contest")
ANSWERS = ("Quotes are faster now", "The mobile app is slow on the train", "Reports are clearer", "")


def build_program(database: Database, champions: int, ledger: int, feedback: int, now: datetime) -> None:
    rng = random.Random(11)
    build_directory(database, "http://127.0.0.1:1", champions * 10, champions)
    departments = {number: DEPARTMENTS[number % len(DEPARTMENTS)] for number in range(1, champions + 1)}

    def work(session: Session) -> None:
        connection = session.connection()
        questions = [q.to_json() for q in DEFAULT_QUESTIONS]
        # The last round went out four days ago: the week's digest reads its answers.
        first_round = (now - timedelta(days=14 * (ROUNDS - 1) + 4)).date()
        for number in range(ROUNDS):
            round_date = first_round + timedelta(days=14 * number)
            sent = datetime.combine(round_date, datetime.min.time(), tzinfo=UTC)
            round_id = connection.execute(
                insert(table_of(CheckinRoundRecord)).values(
                    round_date=round_date, questions=questions, cadence={}, created_at=sent
                )
            ).inserted_primary_key[0]
            rows: list[dict[str, Any]] = []
            for champion in range(1, champions + 1):
                answered = rng.random() < 0.7
                rows.append(
                    {
                        "round_id": round_id,
                        "champion_id": champion,
                        "status": "answered" if answered else rng.choice(("missed", "skipped")),
                        "timezone": "Europe/Rome",
                        "department": departments[champion],
                        "office": "",
                        "team": "",
                        "due_at": sent,
                        "closes_at": sent + timedelta(days=5),
                        "answered_at": sent + timedelta(hours=rng.randrange(1, 100)) if answered else None,
                        "answers": {"working": rng.choice(ANSWERS), "not_working": rng.choice(ANSWERS)}
                        if answered
                        else None,
                        "sentiment": rng.randint(1, 5) if answered else None,
                    }
                )
            connection.execute(insert(table_of(CheckinAssignmentRecord)), rows)
        year = timedelta(days=365).total_seconds()
        for start in range(0, ledger, 50_000):
            batch = []
            for _ in range(min(50_000, ledger - start)):
                champion = rng.randint(1, champions)
                batch.append(
                    {
                        "member_id": champion,
                        "champion_id": champion,
                        "department": departments[champion],
                        "points": rng.choice((5, 10, 30)),
                        "reason": rng.choice(REASONS),
                        "by": "bench",
                        "created_at": now - timedelta(seconds=rng.random() * year),
                    }
                )
            connection.execute(insert(table_of(PointsEntryRecord)), batch)
        assignment_ids = connection.execute(select(col(CheckinAssignmentRecord.id)).limit(feedback)).scalars().all()
        items = [
            {
                "assignment_id": assignment_id,
                "question_id": "challenges",
                "round_id": 1,
                "champion_id": rng.randint(1, champions),
                "text": "Sync fails on the train",
                "department": DEPARTMENTS[number % len(DEPARTMENTS)],
                "office": "",
                "team": "",
                "status": rng.choice(("new", "acknowledged", "planned", "done", "wont_do")),
                "owner": "",
                "created_at": now - timedelta(days=rng.randrange(1, 365)),
                "updated_at": now,
            }
            for number, assignment_id in enumerate(assignment_ids)
        ]
        connection.execute(insert(table_of(FeedbackItemRecord)), items)
        connection.execute(
            insert(table_of(FeedbackEventRecord)),
            [
                {
                    "item_id": number + 1,
                    "status": "done",
                    "owner": "",
                    "note": "",
                    "by": "bench",
                    "at": now - timedelta(days=rng.randrange(0, 60)),
                }
                for number in range(0, feedback, 2)
            ],
        )

    database.transaction(work)


def baseline(session: Session, since: datetime, until: datetime) -> int:
    """Count every set of rows a digest reads, once each: the floor for building one."""
    assignment, entry, item = CheckinAssignmentRecord, PointsEntryRecord, FeedbackItemRecord
    counts = [
        select(func.count()).where(col(assignment.answered_at) >= since, col(assignment.answered_at) < until),
        select(func.count()).where(col(entry.created_at) >= since, col(entry.created_at) < until),
        select(func.count()).where(col(entry.created_at) >= until - timedelta(days=60)),
        select(func.count()).select_from(item),
        select(func.count()).select_from(CheckinRoundRecord),
    ]
    return sum(session.execute(statement).scalar_one() for statement in counts)


def timed(database: Database, work: Any, repeats: int) -> float:
    """The median seconds of `work(session)` in its own transaction."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        database.transaction(work)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--champions", type=int, default=5_000)
    parser.add_argument("--ledger", type=int, default=1_000_000)
    parser.add_argument("--feedback", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        database = Database(url)
        try:
            started = time.perf_counter()
            build_program(database, args.champions, args.ledger, args.feedback, now)
            print(
                f"built {args.champions:,} champions, {ROUNDS} rounds, {args.ledger:,} ledger entries, "
                f"{args.feedback:,} feedback items in {time.perf_counter() - started:.1f} s"
            )
            # As the app does once started: what start-up built stays out of the collector's full passes.
            gc.collect()
            gc.freeze()
            week, month = week_of(now.date()), previous_month(month_of(now.date()))
            lead = timed(database, lambda s: lead_figures(s, week, now, keep=False), args.repeats)
            sponsor = timed(database, lambda s: sponsor_figures(s, month, "Europe/Rome", now), args.repeats)
            floor_week = timed(database, lambda s: baseline(s, now - timedelta(days=7), now), args.repeats)
            floor_month = timed(database, lambda s: baseline(s, now - timedelta(days=31), now), args.repeats)
            figures = database.transaction(lambda s: lead_figures(s, week, now, keep=False))
            print(
                f"lead digest ({week}): {len(figures.needs)} needs, {figures.at_risk_total:,} champions at risk, "
                f"{figures.voice.respondents:,} respondents"
            )
            for name, seconds, floor in (("lead", lead, floor_week), ("sponsor", sponsor, floor_month)):
                ratio = seconds / floor
                print(f"{name:8} digest {seconds:8.3f} s   baseline (count its rows) {floor:8.3f} s   {ratio:6.1f}x")
            print(
                f"goal: each digest in at most 0.5 s on SQLite: lead {'met' if lead <= 0.5 else 'not met'}, "
                f"sponsor {'met' if sponsor <= 0.5 else 'not met'}"
            )
            print(
                f"RESULT digest_build_seconds: lead {lead:.3f}, sponsor {sponsor:.3f} "
                f"({lead / floor_week:.1f}x and {sponsor / floor_month:.1f}x counting their rows)"
            )
        finally:
            database.close()


if __name__ == "__main__":
    main()
