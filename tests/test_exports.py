"""`python app.py export`: every report as CSV with its documented columns, and `--since` for
those kept by date. Data made through the workflows, read back through the command line."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest

from app import job_context, main
from features.enrolment.tables import NominationRecord
from features.questions.tables import QuestionRecord
from features.recognition import PointsReason, award
from tests.support.clock import FrozenClock
from tests.support.program import Person, seed_champion

DOCUMENTED = {
    "champions": ["champion_id", "name", "email", "status", "department", "office", "team", "focus_areas",
                  "languages", "applied_at", "decided_at", "decided_by"],
    "nominations": ["nomination_id", "nominee", "email", "status", "nominators", "created_at", "decided_at",
                    "decided_by"],
    "checkin-answers": ["round", "champion", "department", "office", "team", "answered_at", "sentiment", "hours",
                        "answers"],
    "stories": ["story_id", "created_at", "status", "title", "author", "department", "impact", "hours_saved",
                "published_at", "applause"],
    "ledger": ["entry_id", "created_at", "person", "champion", "department", "points", "reason", "note", "by"],
    "questions": ["question_id", "asked_at", "kind", "topic", "status", "department", "text", "answered_by",
                  "answered_at", "rating", "escalated_at"],
    "event-attendees": ["event_id", "title", "first_starts_at", "name", "email", "answer"],
    "training": ["champion", "department", "required_done", "required"],
}  # fmt: skip


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 12, 2, 9, tzinfo=UTC))


def read(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


async def test_each_report_has_its_documented_columns_and_since_keeps_later_rows(
    harness_factory, db, clock, tmp_path, monkeypatch
):
    harness = await harness_factory()
    monkeypatch.setenv("DATABASE_URL", harness.settings.database_url)
    champion = seed_champion(db, clock, "29:rita", Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "N"))
    messaging = job_context(harness.settings, db, clock).messaging
    old, new = clock.now() - timedelta(days=40), clock.now()
    db.transaction(lambda s: award(s, messaging, champion, PointsReason.AWARD, old, source_key="a", points=5, by="L"))
    db.transaction(lambda s: award(s, messaging, champion, PointsReason.AWARD, new, source_key="b", points=7, by="L"))

    def seed(session) -> None:
        session.add(NominationRecord(nominee_key="x", nominee_name="Xena", status="pending", created_at=old))
        session.add(QuestionRecord(text="How?", status="asked", asked_at=new, department="Sales"))

    db.transaction(seed)
    for name, header in DOCUMENTED.items():
        out = tmp_path / f"{name}.csv"
        assert main(["export", name, "-o", str(out)]) == 0, name
        assert read(out)[0] == header, name
    ledger = read(tmp_path / "ledger.csv")
    assert [row[5] for row in ledger[1:]] == ["5", "7"]
    since = tmp_path / "ledger-since.csv"
    assert main(["export", "ledger", "--since", "2026-11-30", "-o", str(since)]) == 0
    assert [row[5] for row in read(since)[1:]] == ["7"], "only what came since that day"
    assert main(["export", "nominations", "--since", "2026-11-30", "-o", str(since)]) == 0
    assert read(since)[1:] == []
    assert main(["export", "coverage", "--since", "2026-11-30"]) == 2, "coverage is not kept by date"
    with pytest.raises(SystemExit):
        main(["export", "ledger", "--since", "last week"])
