"""Check-in rounds run by themselves: prepare, send at local time, remind, close, flag; answers and feedback.

Every step moves an assignment from the status it expects to the next one and enqueues its
message in the same transaction, so a tick that runs twice, or a restart between two ticks,
neither repeats nor loses a message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from domain.answers import AnswerError, record_id
from domain.clock import zone
from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from domain.roles import ChampionStatus
from features.checkins.domain import (
    AssignmentStatus,
    Cadence,
    Checkin,
    Question,
    QuestionKind,
    local_schedule,
    missed_in_a_row,
    next_round_date,
    parse_answers,
    round_prepare_at,
)
from features.checkins.feedback_domain import FeedbackItem, FeedbackStatus
from features.checkins.feedback_storage import FeedbackBoard
from features.checkins.storage import CheckinConfig, CheckinRounds, clear_inactive, flag_inactive
from features.checkins.views import checkin_card, local_time, with_assignment
from features.recognition import PointsReason, award
from storage.audit import AuditTrail
from storage.messaging import Messaging, stamp
from views.cards import Card

# Check-ins handled per transaction. On SQLite a transaction that writes holds the database's
# one write lock: a batch of 250 cards holds it for a few tens of milliseconds, so people
# chatting during a tick wait at most that long for their own writes.
BATCH = 250
SNOOZE = timedelta(days=1)


# --- the schedule -------------------------------------------------------------------------


def prepare_round(session: Session, program_timezone: str, now: datetime) -> int | None:
    """Create the next round and every champion's local schedule once it is near; its id, or None."""
    config = CheckinConfig(session)
    cadence = config.cadence()
    if not cadence.enabled:
        return None
    program_tz = zone(program_timezone, "UTC")
    rounds = CheckinRounds(session)
    today = now.astimezone(program_tz).date()
    last = rounds.last_round_date()
    # A day back, so a round whose local time has come somewhere is still prepared after downtime.
    start = max(today - timedelta(days=1), last + timedelta(days=1) if last else date.min)
    round_date = next_round_date(cadence, start)
    if now < round_prepare_at(cadence, round_date, program_tz):
        return None
    round_id = rounds.create_round(round_date, config.questions(), cadence, now)
    if round_id is None:
        return None
    schedules: dict[str, Any] = {}
    scheduled = []
    for invitee in rounds.invitees():
        tz = zone(invitee.directory_timezone or invitee.teams_timezone, program_timezone)
        if tz.key not in schedules:
            schedules[tz.key] = local_schedule(cadence, round_date, tz)
        scheduled.append((invitee, tz.key, schedules[tz.key]))
    rounds.add_assignments(round_id, scheduled, now)
    return round_id


class CardsOfRound:
    """Check-in messages for many champions, each card built once per language, zone and close."""

    def __init__(self, messaging: Messaging, intro_key: str) -> None:
        self._messaging = messaging
        self._intro_key = intro_key
        self._built: dict[tuple[object, ...], MessagePayload] = {}

    def message(self, checkin: Checkin, key: str) -> OutboundMessage:
        shared = (
            checkin.round_id,
            checkin.locale,
            checkin.timezone,
            checkin.closes_at,
            checkin.status,
            bool(checkin.answers),
        )
        payload = self._built.get(shared)
        if payload is None:
            payload = self._built[shared] = _card_message(self._messaging, checkin, key, self._intro_key).payload
        card = with_assignment(payload.card, checkin.id) if payload.card is not None else None
        return OutboundMessage(key, ToUser(checkin.teams_user_id), MessagePayload(payload.text, card))


def _card_message(messaging: Messaging, checkin: Checkin, key: str, intro_key: str) -> OutboundMessage:
    texts = Texts(messaging.translate, checkin.locale)
    card = checkin_card(texts, checkin)
    intro = texts(intro_key, when=local_time(checkin.closes_at, checkin.timezone))
    return OutboundMessage(key, ToUser(checkin.teams_user_id), MessagePayload(intro, card))


def send_due(session: Session, messaging: Messaging, now: datetime) -> int:
    """Check-ins whose local time has come: to active champions; paused ones sit this round out.

    Every step returns how many assignments it looked at, so the job knows whether to go on.
    """
    rounds = CheckinRounds(session)
    due = rounds.due(AssignmentStatus.SCHEDULED, "due_at", now, BATCH)
    scheduled = [AssignmentStatus.SCHEDULED]
    paused = [checkin.id for checkin in due if checkin.champion_status is not ChampionStatus.ACTIVE]
    active = [checkin for checkin in due if checkin.champion_status is ChampionStatus.ACTIVE]
    # The cards are built before the first write, so the write lock is held only to write.
    # Champions of one round who share a language, time zone and close read the same card:
    # it is built once and copied with each one's assignment.
    cards = CardsOfRound(messaging, "checkin.intro")
    messages = {c.id: cards.message(c, f"checkin:{c.id}") for c in active}
    rounds.move_all(paused, scheduled, AssignmentStatus.EXCLUDED, updated_at=now)
    sent = rounds.move_all(list(messages), scheduled, AssignmentStatus.SENT, sent_at=now, updated_at=now)
    messaging.send_all(session, [message for checkin_id, message in messages.items() if checkin_id in sent], now)
    return len(due)


def remind_due(session: Session, messaging: Messaging, now: datetime) -> int:
    """One reminder to who has not answered yet, never after the round closed."""
    rounds = CheckinRounds(session)
    due = rounds.due(AssignmentStatus.SENT, "remind_at", now, BATCH)
    for checkin in due:
        if rounds.mark_reminded(checkin.id, now):
            message = _card_message(messaging, checkin, f"checkin:{checkin.id}:reminder", "checkin.reminder")
            messaging.send(session, message, now)
    return len(due)


def wake_snoozed(session: Session, messaging: Messaging, now: datetime) -> int:
    rounds = CheckinRounds(session)
    due = rounds.due(AssignmentStatus.SNOOZED, "snoozed_until", now, BATCH)
    for checkin in due:
        if rounds.wake(checkin.id, now):
            until = checkin.snoozed_until or now
            key = f"checkin:{checkin.id}:snoozed:{stamp(until)}"
            messaging.send(session, _card_message(messaging, checkin, key, "checkin.snooze_over"), now)
    return len(due)


def close_due(session: Session, messaging: Messaging, now: datetime) -> int:
    """Close what is past its time; champions who missed several rounds in a row go to the leads."""
    rounds = CheckinRounds(session)
    missed, closed = rounds.close_due(now, BATCH)
    cadence = CheckinConfig(session).cadence()
    recent = rounds.recent_statuses(sorted(set(missed)), cadence.inactive_after)
    quiet = [
        champion_id for champion_id, statuses in recent.items() if missed_in_a_row(statuses, cadence.inactive_after)
    ]
    flagged = flag_inactive(session, quiet, now)
    if flagged:
        names = rounds.names_of(flagged)

        def build(texts: Texts) -> tuple[str, Card | None]:
            missed = texts("inactive.missed", misses=cadence.inactive_after)
            return texts("inactive.lead_message", count=len(names), missed=missed, names=", ".join(names)), None

        messaging.notify_leads(session, f"inactive:{stamp(now)}:{min(flagged)}", now, build)
    return closed


# --- a champion's answer ------------------------------------------------------------------


class AnswerOutcome(StrEnum):
    SAVED = "saved"
    UPDATED = "updated"
    CLOSED = "closed"
    NOT_YOURS = "not_yours"
    INVALID = "invalid"
    NOT_IN_ROUND = "not_in_round"


@dataclass(frozen=True, slots=True)
class Answered:
    outcome: AnswerOutcome
    checkin: Checkin | None = None
    error: AnswerError | None = None


def _own(rounds: CheckinRounds, assignment_id: object, teams_user_id: str) -> Checkin | None:
    wanted = record_id(assignment_id)
    if wanted is None:
        return None
    checkin = rounds.get(wanted)
    return checkin if checkin is not None and checkin.teams_user_id == teams_user_id else None


def submit_answers(
    session: Session,
    messaging: Messaging,
    teams_user_id: str,
    assignment_id: object,
    data: Mapping[str, Any],
    now: datetime,
) -> Answered:
    """Save (or update, while the round is open) a champion's answers; challenges become feedback."""
    rounds = CheckinRounds(session)
    checkin = _own(rounds, assignment_id, teams_user_id)
    if checkin is None:
        return Answered(AnswerOutcome.NOT_YOURS)
    if checkin.status is AssignmentStatus.EXCLUDED:
        return Answered(AnswerOutcome.NOT_IN_ROUND, checkin)
    if now >= checkin.closes_at:
        return Answered(AnswerOutcome.CLOSED, checkin)
    try:
        answers = parse_answers(checkin.questions, data)
    except AnswerError as error:
        return Answered(AnswerOutcome.INVALID, checkin, error)
    first = checkin.answered_at is None
    if not rounds.save_answers(checkin, answers.values, answers.sentiment, answers.hours, now):
        return Answered(AnswerOutcome.CLOSED, checkin)
    clear_inactive(session, checkin.champion_id)
    if first:
        # Answered while the round was open: on time, once per check-in.
        award(session, messaging, checkin.champion_id, PointsReason.CHECKIN, now, source_key=f"checkin:{checkin.id}")
    board = FeedbackBoard(session)
    for question in checkin.questions:
        if question.kind is not QuestionKind.FEEDBACK:
            continue
        text = answers.values.get(question.id)
        if isinstance(text, str):
            board.record(checkin, question.id, text, now)
        else:
            board.withdraw(checkin.id, question.id)
    saved = rounds.get(checkin.id)
    return Answered(AnswerOutcome.SAVED if first else AnswerOutcome.UPDATED, saved)


class RoundAction(StrEnum):
    DONE = "done"
    NO_ROUND = "no_round"
    ALREADY_ANSWERED = "already_answered"
    NOT_SENT_YET = "not_sent_yet"
    CLOSES_SOONER = "closes_sooner"


@dataclass(frozen=True, slots=True)
class RoundChange:
    outcome: RoundAction
    checkin: Checkin | None = None
    until: datetime | None = None


def _open_for(rounds: CheckinRounds, teams_user_id: str, now: datetime, assignment_id: object) -> Checkin | None:
    """The check-in a card names (if it is this champion's), else their current one; only while open."""
    checkin = (
        _own(rounds, assignment_id, teams_user_id)
        if assignment_id is not None
        else rounds.current_of(teams_user_id, now)
    )
    if checkin is None or now >= checkin.closes_at or checkin.status is AssignmentStatus.EXCLUDED:
        return None
    return checkin


def skip_round(
    session: Session, teams_user_id: str, reason: str, now: datetime, assignment_id: object = None
) -> RoundChange:
    """Sit this round out with a reason: not counted as a miss."""
    rounds = CheckinRounds(session)
    checkin = _open_for(rounds, teams_user_id, now, assignment_id)
    if checkin is None:
        return RoundChange(RoundAction.NO_ROUND)
    if checkin.status is AssignmentStatus.ANSWERED:
        return RoundChange(RoundAction.ALREADY_ANSWERED, checkin)
    expected = [AssignmentStatus.SCHEDULED, AssignmentStatus.SENT, AssignmentStatus.SNOOZED, AssignmentStatus.SKIPPED]
    rounds.move(checkin.id, expected, AssignmentStatus.SKIPPED, skip_reason=reason, updated_at=now)
    clear_inactive(session, checkin.champion_id)
    return RoundChange(RoundAction.DONE, rounds.get(checkin.id))


def snooze_round(session: Session, teams_user_id: str, now: datetime, assignment_id: object = None) -> RoundChange:
    """Ask again in a day, if the round is still open then."""
    rounds = CheckinRounds(session)
    checkin = _open_for(rounds, teams_user_id, now, assignment_id)
    if checkin is None:
        return RoundChange(RoundAction.NO_ROUND)
    if checkin.status in (AssignmentStatus.ANSWERED, AssignmentStatus.SKIPPED):
        return RoundChange(RoundAction.ALREADY_ANSWERED, checkin)
    if checkin.status is AssignmentStatus.SCHEDULED:
        return RoundChange(RoundAction.NOT_SENT_YET, checkin)
    until = now + SNOOZE
    if until >= checkin.closes_at:
        return RoundChange(RoundAction.CLOSES_SOONER, checkin)
    expected = [AssignmentStatus.SENT, AssignmentStatus.SNOOZED]
    rounds.move(checkin.id, expected, AssignmentStatus.SNOOZED, snoozed_until=until, updated_at=now)
    return RoundChange(RoundAction.DONE, checkin, until)


# --- feedback triage ----------------------------------------------------------------------


class TriageOutcome(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    STALE = "stale"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class Triaged:
    outcome: TriageOutcome
    item: FeedbackItem | None = None
    raiser_told: bool = False


def triage(
    session: Session,
    messaging: Messaging,
    item_id: int,
    expected: FeedbackStatus,
    status: FeedbackStatus,
    owner: str,
    note: str,
    by: str,
    now: datetime,
) -> Triaged:
    """A lead's triage step; a new status reaches the champion who raised the item, with the note."""
    board = FeedbackBoard(session)
    item = board.get(item_id)
    if item is None:
        return Triaged(TriageOutcome.NOT_FOUND)
    if item.status is not expected:
        # The card was older than the item (another lead moved it, or it was pressed twice).
        return Triaged(TriageOutcome.STALE, item)
    if status is item.status and owner == item.owner and not note:
        return Triaged(TriageOutcome.UNCHANGED, item)
    if not board.change(item_id, expected, status, owner, note, by, now):
        return Triaged(TriageOutcome.STALE, board.get(item_id))
    AuditTrail(session).record(
        by,
        "feedback.triage",
        f"feedback {item_id}",
        now,
        before={"status": item.status.value, "owner": item.owner},
        after={"status": status.value, "owner": owner, "note": note},
    )
    told = False
    if status is not item.status and item.raised_by_teams_id:
        texts = Texts(messaging.translate, item.raised_by_locale)
        text = texts(
            "feedback.raiser_message",
            text=_quote(item.text),
            status=texts(f"feedback.status.{status.value}"),
            note=note or "—",
            lead=by,
        )
        key = f"feedback:{item_id}:{status.value}:{stamp(now)}"
        told = messaging.send(session, OutboundMessage(key, ToUser(item.raised_by_teams_id), MessagePayload(text)), now)
    return Triaged(TriageOutcome.CHANGED, board.get(item_id), told)


def _quote(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- leads' settings --------------------------------------------------------------------------


def save_cadence(session: Session, cadence: Cadence, by: str, now: datetime) -> None:
    config = CheckinConfig(session)
    before = config.cadence()
    config.save_cadence(cadence, by, now)
    if before != cadence:
        AuditTrail(session).record(by, "settings.cadence", "check-ins", now, before=before, after=cadence)


def save_questions(session: Session, questions: Sequence[Question], by: str, now: datetime) -> None:
    config = CheckinConfig(session)
    before = config.questions()
    config.save_questions(questions, by, now)
    if list(before) != list(questions):
        AuditTrail(session).record(
            by,
            "settings.questions",
            "check-ins",
            now,
            before=list(before),
            after=list(questions),
        )
