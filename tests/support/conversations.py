"""Conversations the bot already knows (as if each had talked to it), for outbox tests."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from domain.ports import ConversationKind
from storage.database import Database
from storage.repositories import Conversations, ConversationSnapshot
from tests.support.activities import BOT_ID, BOT_NAME, TENANT


def personal_reference(conversation_id: str, service_url: str) -> dict[str, object]:
    return {
        "serviceUrl": service_url,
        "channelId": "msteams",
        "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": TENANT},
        "bot": {"id": BOT_ID, "name": BOT_NAME},
        "user": {"id": f"29:{conversation_id}"},
    }


def save_personal_conversations(session: Session, service_url: str, ids: list[str], now: datetime) -> None:
    conversations = Conversations(session)
    for conversation_id in ids:
        reference = personal_reference(conversation_id, service_url)
        snapshot = ConversationSnapshot(
            conversation_id, ConversationKind.PERSONAL, "msteams", service_url, TENANT, reference
        )
        conversations.save(snapshot, now)


def seed_conversations(database: Database, service_url: str, ids: list[str], now: datetime) -> list[str]:
    database.transaction(lambda session: save_personal_conversations(session, service_url, ids, now))
    return ids
