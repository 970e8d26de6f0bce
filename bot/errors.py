"""The one error hook for turns: log it, apologise, clear only this user's dialog state."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.state import PerUserConversationState
from domain.i18n import Translator

log = logging.getLogger(__name__)

TurnErrorHandler = Callable[[TurnContext, Exception], Awaitable[None]]


def make_turn_error_handler(translate: Translator, dialog_state: PerUserConversationState) -> TurnErrorHandler:
    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        activity = turn_context.activity
        # Never log the activity body or headers: they may hold personal data or tokens.
        log.error(
            "turn failed: activity %s (%s) in conversation %s",
            activity.id,
            activity.type,
            activity.conversation.id if activity.conversation else None,
            exc_info=(type(error), error, error.__traceback__),
        )
        try:
            await dialog_state.clear_user(turn_context)
        except Exception:  # a broken database must not hide the original error
            log.exception("could not clear dialog state after a failed turn %s", activity.id)
        apology = translate("error.apology", activity.locale)
        try:
            if activity.type == ActivityTypes.invoke:
                # A card action shows the apology in place of the card's spinner.
                body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": apology}
                await turn_context.send_activity(
                    Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
                )
            elif activity.type == ActivityTypes.message:
                await turn_context.send_activity(apology)
        except Exception:
            log.exception("could not send the apology for activity %s", activity.id)

    return on_turn_error
