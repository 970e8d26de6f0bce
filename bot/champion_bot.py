"""The activity handler: turns Teams events into program actions."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ActivityTypes, ChannelAccount
from sqlmodel import Session

from bot.foundation import help_card_for
from bot.router import CommandRouter
from bot.services import USER_CONTEXT_KEY, BotServices
from bot.state import PerUserConversationState
from bot.teams import base_conversation_id, bot_was_added, command_text, conversation_kind, sent_files
from bot.turn import TeamsTurn
from dialogs.cards import attachment
from dialogs.form import is_form_word, leave_form_card
from dialogs.host import DialogHost
from domain.commands import CANCEL, HELP, Command, CommandMatch
from domain.i18n import Texts
from domain.ports import ConversationKind
from domain.program import UserContext
from storage.repositories import Conversations
from storage.state_store import StateConflict
from views.cards import ARGUMENT_FIELD, COMMAND_FIELD, COMMAND_VERB, did_you_mean_card, plain

log = logging.getLogger(__name__)

CARD_RESPONSE = "application/vnd.microsoft.card.adaptive"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
ERROR_RESPONSE = "application/vnd.microsoft.error"
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"


class ChampionCircleBot(TeamsActivityHandler):
    def __init__(
        self, services: BotServices, state: PerUserConversationState, dialogs: DialogHost, router: CommandRouter
    ) -> None:
        self._services = services
        self._state = state
        self._dialogs = dialogs
        self._router = router

    async def on_turn(self, turn_context: TurnContext) -> None:
        # Runs inside OneTurnAtATime (middleware): a person's turns in a conversation come one
        # after another, each seeing the state the previous one saved.
        await super().on_turn(turn_context)
        try:
            await self._state.save_or_forget(turn_context)
        except StateConflict:
            # Another replica saved this person's dialog first: theirs stands, this changes nothing.
            log.info("dialog state of activity %s lost to a concurrent turn", turn_context.activity.id)
            if turn_context.activity.type == ActivityTypes.message:
                await turn_context.send_activity(
                    self._services.translate("form.already_got", turn_context.activity.locale)
                )

    # --- messages -------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        user: UserContext | None = turn_context.turn_state.get(USER_CONTEXT_KEY)
        if user is None:
            return
        text = command_text(turn_context.activity)
        # Prompts read activity.text: give them the words without the @mention.
        turn_context.activity.text = text
        submitted = self._submitted_command(turn_context.activity.value)
        matched = (
            CommandMatch(submitted, _submitted_argument(turn_context.activity.value))
            if submitted
            else self._services.commands.match_with_argument(text)
        )
        command = matched.command if matched else None
        argument = matched.argument if matched else ""
        dialog_active = await self._dialogs.is_active(turn_context)

        if command is not None and command.id == CANCEL.id:
            cancelled = await self._dialogs.cancel_all(turn_context)
            await turn_context.send_activity(self._t("cancel.done" if cancelled else "cancel.nothing", user))
            return
        if command is not None and command.id == HELP.id:
            await self._router.dispatch(TeamsTurn(turn_context), user, command)
            if dialog_active:
                await self._dialogs.reprompt(turn_context)
            return
        if dialog_active and await self._close_if_expired(turn_context, user):
            dialog_active = False
        if dialog_active and submitted is not None and _leaving_form(turn_context.activity.value):
            await self._dialogs.cancel_all(turn_context)
            dialog_active = False
        if dialog_active and isinstance(kept := _kept_answer(turn_context.activity.value), str):
            # "No, that's my answer": the words go to the dialog as if typed, whatever kind it is.
            turn_context.activity.text, turn_context.activity.value = kept, None
            await self._dialogs.continue_active(turn_context)
        elif dialog_active:
            # A whole command typed (or a command's button pressed) mid-form is probably not an
            # answer: ask rather than take it as one, and never lose it.
            typed_command = not argument and not is_form_word(text)
            if command is not None and self._router.handles(command) and (submitted or typed_command):
                await self._ask_to_leave(turn_context, user, command, argument, text)
            else:
                await self._dialogs.continue_active(turn_context)
        elif command is not None and self._router.handles(command):
            await self._router.dispatch(TeamsTurn(turn_context), user, command, argument)
        elif sent_files(turn_context.activity):
            if not await self._router.take_files(TeamsTurn(turn_context), user, text):
                await turn_context.send_activity(self._t("files.not_expected", user))
        else:
            await self._send_help(turn_context, user, unknown_text=text or None)

    async def _close_if_expired(self, turn_context: TurnContext, user: UserContext) -> bool:
        """End a form untouched for longer than its lifetime, and say so (once: it is gone after)."""
        touched = self._state.touched_at(turn_context)
        if touched is None or self._services.clock.now() - touched <= self._services.form_lifetime:
            return False
        await self._dialogs.cancel_all(turn_context)
        texts = Texts(self._services.translate, user.identity.locale, user.identity.timezone)
        await turn_context.send_activity(texts("form.expired", when=touched))
        return True

    async def _ask_to_leave(
        self, turn_context: TurnContext, user: UserContext, command: Command, argument: str, text: str
    ) -> None:
        label = self._t(f"command.{command.id}.label", user)
        card = leave_form_card(
            self._t("form.leave_question", user, command=label),
            leave=(self._t("form.leave", user, command=label), _leave_data(command, argument)),
            keep=(self._t("form.keep_answer", user), {KEPT_ANSWER_FIELD: text}) if text else None,
        )
        await turn_context.send_activity(MessageFactory.attachment(attachment(card)))

    def _submitted_command(self, value: Any) -> Command | None:
        """An Action.Submit card button arrives as a message whose value names the command."""
        if isinstance(value, dict) and isinstance(value.get(COMMAND_FIELD), str):
            return self._services.commands.get(value[COMMAND_FIELD])
        return None

    async def _send_help(self, turn_context: TurnContext, user: UserContext, unknown_text: str | None) -> None:
        suggestion = self._suggest(user, unknown_text) if unknown_text else None
        if suggestion is not None:
            meant, phrase = suggestion
            question = self._t("help.did_you_mean", user, phrase=plain(phrase))
            card = did_you_mean_card(
                question, phrase, meant.command.id, meant.argument, self._t("command.help.label", user)
            )
            await turn_context.send_activity(MessageFactory.attachment(attachment(card)))
            return
        await turn_context.send_activity(
            MessageFactory.attachment(attachment(help_card_for(self._services, user, unknown_text)))
        )

    def _suggest(self, user: UserContext, text: str) -> tuple[CommandMatch, str] | None:
        """The user's words corrected to the nearest command in their language, if one is close."""
        translate, locale = self._services.translate, user.identity.locale

        def phrases_of(command: Command) -> tuple[str, ...]:
            key = f"command.{command.id}"
            return translate.words_in(f"{key}.phrases", locale) + translate.words_in(f"{key}.prefixes", locale)

        return self._services.commands.suggest(text, user.role, phrases_of)

    def _t(self, key: str, user: UserContext, **params: object) -> str:
        return self._services.translate(key, user.identity.locale, **params)

    # --- card actions (Action.Execute) ----------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        if turn_context.activity.name != ADAPTIVE_CARD_ACTION:
            if not isinstance(turn_context.activity.value, dict):
                # Every invoke the SDK dispatches reads its value as an object (file consent,
                # messaging extensions, task modules...): without one it would fail the turn.
                return InvokeResponse(status=int(HTTPStatus.BAD_REQUEST))
            return await super().on_invoke_activity(turn_context)
        # Answered as plain JSON: the SDK's AdaptiveCardInvokeResponse cannot serialise the
        # string `value` Teams expects for a message response.
        return InvokeResponse(status=int(HTTPStatus.OK), body=await self._card_action(turn_context))

    async def _card_action(self, turn_context: TurnContext) -> dict[str, Any]:
        user: UserContext | None = turn_context.turn_state.get(USER_CONTEXT_KEY)
        action = _dict_at(turn_context.activity.value, "action")
        if action.get("type") != "Action.Execute":
            return _error_response(HTTPStatus.BAD_REQUEST, "BadRequest", "expected an Action.Execute action")
        data = _dict_at(action, "data")
        verb = action.get("verb")
        card_action = self._router.action(verb) if isinstance(verb, str) and verb != COMMAND_VERB else None
        if card_action is not None:
            if user is None:
                return _message_response(self._services.translate("card.action_unknown", turn_context.activity.locale))
            reply = await self._router.run_action(TeamsTurn(turn_context), user, card_action, data)
            return _card_response(reply.card) if reply.card is not None else _message_response(reply.message)
        command_id = data.get(COMMAND_FIELD) if verb == COMMAND_VERB else None
        command = self._services.commands.get(command_id) if isinstance(command_id, str) else None
        if user is None or command is None or not self._router.handles(command):
            locale = user.identity.locale if user else turn_context.activity.locale
            return _message_response(self._services.translate("card.action_unknown", locale))
        if command.id == HELP.id:
            return _card_response(help_card_for(self._services, user))
        await self._router.dispatch(TeamsTurn(turn_context), user, command)
        return _message_response("")

    # --- installation and membership ------------------------------------------------------

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._introduce(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self._mark_uninstalled(turn_context)

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        # The SDK looks up every added member in the roster (one request each, and the turn
        # fails on a 404); the bot only needs to know whether it was added itself.
        await self.on_members_added_activity(members_added, turn_context)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        if bot_was_added(turn_context.activity):
            await self._introduce(turn_context)

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        recipient_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == recipient_id for member in members_removed):
            await self._mark_uninstalled(turn_context)

    async def _introduce(self, turn_context: TurnContext) -> None:
        """Greet once per conversation: Teams sends both installationUpdate and conversationUpdate."""
        activity = turn_context.activity
        conversation_id = base_conversation_id(activity.conversation.id)
        now = self._services.clock.now()
        first = await self._services.database.run(
            lambda session: Conversations(session).claim_introduction(conversation_id, now)
        )
        if not first:
            return
        locale = activity.locale
        if conversation_kind(activity) is ConversationKind.PERSONAL:
            user: UserContext | None = turn_context.turn_state.get(USER_CONTEXT_KEY)
            name = (user.identity.display_name if user else "").strip()
            text = (
                self._services.translate("greeting.personal", locale, name=name.split(" ", 1)[0])
                if name
                else self._services.translate("greeting.personal_unnamed", locale)
            )
        else:
            record = await self._services.database.run(lambda session: Conversations(session).get(conversation_id))
            team = record.team_name if record else None
            text = (
                self._services.translate("greeting.team", locale, team=team)
                if team
                else self._services.translate("greeting.team_unnamed", locale)
            )
        await turn_context.send_activity(text)

    async def _mark_uninstalled(self, turn_context: TurnContext) -> None:
        conversation_id = base_conversation_id(turn_context.activity.conversation.id)
        now = self._services.clock.now()

        def work(session: Session) -> None:
            Conversations(session).set_installed(conversation_id, False, now)

        await self._services.database.run(work)
        log.info("bot removed from conversation %s", conversation_id)


LEAVE_FORM_FIELD = "leave_form"
KEPT_ANSWER_FIELD = "answer_as_typed"


def _kept_answer(value: Any) -> str | None:
    answer = value.get(KEPT_ANSWER_FIELD) if isinstance(value, dict) else None
    return answer if isinstance(answer, str) else None


def _leave_data(command: Command, argument: str) -> dict[str, Any]:
    return {COMMAND_FIELD: command.id, ARGUMENT_FIELD: argument, LEAVE_FORM_FIELD: True}


def _submitted_argument(value: Any) -> str:
    argument = value.get(ARGUMENT_FIELD) if isinstance(value, dict) else None
    return argument.strip() if isinstance(argument, str) else ""


def _leaving_form(value: Any) -> bool:
    return isinstance(value, dict) and value.get(LEAVE_FORM_FIELD) is True


def _dict_at(container: Any, key: str) -> dict[str, Any]:
    """container[key] when both are JSON objects, else {} (card payloads are user input)."""
    value = container.get(key) if isinstance(container, dict) else None
    return value if isinstance(value, dict) else {}


def _message_response(text: str) -> dict[str, Any]:
    return {"statusCode": int(HTTPStatus.OK), "type": MESSAGE_RESPONSE, "value": text}


def _card_response(card: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": int(HTTPStatus.OK), "type": CARD_RESPONSE, "value": card}


def _error_response(status: HTTPStatus, code: str, message: str) -> dict[str, Any]:
    return {"statusCode": int(status), "type": ERROR_RESPONSE, "value": {"code": code, "message": message}}
