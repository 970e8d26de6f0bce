"""What check-ins keep about champions: their answers to each round, and the feedback they raised."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, cast, null, or_, select
from sqlmodel import Session, col

from domain.retention import RetentionPolicy
from features.checkins.domain import STILL_OPEN, AssignmentStatus
from features.checkins.tables import (
    CheckinAssignmentRecord,
    CheckinRoundRecord,
    FeedbackEventRecord,
    FeedbackItemRecord,
)
from storage.privacy import Erasure, Person, PersonalData, plain, records, unlink


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


def erase(session: Session, person: Person, _erasure: Erasure) -> None:
    """Answers keep their count, sentiment and hours for their unit and round, without the
    words or the champion; feedback stays on the board for its unit, without its text."""
    if person.champion_id is None:
        return
    assignment = CheckinAssignmentRecord
    theirs = col(assignment.champion_id) == person.champion_id
    # A check-in still open is no longer part of the round: they are no longer a champion.
    unlink(
        session,
        assignment,
        and_(theirs, col(assignment.status).in_(STILL_OPEN)),
        status=AssignmentStatus.EXCLUDED.value,
    )
    unlink(session, assignment, theirs, champion_id=None, answers=null(), skip_reason=None, timezone="")
    item = FeedbackItemRecord
    unlink(session, item, col(item.champion_id) == person.champion_id, champion_id=None, text="")


def retain(session: Session, policy: RetentionPolicy, now: datetime, limit: int) -> dict[str, int]:
    """The words of answers (and reasons for skipping) past their time go; their counts,
    sentiment and hours stay. Feedback past its time keeps its place on the board, not its text."""
    assignment, item = CheckinAssignmentRecord, FeedbackItemRecord
    has_words = or_(
        col(assignment.skip_reason).is_not(None),
        and_(col(assignment.answers).is_not(None), cast(col(assignment.answers), Text) != "null"),
    )
    answers = select(col(assignment.id)).where(col(assignment.updated_at) < now - policy.checkin_answers, has_words)
    answer_ids = list(session.execute(answers.limit(limit)).scalars())
    unlink(session, assignment, col(assignment.id).in_(answer_ids), answers=null(), skip_reason=None)
    texts = select(col(item.id)).where(col(item.updated_at) < now - policy.feedback_texts, col(item.text) != "")
    text_ids = list(session.execute(texts.limit(limit)).scalars())
    unlink(session, item, col(item.id).in_(text_ids), text="")
    return {"checkin_answers": len(answer_ids), "feedback_texts": len(text_ids)}


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    retain=retain,
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
