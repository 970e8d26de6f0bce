"""What check-ins and feedback tell the digests: each round's response rate and sentiment (the
same figures `results` shows), who keeps checking in, the voice of the business by theme, and
the feedback loop. Other features read it through `features.checkins.checkin_pulse`.

Answers come out only as counts per theme and department, and as quotes with their
department, never with a name: the digest decides what a group is large enough to show."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from features.checkins.domain import AssignmentStatus, QuestionKind
from features.checkins.feedback_domain import FeedbackStatus, sentiment_of
from features.checkins.storage import CheckinRounds
from features.checkins.tables import CheckinAssignmentRecord, FeedbackEventRecord, FeedbackItemRecord

# Feedback untriaged longer than this is "past its target age" in the lead digest.
FEEDBACK_TARGET_AGE = timedelta(days=14)
CLOSED = (FeedbackStatus.DONE.value, FeedbackStatus.WONT_DO.value)
# The newest answers read for quotes: a digest shows a few, from groups large enough.
QUOTES_READ = 500


@dataclass(frozen=True, slots=True)
class RoundPoint:
    round_date: date
    invited: int
    answered: int
    sentiment: float | None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


@dataclass(frozen=True, slots=True)
class Theme:
    """A text question, as a message key (a default question) or the lead's own words."""

    id: str
    key: str | None
    text: str | None


@dataclass(frozen=True, slots=True)
class Quote:
    theme: str  # its question's id
    department: str
    text: str


@dataclass(frozen=True, slots=True)
class FeedbackLoop:
    untriaged: int
    aged: int  # untriaged past FEEDBACK_TARGET_AGE
    closed: int  # in the window
    raisers_told: int
    triage_hours: float | None  # the median time from raised to first triaged, in the window


@dataclass(frozen=True, slots=True)
class CheckinPulse:
    rounds: tuple[RoundPoint, ...]  # oldest first
    # Champions invited to the last two rounds, and those of them who answered either.
    recent_invited: int
    recent_answered: int
    missed_twice: tuple[int, ...]  # champion ids whose last two rounds were both missed
    themes: tuple[Theme, ...]
    # In the window: answers per theme, respondents per department (and per theme and department).
    answers_by_theme: dict[str, int]
    respondents_by_department: dict[str, int]
    quotes: tuple[Quote, ...]  # newest first
    loop: FeedbackLoop

    @property
    def active_share(self) -> float | None:
        return self.recent_answered / self.recent_invited if self.recent_invited else None

    @property
    def respondents(self) -> int:
        return sum(self.respondents_by_department.values())


def checkin_pulse(session: Session, since: datetime, until: datetime, rounds_shown: int = 8) -> CheckinPulse:
    rounds = CheckinRounds(session)
    recent = rounds.rounds(rounds_shown)
    points = []
    for round_id, round_date in reversed(recent):
        figures, *_ = rounds.unit_figures(round_id)
        invited, answered = sum(unit.invited for unit in figures), sum(unit.answered for unit in figures)
        points.append(RoundPoint(round_date, invited, answered, sentiment_of(figures)))
    last_two = [round_id for round_id, _ in recent[:2]]
    invited, answered, missed = _recent_activity(session, last_two)
    questions = {q.id: q for round_id, _ in recent[:1] for q in rounds.questions_of(round_id)}
    themes = tuple(
        Theme(q.id, q.key, q.text) for q in questions.values() if q.kind in (QuestionKind.TEXT, QuestionKind.FEEDBACK)
    )
    answers_by_theme, respondents, quotes = _voice(session, {theme.id for theme in themes}, since, until)
    return CheckinPulse(
        rounds=tuple(points),
        recent_invited=invited,
        recent_answered=answered,
        missed_twice=missed,
        themes=themes,
        answers_by_theme=answers_by_theme,
        respondents_by_department=respondents,
        quotes=quotes,
        loop=_feedback_loop(session, since, until),
    )


def _recent_activity(session: Session, round_ids: list[int]) -> tuple[int, int, tuple[int, ...]]:
    if not round_ids:
        return 0, 0, ()
    statuses: dict[int, list[str]] = defaultdict(list)
    for champion_id, status in session.execute(
        select(col(CheckinAssignmentRecord.champion_id), col(CheckinAssignmentRecord.status))
        .where(col(CheckinAssignmentRecord.round_id).in_(round_ids))
        .where(col(CheckinAssignmentRecord.champion_id).is_not(None))
        .where(col(CheckinAssignmentRecord.status) != AssignmentStatus.EXCLUDED.value)
    ).all():
        statuses[champion_id].append(status)
    answered = sum(1 for found in statuses.values() if AssignmentStatus.ANSWERED.value in found)
    missed = tuple(
        sorted(
            champion_id
            for champion_id, found in statuses.items()
            if len(round_ids) == 2 and found == [AssignmentStatus.MISSED.value] * 2
        )
    )
    return len(statuses), answered, missed


def _voice(
    session: Session, theme_ids: set[str], since: datetime, until: datetime
) -> tuple[dict[str, int], dict[str, int], tuple[Quote, ...]]:
    """Counted in the database (each theme's answers read out of the JSON there), and only the
    newest answers read for quotes."""
    assignment = CheckinAssignmentRecord
    in_window = (
        col(assignment.status) == AssignmentStatus.ANSWERED.value,
        col(assignment.answered_at) >= since,
        col(assignment.answered_at) < until,
    )
    themes = sorted(theme_ids)
    answered = [
        func.count(case((func.length(func.trim(col(assignment.answers)[theme].as_string())) > 0, 1)))
        for theme in themes
    ]
    respondents: dict[str, int] = {}
    by_theme: Counter[str] = Counter()
    for department, count, *per_theme in session.execute(
        select(col(assignment.department), func.count(), *answered)
        .where(*in_window)
        .group_by(col(assignment.department))
    ).all():
        respondents[department or ""] = int(count)
        by_theme.update({theme: int(n) for theme, n in zip(themes, per_theme, strict=True) if n})
    quotes = [
        Quote(theme_id, department or "", value.strip())
        for department, answers in session.execute(
            select(col(assignment.department), col(assignment.answers))
            .where(*in_window)
            .order_by(col(assignment.answered_at).desc())
            .limit(QUOTES_READ)
        ).all()
        for theme_id, value in (answers or {}).items()
        if theme_id in theme_ids and isinstance(value, str) and value.strip()
    ]
    return dict(by_theme), respondents, tuple(quotes)


def _feedback_loop(session: Session, since: datetime, until: datetime) -> FeedbackLoop:
    new = col(FeedbackItemRecord.status) == FeedbackStatus.NEW.value
    untriaged, aged = session.execute(
        select(
            func.count(),
            func.count().filter(col(FeedbackItemRecord.created_at) < until - FEEDBACK_TARGET_AGE),
        ).where(new)
    ).one()
    closed, told = session.execute(
        select(
            func.count(func.distinct(col(FeedbackEventRecord.item_id))),
            # The raiser is told of every change while they can be reached (not erased).
            func.count(func.distinct(col(FeedbackEventRecord.item_id))).filter(
                col(FeedbackItemRecord.champion_id).is_not(None)
            ),
        )
        .select_from(FeedbackEventRecord)
        .join(FeedbackItemRecord, col(FeedbackItemRecord.id) == col(FeedbackEventRecord.item_id))
        .where(col(FeedbackEventRecord.status).in_(CLOSED))
        .where(col(FeedbackEventRecord.at) >= since, col(FeedbackEventRecord.at) < until)
    ).one()
    first_steps = (
        select(col(FeedbackEventRecord.item_id), func.min(col(FeedbackEventRecord.at)).label("first_at"))
        .group_by(col(FeedbackEventRecord.item_id))
        .subquery()
    )
    waits = [
        (triaged - raised).total_seconds() / 3600
        for raised, triaged in session.execute(
            select(col(FeedbackItemRecord.created_at), first_steps.c.first_at)
            .join(first_steps, first_steps.c.item_id == col(FeedbackItemRecord.id))
            .where(first_steps.c.first_at >= since, first_steps.c.first_at < until)
        ).all()
    ]
    return FeedbackLoop(int(untriaged), int(aged), int(closed), int(told), statistics.median(waits) if waits else None)
