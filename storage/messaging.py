"""Messages a workflow sends to other people: in their language, through the outbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from domain.i18n import Texts, Translator
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from domain.roles import ProgramRoles
from storage.models import MemberRecord
from storage.outbox import OutboxRepository
from storage.program import Leads
from views.cards import Card


def stamp(now: datetime) -> str:
    """A dedupe-key part for an event at `now`: a later, separate event gets its own messages."""
    return now.strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True, slots=True)
class Messaging:
    """Translation and the outbox, for messages a workflow sends to other people."""

    translate: Translator
    roles: ProgramRoles

    def texts_for(self, member: MemberRecord | None) -> Texts:
        return Texts(self.translate, member.locale if member else None, member.timezone if member else None)

    @staticmethod
    def send(session: Session, message: OutboundMessage, now: datetime) -> bool:
        return OutboxRepository(session).enqueue(message, now)

    @staticmethod
    def send_all(session: Session, messages: Sequence[OutboundMessage], now: datetime) -> int:
        """Many messages in one statement (e.g. a round's check-in cards)."""
        return OutboxRepository(session).enqueue_all(messages, now)

    def notify_leads(
        self, session: Session, key: str, now: datetime, build: Callable[[Texts], tuple[str, Card | None]]
    ) -> int:
        """Send `build(texts)` (text, card) to every lead the bot can reach; returns how many."""
        leads = Leads(session).reachable_members(self.roles.bootstrap_leads)
        for lead in leads:
            text, card = build(self.texts_for(lead))
            self.send(
                session,
                OutboundMessage(f"{key}:lead:{lead.id}", ToUser(lead.teams_user_id), MessagePayload(text, card)),
                now,
            )
        return len(leads)
