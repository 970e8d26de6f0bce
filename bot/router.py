"""Command dispatch: handlers are registered explicitly; the role check happens here, on the server."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import TurnContext

from domain.commands import Command
from domain.i18n import Translator
from domain.program import UserContext

log = logging.getLogger(__name__)

CommandHandler = Callable[[TurnContext, UserContext], Awaitable[None]]


class CommandRouter:
    def __init__(self, translate: Translator) -> None:
        self._translate = translate
        self._handlers: dict[str, CommandHandler] = {}

    def register(self, command: Command, handler: CommandHandler) -> None:
        if command.id in self._handlers:
            raise ValueError(f"a handler for {command.id!r} is already registered")
        self._handlers[command.id] = handler

    def handles(self, command: Command) -> bool:
        return command.id in self._handlers

    async def dispatch(self, turn_context: TurnContext, user: UserContext, command: Command) -> bool:
        """Run the command for this user; False (and a polite refusal) if their role may not."""
        if not command.allows(user.role):
            log.info(
                "refused %s (%s) the lead-only command %r",
                user.identity.teams_user_id,
                user.role.value,
                command.id,
            )
            await turn_context.send_activity(self._translate("access.leads_only", user.identity.locale))
            return False
        await self._handlers[command.id](turn_context, user)
        return True
