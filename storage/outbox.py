"""The outbox table: enqueue in the caller's transaction, claim, and record outcomes."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, bindparam, cast, delete, func, or_, select, text, update
from sqlmodel import Session, col

from domain.outbox import (
    UNREACHABLE_STATUSES,
    DeliveryFigures,
    MessagePayload,
    OutboundMessage,
    OutboxStatus,
    Recipient,
    ToConversation,
    ToUser,
)
from storage.database import AFTER_COMMIT, announce_after_commit
from storage.models import ConversationRecord, MemberRecord, OutboxRecord
from storage.sql import affected_rows, insert_all_absent, insert_if_absent, table_of

MAX_ERROR_LENGTH = 1024


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    """A message taken for delivery, with what the sender needs to reach the recipient."""

    id: int
    dedupe_key: str
    recipient: Recipient
    payload: MessagePayload
    attempts: int
    # The conversation to post to, when known (always for ToConversation).
    conversation_id: str | None
    reference: dict[str, Any] | None
    unreachable: bool


@dataclass(frozen=True, slots=True)
class NewChatTarget:
    """Where to open a 1:1 chat with someone the bot has never written to."""

    teams_user_id: str
    tenant_id: str | None
    service_url: str
    bot: dict[str, Any]
    channel_id: str


def _row(message: OutboundMessage, now: datetime) -> dict[str, Any]:
    recipient = message.recipient
    return {
        "dedupe_key": message.dedupe_key,
        "conversation_id": recipient.conversation_id if isinstance(recipient, ToConversation) else None,
        "teams_user_id": recipient.teams_user_id if isinstance(recipient, ToUser) else None,
        "payload": message.payload.to_json(),
        "status": OutboxStatus.PENDING.value,
        "not_before": message.not_before or now,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


OUTBOX_TOPIC = "outbox"
# PostgreSQL's channel for "a message was enqueued", heard by the leader in any replica.
OUTBOX_CHANNEL = "champion_circle_outbox"


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # --- enqueue (inside the caller's domain transaction) ---------------------------------

    def enqueue(self, message: OutboundMessage, now: datetime) -> bool:
        added = insert_if_absent(self._session, table_of(OutboxRecord), _row(message, now), keys=("dedupe_key",))
        if added:
            self._wake_the_sender()
        return added

    def enqueue_all(self, messages: Sequence[OutboundMessage], now: datetime) -> int:
        """Many messages in one statement (a check-in round's cards); how many were new."""
        added = insert_all_absent(
            self._session, table_of(OutboxRecord), [_row(message, now) for message in messages], keys=("dedupe_key",)
        )
        if added:
            self._wake_the_sender()
        return len(added)

    def _wake_the_sender(self) -> None:
        """After the commit, the sender looks at once: in this process through the database's
        commit listeners, in other replicas through PostgreSQL's NOTIFY (sent on commit only)."""
        if OUTBOX_TOPIC in self._session.info.get(AFTER_COMMIT, ()):
            return
        announce_after_commit(self._session, OUTBOX_TOPIC)
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": OUTBOX_CHANNEL})

    # --- the sender's side ----------------------------------------------------------------

    def claim_due(self, now: datetime, limit: int, claimant: str | None = None) -> list[ClaimedMessage]:
        """Move up to `limit` due messages to SENDING (attempts + 1) for `claimant`, and return them."""
        due = (
            select(OutboxRecord, ConversationRecord)
            .outerjoin(MemberRecord, col(MemberRecord.teams_user_id) == col(OutboxRecord.teams_user_id))
            .outerjoin(
                ConversationRecord,
                or_(
                    col(ConversationRecord.id) == col(OutboxRecord.conversation_id),
                    and_(
                        col(OutboxRecord.conversation_id).is_(None),
                        col(ConversationRecord.id) == col(MemberRecord.personal_conversation_id),
                    ),
                ),
            )
            .where(col(OutboxRecord.status) == OutboxStatus.PENDING.value, col(OutboxRecord.not_before) <= now)
            .order_by(col(OutboxRecord.not_before), col(OutboxRecord.id))
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            # One leader sends, but a stale one must never take the same rows.
            due = due.with_for_update(of=OutboxRecord, skip_locked=True)  # type: ignore[arg-type]
        rows = self._session.execute(due).all()
        if not rows:
            return []
        ids = [record.id for record, _conversation in rows]
        self._session.execute(
            update(OutboxRecord)
            .where(col(OutboxRecord.id).in_(ids))
            .values(
                status=OutboxStatus.SENDING.value,
                attempts=col(OutboxRecord.attempts) + 1,
                claimed_by=claimant,
                updated_at=now,
            )
            # The loaded rows keep their old values: `attempts + 1` below is this attempt.
            .execution_options(synchronize_session=False)
        )
        claimed = []
        for record, conversation in rows:
            recipient: Recipient = (
                ToConversation(record.conversation_id) if record.conversation_id else ToUser(record.teams_user_id or "")
            )
            claimed.append(
                ClaimedMessage(
                    id=record.id or 0,
                    dedupe_key=record.dedupe_key,
                    recipient=recipient,
                    payload=MessagePayload.from_json(record.payload),
                    attempts=record.attempts + 1,
                    conversation_id=conversation.id if conversation else None,
                    reference=conversation.reference if conversation else None,
                    unreachable=bool(conversation and conversation.unreachable_at),
                )
            )
        return claimed

    def personal_chat(self, teams_user_id: str) -> tuple[str, dict[str, Any]] | None:
        """The member's 1:1 chat with the bot, if there is one: (conversation id, reference)."""
        row = self._session.execute(
            select(col(ConversationRecord.id), col(ConversationRecord.reference))
            .join(MemberRecord, col(MemberRecord.personal_conversation_id) == col(ConversationRecord.id))
            .where(col(MemberRecord.teams_user_id) == teams_user_id)
        ).first()
        return (row[0], row[1]) if row else None

    def new_chat_target(self, teams_user_id: str) -> NewChatTarget | None:
        """The member's tenant and a serviceUrl/bot identity the bot used in that tenant."""
        member = self._session.execute(
            select(MemberRecord).where(col(MemberRecord.teams_user_id) == teams_user_id)
        ).scalar_one_or_none()
        if member is None:
            return None
        query = select(ConversationRecord).order_by(col(ConversationRecord.updated_at).desc()).limit(1)
        if member.tenant_id:
            query = query.where(col(ConversationRecord.tenant_id) == member.tenant_id)
        conversation = self._session.execute(query).scalar_one_or_none()
        if conversation is None:
            return None
        return NewChatTarget(
            teams_user_id=teams_user_id,
            tenant_id=member.tenant_id,
            service_url=conversation.service_url,
            bot=dict(conversation.reference.get("bot") or {}),
            channel_id=conversation.channel_id,
        )

    def mark_sent_many(self, sent: list[tuple[int, str | None]], now: datetime) -> None:
        """Record many deliveries in one statement (the sender's hot path)."""
        if not sent:
            return
        table = table_of(OutboxRecord)
        statement = (
            update(table)
            .where(table.c.id == bindparam("message_id"), table.c.status == OutboxStatus.SENDING.value)
            .values(
                status=OutboxStatus.SENT.value,
                updated_at=now,
                sent_activity_id=bindparam("activity_id"),
                last_error=None,
            )
        )
        self._session.connection().execute(
            statement, [{"message_id": message_id, "activity_id": activity_id} for message_id, activity_id in sent]
        )

    def mark_failed(self, message_id: int, now: datetime, error: str, status_code: int | None) -> None:
        self._finish(
            message_id, now, OutboxStatus.FAILED, last_error=error[:MAX_ERROR_LENGTH], last_status_code=status_code
        )

    def reschedule(
        self, message_id: int, not_before: datetime, now: datetime, error: str, status_code: int | None
    ) -> None:
        self._finish(
            message_id,
            now,
            OutboxStatus.PENDING,
            not_before=not_before,
            last_error=error[:MAX_ERROR_LENGTH],
            last_status_code=status_code,
        )

    def _finish(self, message_id: int, now: datetime, status: OutboxStatus, **values: Any) -> None:
        # Only a message being sent can be finished: a sent one is never touched again.
        table = table_of(OutboxRecord)
        self._session.connection().execute(
            update(table)
            .where(table.c.id == message_id, table.c.status == OutboxStatus.SENDING.value)
            .values(status=status.value, updated_at=now, **values)
        )

    def recover_stale(self, older_than: datetime, now: datetime) -> int:
        """Messages SENDING since before `older_than` go back to PENDING.

        A sender that lost leadership (or a claim that committed after its process was told
        to stop) can leave messages SENDING while another sender runs; the lease frees them.
        """
        return affected_rows(
            self._session.execute(
                update(OutboxRecord)
                .where(
                    col(OutboxRecord.status) == OutboxStatus.SENDING.value, col(OutboxRecord.updated_at) < older_than
                )
                .values(
                    status=OutboxStatus.PENDING.value,
                    claimed_by=None,
                    updated_at=now,
                    last_error="sending lease expired",
                )
            )
        )

    def recover_in_flight(self, now: datetime) -> int:
        """After a crash: messages left SENDING go back to PENDING (they may arrive twice)."""
        return affected_rows(
            self._session.execute(
                update(OutboxRecord)
                .where(col(OutboxRecord.status) == OutboxStatus.SENDING.value)
                .values(
                    status=OutboxStatus.PENDING.value,
                    claimed_by=None,
                    updated_at=now,
                    last_error="interrupted while sending",
                )
            )
        )

    def next_due(self) -> datetime | None:
        return self._session.execute(
            select(func.min(OutboxRecord.not_before)).where(col(OutboxRecord.status) == OutboxStatus.PENDING.value)
        ).scalar_one_or_none()

    # --- reporting and housekeeping -------------------------------------------------------

    def counts(self) -> Mapping[OutboxStatus, int]:
        status = col(OutboxRecord.status)
        rows = self._session.execute(select(status, func.count()).group_by(status)).all()
        return {OutboxStatus(value): count for value, count in rows}

    def recent_errors(self, limit: int = 10) -> list[OutboxRecord]:
        return list(
            self._session.execute(
                select(OutboxRecord)
                .where(col(OutboxRecord.last_error).is_not(None))
                .order_by(col(OutboxRecord.updated_at).desc())
                .limit(limit)
            ).scalars()
        )

    def prune_finished(self, older_than: datetime) -> int:
        finished = (OutboxStatus.SENT.value, OutboxStatus.FAILED.value, OutboxStatus.CANCELLED.value)
        return affected_rows(
            self._session.execute(
                delete(OutboxRecord).where(
                    col(OutboxRecord.status).in_(finished), col(OutboxRecord.updated_at) < older_than
                )
            )
        )


# What is left of a message that named someone whose data was erased.
ERASED_PAYLOAD = {"text": "", "erased": True}


def forget_recipient(session: Session, teams_user_id: str | None, conversation_id: str | None) -> int:
    """Delete every message to this person (sent or not: nothing of theirs stays); returns how many."""
    to_them = [
        condition
        for condition in (
            col(OutboxRecord.teams_user_id) == teams_user_id if teams_user_id else None,
            col(OutboxRecord.conversation_id) == conversation_id if conversation_id else None,
        )
        if condition is not None
    ]
    if not to_them:
        return 0
    return affected_rows(session.execute(delete(OutboxRecord).where(or_(*to_them))))


def forget_mentions(session: Session, names: Sequence[str], now: datetime) -> int:
    """Blank messages to others that name someone (as a whole word, any case): a sent one keeps
    only that it was sent; one not yet sent is cancelled. Returns how many."""
    wanted = [name.strip() for name in names if len(name.strip()) >= 3]
    if not wanted:
        return 0
    as_text = func.lower(cast(col(OutboxRecord.payload), Text))
    # JSON may keep non-ASCII letters as \u escapes: look for both spellings, then read each.
    spellings = {spelling.lower() for name in wanted for spelling in (name, json.dumps(name)[1:-1])}
    candidates = session.execute(
        select(col(OutboxRecord.id), col(OutboxRecord.status), col(OutboxRecord.payload)).where(
            or_(*(as_text.contains(spelling, autoescape=True) for spelling in spellings))
        )
    ).all()
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in wanted), re.IGNORECASE)
    changed = 0
    for message_id, status, payload in candidates:
        if payload == ERASED_PAYLOAD or not pattern.search(json.dumps(payload, ensure_ascii=False)):
            continue
        unsent = status in (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
        values: dict[str, Any] = {"payload": ERASED_PAYLOAD, "updated_at": now}
        if unsent:
            values |= {"status": OutboxStatus.CANCELLED.value, "claimed_by": None}
        session.execute(update(OutboxRecord).where(col(OutboxRecord.id) == message_id).values(**values))
        changed += 1
    return changed


def mark_unreachable(session: Session, conversation_id: str, now: datetime, reason: str) -> None:
    session.execute(
        update(ConversationRecord)
        .where(col(ConversationRecord.id) == conversation_id)
        .values(unreachable_at=now, unreachable_reason=reason[:256])
    )


def _claimed(message_ids: Sequence[int], claimant: str) -> tuple[ColumnElement[bool], ...]:
    """Messages still SENDING for this claimant (not taken back by another sender)."""
    return (
        col(OutboxRecord.id).in_(message_ids),
        col(OutboxRecord.status) == OutboxStatus.SENDING.value,
        col(OutboxRecord.claimed_by) == claimant,
    )


def claims_still_held(session: Session, message_ids: Sequence[int], claimant: str) -> set[int]:
    """Which of the messages are still this claimant's to send."""
    return set(session.execute(select(col(OutboxRecord.id)).where(*_claimed(message_ids, claimant))).scalars())


def release_claims(session: Session, message_ids: Sequence[int], claimant: str, now: datetime) -> int:
    """Give back claims a sender did not start: pending again, now, the attempt not counted."""
    return affected_rows(
        session.execute(
            update(OutboxRecord)
            .where(*_claimed(message_ids, claimant))
            .values(
                status=OutboxStatus.PENDING.value,
                claimed_by=None,
                attempts=col(OutboxRecord.attempts) - 1,
                updated_at=now,
            )
        )
    )


def delivery_figures(session: Session, key_prefix: str) -> DeliveryFigures:
    table = table_of(OutboxRecord)
    escaped = key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    unreachable = or_(
        table.c.last_error.like("recipient unreachable%"),
        table.c.last_error.like("no reference%"),
        table.c.last_status_code.in_(sorted(UNREACHABLE_STATUSES)),
    )
    rows = session.execute(
        select(table.c.status, unreachable, func.count())
        .where(table.c.dedupe_key.like(f"{escaped}%", escape="\\"))
        .group_by(table.c.status, unreachable)
    ).all()
    counts = {"sent": 0, "waiting": 0, "unreachable": 0, "failed": 0}
    for status, cannot_reach, count in rows:
        if status == OutboxStatus.SENT.value:
            counts["sent"] += count
        elif status == OutboxStatus.FAILED.value:
            counts["unreachable" if cannot_reach else "failed"] += count
        elif status != OutboxStatus.CANCELLED.value:
            counts["waiting"] += count
    return DeliveryFigures(**counts)
