"""Proactive messages: what to send, to whom, and what to do when a send fails.

Features enqueue an `OutboundMessage` in the same transaction as the change that causes
it; the sender delivers it later. Only plain data here: the transport turns the payload
into a Teams activity.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Not sent, and never to be: it was about someone whose data was erased.
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class ToConversation:
    """A conversation the bot already has a reference for (a channel, a chat, a 1:1)."""

    conversation_id: str


@dataclass(frozen=True, slots=True)
class ToUser:
    """A person; the sender opens the 1:1 chat first when there is none yet."""

    teams_user_id: str


Recipient = ToConversation | ToUser


@dataclass(frozen=True, slots=True)
class MessagePayload:
    """Text, an Adaptive Card, or both (the text is then the notification preview)."""

    text: str | None = None
    card: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not self.text and not self.card:
            raise ValueError("a message needs text or a card")

    def to_json(self) -> dict[str, Any]:
        return {key: value for key, value in (("text", self.text), ("card", self.card)) if value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessagePayload:
        return cls(text=data.get("text"), card=data.get("card"))


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    dedupe_key: str
    recipient: Recipient
    payload: MessagePayload
    not_before: datetime | None = None


# --- what a failed send means ---------------------------------------------------------


class SendVerdict(StrEnum):
    SENT = "sent"
    THROTTLED = "throttled"  # 429: wait, slow everything down, try again
    RETRY = "retry"  # transient: try again later, a few times
    UNREACHABLE = "unreachable"  # 403/404: the recipient cannot be reached now
    FAILED = "failed"  # the message itself is wrong: do not retry


RETRYABLE_STATUSES = frozenset({408, 412, 500, 502, 503, 504})
UNREACHABLE_STATUSES = frozenset({403, 404})


def verdict_for(status: int | None) -> SendVerdict:
    """What an HTTP status from the Bot Connector means (None: the request never got an answer)."""
    if status is None:
        return SendVerdict.RETRY
    if 200 <= status < 300:
        return SendVerdict.SENT
    if status == 429:
        return SendVerdict.THROTTLED
    if status in RETRYABLE_STATUSES:
        return SendVerdict.RETRY
    if status in UNREACHABLE_STATUSES:
        return SendVerdict.UNREACHABLE
    return SendVerdict.FAILED


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter."""

    max_attempts: int = 5
    base: timedelta = timedelta(seconds=2)
    cap: timedelta = timedelta(minutes=5)
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def backoff(self, attempts: int) -> timedelta:
        ceiling = min(self.cap.total_seconds(), self.base.total_seconds() * 2 ** max(0, attempts - 1))
        return timedelta(seconds=self.rng.uniform(ceiling / 2, ceiling))

    def gives_up(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

    def gives_up_throttled(self, attempts: int) -> bool:
        # Throttling says nothing about the message, so it gets several times the patience.
        return attempts >= self.max_attempts * 4

    def throttle_delay(self, attempts: int, retry_after: float | None) -> timedelta:
        """Retry-After when Teams says it, else the backoff."""
        if retry_after is not None and retry_after >= 0:
            return timedelta(seconds=min(retry_after, self.cap.total_seconds()))
        return self.backoff(attempts)


@dataclass(frozen=True, slots=True)
class DeliveryFigures:
    """What became of the messages whose dedupe keys start alike (one announcement's, say)."""

    sent: int = 0
    waiting: int = 0  # not sent yet: pending, being sent, or waiting to retry
    unreachable: int = 0  # the person or chat cannot be reached (left, blocked the bot, no chat)
    failed: int = 0  # the message itself was refused

    @property
    def total(self) -> int:
        return self.sent + self.waiting + self.unreachable + self.failed
