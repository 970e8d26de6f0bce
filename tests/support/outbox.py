"""The outbox sender wired to the app under test, with helpers to enqueue and inspect."""

from __future__ import annotations

import random

from sqlmodel import select

from bot.budget import TeamsBudget
from bot.outbox_sender import OutboxSender, SenderLimits
from bot.web import BOT_ENDPOINT
from domain.outbox import MessagePayload, OutboundMessage, RetryPolicy
from storage.database import Database
from storage.models import OutboxRecord
from storage.outbox import OutboxRepository
from tests.support.clock import FakeSleep
from tests.support.conversations import seed_conversations


class Outbox:
    """The app, an outbox sender wired to it, and helpers to enqueue and inspect."""

    def __init__(self, harness, db, *, rate: float = 50, concurrency: int = 8, max_attempts: int = 5) -> None:
        self.harness, self.db, self.clock = harness, db, harness.clock
        self.connector = harness.connector
        self.sleep = FakeSleep(self.clock)
        self.connector.clock = self.sleep.seconds
        self.rate, self.concurrency, self.max_attempts = rate, concurrency, max_attempts
        self.sender = self.new_sender()

    def new_sender(
        self, database: Database | None = None, idle_poll_seconds: float = 5.0, budget: TeamsBudget | None = None
    ) -> OutboxSender:
        endpoint = self.harness.client.app[BOT_ENDPOINT]
        return OutboxSender(
            database or self.db,
            endpoint.adapter,
            endpoint.authentication,
            "",
            self.clock,
            sleep=self.sleep,
            limits=SenderLimits(
                requests_per_second=self.rate,
                concurrency=self.concurrency,
                batch_size=50,
                idle_poll_seconds=idle_poll_seconds,
            ),
            retry=RetryPolicy(max_attempts=self.max_attempts, rng=random.Random(7)),
            budget=budget,
        )

    def add_conversations(self, count: int, prefix: str = "a:conv") -> list[str]:
        ids = [f"{prefix}-{index}" for index in range(count)]
        return seed_conversations(self.db, self.harness.activities.service_url, ids, self.clock.now())

    def enqueue(self, key: str, recipient, text: str | None = None, **kw) -> bool:
        message = OutboundMessage(key, recipient, MessagePayload(text=text or key), **kw)
        now = self.clock.now()
        return self.db.transaction(lambda s: OutboxRepository(s).enqueue(message, now))

    def record(self, key: str) -> OutboxRecord:
        return self.db.transaction(lambda s: s.exec(select(OutboxRecord).where(OutboxRecord.dedupe_key == key)).one())

    def texts(self) -> list[str]:
        return [sent.text for sent in self.connector.sent]
