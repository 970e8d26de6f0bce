"""Bare botbuilder echo endpoints: the SDK's own cost, as the benchmarks' baselines.

Kept beside the real transport so that a move to another SDK moves the baselines with it.
`bare` is the SDK as its samples use it (a new connector client per turn); `kept_clients`
is the same echo with the clients this app keeps across turns, a stricter baseline;
`remembering` is the kept-clients echo plus the one write no correct bot can skip: recording
the activity's id, so that a re-delivery is not answered twice (the floor of a real turn).
"""

from __future__ import annotations

from typing import Literal

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from sqlmodel import Session

from bot.assembly import bot_framework_authentication, sdk_configuration
from config import Settings
from domain.clock import Clock, SystemClock
from storage.database import Database
from storage.repositories import ActivityLedger

EchoKind = Literal["bare", "kept_clients", "remembering"]


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


class RememberingEchoBot(EchoBot):
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        conversation_id, activity_id, now = activity.conversation.id, activity.id, self._clock.now()

        def remember(session: Session) -> bool:
            return ActivityLedger(session).first_delivery(conversation_id, activity_id, now)

        if await self._database.run(remember):
            await super().on_message_activity(turn_context)


def echo_app(settings: Settings, kind: EchoKind = "bare") -> web.Application:
    if kind == "bare":
        authentication = ConfigurationBotFrameworkAuthentication(sdk_configuration(settings))
    else:
        authentication = bot_framework_authentication(settings)
    adapter = CloudAdapter(authentication)
    bot = EchoBot()
    if kind == "remembering":
        database = Database(settings.database_url)
        bot = RememberingEchoBot(database, SystemClock())

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response or web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app
