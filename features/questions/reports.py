"""Questions as CSV, for leads: what colleagues asked, what became of it, how it was rated."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from domain.reports import Report
from features.questions.tables import QuestionRecord


def questions_rows(session: Session, since: datetime | None = None) -> Report:
    header = ["question_id", "asked_at", "kind", "topic", "status", "department", "text", "answered_by",
              "answered_at", "rating", "escalated_at"]  # fmt: skip
    statement = select(QuestionRecord).order_by(col(QuestionRecord.id))
    if since is not None:
        statement = statement.where(col(QuestionRecord.asked_at) >= since)
    return header, [
        [
            row.id,
            row.asked_at.isoformat(),
            row.kind or "",
            row.topic,
            row.status,
            row.department,
            row.text,
            row.answered_by or "",
            row.answered_at.isoformat() if row.answered_at else "",
            "" if row.rating is None else row.rating,
            row.escalated_at.isoformat() if row.escalated_at else "",
        ]
        for row in session.execute(statement).scalars()
    ]
