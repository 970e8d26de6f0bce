"""Recurring check-ins: the cadence, each champion's local schedule, the questions, the answers.

Pure rules, no storage: when rounds fall, when a champion's check-in is due, reminded and
closed in *their* time zone (wall-clock arithmetic, so a daylight-saving change keeps
"Monday 10:00" at 10:00), how card answers are read, streaks and round summaries.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from domain.answers import AnswerError
from domain.commands import normalize_text
from domain.roles import ChampionStatus

MAX_ANSWER = 2000
MAX_QUESTIONS = 8
MAX_QUESTION = 300
MAX_HOURS = 168
# A round is prepared this long before it is due where the program lives: the widest gap
# between two time zones is 26 hours, so every champion's local send time is still ahead.
ROUND_LEAD_TIME = timedelta(hours=27)


class Frequency(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class Cadence:
    """What leads set. Off until a lead saves it, so a fresh install writes to nobody."""

    enabled: bool = False
    frequency: Frequency = Frequency.FORTNIGHTLY
    weekday: int = 0  # Monday; monthly rounds fall on the first such weekday of the month
    local_time: time = time(10, 0)
    open_days: int = 5
    remind_after_hours: int = 48
    # Consecutive missed rounds after which the leads hear that a champion went quiet.
    inactive_after: int = 3
    # The first round's date; fortnightly rounds count from it.
    anchor: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "frequency": self.frequency.value,
            "weekday": self.weekday,
            "local_time": self.local_time.strftime("%H:%M"),
            "open_days": self.open_days,
            "remind_after_hours": self.remind_after_hours,
            "inactive_after": self.inactive_after,
            "anchor": self.anchor.isoformat() if self.anchor else None,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> Cadence:
        if not value:
            return cls()
        return cls(
            enabled=bool(value.get("enabled")),
            frequency=Frequency(value.get("frequency", Frequency.FORTNIGHTLY.value)),
            weekday=int(value.get("weekday", 0)),
            local_time=time.fromisoformat(value.get("local_time", "10:00")),
            open_days=int(value.get("open_days", 5)),
            remind_after_hours=int(value.get("remind_after_hours", 48)),
            inactive_after=int(value.get("inactive_after", 3)),
            anchor=date.fromisoformat(value["anchor"]) if value.get("anchor") else None,
        )


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _first_weekday_of_month(year: int, month: int, weekday: int) -> date:
    return _on_or_after(date(year, month, 1), weekday)


def next_round_date(cadence: Cadence, on_or_after: date) -> date:
    """The first round date on or after `on_or_after` (and never before the anchor)."""
    anchor = cadence.anchor or on_or_after
    start = max(anchor, on_or_after)
    if cadence.frequency is Frequency.WEEKLY:
        return _on_or_after(start, cadence.weekday)
    if cadence.frequency is Frequency.FORTNIGHTLY:
        first = _on_or_after(anchor, cadence.weekday)
        if start <= first:
            return first
        periods = math.ceil((start - first).days / 14)
        return first + timedelta(days=14 * periods)
    candidate = _first_weekday_of_month(start.year, start.month, cadence.weekday)
    if candidate < start:
        year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
        candidate = _first_weekday_of_month(year, month, cadence.weekday)
    return candidate


def _local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class LocalSchedule:
    """One champion's check-in for one round, as UTC instants."""

    due_at: datetime
    remind_at: datetime | None
    closes_at: datetime


def local_schedule(cadence: Cadence, round_date: date, tz: ZoneInfo) -> LocalSchedule:
    """Sent at the local time on the round date; reminder and close counted in local wall time."""
    local_due = datetime.combine(round_date, cadence.local_time, tzinfo=tz)
    closes = (local_due + timedelta(days=cadence.open_days)).astimezone(UTC)
    remind = (local_due + timedelta(hours=cadence.remind_after_hours)).astimezone(UTC)
    return LocalSchedule(
        due_at=local_due.astimezone(UTC),
        remind_at=remind if cadence.remind_after_hours and remind < closes else None,
        closes_at=closes,
    )


def round_prepare_at(cadence: Cadence, round_date: date, program_tz: ZoneInfo) -> datetime:
    return _local_to_utc(round_date, cadence.local_time, program_tz) - ROUND_LEAD_TIME


def parse_cadence(data: Mapping[str, Any], today: date) -> Cadence:
    """The cadence card's inputs; the first round is the next matching day from today."""
    try:
        frequency = Frequency(str(data.get("frequency") or ""))
    except ValueError:
        raise AnswerError("cadence.bad_frequency") from None
    weekday = _int_in(data.get("weekday"), 0, 6, "cadence.bad_weekday")
    try:
        local_time = time.fromisoformat(str(data.get("local_time") or "").strip()[:5])
    except ValueError:
        raise AnswerError("cadence.bad_time") from None
    open_days = _int_in(data.get("open_days"), 1, 27, "cadence.bad_open_days")
    remind_hours = _int_in(data.get("remind_after_hours"), 0, 24 * 27, "cadence.bad_reminder")
    if remind_hours >= open_days * 24:
        raise AnswerError("cadence.reminder_after_close", days=open_days)
    inactive_after = _int_in(data.get("inactive_after"), 1, 12, "cadence.bad_inactive")
    cadence = Cadence(
        enabled=str(data.get("enabled")).lower() == "true",
        frequency=frequency,
        weekday=weekday,
        local_time=local_time.replace(second=0, microsecond=0),
        open_days=open_days,
        remind_after_hours=remind_hours,
        inactive_after=inactive_after,
    )
    if frequency is Frequency.WEEKLY and open_days > 6:
        raise AnswerError("cadence.overlapping", days=7)
    if frequency is Frequency.FORTNIGHTLY and open_days > 13:
        raise AnswerError("cadence.overlapping", days=14)
    return replace(cadence, anchor=next_round_date(replace(cadence, anchor=today), today))


def _int_in(value: object, low: int, high: int, reason: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise AnswerError(reason, low=low, high=high) from None
    if not low <= number <= high:
        raise AnswerError(reason, low=low, high=high)
    return number


# --- questions ----------------------------------------------------------------------------


class QuestionKind(StrEnum):
    TEXT = "text"
    # Free text that becomes a feedback item the project team triages.
    FEEDBACK = "feedback"
    SCALE = "scale"  # 1-5, the team's sentiment
    HOURS = "hours"


@dataclass(frozen=True, slots=True)
class Question:
    """A default question is a message key (shown in each champion's language); a lead's is text."""

    id: str
    kind: QuestionKind
    key: str | None = None
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind.value, "key": self.key, "text": self.text}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Question:
        return cls(str(value["id"]), QuestionKind(value["kind"]), value.get("key"), value.get("text"))


DEFAULT_QUESTIONS: tuple[Question, ...] = (
    Question("working", QuestionKind.TEXT, key="checkin.q.working"),
    Question("not_working", QuestionKind.TEXT, key="checkin.q.not_working"),
    Question("challenges", QuestionKind.FEEDBACK, key="checkin.q.challenges"),
    Question("sentiment", QuestionKind.SCALE, key="checkin.q.sentiment"),
    Question("hours", QuestionKind.HOURS, key="checkin.q.hours"),
    Question("project_team", QuestionKind.FEEDBACK, key="checkin.q.project_team"),
)


def questions_from_json(value: Iterable[Mapping[str, Any]] | None) -> tuple[Question, ...]:
    return tuple(Question.from_json(item) for item in value) if value else DEFAULT_QUESTIONS


def parse_question_set(
    rows: Sequence[tuple[str, str]], current: Sequence[Question], shown: Mapping[str, str]
) -> tuple[Question, ...]:
    """(text, kind) rows from the questions card; a default question left as shown keeps its key.

    `shown` maps a current question id to the text the lead saw, so a default question
    whose words were not touched stays translated for every champion.
    """
    questions: list[Question] = []
    by_text = {normalize_text(text): question for question in current if (text := shown.get(question.id))}
    used_ids: set[str] = set()
    for text, kind_name in rows:
        cleaned = " ".join(text.split())
        if not cleaned:
            continue
        if len(cleaned) > MAX_QUESTION:
            raise AnswerError("answer.too_long", limit=MAX_QUESTION)
        try:
            kind = QuestionKind(kind_name)
        except ValueError:
            raise AnswerError("questions.bad_kind") from None
        kept = by_text.get(normalize_text(cleaned))
        if kept is not None and kept.kind is kind and kept.id not in used_ids:
            question = kept
        else:
            question = Question(_new_id(cleaned, used_ids | {q.id for q in current}), kind, text=cleaned)
        used_ids.add(question.id)
        questions.append(question)
    if not questions:
        raise AnswerError("questions.none")
    if len(questions) > MAX_QUESTIONS:
        raise AnswerError("answer.too_many", limit=MAX_QUESTIONS)
    return tuple(questions)


def _new_id(text: str, taken: set[str]) -> str:
    base = "".join(ch for ch in normalize_text(text) if ch.isascii() and ch.isalnum())[:24] or "q"
    candidate, number = f"c_{base}", 2
    while candidate in taken:
        candidate, number = f"c_{base}_{number}", number + 1
    return candidate


# --- answers ------------------------------------------------------------------------------

INPUT_PREFIX = "q_"


def input_id(question: Question) -> str:
    return f"{INPUT_PREFIX}{question.id}"


@dataclass(frozen=True, slots=True)
class Answers:
    """What a champion answered, as written, keyed by question id."""

    values: dict[str, str | int | float]
    sentiment: int | None
    hours: float | None


def parse_answers(questions: Sequence[Question], data: Mapping[str, Any]) -> Answers:
    values: dict[str, str | int | float] = {}
    sentiment: int | None = None
    hours: float | None = None
    for question in questions:
        raw = data.get(input_id(question))
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue
        if question.kind is QuestionKind.SCALE:
            if text not in {"1", "2", "3", "4", "5"}:
                raise AnswerError("checkin.bad_scale")
            values[question.id] = int(text)
            sentiment = int(text) if sentiment is None else sentiment
        elif question.kind is QuestionKind.HOURS:
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                raise AnswerError("checkin.bad_hours", high=MAX_HOURS) from None
            if not 0 <= number <= MAX_HOURS or math.isnan(number):
                raise AnswerError("checkin.bad_hours", high=MAX_HOURS)
            values[question.id] = round(number, 1)
            hours = round(number, 1) if hours is None else hours
        else:
            if len(text) > MAX_ANSWER:
                raise AnswerError("answer.too_long", limit=MAX_ANSWER)
            values[question.id] = text
    if not values:
        raise AnswerError("checkin.empty")
    return Answers(values, sentiment, hours)


# --- a champion's rounds ------------------------------------------------------------------


class AssignmentStatus(StrEnum):
    SCHEDULED = "scheduled"  # prepared, waiting for the champion's local time
    SENT = "sent"
    SNOOZED = "snoozed"
    ANSWERED = "answered"
    SKIPPED = "skipped"  # with a reason: not a miss
    MISSED = "missed"
    # Not part of the round: paused, no longer a champion, or never reached before it closed.
    EXCLUDED = "excluded"

    @property
    def still_open(self) -> bool:
        return self in (AssignmentStatus.SCHEDULED, AssignmentStatus.SENT, AssignmentStatus.SNOOZED)

    @property
    def counts(self) -> bool:
        """Part of the round's response rate."""
        return self is not AssignmentStatus.EXCLUDED


# As stored: scheduled, sent, snoozed.
STILL_OPEN = tuple(status.value for status in AssignmentStatus if status.still_open)


@dataclass(frozen=True, slots=True)
class Checkin:
    """One champion's check-in in one round, with what sending, answering and showing it needs."""

    id: int
    round_id: int
    round_date: date
    questions: tuple[Question, ...]
    champion_id: int
    champion_status: ChampionStatus
    teams_user_id: str
    display_name: str
    locale: str | None
    status: AssignmentStatus
    timezone: str
    department: str
    office: str
    team: str
    due_at: datetime
    closes_at: datetime
    snoozed_until: datetime | None
    answers: dict[str, Any] | None
    answered_at: datetime | None
    skip_reason: str | None


def streak(statuses_newest_first: Iterable[AssignmentStatus]) -> int:
    """Answered rounds in a row; a skip neither counts nor breaks it, an open round is not over yet."""
    count = 0
    for status in statuses_newest_first:
        if status is AssignmentStatus.ANSWERED:
            count += 1
        elif status is AssignmentStatus.MISSED:
            break
    return count


def missed_in_a_row(statuses_newest_first: Iterable[AssignmentStatus], needed: int) -> bool:
    """The newest `needed` finished rounds were all missed."""
    finished = [s for s in statuses_newest_first if s not in (AssignmentStatus.EXCLUDED,) and not s.still_open]
    return len(finished) >= needed and all(s is AssignmentStatus.MISSED for s in finished[:needed])
