"""The turn pipeline: tenant gate -> de-duplication -> recognise user and conversation."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from botbuilder.core import CloudAdapterBase, InvokeResponse, Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from botbuilder.schema.teams import TeamsChannelAccount
from botframework.connector.models import ErrorResponseException
from sqlmodel import Session

from bot.keyed_locks import KeyedLocks
from bot.services import USER_CONTEXT_KEY, BotServices
from bot.state import PerUserConversationState
from bot.teams import conversation_snapshot, identity_of, is_sender_turn, tenant_id_of
from domain.ports import ConversationKind
from domain.program import UserContext, recognise_user, recognised
from storage.champions import Champions
from storage.program import Leads
from storage.repositories import ActivityLedger, Conversations, Members
from storage.turn_facts import TurnFacts, read_turn_facts
from storage.workplaces import Workplaces, workplace_from

log = logging.getLogger(__name__)
# The roster lookup is one outbound call on the turn: bounded, so a turn answers well within Teams' 15 s.
ROSTER_LOOKUP_SECONDS = 2.5
# (connect, read) seconds for a reply in a turn.
REPLY_TIMEOUT = (2.0, 2.5)
Next = Callable[[], Awaitable[None]]

# A roster lookup that answers one of these will not succeed on retry (unknown member,
# bot not allowed): remember that we tried. Anything else is retried on a later turn.
FINAL_LOOKUP_STATUSES = frozenset({HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST})


async def _answer_invoke(turn_context: TurnContext, status: HTTPStatus) -> None:
    if turn_context.activity.type == ActivityTypes.invoke:
        await turn_context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=int(status)))
        )


class BoundedReplies(Middleware):
    """Replies in a turn fail fast when the Bot Connector does not answer.

    The SDK's connector client for a turn waits up to 100 s per request and retries 5xx
    itself, so one turn against an unreachable connector took about 15 s, when Teams
    re-delivers. Here a reply gets a connect and a read timeout and no hidden retries: the
    turn answers in a few seconds either way.
    """

    async def on_turn(self, context: TurnContext, logic: Next) -> None:
        client = context.turn_state.get(CloudAdapterBase.BOT_CONNECTOR_CLIENT_KEY)
        config = getattr(client, "config", None)
        if config is not None:
            config.retry_policy.retries = 0
            config.connection.timeout = REPLY_TIMEOUT
        await logic()


class TenantGate(Middleware):
    """Only tenants on the allow-list get through (the JWT does not prove the tenant)."""

    def __init__(self, services: BotServices) -> None:
        self._services = services

    async def on_turn(self, context: TurnContext, logic: Next) -> None:
        allowed = self._services.tenant_allow_list
        tenant = tenant_id_of(context.activity)
        if not allowed or tenant in allowed or is_sender_turn(context.activity):
            await logic()
            return
        log.warning(
            "refused activity %s of type %s from tenant %s (not in ALLOWED_TENANTS)",
            context.activity.id,
            context.activity.type,
            tenant,
        )
        if context.activity.type == ActivityTypes.message:
            await context.send_activity(self._services.translate("tenant.refused", context.activity.locale))
        await _answer_invoke(context, HTTPStatus.FORBIDDEN)


class OneTurnAtATime(Middleware):
    """One turn at a time per person per conversation: a double-clicked card is handled after
    the first click's turn, and sees the state that turn saved (read, used and saved within)."""

    def __init__(self) -> None:
        self._turns = KeyedLocks()

    async def on_turn(self, context: TurnContext, logic: Next) -> None:
        activity = context.activity
        sender = activity.from_property.id if activity.from_property else ""
        async with self._turns.one_at_a_time(f"{activity.conversation.id if activity.conversation else ''}/{sender}"):
            await logic()


class TurnBookkeeping(Middleware):
    """Before the turn: drop a re-delivered activity (Teams re-sends when the bot is slow), keep
    the newest conversation reference, recognise the sender, and read their dialog state (so
    that the turn does not read it again).

    One statement reads it all and records the activity as seen, committed on its own (on
    PostgreSQL one round trip, where it was nine). Most turns change nothing stored and are
    done; one that must write (a new member, a changed conversation) does so in a transaction
    after, and if that fails the activity is forgotten again, so that Teams' re-delivery is
    answered."""

    def __init__(self, services: BotServices, dialog_state: PerUserConversationState) -> None:
        self._services = services
        self._dialog_state = dialog_state

    async def on_turn(self, context: TurnContext, logic: Next) -> None:
        activity = context.activity
        if activity.conversation is None or is_sender_turn(activity):
            await logic()
            return
        services = self._services
        deduplicate = bool(activity.id)
        track = bool(activity.service_url)
        if not deduplicate and not track:
            await logic()
            return
        snapshot = conversation_snapshot(activity) if track else None
        identity = identity_of(activity) if track else None
        now = services.clock.now()
        personal_id = snapshot.id if snapshot is not None and snapshot.kind is ConversationKind.PERSONAL else None
        recipient_id = getattr(activity.recipient, "id", None)
        state_key = self._dialog_state.storage_key_or_none(context)

        conversation_id = activity.conversation.id
        sender_id = activity.from_property.id if identity is not None and activity.from_property else None
        recognise = identity is not None and sender_id != recipient_id
        arrival = (activity.id, now) if deduplicate else None

        def read(session: Session) -> tuple[TurnFacts, UserContext | None, bool]:
            """Everything in one statement, which records the activity as seen; the sender as
            recognised when this activity changes nothing stored. The last item is False when
            the turn must write first (a new member, a changed conversation, a refreshed 'last
            seen'): then the sender is recognised by the writing."""
            facts = read_turn_facts(session, conversation_id, sender_id if recognise else None, state_key, arrival)
            if not facts.first_delivery:
                return facts, None, True
            if snapshot is not None and not Conversations.would_keep(facts.conversation, snapshot, now, installed=True):
                return facts, None, False
            if not recognise:
                return facts, None, True
            assert identity is not None
            seen = Members.seen_unchanged(facts.member, identity, now, personal_id)
            if seen is None or not facts.keys_as_looked_up:
                return facts, None, False
            workplace = workplace_from(facts.directory_unit, seen.declared, seen.asked)
            return facts, recognised(seen, facts.champion_status, facts.listed_role, workplace, services.roles), True

        def write(session: Session) -> UserContext | None:
            assert snapshot is not None  # without one there is nothing to write
            # Any activity means the bot is (again) in the conversation; a removal is recorded after.
            Conversations(session).save(snapshot, now, installed=True)
            if not recognise:
                return None
            assert identity is not None
            return recognise_user(
                identity,
                Members(session),
                Champions(session),
                services.roles,
                Leads(session),
                now,
                personal_id,
                Workplaces(session),
            )

        facts, user, complete = await services.database.run_autocommit(read)
        if not complete:
            # Recorded as seen already: if writing fails, the activity is forgotten again, so
            # that Teams' re-delivery of it is answered.
            try:
                user = await services.database.run(write)
            except Exception:
                if arrival is not None:
                    await self._forget(conversation_id, activity.id)
                raise
        first, stored = facts.first_delivery, facts.state
        if state_key:
            self._dialog_state.prime(context, stored)
        if not first:
            log.info("ignored re-delivery of activity %s in %s", activity.id, activity.conversation.id)
            await _answer_invoke(context, HTTPStatus.OK)
            return
        if user is not None and user.needs_profile and activity.channel_id == "msteams":
            user = await self._complete_profile(context, user)
        if user is not None:
            context.turn_state[USER_CONTEXT_KEY] = user
        await logic()

    async def _forget(self, conversation_id: str, activity_id: str) -> None:
        try:
            await self._services.database.run_autocommit(
                lambda s: ActivityLedger(s).forget(conversation_id, activity_id)
            )
        except Exception:
            log.exception(
                "could not forget activity %s in %s: a re-delivery will be ignored", activity_id, conversation_id
            )

    async def _complete_profile(self, context: TurnContext, user: UserContext) -> UserContext:
        """Ask the Teams roster once for the sender's email and UPN (leads may be listed by them)."""
        from botbuilder.core.teams import TeamsInfo

        teams_user_id = user.identity.teams_user_id
        try:
            member: TeamsChannelAccount = await asyncio.wait_for(
                TeamsInfo.get_member(context, teams_user_id), ROSTER_LOOKUP_SECONDS
            )
        except ErrorResponseException as error:
            status = getattr(error.response, "status_code", None)
            if status not in FINAL_LOOKUP_STATUSES:
                log.warning("roster lookup for %s failed with %s; will retry later", teams_user_id, status)
                return user
            log.info("roster lookup for %s answered %s", teams_user_id, status)
            email = upn = name = None
        except Exception as error:
            # Unreachable connector, timeout, token failure, an answer that is not JSON...
            log.warning("roster lookup for %s failed (%s); will retry later", teams_user_id, type(error).__name__)
            return user
        else:
            email = (member.email or "").lower() or None
            upn = (member.user_principal_name or "").lower() or None
            name = member.name or None
        services = self._services
        now = services.clock.now()

        def work(session: Session) -> UserContext:
            # The roster also knows the name, which some events (conversationUpdate) leave out.
            Members(session).save_profile(teams_user_id, email, upn, now, None if user.identity.display_name else name)
            status = Champions(session).status_of(teams_user_id)
            return user.with_profile(email, upn, services.roles, status, Leads(session), name, Workplaces(session))

        return await services.database.run(work)
