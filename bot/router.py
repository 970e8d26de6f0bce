"""Dispatch: handlers are registered explicitly; the role check happens here, on the server.

Two kinds of entry: text commands (typed, or a card button naming a command) and card
actions (an `Action.Execute` verb with data). Both are checked against the user's role
as decided for this turn, so a crafted card submit cannot skip the check.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from domain.commands import EVERYONE, Command
from domain.i18n import Translator
from domain.program import UserContext
from domain.roles import Role
from domain.turn import Turn

log = logging.getLogger(__name__)

CommandHandler = Callable[[Turn, UserContext, str], Awaitable[None]]
# A card action answers with what replaces the card (an Adaptive Card) or a short message.
CardActionHandler = Callable[[Turn, UserContext, dict[str, Any]], Awaitable["CardReply"]]
# Runs before a command and may take the turn over (True), e.g. to ask a question first.
Interceptor = Callable[[Turn, UserContext, Command, str], Awaitable[bool]]
# Takes a message that carries pictures and no command (True), e.g. a hunt's evidence; the
# argument is what was typed with them.
FileTaker = Callable[[Turn, UserContext, str], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class CardReply:
    card: dict[str, Any] | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class CardAction:
    verb: str
    handler: CardActionHandler
    roles: frozenset[Role] = EVERYONE


class CommandRouter:
    def __init__(self, translate: Translator) -> None:
        self._translate = translate
        self._handlers: dict[str, CommandHandler] = {}
        self._actions: dict[str, CardAction] = {}
        self._interceptors: list[Interceptor] = []
        self._file_takers: list[FileTaker] = []

    def register(self, command: Command, handler: CommandHandler) -> None:
        if command.id in self._handlers:
            raise ValueError(f"a handler for {command.id!r} is already registered")
        self._handlers[command.id] = handler

    def register_action(self, verb: str, handler: CardActionHandler, roles: frozenset[Role] = EVERYONE) -> None:
        if verb in self._actions:
            raise ValueError(f"a handler for the card verb {verb!r} is already registered")
        self._actions[verb] = CardAction(verb, handler, roles)

    def add_interceptor(self, interceptor: Interceptor) -> None:
        self._interceptors.append(interceptor)

    def add_file_taker(self, taker: FileTaker) -> None:
        self._file_takers.append(taker)

    async def take_files(self, turn: Turn, user: UserContext, text: str) -> bool:
        """Offer a message's pictures to whichever feature expects some from this person."""
        for take in self._file_takers:
            if await take(turn, user, text):
                return True
        return False

    def handles(self, command: Command) -> bool:
        return command.id in self._handlers

    def action(self, verb: str) -> CardAction | None:
        return self._actions.get(verb)

    async def dispatch(self, turn: Turn, user: UserContext, command: Command, argument: str = "") -> bool:
        """Run the command for this user; False (and a polite refusal) if their role may not."""
        if not command.allows(user.role):
            self._log_refusal(user, command.id)
            await turn.say(self._translate(_refusal(command.roles), user.identity.locale))
            return False
        for intercept in self._interceptors:
            if await intercept(turn, user, command, argument):
                return True
        await self._handlers[command.id](turn, user, argument)
        return True

    async def run_action(self, turn: Turn, user: UserContext, action: CardAction, data: dict[str, Any]) -> CardReply:
        if user.role not in action.roles:
            self._log_refusal(user, action.verb)
            return CardReply(message=self._translate(_refusal(action.roles), user.identity.locale))
        return await action.handler(turn, user, data)

    @staticmethod
    def _log_refusal(user: UserContext, what: str) -> None:
        log.info("refused %s (%s) the action %r", user.identity.teams_user_id, user.role.value, what)


def _refusal(roles: frozenset[Role]) -> str:
    """Why someone may not: champions' own commands say how to become one."""
    if Role.CHAMPION in roles:
        return "access.champions_only"
    return "access.sponsors_only" if Role.SPONSOR in roles else "access.leads_only"
