"""Nominations: anyone proposes a colleague, a lead decides, the nominee is invited to enrol."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from features.enrolment.storage import Nominations, NominationView
from features.enrolment.views import invitation_card, nomination_card
from features.enrolment.workflows import DecisionOutcome
from storage.audit import AuditTrail
from storage.messaging import Messaging
from storage.program import ProgramConfig
from storage.repositories import Members
from storage.workplaces import Workplaces
from views.cards import Card


@dataclass(frozen=True, slots=True)
class Nominee:
    name: str
    email: str | None = None
    teams_user_id: str | None = None

    @property
    def key(self) -> str:
        return self.email.lower() if self.email else f"teams:{self.teams_user_id}"


@dataclass(frozen=True, slots=True)
class Nominated:
    nomination_id: int
    new: bool
    supporters: int


def nominate(
    session: Session, messaging: Messaging, nominator_teams_user_id: str, nominee: Nominee, reason: str, now: datetime
) -> Nominated:
    nominator = Members(session).get(nominator_teams_user_id)
    if nominator is None or nominator.id is None:
        raise LookupError("the nominator is not a known member")
    nominations = Nominations(session)
    nomination_id, new = nominations.nominate(
        nominee_key=nominee.key,
        nominee_name=nominee.name,
        nominee_email=nominee.email,
        nominee_teams_user_id=nominee.teams_user_id,
        nominator_member_id=nominator.id,
        reason=reason,
        at=now,
    )
    view = nominations.get(nomination_id)
    assert view is not None
    if new:
        # One card per nomination; later supporters show up when a lead opens `approvals`.
        def build(texts: Texts) -> tuple[str, Card | None]:
            return texts("nomination.preview", name=view.nominee_name), nomination_card(
                texts, nomination_id, view.nominee_name, view.reasons
            )

        messaging.notify_leads(session, f"nomination:{nomination_id}", now, build)
    return Nominated(nomination_id, new, len(view.reasons))


@dataclass(frozen=True, slots=True)
class NominationDecided:
    outcome: DecisionOutcome
    nomination: NominationView | None
    invited: bool = False


def decide_nomination(
    session: Session,
    messaging: Messaging,
    nomination_id: int,
    *,
    approve: bool,
    lead_name: str,
    reason: str | None,
    now: datetime,
) -> NominationDecided:
    nominations = Nominations(session)
    if not nominations.decide(nomination_id, approve, lead_name, reason, now):
        current = nominations.get(nomination_id)
        outcome = DecisionOutcome.NOT_FOUND if current is None else DecisionOutcome.ALREADY_DECIDED
        return NominationDecided(outcome, current)
    view = nominations.get(nomination_id)
    assert view is not None
    action = "nomination.approve" if approve else "nomination.decline"
    AuditTrail(session).record(lead_name, action, view.nominee_name, now, after={"reason": reason} if reason else None)
    supporters = nominations.nominators(nomination_id)
    invited = False
    if approve:
        nominee = (
            Members(session).get(view.nominee_teams_user_id)
            if view.nominee_teams_user_id
            else (Workplaces(session).member_by_email(view.nominee_email) if view.nominee_email else None)
        )
        if nominee is not None:
            texts = messaging.texts_for(nominee)
            names = ", ".join(member.display_name for member in supporters) or "—"
            card = invitation_card(texts, names, ProgramConfig(session).load())
            messaging.send(
                session,
                OutboundMessage(
                    f"nomination:{nomination_id}:invitation",
                    ToUser(nominee.teams_user_id),
                    MessagePayload(texts("nomination.invitation_title"), card),
                ),
                now,
            )
            invited = True
    for supporter in supporters:
        texts = messaging.texts_for(supporter)
        if approve:
            key = "nomination.approved_invited" if invited else "nomination.approved_not_reachable"
        else:
            key = "nomination.declined"
        text = texts(key, name=view.nominee_name, reason=reason or "—")
        messaging.send(
            session,
            OutboundMessage(
                f"nomination:{nomination_id}:outcome:{supporter.id}",
                ToUser(supporter.teams_user_id),
                MessagePayload(text),
            ),
            now,
        )
    return NominationDecided(DecisionOutcome.DONE, view, invited)
