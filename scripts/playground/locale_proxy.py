"""Passes the Agents Playground's activities to the bot in another language.

The playground always says its user speaks en-US; Teams sends each user's own locale. To try
the bot in Italian or Thai locally, `PLAYGROUND_LOCALE=it-IT bash scripts/run-local.sh
--playground` puts this proxy between the two: it sets the activity's locale (and the
clientInfo entity's) and forwards everything else unchanged. Replies go from the bot to
the playground directly, as in Teams.

    python scripts/playground/locale_proxy.py LOCALE LISTEN_PORT BOT_URL
"""

from __future__ import annotations

import sys

from aiohttp import ClientSession, web


def relocalized(activity: dict, locale: str) -> dict:
    entities = [
        {**entity, "locale": locale} if isinstance(entity, dict) and entity.get("type") == "clientInfo" else entity
        for entity in activity.get("entities") or []
    ]
    return {**activity, "locale": locale, "entities": entities}


def make_app(locale: str, bot_url: str) -> web.Application:
    async def forward(request: web.Request) -> web.Response:
        activity = await request.json()
        headers = {name: value for name, value in request.headers.items() if name.lower() == "authorization"}
        async with request.app["client"].post(bot_url, json=relocalized(activity, locale), headers=headers) as reply:
            return web.Response(status=reply.status, body=await reply.read(), content_type=reply.content_type)

    async def client(app: web.Application):
        async with ClientSession() as session:
            app["client"] = session
            yield

    app = web.Application()
    app.router.add_post("/api/messages", forward)
    app.cleanup_ctx.append(client)
    return app


if __name__ == "__main__":
    locale, port, bot_url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    web.run_app(make_app(locale, bot_url), host="127.0.0.1", port=port, print=None)
