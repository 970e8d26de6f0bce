"""Evidence clues: a player sends a picture in chat, a champion of another team accepts it or
turns it down with a reason, and the player hears which (and may send another)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from features.hunts.domain import (
    MAX_REASON,
    ClueKind,
    Evidence,
    EvidenceStatus,
    Hunt,
    HuntStatus,
    OpenClue,
    Team,
    picture_type,
)
from features.hunts.evidence_storage import Evidences
from features.hunts.storage import Hunts
from features.hunts.views import review_card
from features.hunts.workflows import (
    Answered,
    AnswerOutcome,
    Player,
    open_clues_of,
    paused,
    playing_now,
    said_on_solve,
    solve_clue,
)
from storage.audit import AuditTrail
from storage.links import file_link
from storage.messaging import Messaging
from storage.models import MemberRecord

PICTURES = "hunt-evidence"  # the kind of file links to evidence pictures
# A reviewer's link to the picture works this long after the hunt ends (they review late).
LINK_AFTER_END = timedelta(days=2)


def _picture_link(session: Session, origin: str, hunt: Hunt, evidence_id: int, now: datetime) -> str:
    """A reviewer's link to a picture, working until `LINK_AFTER_END` after the hunt."""
    return file_link(session, origin, PICTURES, evidence_id, (hunt.ends_at or now) + LINK_AFTER_END, now)


def evidence_clues(session: Session, teams_user_id: str, now: datetime) -> list[int]:
    """The numbers (as the player's card lists them) of their team's open evidence clues."""
    hunts = Hunts(session)
    playing = playing_now(session, hunts, teams_user_id, now)
    if playing is None:
        return []
    hunt, team, _ = playing
    return [item.number for item in open_clues_of(session, hunt, team) if item.clue.kind is ClueKind.EVIDENCE]


class SentOutcome(StrEnum):
    SENT = "evidence_sent"
    NOT_A_PICTURE = "evidence_not_picture"
    WAITING = "evidence_waiting"  # a picture for this clue is already with its reviewer
    WHICH_CLUE = "evidence_which"
    PAUSED = "paused"
    NOT_PLAYING = "not_playing"


def send_evidence(
    session: Session,
    messaging: Messaging,
    teams_user_id: str,
    number: int | None,
    picture: bytes,
    origin: str,
    now: datetime,
) -> SentOutcome:
    """Keep the picture for one of the team's open evidence clues and send it for review to a
    champion of another team (the leads when there is none)."""
    hunts = Hunts(session)
    playing = playing_now(session, hunts, teams_user_id, now)
    if playing is None:
        return SentOutcome.PAUSED if paused(hunts) else SentOutcome.NOT_PLAYING
    hunt, team, player = playing
    asking = [item for item in open_clues_of(session, hunt, team) if item.clue.kind is ClueKind.EVIDENCE]
    chosen = _chosen(asking, number)
    if chosen is None:
        return SentOutcome.WHICH_CLUE if asking else SentOutcome.NOT_PLAYING
    content_type = picture_type(picture)
    if content_type is None:
        return SentOutcome.NOT_A_PICTURE
    evidences = Evidences(session)
    if evidences.waiting_for(team.id, chosen.clue.key):
        return SentOutcome.WAITING
    evidence_id = evidences.add(hunt.id, team.id, chosen.clue.key, player.member_id, picture, content_type, now)
    hunts.add_player(hunt.id, player.member_id, team.id, now)
    reviewer = evidences.reviewer_for(hunt.id, team.departments, player.member_id)
    evidences.assign(evidence_id, reviewer.member_id if reviewer is not None else None)
    evidence = evidences.get(evidence_id, hunt, team)
    if evidence is None:
        return SentOutcome.NOT_PLAYING
    link = _picture_link(session, origin, hunt, evidence_id, now)
    key = f"hunt-evidence:{evidence_id}"
    if reviewer is None:
        messaging.notify_leads(
            session, key, now, lambda t: (t("hunt.review_no_champion"), review_card(t, evidence, link))
        )
    else:
        texts = messaging.texts_for(session.get(MemberRecord, reviewer.member_id))
        card = review_card(texts, evidence, link)
        payload = MessagePayload(texts("hunt.review_asked"), card)
        messaging.send(session, OutboundMessage(f"{key}:review", ToUser(reviewer.teams_user_id), payload), now)
    return SentOutcome.SENT


def _chosen(asking: list[OpenClue], number: int | None) -> OpenClue | None:
    if number is not None:
        return next((item for item in asking if item.number == number), None)
    return asking[0] if len(asking) == 1 else None


class ReviewOutcome(StrEnum):
    ACCEPTED = "review_accepted"
    REJECTED = "review_rejected"
    NEEDS_REASON = "review_needs_reason"
    ALREADY = "review_already"  # decided before (a second press, or another reviewer)
    NOT_YOURS = "review_not_yours"
    CLOSED = "review_closed"  # the hunt ended
    GONE = "review_gone"


@dataclass(frozen=True, slots=True)
class Reviewed:
    outcome: ReviewOutcome
    evidence: Evidence | None = None
    link: str = ""  # to the picture, for the reviewer's card as it is now


def review_evidence(
    session: Session,
    messaging: Messaging,
    evidence_id: int,
    reviewer_teams_id: str,
    is_lead: bool,
    accept: bool,
    reason: str,
    by: str,
    origin: str,
    now: datetime,
) -> Reviewed:
    """The reviewer's verdict, once: only the champion it was sent to, or a lead, may give it;
    turning a picture down needs a reason, which the player reads."""
    evidences, hunts = Evidences(session), Hunts(session)
    record = evidences.record(evidence_id)
    hunt = hunts.get(record.hunt_id) if record is not None else None
    team = hunts.team(record.team_id) if record is not None else None
    evidence = evidences.get(evidence_id, hunt, team) if hunt is not None and team is not None else None
    if record is None or hunt is None or team is None or evidence is None:
        return Reviewed(ReviewOutcome.GONE)
    link = _picture_link(session, origin, hunt, evidence_id, now)
    if evidence.status is not EvidenceStatus.WAITING:
        return Reviewed(ReviewOutcome.ALREADY, evidence, link)
    reviewer = session.get(MemberRecord, evidence.reviewer_member_id) if evidence.reviewer_member_id else None
    mine = reviewer is not None and reviewer.teams_user_id == reviewer_teams_id
    if not mine and not is_lead:
        return Reviewed(ReviewOutcome.NOT_YOURS, evidence, link)
    if hunt.status is not HuntStatus.RUNNING:
        return Reviewed(ReviewOutcome.CLOSED, evidence, link)
    reason = " ".join(reason.split())[:MAX_REASON]
    if not accept and not reason:
        return Reviewed(ReviewOutcome.NEEDS_REASON, evidence, link)
    status = EvidenceStatus.ACCEPTED if accept else EvidenceStatus.REJECTED
    if not evidences.decide(evidence_id, status, reason, by, now):
        return Reviewed(ReviewOutcome.ALREADY, evidences.get(evidence_id, hunt, team), link)
    subject = f"{hunt.title}: {team.name}, {evidence.clue.key}"
    AuditTrail(session).record(by, f"hunt.evidence_{status.value}", subject, now, after={"reason": reason})
    player = session.get(MemberRecord, record.member_id) if record.member_id else None
    if player is not None:
        texts = messaging.texts_for(player)
        if accept:
            text = _accepted_text(session, messaging, hunts, hunt, team, evidence, player, texts, now)
        else:
            text = texts("hunt.evidence_rejected", clue=evidence.clue.title_in(texts.locale), reason=reason)
        key = f"hunt-evidence:{evidence_id}:{status.value}"
        messaging.send(session, OutboundMessage(key, ToUser(player.teams_user_id), MessagePayload(text)), now)
    decided = evidences.get(evidence_id, hunt, team)
    return Reviewed(ReviewOutcome.ACCEPTED if accept else ReviewOutcome.REJECTED, decided, link)


def _accepted_text(
    session: Session,
    messaging: Messaging,
    hunts: Hunts,
    hunt: Hunt,
    team: Team,
    evidence: Evidence,
    player: MemberRecord,
    texts: Texts,
    now: datetime,
) -> str:
    """The solve the accepted picture earns its sender (nothing more if a teammate's came first)."""
    state = hunts.state(team.id, evidence.clue.key)
    title = evidence.clue.title_in(texts.locale)
    if state is None or player.id is None:
        return texts("hunt.evidence_accepted", clue=title)
    solver = Player(player.id, player.teams_user_id, team.name)
    solved: Answered = solve_clue(session, messaging, hunts, hunt, team, evidence.clue, state, solver, now)
    if solved.outcome is not AnswerOutcome.SOLVED:
        return " ".join([texts("hunt.evidence_accepted", clue=title), texts("hunt.already_solved")])
    return " ".join([texts("hunt.evidence_accepted", clue=title), *said_on_solve(texts, solved)])


def evidence_to_review(session: Session, origin: str, now: datetime) -> tuple[Hunt, list[tuple[Evidence, str]]] | None:
    """For leads: the running hunt's pictures still waiting, each with a fresh link."""
    hunts, evidences = Hunts(session), Evidences(session)
    hunt = hunts.latest([HuntStatus.RUNNING])
    if hunt is None:
        return None
    found = []
    for evidence_id, team_id in evidences.waiting(hunt.id):
        team = hunts.team(team_id)
        evidence = evidences.get(evidence_id, hunt, team) if team is not None else None
        if evidence is not None:
            found.append((evidence, _picture_link(session, origin, hunt, evidence_id, now)))
    return hunt, found
