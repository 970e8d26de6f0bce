"""What questions tell the digests: how many wait (and how many for the leads), and what
colleagues asked about. Other features read it through `features.questions.question_pulse`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from features.questions.domain import Status
from features.questions.storage import Questions
from features.questions.tables import QuestionRecord


@dataclass(frozen=True, slots=True)
class QuestionPulse:
    open: int
    with_leads: int
    topics: dict[str, int]  # business questions asked in the window, by topic ("" for none)


def question_pulse(session: Session, since: datetime, until: datetime) -> QuestionPulse:
    with_leads = session.execute(
        select(func.count()).where(col(QuestionRecord.status) == Status.WITH_LEADS.value)
    ).scalar_one()
    questions = Questions(session)
    return QuestionPulse(questions.count_open(), int(with_leads), questions.topics_between(since, until))
