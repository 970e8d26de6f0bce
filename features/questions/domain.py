"""Ask a champion: a colleague's question, business or technical, routed to a champion who
answers, passes it on or hands it to the leads; escalated when nobody answers in time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.answers import AnswerError

MAX_QUESTION = 1000
MAX_ANSWER = 2000
MIN_QUESTION = 5
# A champion may pass a question on this many times; then it goes to the leads.
MAX_PASSES = 3
ESCALATE_AFTER = timedelta(hours=48)
RATINGS = range(1, 6)


class Kind(StrEnum):
    BUSINESS = "business"  # how to work with the system: for the champions
    TECHNICAL = "technical"  # a fault: for the service desk


class Status(StrEnum):
    ASKED = "asked"  # waiting for the asker to say what kind of question it is
    WITH_CHAMPION = "with_champion"
    WITH_LEADS = "with_leads"  # handed over, escalated, or nobody to route it to
    ANSWERED = "answered"
    TO_SERVICE_DESK = "to_service_desk"

    @property
    def open(self) -> bool:
        return self in (Status.WITH_CHAMPION, Status.WITH_LEADS)


def question_text(text: str) -> str:
    """The question as typed, spaces tidied; refused when empty, too short or too long."""
    cleaned = " ".join(text.split())
    if len(cleaned) < MIN_QUESTION:
        raise AnswerError("ask.usage")
    if len(cleaned) > MAX_QUESTION:
        raise AnswerError("ask.too_long", limit=MAX_QUESTION, length=len(cleaned))
    return cleaned


def answer_text(text: object) -> str:
    cleaned = text.strip() if isinstance(text, str) else ""
    if not cleaned:
        raise AnswerError("question.answer_empty")
    if len(cleaned) > MAX_ANSWER:
        raise AnswerError("question.answer_too_long", limit=MAX_ANSWER, length=len(cleaned))
    return cleaned


def rating(value: object) -> int | None:
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() and int(text) in RATINGS else None


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    text: str
    topic: str
    kind: Kind | None
    status: Status
    asker_member_id: int | None
    asker_teams_user_id: str | None
    asker_name: str
    asker_locale: str | None
    department: str
    champion_id: int | None
    champion_name: str
    passes: int
    asked_at: datetime
    routed_at: datetime | None
    answer: str | None
    answered_by: str | None
    rating: int | None

    def age(self, now: datetime) -> timedelta:
        return now - self.asked_at
