"""The retention job: words past their time go, departed people are erased, once, whatever the reruns."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app import job_context
from features.checkins.tables import CheckinAssignmentRecord, FeedbackItemRecord
from features.enrolment.tables import ChampionReferralRecord
from scheduling.jobs import apply_retention
from storage.audit import AuditTrail
from storage.models import OutboxRecord, PrivacyRequestRecord
from storage.privacy import find_person
from tests.support.chat import say
from tests.support.privacy import traces_of
from tests.support.program import import_directory
from tests.test_erasure import figures, traces_of_rita
from tests.test_privacy import ERIN, PEOPLE, RITA, a_champion_with_history, clock  # noqa: F401  (the fixture)


async def run_retention(harness, db, clock) -> None:  # noqa: F811
    await apply_retention(job_context(harness.settings, db, clock), clock.now())


def step_down_notices(db) -> int:
    messages = db.transaction(lambda s: s.exec(select(OutboxRecord)).all())
    return sum("stepped down" in (message.payload.get("text") or "") for message in messages)


async def test_the_retention_job_erases_a_departed_person_once_even_when_run_twice(
    harness_factory,
    db,
    clock,  # noqa: F811
):
    harness = await a_champion_with_history(harness_factory, db, clock)
    traces = db.transaction(traces_of_rita)
    before = db.transaction(figures)
    import_directory(db, [PEOPLE[ERIN]], clock)  # Rita left: HR's next export no longer has her

    clock.advance(timedelta(days=29))
    await run_retention(harness, db, clock)
    assert db.transaction(lambda s: find_person(s, RITA.teams_user_id)) is not None, "not before 30 days"

    clock.advance(timedelta(days=2))
    await run_retention(harness, db, clock)
    await run_retention(harness, db, clock)

    assert db.transaction(lambda s: traces_of(s, traces)) == []
    assert db.transaction(figures) == before
    requests = db.transaction(lambda s: [(r.kind, r.via) for r in s.exec(select(PrivacyRequestRecord))])
    assert requests.count(("erase", "retention")) == 1
    [report] = db.transaction(lambda s: AuditTrail(s).entries(action="privacy.retention"))
    assert report.details == {"after": {"departed_people_erased": 1}}
    assert step_down_notices(db) == 1, "the leads hear of it once"
    assert db.transaction(lambda s: find_person(s, ERIN.teams_user_id)) is not None, "Erin still works here"


async def test_words_past_their_time_go_and_their_counts_stay(harness_factory, db, clock):  # noqa: F811
    harness = await a_champion_with_history(harness_factory, db, clock)
    clock.advance(timedelta(seconds=3))
    await say(harness, ERIN, "who is my champion")
    before = db.transaction(figures)
    assert len(db.transaction(lambda s: s.exec(select(ChampionReferralRecord)).all())) == 1, "Erin was pointed to Rita"

    clock.advance(timedelta(days=364))
    await run_retention(harness, db, clock)
    [kept] = db.transaction(lambda s: s.exec(select(CheckinAssignmentRecord.answers)).all())
    assert kept is not None and kept["working"] == "Quotes in two clicks", "a year is not yet past"

    clock.advance(timedelta(days=2))
    await run_retention(harness, db, clock)
    await run_retention(harness, db, clock)

    [answered] = db.transaction(lambda s: s.exec(select(CheckinAssignmentRecord)).all())
    assert (answered.answers, answered.status, answered.sentiment, answered.hours) == (None, "answered", 4, 3.0)
    assert answered.champion_id is not None, "the champion is still here: only the words went"
    [item] = db.transaction(lambda s: s.exec(select(FeedbackItemRecord)).all())
    assert (item.text, item.status) == ("", "new")
    assert db.transaction(figures) == before
    assert db.transaction(lambda s: s.exec(select(ChampionReferralRecord)).all()) == [], "forgotten after 180 days"
    reports = db.transaction(lambda s: AuditTrail(s).entries(action="privacy.retention"))
    assert [report.details["after"] for report in reports] == [
        {"checkin_answers": 1, "feedback_texts": 1},
        {"askers_forgotten": 1, "referrals": 1},
    ], "each run that changed something says what; the third changed nothing"
    assert db.transaction(lambda s: AuditTrail(s).verify()) == []
