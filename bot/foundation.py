"""`help` and the lead's `status`: what every installation has."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.router import CommandRouter
from bot.services import BotServices
from domain.commands import HELP, PROGRAM_STATUS
from domain.program import ProgramStatus, UserContext, program_status
from domain.turn import Turn
from storage.champions import Champions
from storage.repositories import Conversations, Members
from views.cards import help_card, status_card


def help_card_for(services: BotServices, user: UserContext, unknown_text: str | None = None) -> dict[str, Any]:
    """The help card for this user: what their role can do, in their language."""
    commands = services.commands.available_to(user.role)
    return help_card(services.translate, user.identity.locale, user.role, commands, unknown_text)


def _program_status(session: Session) -> ProgramStatus:
    return program_status(Members(session), Conversations(session), Champions(session))


def register(router: CommandRouter, services: BotServices) -> None:
    async def show_help(turn: Turn, user: UserContext, _argument: str) -> None:
        await turn.send_card(help_card_for(services, user))

    async def show_status(turn: Turn, user: UserContext, _argument: str) -> None:
        status = await services.database.run(_program_status)
        await turn.send_card(status_card(services.translate, user.identity.locale, status, services.version))

    router.register(HELP, show_help)
    router.register(PROGRAM_STATUS, show_status)
