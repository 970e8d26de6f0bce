"""What check-ins' handlers read: one typed function per question, each run in its own transaction."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from features.checkins.domain import Cadence, Checkin, Question, QuestionKind
from features.checkins.feedback_domain import FeedbackFilter, FeedbackItem, FeedbackStatus, RoundSummary, sentiment_of
from features.checkins.feedback_storage import FeedbackBoard
from features.checkins.storage import CheckinConfig, CheckinRounds
from storage.champions import Champions


def open_checkin(session: Session, teams_user_id: str, now: datetime) -> Checkin | None:
    """The champion's check-in in the round open now, if any."""
    return CheckinRounds(session).current_of(teams_user_id, now)


def cadence(session: Session) -> Cadence:
    return CheckinConfig(session).cadence()


def questions(session: Session) -> tuple[Question, ...]:
    return CheckinConfig(session).questions()


def history_of(session: Session, teams_user_id: str) -> list[Checkin] | None:
    """The champion's check-ins, newest first; None for someone who is not a champion."""
    champion = Champions(session).of_user(teams_user_id)
    return CheckinRounds(session).history(champion.id) if champion is not None else None


ANSWERS_SCANNED = 500


def round_summary(session: Session, round_id: int, round_date: date) -> RoundSummary:
    """Response rate, sentiment and its change from the previous round, answers by unit."""
    rounds = CheckinRounds(session)
    figures, skipped, hours, closes_at = rounds.unit_figures(round_id)
    previous_id = rounds.previous_round(round_date)
    previous_sentiment = None
    if previous_id is not None:
        previous, *_ = rounds.unit_figures(previous_id)
        previous_sentiment = sentiment_of(previous)
    quotes: dict[str, list[str]] = {}
    questions = {question.id: question for question in rounds.questions_of(round_id)}
    for unit, answers in rounds.answers_of_round(round_id, ANSWERS_SCANNED):
        for question_id, value in answers.items():
            question = questions.get(question_id)
            if question is not None and question.kind in (QuestionKind.TEXT, QuestionKind.FEEDBACK) and value:
                quotes.setdefault(unit, []).append(str(value))
    return RoundSummary(
        round_id=round_id,
        round_date=round_date,
        by_unit=tuple(figures),
        skipped=skipped,
        hours_total=hours,
        previous_sentiment=previous_sentiment,
        closes_at=closes_at,
        answers_by_unit=quotes,
    )


def results(
    session: Session, wanted: date | None, others_listed: int
) -> tuple[RoundSummary | None, list[tuple[int, date]]]:
    """The summary of the round on `wanted` (else the latest), and the latest rounds for "see also"."""
    rounds = CheckinRounds(session)
    recent = rounds.rounds(others_listed + 1)
    chosen = rounds.round_on(wanted) if wanted else (recent[0] if recent else None)
    if chosen is None:
        return None, recent
    return round_summary(session, *chosen), recent


def feedback_units(session: Session) -> list[str]:
    return FeedbackBoard(session).units()


def feedback_items(
    session: Session, wanted: FeedbackFilter, limit: int
) -> tuple[list[FeedbackItem], dict[FeedbackStatus, int]]:
    """The items that match, newest first, and how many there are in each status."""
    board = FeedbackBoard(session)
    return board.find(wanted, limit), board.counts()


def feedback_item(session: Session, item_id: int) -> FeedbackItem | None:
    return FeedbackBoard(session).get(item_id)
