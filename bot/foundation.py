"""`help`, and the lead's `status` and `audit`: what every installation has."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.router import CommandRouter
from bot.services import BotServices
from domain.commands import AUDIT, HELP, PROGRAM_STATUS
from domain.i18n import Texts
from domain.program import AuditLine, ProgramStatus, UserContext, program_status
from domain.turn import Turn
from storage.audit import AuditEntry, AuditTrail
from storage.champions import Champions
from storage.repositories import Conversations, Members
from views.cards import audit_card, help_card, status_card


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

    async def show_audit(turn: Turn, user: UserContext, argument: str) -> None:
        t = Texts(services.translate, user.identity.locale, user.identity.timezone)
        wanted = argument.strip()

        def latest(session: Session) -> list[AuditEntry]:
            trail = AuditTrail(session)
            if not wanted:
                return trail.entries(limit=AUDIT_LINES)
            # An action ("points", "story.publish") or part of a lead's name.
            by_action = trail.entries(limit=AUDIT_LINES, action=wanted.lower())
            return by_action or trail.entries(limit=AUDIT_LINES, actor=wanted)

        entries = await services.database.run(latest)
        lines = [AuditLine(entry.at, entry.actor, _action_label(t, entry.action), entry.subject) for entry in entries]
        await turn.send_card(audit_card(t, lines, wanted))

    router.register(HELP, show_help)
    router.register(PROGRAM_STATUS, show_status)
    router.register(AUDIT, show_audit)


# The `audit` card's length: the latest actions; filters narrow it, the CSV export has them all.
AUDIT_LINES = 15


def _action_label(t: Texts, action: str) -> str:
    """The action in the reader's words; its code when no text names it (a newer feature's)."""
    try:
        return t(f"audit.action.{action}")
    except KeyError:
        return action
