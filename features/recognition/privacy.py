"""What recognition keeps about people: stories, applause, kudos, points and levels."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from features.recognition.domain import StoryStatus
from features.recognition.tables import (
    ChampionLevelRecord,
    KudosRecord,
    LeaderboardOptOutRecord,
    PointsEntryRecord,
    StoryApplauseRecord,
    StoryRecord,
)
from storage.audit import AuditTrail
from storage.privacy import Erasure, Person, PersonalData, delete_rows, records, unlink


def export(session: Session, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if person.member_id is not None:
        member_id = person.member_id
        data["stories_you_wrote"] = records(
            session,
            StoryRecord,
            col(StoryRecord.author_member_id) == member_id,
            columns=[
                "title",
                "body",
                "impact",
                "hours_saved",
                "deals_closed",
                "figures",
                "department",
                "focus_areas",
                "status",
                "reject_reason",
                "story_of_month",
                "created_at",
                "published_at",
            ],
        )
        data["stories_you_applauded"] = records(
            session, StoryApplauseRecord, col(StoryApplauseRecord.member_id) == member_id, columns=["story_id", "at"]
        )
        data["kudos_you_gave"] = records(
            session,
            KudosRecord,
            col(KudosRecord.giver_member_id) == member_id,
            columns=["champion_id", "message", "created_at"],
        )
        data["hidden_from_leaderboards"] = records(
            session,
            LeaderboardOptOutRecord,
            col(LeaderboardOptOutRecord.member_id) == member_id,
            columns=["hidden_at"],
        )
        data["points"] = records(
            session,
            PointsEntryRecord,
            col(PointsEntryRecord.member_id) == member_id,
            columns=["points", "reason", "note", "department", "by", "created_at"],
        )
    if person.champion_id is not None:
        champion_id = person.champion_id
        data["kudos_you_received"] = records(
            session, KudosRecord, col(KudosRecord.champion_id) == champion_id, columns=["message", "created_at"]
        )
        data["stories_crediting_you"] = records(
            session,
            StoryRecord,
            col(StoryRecord.credited_champion_id) == champion_id,
            col(StoryRecord.status) == StoryStatus.PUBLISHED.value,
            columns=["title", "published_at"],
        )
        data["levels"] = records(
            session,
            ChampionLevelRecord,
            col(ChampionLevelRecord.champion_id) == champion_id,
            columns=["level", "reached_at"],
        )
    return data


def erase(session: Session, person: Person, _erasure: Erasure) -> None:
    """Their stories, applause, levels and the thanks they received go; their points stay in
    their department's totals, and the thanks they gave stay counted, without them."""
    if person.member_id is not None:
        member_id = person.member_id
        stories = session.execute(
            select(col(StoryRecord.id), col(StoryRecord.title)).where(col(StoryRecord.author_member_id) == member_id)
        ).all()
        story_ids = [story_id for story_id, _title in stories]
        delete_rows(session, StoryApplauseRecord, col(StoryApplauseRecord.story_id).in_(story_ids))
        delete_rows(session, StoryRecord, col(StoryRecord.id).in_(story_ids))
        AuditTrail(session).redact([title for _id, title in stories], action_prefix="story.")
        delete_rows(session, StoryApplauseRecord, col(StoryApplauseRecord.member_id) == member_id)
        unlink(session, KudosRecord, col(KudosRecord.giver_member_id) == member_id, giver_member_id=None, message="")
        delete_rows(session, LeaderboardOptOutRecord, col(LeaderboardOptOutRecord.member_id) == member_id)
        unlink(session, PointsEntryRecord, col(PointsEntryRecord.member_id) == member_id, member_id=None, note="")
    if person.champion_id is not None:
        champion_id = person.champion_id
        unlink(session, StoryRecord, col(StoryRecord.credited_champion_id) == champion_id, credited_champion_id=None)
        delete_rows(session, KudosRecord, col(KudosRecord.champion_id) == champion_id)
        delete_rows(session, ChampionLevelRecord, col(ChampionLevelRecord.champion_id) == champion_id)
        unlink(session, PointsEntryRecord, col(PointsEntryRecord.champion_id) == champion_id, champion_id=None, note="")


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    personal={
        "story": ["author_member_id", "title", "body", "impact", "figures", "credited_champion_id", "reject_reason"],
        "story_applause": ["member_id"],
        "kudos": ["giver_member_id", "champion_id", "message"],
        "points_entry": ["member_id", "champion_id", "note"],
        "champion_level": ["champion_id"],
        "leaderboard_opt_out": ["member_id"],
    },
    not_personal={
        # Topics, units and the leads' decisions; the month a story was chosen; the ledger's keys.
        "story": [
            "department",
            "focus_areas",
            "status",
            "moderated_by",
            "edited_by",
            "story_of_month",
            "story_of_month_by",
        ],
        "points_entry": ["department", "reason", "source_key", "by"],
        "champion_level": ["level"],
        # A season's name, and the lead who started it (as every lead decision is kept).
        "recognition_season": ["name", "started_by"],
    },
)
