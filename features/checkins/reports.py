"""Check-ins' reports for `python app.py export`."""

from __future__ import annotations

from sqlmodel import Session

from features.checkins.feedback_domain import FeedbackFilter
from features.checkins.feedback_storage import FeedbackBoard


def feedback_rows(session: Session) -> tuple[list[str], list[list[object]]]:
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
