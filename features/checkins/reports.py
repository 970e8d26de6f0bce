"""Check-ins' reports for `python app.py export`."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from domain.reports import Report
from features.checkins.domain import AssignmentStatus
from features.checkins.feedback_domain import FeedbackFilter
from features.checkins.feedback_storage import FeedbackBoard
from features.checkins.tables import CheckinAssignmentRecord, CheckinRoundRecord
from storage.models import ChampionRecord, MemberRecord


def feedback_rows(session: Session) -> Report:
    header = [
        "id",
        "raised_at",
        "round",
        "kind",
        "status",
        "owner",
        "department",
        "office",
        "team",
        "raised_by",
        "text",
        "last_note",
        "updated_at",
    ]
    items = FeedbackBoard(session).find(FeedbackFilter())
    return header, [
        [
            item.id,
            item.created_at.isoformat(),
            item.round_date.isoformat(),
            item.question_id,
            item.status.value,
            item.owner,
            item.department,
            item.office,
            item.team,
            item.raised_by or "",
            item.text,
            item.last_note,
            item.updated_at.isoformat(),
        ]
        for item in items
    ]


def answers_rows(session: Session, since: datetime | None = None) -> Report:
    """Every check-in answered (since `since`), with its words: for leads, who triage them."""
    assignment = CheckinAssignmentRecord
    header = ["round", "champion", "department", "office", "team", "answered_at", "sentiment", "hours", "answers"]
    statement = (
        select(col(CheckinRoundRecord.round_date), col(MemberRecord.display_name), assignment)
        .join(CheckinRoundRecord, col(CheckinRoundRecord.id) == col(assignment.round_id))
        .outerjoin(ChampionRecord, col(ChampionRecord.id) == col(assignment.champion_id))
        .outerjoin(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
        .where(col(assignment.status) == AssignmentStatus.ANSWERED.value)
        .order_by(col(assignment.answered_at))
    )
    if since is not None:
        statement = statement.where(col(assignment.answered_at) >= since)
    return header, [
        [
            round_date.isoformat(),
            name or "",
            row.department,
            row.office,
            row.team,
            row.answered_at.isoformat() if row.answered_at else "",
            "" if row.sentiment is None else row.sentiment,
            "" if row.hours is None else row.hours,
            json.dumps(row.answers or {}, ensure_ascii=False, sort_keys=True),
        ]
        for round_date, name, row in session.execute(statement).all()
    ]
