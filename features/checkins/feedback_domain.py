"""What leads learn from check-ins: a round's results by unit, and the feedback items they triage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.answers import AnswerError
from domain.commands import normalize_text

# --- round results ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitFigures:
    unit: str
    invited: int
    answered: int
    sentiment_total: int = 0
    sentiment_count: int = 0

    @property
    def response_rate(self) -> float:
        return self.answered / self.invited if self.invited else 0.0

    @property
    def sentiment(self) -> float | None:
        return self.sentiment_total / self.sentiment_count if self.sentiment_count else None


@dataclass(frozen=True, slots=True)
class RoundSummary:
    round_id: int
    round_date: date
    by_unit: tuple[UnitFigures, ...]
    skipped: int = 0
    hours_total: float = 0.0
    previous_sentiment: float | None = None
    closes_at: datetime | None = None  # the latest close among its champions' time zones
    answers_by_unit: dict[str, list[str]] = field(default_factory=dict)

    def is_open(self, now: datetime) -> bool:
        """Open until its last champion's close: answers can still change until then."""
        return self.closes_at is not None and now < self.closes_at

    @property
    def invited(self) -> int:
        return sum(unit.invited for unit in self.by_unit)

    @property
    def answered(self) -> int:
        return sum(unit.answered for unit in self.by_unit)

    @property
    def response_rate(self) -> float:
        return self.answered / self.invited if self.invited else 0.0

    @property
    def sentiment(self) -> float | None:
        return sentiment_of(self.by_unit)

    @property
    def sentiment_change(self) -> float | None:
        if self.sentiment is None or self.previous_sentiment is None:
            return None
        return self.sentiment - self.previous_sentiment


def sentiment_of(figures: Sequence[UnitFigures]) -> float | None:
    """The average 1-5 answer over these units (each weighted by its answers)."""
    count = sum(unit.sentiment_count for unit in figures)
    return sum(unit.sentiment_total for unit in figures) / count if count else None


# --- feedback -----------------------------------------------------------------------------


class FeedbackStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    PLANNED = "planned"
    DONE = "done"
    WONT_DO = "wont_do"


@dataclass(frozen=True, slots=True)
class FeedbackItem:
    id: int
    text: str
    question_id: str
    status: FeedbackStatus
    owner: str
    department: str
    office: str
    team: str
    round_date: date
    # None once the champion who raised it erased their data (and the text went with it).
    raised_by: str | None
    raised_by_teams_id: str | None
    raised_by_locale: str | None
    created_at: datetime
    updated_at: datetime
    last_note: str


@dataclass(frozen=True, slots=True)
class FeedbackFilter:
    status: FeedbackStatus | None = None
    unit: str | None = None


MAX_NOTE = 500
MAX_OWNER = 120


def clean_note(value: object, limit: int = MAX_NOTE) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        raise AnswerError("answer.too_long", limit=limit)
    return text


def parse_feedback_filter(
    argument: str, status_words: Mapping[str, FeedbackStatus], units: Sequence[str]
) -> FeedbackFilter:
    """`feedback planned`, `feedback Sales`, `feedback new Milan`: a status word and/or a unit name."""
    text = normalize_text(argument)
    if not text:
        return FeedbackFilter()
    words = {normalize_text(word): status for word, status in status_words.items()}
    for word, status in sorted(words.items(), key=lambda item: -len(item[0])):
        if text == word:
            return FeedbackFilter(status=status)
        if text.startswith(word + " "):
            return FeedbackFilter(status, _unit_named(text[len(word) + 1 :], units, argument))
    return FeedbackFilter(unit=_unit_named(text, units, argument))


def _unit_named(text: str, units: Sequence[str], argument: str) -> str:
    found = next((unit for unit in units if normalize_text(unit) == normalize_text(text)), None)
    if found is None:
        raise AnswerError("feedback.unknown_filter", text=argument.strip()[:80])
    return found
