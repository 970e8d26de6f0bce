"""Action clues: a player asks, a worker checks in the business system off the chat turn, the
player hears the verdict in chat; the business system's errors go to leads, never players."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from features.hunts.domain import ActionCheck, ClueKind, Hunt, Limited, after_miss, may_guess
from features.hunts.storage import Check, Checks, CheckStatus, Hunts
from features.hunts.verifier import Outcome, Solver, Verified
from features.hunts.workflows import (
    AnswerOutcome,
    Player,
    paused,
    playing_now,
    said_on_limit,
    said_on_solve,
    solve_clue,
)
from storage.messaging import Messaging
from storage.models import MemberRecord

# --- action clues: checked in the business system, off the chat turn --------------------------------

MAX_CHECK_ATTEMPTS = 3
CHECK_RETRY = timedelta(minutes=2)  # doubled after each failed attempt


class CheckOutcome(StrEnum):
    QUEUED = "queued"
    ALREADY_CHECKING = "already_checking"
    ALREADY_SOLVED = "already_solved"
    LIMITED = "limited"
    NOT_ACTION = "not_action"
    PAUSED = "paused"
    NOT_PLAYING = "not_playing"


@dataclass(frozen=True, slots=True)
class CheckRequested:
    outcome: CheckOutcome
    limited: Limited | None = None


def request_check(session: Session, teams_user_id: str, clue_key: str, now: datetime) -> CheckRequested:
    """Queue a check of an action clue for the sender's team: one at a time per clue, and a
    check that finds nothing counts as a wrong answer (so the limits apply)."""
    hunts = Hunts(session)
    playing = playing_now(session, hunts, teams_user_id, now)
    if playing is None:
        return CheckRequested(CheckOutcome.PAUSED if paused(hunts) else CheckOutcome.NOT_PLAYING)
    hunt, team, player = playing
    clue, state = hunt.plan.clue(clue_key), hunts.state(team.id, clue_key)
    if clue is None or state is None or clue.kind is not ClueKind.ACTION or state.opened_at is None:
        return CheckRequested(CheckOutcome.NOT_ACTION)
    if state.solved_at is not None:
        return CheckRequested(CheckOutcome.ALREADY_SOLVED)
    limited = may_guess(state.guesses, now, hunt.plan.guesses)
    if limited is not None:
        return CheckRequested(CheckOutcome.LIMITED, limited)
    checks = Checks(session)
    if checks.checking(team.id, clue_key):
        return CheckRequested(CheckOutcome.ALREADY_CHECKING)
    checks.add(hunt.id, team.id, clue_key, player.member_id, now)
    hunts.add_player(hunt.id, player.member_id, team.id, now)
    return CheckRequested(CheckOutcome.QUEUED)


@dataclass(frozen=True, slots=True)
class CheckTask:
    """What a worker needs to ask the business system about one check."""

    check_id: int
    action: ActionCheck
    code_word: str
    solver: Solver
    since: datetime


def check_task(session: Session, check_id: int) -> CheckTask | None:
    check = Checks(session).get(check_id)
    hunts = Hunts(session)
    hunt = hunts.get(check.hunt_id) if check is not None else None
    member = session.get(MemberRecord, check.member_id) if check is not None and check.member_id else None
    if check is None or hunt is None or member is None:
        return None
    clue = hunt.plan.clue(check.clue_key)
    state = hunts.state(check.team_id, check.clue_key)
    team = hunts.team(check.team_id)
    if clue is None or clue.check is None or state is None or state.opened_at is None or team is None:
        return None
    solver = Solver(member.aad_object_id, member.user_principal_name or member.email)
    return CheckTask(check_id, clue.check, team.code_word, solver, state.opened_at)


def record_verdict(session: Session, messaging: Messaging, check_id: int, verified: Verified, now: datetime) -> None:
    """The business system's answer: a solve, a miss, or (when it could not be asked) a retry,
    and after the last attempt a word to the leads. The player hears the verdict in chat."""
    checks, hunts = Checks(session), Hunts(session)
    check = checks.get(check_id)
    hunt = hunts.get(check.hunt_id) if check is not None else None
    member = session.get(MemberRecord, check.member_id) if check is not None and check.member_id else None
    if check is None or hunt is None or member is None:
        if check is not None:
            checks.finish(check_id, CheckStatus.ERROR, now, error="the player or the hunt is gone")
        return
    texts = messaging.texts_for(member)
    title = hunt.plan.clue_title(check.clue_key, texts.locale)
    if verified.outcome is Outcome.ERROR:
        attempts = check.attempts + 1
        if attempts < MAX_CHECK_ATTEMPTS:
            checks.retry(check_id, attempts, now + CHECK_RETRY * 2 ** (attempts - 1), verified.error)
            if attempts == 1:
                _tell(
                    session,
                    messaging,
                    member,
                    f"hunt-check:{check_id}:retry",
                    texts("hunt.check_retry", clue=title),
                    now,
                )
            return
        checks.finish(check_id, CheckStatus.ERROR, now, error=verified.error)
        _tell(session, messaging, member, f"hunt-check:{check_id}:error", texts("hunt.check_failed", clue=title), now)
        messaging.notify_leads(
            session,
            f"hunt-check:{check_id}:error",
            now,
            lambda t: (
                t("hunt.check_error_lead", clue=hunt.plan.clue_title(check.clue_key, t.locale), error=verified.error),
                None,
            ),
        )
        return
    if verified.outcome is Outcome.DONE:
        checks.finish(check_id, CheckStatus.DONE, now, found=verified.found)
        text = _verified_text(session, messaging, hunts, hunt, check, member, texts, title, now)
        _tell(session, messaging, member, f"hunt-check:{check_id}:done", text, now)
        return
    status = CheckStatus.UNKNOWN_USER if verified.outcome is Outcome.UNKNOWN_USER else CheckStatus.NOT_YET
    checks.finish(check_id, status, now, found=verified.found)
    state = hunts.state(check.team_id, check.clue_key)
    key = "hunt.check_unknown_user" if status is CheckStatus.UNKNOWN_USER else "hunt.check_not_yet"
    said = [texts(key, clue=title)]
    if state is not None and state.solved_at is None and status is CheckStatus.NOT_YET:
        missed = after_miss(state.guesses, now, hunt.plan.guesses)
        hunts.record_miss(check.team_id, check.clue_key, missed.guesses)
        locked = Limited(missed.locked_until, locked=True) if missed.locked_until is not None else None
        said += said_on_limit(texts, locked, missed.warning)
    _tell(session, messaging, member, f"hunt-check:{check_id}:{status.value}", " ".join(said), now)


def _verified_text(
    session: Session,
    messaging: Messaging,
    hunts: Hunts,
    hunt: Hunt,
    check: Check,
    member: MemberRecord,
    texts: Texts,
    title: str,
    now: datetime,
) -> str:
    team = hunts.team(check.team_id)
    state = hunts.state(check.team_id, check.clue_key)
    clue = hunt.plan.clue(check.clue_key)
    if team is None or state is None or clue is None or member.id is None:
        return texts("hunt.check_done", clue=title)
    player = Player(member.id, member.teams_user_id, team.name)
    solved = solve_clue(session, messaging, hunts, hunt, team, clue, state, player, now)
    if solved.outcome is not AnswerOutcome.SOLVED:
        return texts("hunt.already_solved")
    return " ".join([texts("hunt.check_done", clue=title), *said_on_solve(texts, solved)])


def _tell(session: Session, messaging: Messaging, member: MemberRecord, key: str, text: str, now: datetime) -> None:
    messaging.send(session, OutboundMessage(key, ToUser(member.teams_user_id), MessagePayload(text)), now)
