"""What check-ins keep about champions: their answers to each round, and the feedback they raised."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from features.checkins.tables import (
    CheckinAssignmentRecord,
    CheckinRoundRecord,
    FeedbackEventRecord,
    FeedbackItemRecord,
)
from storage.privacy import Person, PersonalData, plain, records


def export(session: Session, person: Person) -> dict[str, Any]:
    if person.champion_id is None:
        return {}
    assignment, round_ = CheckinAssignmentRecord, CheckinRoundRecord
    rows = session.execute(
        select(
            col(round_.round_date),
            col(assignment.status),
            col(assignment.timezone),
            col(assignment.answered_at),
            col(assignment.answers),
            col(assignment.sentiment),
            col(assignment.hours),
            col(assignment.skip_reason),
        )
        .join(round_, col(round_.id) == col(assignment.round_id))
        .where(col(assignment.champion_id) == person.champion_id)
        .order_by(col(round_.round_date))
    )
    items = records(
        session,
        FeedbackItemRecord,
        col(FeedbackItemRecord.champion_id) == person.champion_id,
        columns=["id", "question_id", "text", "status", "owner", "created_at", "updated_at"],
    )
    for item in items:
        item["history"] = records(
            session,
            FeedbackEventRecord,
            col(FeedbackEventRecord.item_id) == item["id"],
            columns=["status", "owner", "note", "at"],
        )
    return {"check_ins": [plain(dict(row._mapping)) for row in rows], "feedback_you_raised": items}


PERSONAL_DATA = PersonalData(
    export=export,
    personal={
        "checkin_assignment": ["champion_id", "timezone", "skip_reason", "answers"],
        "feedback_item": ["champion_id", "text"],
        "feedback_event": ["note"],
    },
    not_personal={
        # The round's questions and cadence, and where each answer came from (its unit).
        "checkin_round": ["questions", "cadence"],
        "checkin_assignment": ["status", "department", "office", "team"],
        "feedback_item": ["question_id", "department", "office", "team", "status", "owner"],
        "feedback_event": ["status", "owner", "by"],
    },
)
