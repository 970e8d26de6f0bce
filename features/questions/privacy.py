"""What questions keep about people: who asked what (and the answer they got), and which
champion has it or answered it. Erasing the asker keeps the question counted for its unit
and topic, without its words or the link to them; erasing a champion keeps the answer
(the asker's), without the link to the champion."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from features.questions.tables import QuestionRecord
from storage.privacy import Erasure, Person, PersonalData, plain, unlink


def export(session: Session, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {}
    question = QuestionRecord
    if person.member_id is not None:
        rows = session.execute(select(question).where(col(question.asker_member_id) == person.member_id)).scalars()
        data["questions_you_asked"] = [
            plain(
                {
                    "asked_at": row.asked_at,
                    "text": row.text,
                    "topic": row.topic,
                    "status": row.status,
                    "answer": row.answer,
                    "answered_by": row.answered_by,
                    "rating": row.rating,
                }
            )
            for row in rows
        ]
    if person.champion_id is not None:
        rows = session.execute(
            select(question).where(col(question.answered_by_champion_id) == person.champion_id)
        ).scalars()
        data["questions_you_answered"] = [
            plain({"answered_at": row.answered_at, "answer": row.answer, "rating": row.rating}) for row in rows
        ]
    return data


def erase(session: Session, person: Person, _erasure: Erasure) -> None:
    question = QuestionRecord
    if person.member_id is not None:
        unlink(
            session,
            question,
            col(question.asker_member_id) == person.member_id,
            asker_member_id=None,
            text="",
            answer=None,
        )
    if person.champion_id is not None:
        unlink(session, question, col(question.champion_id) == person.champion_id, champion_id=None)
        unlink(
            session,
            question,
            col(question.answered_by_champion_id) == person.champion_id,
            answered_by_champion_id=None,
            answered_by=None,
        )


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    personal={
        "question": ["asker_member_id", "text", "answer", "answered_by", "champion_id", "answered_by_champion_id"],
    },
    not_personal={
        # What it was about and what became of it: counted for the unit and topic.
        "question": ["topic", "kind", "status", "department"],
    },
)
