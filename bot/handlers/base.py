"""What every feature's handlers share: the services, the dialogs, messaging, and small helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext

from bot.services import BotServices
from dialogs.host import DialogHost
from domain.program import UserContext
from views.champions import Texts
from workflows.messaging import Messaging


@dataclass(frozen=True, slots=True)
class FeatureHandlers:
    services: BotServices
    dialogs: DialogHost
    messaging: Messaging

    def texts(self, user: UserContext) -> Texts:
        return Texts(self.services.translate, user.identity.locale)

    def now(self) -> datetime:
        return self.services.clock.now()

    def program_today(self) -> date:
        """Today where the program lives (its DEFAULT_TIMEZONE)."""
        return self.now().astimezone(ZoneInfo(self.services.timezone)).date()

    async def db(self, work: Any) -> Any:
        return await self.services.database.run(work)

    async def say(self, turn_context: TurnContext, text: str) -> None:
        await turn_context.send_activity(text)


def name_of(user: UserContext) -> str:
    """How a lead's name appears on decisions and in the ledger."""
    identity = user.identity
    return identity.display_name or identity.email or identity.teams_user_id
