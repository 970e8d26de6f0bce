"""A bare botbuilder echo endpoint: the SDK's own cost, as the baseline benchmarks compare to.

Kept beside the real transport so that a move to another SDK moves the baseline with it.
"""

from __future__ import annotations

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter

from bot.assembly import bot_framework_authentication
from config import Settings


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def echo_app(settings: Settings) -> web.Application:
    adapter = CloudAdapter(bot_framework_authentication(settings))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response or web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app
