"""Delivers the outbox: paced to Teams' limits, retrying what can be retried, durable.

One sender runs in the leader process. It claims due messages, sends them with bounded
concurrency and records every outcome, so a restart resumes where it stopped.

It posts the request the SDK's `send_to_conversation` would send for the stored conversation
reference, with aiohttp (`bot.connector_http`), the SDK's credentials kept per serviceUrl (see
`_client_for`); a person without a chat gets one from `create_conversation` first.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
from botbuilder.core import CloudAdapterBase, MessageFactory, TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationParameters, ConversationReference
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import BotFrameworkAuthentication
from botframework.connector.models import ErrorResponseException
from msrest.exceptions import ClientRequestError
from sqlmodel import Session

from bot.budget import TeamsBudget
from bot.connector_http import ConnectorHttp
from bot.keyed_locks import KeyedLocks
from bot.teams import conversation_snapshot
from dialogs.cards import card_message
from domain.clock import Clock
from domain.outbox import MessagePayload, RetryPolicy, SendVerdict, ToUser, verdict_for
from domain.rate_limits import ConversationLimits, PacedRate
from storage.database import Database
from storage.notifications import listen
from storage.outbox import (
    OUTBOX_CHANNEL,
    OUTBOX_TOPIC,
    ClaimedMessage,
    NewChatTarget,
    OutboxRepository,
    claims_still_held,
    mark_unreachable,
    release_claims,
)
from storage.repositories import Conversations, Members

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class SenderLimits:
    # The pace: Teams allows 50 requests/s per app per tenant for everything the bot sends.
    # Replies to users share that budget and go first (`bot.budget`).
    requests_per_second: float = 50.0
    # The hard cap, counted as the server sees requests whatever the latency (Teams' limit);
    # used when the sender is not given the app's shared budget.
    hard_limit_per_second: int = 50
    concurrency: int = 16
    batch_size: int = 200
    idle_poll_seconds: float = 5.0
    # One request that gets no answer must not hold a slot (or its batch's records) forever.
    request_timeout_seconds: float = 30.0
    # A message SENDING for longer than this is taken to be abandoned and is sent again.
    sending_lease: timedelta = timedelta(minutes=10)


# How long a confirmation that this sender still holds its claims is trusted.
CLAIM_RECHECK = timedelta(milliseconds=250)


def http_threads(concurrency: int) -> int:
    """Worker threads the SDK's HTTP client needs: it sends with `requests` in the loop's
    default executor, which has only min(32, cores + 4) threads unless the app sets more."""
    return max(32, 2 * concurrency)


@dataclass(frozen=True, slots=True)
class SendResult:
    status: int | None
    activity_id: str | None = None
    retry_after: float | None = None
    error: str = ""

    @property
    def verdict(self) -> SendVerdict:
        return verdict_for(self.status)


def activity_for(payload: MessagePayload) -> Activity:
    if payload.card:
        return card_message(payload.card, payload.text)
    return MessageFactory.text(payload.text or "")


def _retry_after_seconds(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, (parsed - now).total_seconds()) if parsed else None


class OutboxSender:
    def __init__(
        self,
        database: Database,
        adapter: CloudAdapterBase,
        authentication: BotFrameworkAuthentication,
        app_id: str,
        clock: Clock,
        *,
        sleep: Sleep = asyncio.sleep,
        limits: SenderLimits = SenderLimits(),
        retry: RetryPolicy | None = None,
        conversation_limits: ConversationLimits | None = None,
        budget: TeamsBudget | None = None,
    ) -> None:
        self._database = database
        self._adapter = adapter
        self._authentication = authentication
        self._clients: dict[str, ConnectorClient] = {}
        self._http = ConnectorHttp(limits.concurrency, limits.request_timeout_seconds)
        self._app_id = app_id
        self._clock = clock
        self._sleep = sleep
        self._limits = limits
        self._retry = retry or RetryPolicy()
        self._pace = PacedRate(limits.requests_per_second)
        # Teams' hard cap, shared with the turns' replies when the app passes its budget.
        self._budget = budget or TeamsBudget(limits.hard_limit_per_second, seconds=self._seconds, sleep=sleep)
        self._conversations = conversation_limits or ConversationLimits()
        self._pacing = asyncio.Lock()
        # Sends to one conversation go one after another: in order, and within its limits.
        self._conversations_in_turn = KeyedLocks()
        self._wake = asyncio.Event()
        # Set while the sender waits for work (nothing due): for health checks and tests.
        self.idle = asyncio.Event()
        # Outcomes not written yet: deliveries (the common case, written in one statement) and
        # the rest. They stay here until a transaction has stored them: a database hiccup
        # delays them, and never lets a delivered message look unsent.
        self._delivered: list[tuple[int, str | None]] = []
        self._unrecorded: list[Callable[[Session], None]] = []
        self._flushing = asyncio.Lock()
        # Set when an outcome is held: a background task writes them, one transaction for all
        # that arrived meanwhile, so that a send never waits for the database to record it.
        self._outcomes_held = asyncio.Event()
        # Who this sender is in the outbox's claims, and what it claimed but has not started.
        self.claimant = uuid.uuid4().hex
        self._unstarted: set[int] = set()
        # Claims held (not yet finished), and those last confirmed still ours, and when:
        # one query confirms them all, at most every CLAIM_RECHECK.
        self._held: set[int] = set()
        self._confirmed: set[int] = set()
        self._confirmed_at: datetime | None = None
        self._confirming = asyncio.Lock()
        self._last_lease_check: datetime | None = None

    # --- running --------------------------------------------------------------------------

    def wake(self) -> None:
        """Something was enqueued: look now instead of at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver forever (until cancelled), resuming what a crash left half-done.

        Woken as soon as a transaction enqueues a message: in this process by the database's
        commit listeners, from other replicas by PostgreSQL's NOTIFY; polling stays as the
        fallback for anything a wake-up missed."""
        loop = asyncio.get_running_loop()

        def enqueued_here() -> None:  # called from the committing database thread
            loop.call_soon_threadsafe(self.wake)

        stop_listening = self._database.on_commit(OUTBOX_TOPIC, enqueued_here)
        remote = (
            asyncio.create_task(listen(self._database.url, OUTBOX_CHANNEL, self.wake), name="outbox-listen")
            if self._database.backend == "postgresql"
            else None
        )
        try:
            async with self._http:
                await self._deliver_forever()
        finally:
            stop_listening()
            if remote is not None:
                remote.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await remote

    async def _deliver_forever(self) -> None:
        now = self._clock.now()
        recovered = await self._database.run(lambda s: OutboxRepository(s).recover_in_flight(now))
        if recovered:
            log.warning("%d outbox messages were being sent when the sender stopped; sending them again", recovered)
        failures = 0
        while True:
            try:
                # Outcomes held back by a database error go first: before anything can take
                # their messages for abandoned, or claim more.
                await self._flush_records()
                await self._release_unstarted()
                await self._recover_abandoned()
                if await self.deliver_due():
                    failures = 0
                    continue
                await self._wait_for_work()
                failures = 0
            except Exception:
                # E.g. the database is unreachable: log, wait a little longer each time, go on.
                failures += 1
                delay = min(self._limits.idle_poll_seconds * 2**failures, 300.0)
                log.exception("the outbox sender failed; trying again in %.0f s", delay)
                await self._sleep(delay)

    async def _recover_abandoned(self) -> None:
        now = self._clock.now()
        if self._last_lease_check is not None and now - self._last_lease_check < self._limits.sending_lease / 10:
            return
        self._last_lease_check = now
        cutoff = now - self._limits.sending_lease
        recovered = await self._database.run(lambda s: OutboxRepository(s).recover_stale(cutoff, now))
        if recovered:
            log.warning("%d outbox messages were abandoned while sending; sending them again", recovered)

    async def _wait_for_work(self) -> None:
        # Cleared before looking, so that a message enqueued meanwhile still wakes the wait.
        self._wake.clear()
        next_due = await self._database.run(lambda s: OutboxRepository(s).next_due())
        delay = self._limits.idle_poll_seconds
        if next_due is not None:
            delay = min(delay, max(0.0, (next_due - self._clock.now()).total_seconds()))
        self.idle.set()
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
        finally:
            self.idle.clear()

    async def drain(self) -> None:
        """Deliver until nothing is pending, waiting (with the injected sleep) for retries."""
        async with self._http:
            await self._drain()

    async def _drain(self) -> None:
        while True:
            await self._flush_records()
            await self._recover_abandoned()
            if await self.deliver_due():
                continue
            next_due = await self._database.run(lambda s: OutboxRepository(s).next_due())
            if next_due is None:
                return
            # At least a millisecond: stored times are rounded, and a zero wait would spin.
            await self._sleep(max(0.001, (next_due - self._clock.now()).total_seconds()))

    async def deliver_due(self) -> int:
        """Deliver everything that is due now, as a stream; the number of messages taken.

        The next batch is claimed as soon as the last message of the current one has
        started, so the sender never idles at batch boundaries.
        """
        slots = asyncio.Semaphore(self._limits.concurrency)
        started: set[asyncio.Task[None]] = set()
        taken = 0
        recording = asyncio.Event()  # set: the stream is over, the recorder stops
        recorder = asyncio.create_task(self._record_as_they_come(recording), name="outbox-outcomes")

        async def deliver(message: ClaimedMessage) -> None:
            try:
                await self._deliver(message)
            finally:
                slots.release()

        try:
            while True:
                batch = await self._claim_batch()
                if not batch:
                    if not started:
                        return taken
                    # Write what is done before waiting for the last deliveries (a slow one must
                    # not hold back the others' outcomes); retries may come due meanwhile.
                    await self._flush_records()
                    if started:  # they may all have finished during the flush
                        await asyncio.wait(set(started))
                    continue
                taken += len(batch)
                self._unstarted.update(message.id for message in batch)
                self._held.update(message.id for message in batch)
                for message in batch:
                    await slots.acquire()
                    task = asyncio.create_task(deliver(message))
                    started.add(task)
                    task.add_done_callback(started.discard)
        finally:
            if started:
                await asyncio.gather(*started, return_exceptions=True)
            recording.set()
            self._outcomes_held.set()
            await asyncio.gather(recorder, return_exceptions=True)
            await self._release_unstarted()
            await self._flush_records()

    async def _outcome_held(self) -> None:
        """The recorder writes it soon; a send waits for that only when as many outcomes as
        there are sends in flight are held, so that a crash can resend at most that many."""
        self._outcomes_held.set()
        if len(self._delivered) + len(self._unrecorded) >= self._limits.concurrency:
            await self._flush_soon()

    async def _record_as_they_come(self, over: asyncio.Event) -> None:
        """Write outcomes while the stream runs: whatever arrived during one write goes in the
        next. A crash can thus resend what was in flight and what was not recorded yet."""
        while not over.is_set():
            await self._outcomes_held.wait()
            self._outcomes_held.clear()
            await self._flush_soon()

    async def _claim_batch(self) -> list[ClaimedMessage]:
        """Claim the next batch. Stopped meanwhile, the claim may still commit in its thread:
        its messages are then given back at once, not left to the sending lease."""
        claiming = asyncio.ensure_future(self._database.run(self._claim_due_now))
        try:
            return await asyncio.shield(claiming)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                self._unstarted.update(message.id for message in await claiming)
            raise

    def _claim_due_now(self, session: Session) -> list[ClaimedMessage]:
        return OutboxRepository(session).claim_due(self._clock.now(), self._limits.batch_size, self.claimant)

    # --- one message ----------------------------------------------------------------------

    async def _deliver(self, message: ClaimedMessage) -> None:
        self._unstarted.discard(message.id)
        try:
            await self._deliver_held(message)
        finally:
            self._held.discard(message.id)

    async def _deliver_held(self, message: ClaimedMessage) -> None:
        try:
            if message.unreachable or (message.reference is None and not isinstance(message.recipient, ToUser)):
                if await self._still_mine(message):
                    error = "recipient unreachable" if message.unreachable else "no reference for this conversation"
                    await self._record(message, SendResult(status=None, error=error), final=True)
                return
            if message.reference is not None:
                result = await self._post(message.conversation_id or "", message.reference, message)
            else:
                assert isinstance(message.recipient, ToUser)
                result = await self._open_chat_and_post(message.recipient.teams_user_id, message)
            if result is not None:  # None: another sender took it over
                await self._record(message, result)
        except Exception:
            # One broken message must not stop the others; it is retried like a transient error.
            log.exception("unexpected error delivering outbox message %s", message.id)
            await self._record(message, SendResult(status=None, error="unexpected error in the sender"))

    async def _release_unstarted(self) -> None:
        """Claims this sender will not get to (it was stopped) go back to the queue at once."""
        if not self._unstarted:
            return
        ids, now = sorted(self._unstarted), self._clock.now()
        try:
            released = await self._database.run(release_claims, ids, self.claimant, now)
        except Exception as error:
            # Kept for the next try; at worst their sending lease frees them.
            log.warning("could not release %d unsent outbox claims yet (%s)", len(ids), type(error).__name__)
            return
        self._unstarted.difference_update(ids)
        if released:
            log.info("released %d outbox messages this sender had claimed but not sent", released)

    async def _still_mine(self, message: ClaimedMessage) -> bool:
        """Checked just before sending: a new leader may have taken the claim back (a handover).

        One query confirms every claim this sender holds, at most every CLAIM_RECHECK: a
        query per message would halve the sender's ceiling. A handover can thus resend what
        this sender sent in the last CLAIM_RECHECK, besides what was in flight.
        """
        if self._confirmed_recently(message.id):
            return True
        async with self._confirming:
            if self._confirmed_recently(message.id):
                return True
            held, checked_at = sorted(self._held | {message.id}), self._clock.now()
            try:
                mine = await self._database.run(claims_still_held, held, self.claimant)
            except Exception as error:
                # Unsure means do not send now: the claim is given back once the database answers.
                log.warning(
                    "could not confirm outbox message %s is still this sender's (%s)", message.id, type(error).__name__
                )
                self._unstarted.add(message.id)
                return False
            self._confirmed, self._confirmed_at = mine, checked_at
        if message.id not in mine:
            log.info("outbox message %s was taken over by another sender; not sending it", message.id)
            return False
        return True

    def _confirmed_recently(self, message_id: int) -> bool:
        return (
            self._confirmed_at is not None
            and self._clock.now() - self._confirmed_at < CLAIM_RECHECK
            and message_id in self._confirmed
        )

    async def _acquire(self, conversation_id: str | None) -> None:
        """Wait for a slot in the conversation's windows, the pace, then Teams' budget.

        The lock is held only to look and to take a slot, never while sleeping.
        """
        while True:
            async with self._pacing:
                now = self._seconds()
                wait = self._conversations.wait(conversation_id, now) if conversation_id else 0.0
                if wait <= 0:
                    wait = self._pace.wait(now)
                    if wait <= 0:
                        self._pace.take(now)
                        break
            await self._sleep(wait)
        await self._budget.acquire(reply=False)

    async def _release(self, conversation_id: str | None) -> None:
        await self._budget.release()
        if conversation_id:
            async with self._pacing:
                # Counted when answered, so that latency can never squeeze two sends together.
                self._conversations.record(conversation_id, self._seconds())

    def _seconds(self) -> float:
        return self._clock.now().timestamp()

    async def _post(
        self, conversation_id: str, reference: dict[str, object], message: ClaimedMessage
    ) -> SendResult | None:
        """Send the message; None when, by its turn to go, another sender had taken it over."""
        conversation_reference = ConversationReference().deserialize(reference)
        activity = TurnContext.apply_conversation_reference(activity_for(message.payload), conversation_reference)
        # A new message, not a reply (continue_conversation would make it a reply to a made-up id).
        activity.reply_to_id = None
        async with self._conversations_in_turn.one_at_a_time(conversation_id):
            await self._acquire(conversation_id)
            try:
                # Checked last, after waiting for the pace: a handover during the wait must
                # not let a deposed leader send what the new one now owns.
                if not await self._still_mine(message):
                    return None
                client = await self._client_for(conversation_reference.service_url)
                posted = await asyncio.wait_for(
                    self._http.post(
                        client.config.credentials, conversation_reference.service_url, conversation_id, activity
                    ),
                    timeout=self._limits.request_timeout_seconds,
                )
            except aiohttp.ClientError as error:
                return SendResult(status=None, error=f"connection failed: {error.__class__.__name__}")
            except TimeoutError:
                # It may have arrived: retrying can duplicate it, which beats losing it.
                return SendResult(status=None, error=f"no answer within {self._limits.request_timeout_seconds:g} s")
            finally:
                await self._release(conversation_id)
        if posted.ok:
            return SendResult(status=200, activity_id=posted.activity_id)
        return SendResult(
            status=posted.status,
            retry_after=_retry_after_seconds(posted.retry_after, self._clock.now()),
            error=f"{posted.status} {posted.error_code or ''}".strip(),
        )

    async def _client_for(self, service_url: str) -> ConnectorClient:
        """One connector client per serviceUrl, made by the SDK's own factory and kept.

        continue_conversation() builds two fresh msrest clients per message; their set-up
        alone costs milliseconds of event-loop time, which caps a fan-out far below Teams'
        limit. A kept client also keeps its HTTP connections and its access token.
        """
        client = self._clients.get(service_url)
        if client is None:
            factory = self._authentication.create_connector_factory(self._adapter.create_claims_identity(self._app_id))
            client = await factory.create(service_url, None)
            # The SDK's HTTP client retries 5xx itself, sleeping in a worker thread; we retry here.
            client.config.retry_policy.retries = 0
            self._clients[service_url] = client
        return client

    def _result_of(self, error: ErrorResponseException | ClientRequestError) -> SendResult:
        """What a failed request means: Teams' answer, or no answer at all."""
        if not isinstance(error, ErrorResponseException):
            return SendResult(status=None, error=f"connection failed: {error.__class__.__name__}")
        response = error.response
        status = getattr(response, "status_code", None)
        headers = getattr(response, "headers", {}) or {}
        code = getattr(getattr(error.error, "error", None), "code", None) if error.error else None
        return SendResult(
            status=status,
            retry_after=_retry_after_seconds(headers.get("Retry-After"), self._clock.now()),
            error=f"{status} {code or ''}".strip(),
        )

    async def _open_chat_and_post(self, teams_user_id: str, message: ClaimedMessage) -> SendResult | None:
        # One chat per person, even when several messages to them are sent at once.
        async with self._conversations_in_turn.one_at_a_time(f"user:{teams_user_id}"):
            chat = await self._database.run(lambda s: OutboxRepository(s).personal_chat(teams_user_id))
            if chat is None:
                result = await self._open_chat(teams_user_id)
                if isinstance(result, SendResult):
                    return result
                chat = result
        conversation_id, reference = chat
        return await self._post(conversation_id, reference, message)

    async def _open_chat(self, teams_user_id: str) -> tuple[str, dict[str, object]] | SendResult:
        target = await self._database.run(lambda s: OutboxRepository(s).new_chat_target(teams_user_id))
        if target is None:
            return SendResult(status=404, error="the bot has never seen this person in a tenant")
        created: list[dict[str, object]] = []

        async def remember_chat(turn_context: TurnContext) -> None:
            created.append(await self._remember_new_chat(turn_context, teams_user_id))

        await self._acquire(None)  # creating the chat is a request too
        try:
            await self._adapter.create_conversation(
                self._app_id,
                remember_chat,
                _chat_parameters(target),
                channel_id=target.channel_id,
                service_url=target.service_url,
            )
        except (ErrorResponseException, ClientRequestError) as error:
            return self._result_of(error)
        finally:
            await self._release(None)
        if not created:
            return SendResult(status=None, error="the SDK did not report the new chat")
        reference = created[0]
        conversation = reference.get("conversation")
        conversation_id = conversation.get("id", "") if isinstance(conversation, dict) else ""
        return str(conversation_id), reference

    async def _remember_new_chat(self, turn_context: TurnContext, teams_user_id: str) -> dict[str, object]:
        snapshot = conversation_snapshot(turn_context.activity)
        now = self._clock.now()

        def work(session: Session) -> None:
            Conversations(session).save(snapshot, now, installed=True)
            Members(session).link_personal_conversation(teams_user_id, snapshot.id)

        await self._database.run(work)
        return snapshot.reference

    # --- outcomes -------------------------------------------------------------------------

    async def _flush_records(self) -> None:
        """Store the outcomes held so far; on a database error they stay held and it raises."""
        async with self._flushing:
            delivered, works = list(self._delivered), list(self._unrecorded)
            if not delivered and not works:
                return
            now = self._clock.now()

            def work(session: Session) -> None:
                OutboxRepository(session).mark_sent_many(delivered, now)
                for other in works:
                    other(session)

            await self._database.run(work)
            # Only now are they stored; outcomes that arrived meanwhile are still held.
            del self._delivered[: len(delivered)]
            del self._unrecorded[: len(works)]

    async def _flush_soon(self) -> None:
        """Store outcomes from a delivery; a database error leaves them for the next flush."""
        try:
            await self._flush_records()
        except Exception as error:
            log.warning(
                "could not store %d outbox outcomes yet (%s); holding them",
                len(self._delivered) + len(self._unrecorded),
                type(error).__name__,
            )

    async def _record(self, message: ClaimedMessage, result: SendResult, *, final: bool = False) -> None:
        verdict = SendVerdict.FAILED if final else result.verdict
        if verdict is SendVerdict.SENT:
            self._pace.succeeded()
            self._delivered.append((message.id, result.activity_id))
            await self._outcome_held()
            return

        now = self._clock.now()
        retry = self._retry
        conversation_id = message.conversation_id
        # One delay for both the pause and the message's next attempt (backoff has jitter).
        throttle_delay = retry.throttle_delay(message.attempts, result.retry_after)
        if verdict is SendVerdict.THROTTLED:
            async with self._pacing:
                self._pace.throttled(self._seconds(), throttle_delay.total_seconds())
            log.warning("throttled by Teams (429); pausing sends for %.1f s", throttle_delay.total_seconds())

        def work(session: Session) -> None:
            outbox = OutboxRepository(session)
            if verdict is SendVerdict.UNREACHABLE:
                if conversation_id:
                    mark_unreachable(session, conversation_id, now, result.error)
                outbox.mark_failed(message.id, now, f"recipient unreachable: {result.error}", result.status)
            elif verdict is SendVerdict.THROTTLED and not retry.gives_up_throttled(message.attempts):
                # Throttling is the service's doing, not the message's: it gets more patience.
                outbox.reschedule(message.id, now + throttle_delay, now, result.error, result.status)
            elif verdict is SendVerdict.RETRY and not retry.gives_up(message.attempts):
                outbox.reschedule(message.id, now + retry.backoff(message.attempts), now, result.error, result.status)
            else:
                outbox.mark_failed(message.id, now, result.error or "failed", result.status)

        self._unrecorded.append(work)
        await self._outcome_held()
        if verdict is not SendVerdict.THROTTLED:
            log.info("outbox message %s (%s): %s %s", message.id, message.dedupe_key, verdict.value, result.error)


def _chat_parameters(target: NewChatTarget) -> ConversationParameters:
    tenant = {"tenant": {"id": target.tenant_id}} if target.tenant_id else None
    return ConversationParameters(
        is_group=False,
        bot=ChannelAccount(id=target.bot.get("id"), name=target.bot.get("name")),
        members=[ChannelAccount(id=target.teams_user_id)],
        tenant_id=target.tenant_id,
        channel_data=tenant,
    )
