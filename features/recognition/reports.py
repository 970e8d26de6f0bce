"""Recognition's CSV reports: stories, and the points ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from domain.reports import Report
from features.recognition.tables import PointsEntryRecord, StoryApplauseRecord, StoryRecord
from storage.models import MemberRecord


def _when(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def stories_rows(session: Session, since: datetime | None = None) -> Report:
    """Every story (written since `since`) with its status, impact and applause."""
    header = ["story_id", "created_at", "status", "title", "author", "department", "impact", "hours_saved",
              "published_at", "applause"]  # fmt: skip
    applause = (
        select(col(StoryApplauseRecord.story_id), func.count().label("count"))
        .group_by(col(StoryApplauseRecord.story_id))
        .subquery()
    )
    statement = (
        select(StoryRecord, col(MemberRecord.display_name), func.coalesce(applause.c.count, 0))
        .outerjoin(MemberRecord, col(MemberRecord.id) == col(StoryRecord.author_member_id))
        .outerjoin(applause, applause.c.story_id == col(StoryRecord.id))
        .order_by(col(StoryRecord.id))
    )
    if since is not None:
        statement = statement.where(col(StoryRecord.created_at) >= since)
    return header, [
        [
            story.id,
            _when(story.created_at),
            story.status,
            story.title,
            author or "",
            story.department,
            story.impact,
            "" if story.hours_saved is None else story.hours_saved,
            _when(story.published_at),
            count,
        ]
        for story, author, count in session.execute(statement).all()
    ]


def ledger_rows(session: Session, since: datetime | None = None) -> Report:
    """Every points entry (since `since`), oldest first: who, how many, why, by whom."""
    header = ["entry_id", "created_at", "person", "champion", "department", "points", "reason", "note", "by"]
    person = aliased(MemberRecord)
    statement = (
        select(PointsEntryRecord, col(person.display_name), col(PointsEntryRecord.champion_id).is_not(None))
        .outerjoin(person, col(person.id) == col(PointsEntryRecord.member_id))
        .order_by(col(PointsEntryRecord.id))
    )
    if since is not None:
        statement = statement.where(col(PointsEntryRecord.created_at) >= since)
    return header, [
        [
            entry.id,
            _when(entry.created_at),
            name or "",
            "yes" if is_champion else "no",
            entry.department,
            entry.points,
            entry.reason,
            entry.note,
            entry.by,
        ]
        for entry, name, is_champion in session.execute(statement).all()
    ]
