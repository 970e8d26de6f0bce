"""What recognition tells the digests: who was recognised lately, the champions of a period
(the same ledger and leaderboard `leaderboard` shows), stories waiting and published, and
points per department. Other features read it through `features.recognition.recognition_pulse`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from domain.roles import SERVING
from features.recognition.domain import PointsReason, Ranked, Story
from features.recognition.storage import PointsLedger, Stories
from features.recognition.tables import KudosRecord, PointsEntryRecord
from features.recognition.workflows import leaderboard
from storage.models import ChampionRecord, MemberRecord

# What counts as being recognised: thanks, a story, a lead's award, a sponsor's thanks, a question answered.
RECOGNITION = (
    PointsReason.KUDOS.value,
    PointsReason.STORY.value,
    PointsReason.STORY_OF_THE_MONTH.value,
    PointsReason.AWARD.value,
    PointsReason.SPONSOR_THANKS.value,
    PointsReason.QUESTION_ANSWERED.value,
)
RECENTLY = timedelta(days=30)
LONG_UNRECOGNISED = timedelta(days=60)
# Thanked this often in 90 days without being a champion: a candidate for a coverage gap.
CANDIDATE_KUDOS = 2
CANDIDATE_WINDOW = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class RecognitionPulse:
    recognised_recently: frozenset[int]  # champion ids recognised in the last 30 days
    recognised_in_60_days: frozenset[int]
    stories_waiting: int
    wins: tuple[Story, ...]  # published in the window, most applauded first
    top: tuple[Ranked, ...]  # the window's champions by points (hidden ones flagged)
    points_by_department: dict[str, int]
    # People thanked often who are not (or no longer) serving champions: (name, department).
    thanked_not_serving: tuple[tuple[str, str], ...]


def recognition_pulse(
    session: Session, since: datetime, until: datetime, top: int = 3, *, at_risk: bool = True
) -> RecognitionPulse:
    """`at_risk`: also who went 60 days unrecognised (the lead digest's; the sponsor's needs 30)."""
    stories = Stories(session)
    published = [
        story
        for story in stories.published(limit=50)
        if story.published_at is not None and since <= story.published_at < until
    ]
    last_recognised = _last_recognised(session, until - (LONG_UNRECOGNISED if at_risk else RECENTLY), until)
    return RecognitionPulse(
        recognised_recently=frozenset(cid for cid, at in last_recognised.items() if at >= until - RECENTLY),
        recognised_in_60_days=frozenset(last_recognised),
        stories_waiting=stories.count_pending(),
        wins=tuple(sorted(published, key=lambda story: -story.applause)),
        top=tuple(leaderboard(session, since, until).champions[:top]),
        points_by_department=PointsLedger(session).department_totals(since, until),
        thanked_not_serving=_thanked_not_serving(session, until),
    )


def _last_recognised(session: Session, since: datetime, until: datetime) -> dict[int, datetime]:
    """When each champion recognised in the period last was (the ledger's time index covers it)."""
    entry = PointsEntryRecord
    rows = session.execute(
        select(col(entry.champion_id), func.max(col(entry.created_at)))
        .where(col(entry.created_at) >= since, col(entry.created_at) < until)
        .where(col(entry.reason).in_(RECOGNITION), col(entry.champion_id).is_not(None), col(entry.points) > 0)
        .group_by(col(entry.champion_id))
    ).all()
    return {int(champion_id): at for champion_id, at in rows}


def _thanked_not_serving(session: Session, until: datetime) -> tuple[tuple[str, str], ...]:
    rows = session.execute(
        select(col(MemberRecord.display_name), col(ChampionRecord.department), func.count())
        .select_from(KudosRecord)
        .join(ChampionRecord, col(ChampionRecord.id) == col(KudosRecord.champion_id))
        .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
        .where(col(ChampionRecord.status).not_in([status.value for status in SERVING]))
        .where(col(KudosRecord.created_at) >= until - CANDIDATE_WINDOW)
        .group_by(col(MemberRecord.display_name), col(ChampionRecord.department))
        .having(func.count() >= CANDIDATE_KUDOS)
        .order_by(func.count().desc())
    ).all()
    return tuple((name or "", department or "") for name, department, _ in rows)
