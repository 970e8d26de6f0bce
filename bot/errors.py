"""The one error hook for turns: log it, apologise, and forget the user's dialog only if it failed.

A dialog that raised may be stuck, so it is cleared. Anything else (a database hiccup, a
command that failed outside a dialog, a state write that lost to another turn) leaves the
dialog as it was: clearing it would throw away answers another turn just saved, and under a
locked database it would wait for the lock a second time.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from msrest.exceptions import ClientRequestError
from sqlalchemy.exc import SQLAlchemyError

from bot.state import PerUserConversationState
from dialogs.host import DIALOG_FAILED
from domain.i18n import Translator

log = logging.getLogger(__name__)

TurnErrorHandler = Callable[[TurnContext, Exception], Awaitable[None]]


def make_turn_error_handler(translate: Translator, dialog_state: PerUserConversationState) -> TurnErrorHandler:
    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        activity = turn_context.activity
        if isinstance(error, ClientRequestError | TimeoutError | aiohttp.ClientError):
            # The Bot Connector did not answer: an apology could not reach anyone either.
            log.warning("turn %s could not reach the Bot Connector: %s", activity.id, type(error).__name__)
            return
        # Never log the activity body or headers: they may hold personal data or tokens.
        log.error(
            "turn failed: activity %s (%s) in conversation %s",
            activity.id,
            activity.type,
            activity.conversation.id if activity.conversation else None,
            exc_info=(type(error), error, error.__traceback__),
        )
        if turn_context.turn_state.get(DIALOG_FAILED) and not isinstance(error, SQLAlchemyError):
            try:
                await dialog_state.clear_user(turn_context)
            except Exception as clearing:  # a broken database must not hide the original error
                log.warning("could not clear the dialog after failed turn %s: %s", activity.id, type(clearing).__name__)
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
