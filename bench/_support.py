"""Not a benchmark: what the benchmarks share (the bot's settings, a Teams-shaped message, a local server)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from config import Settings

TENANT = "11111111-2222-3333-4444-555555555555"


def bot_settings(database_url: str) -> Settings:
    """The bot in anonymous local mode on this database, background work off."""
    return Settings(
        _env_file=None,
        MicrosoftAppId="",
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        ALLOWED_TENANTS=TENANT,
        RUN_BACKGROUND_WORK=False,
        # The benchmarks measure the bot, not Teams: their connectors have no limit, so
        # neither do replies (bench/fanout.py sets Teams' limit where it measures it).
        TEAMS_REQUESTS_PER_SECOND=1000,
    )


def personal_message(
    connector_url: str, activity_id: str, teams_user_id: str, name: str, conversation_id: str, text: str
) -> dict[str, Any]:
    """A message in someone's personal chat with the bot, as Teams posts it."""
    return {
        "type": "message",
        "id": activity_id,
        "timestamp": datetime.now(UTC).isoformat(),
        "serviceUrl": connector_url,
        "channelId": "msteams",
        "from": {"id": teams_user_id, "name": name},
        "conversation": {"conversationType": "personal", "id": conversation_id, "tenantId": TENANT},
        "recipient": {"id": "28:bot", "name": "Champion Circle"},
        "locale": "en-US",
        "text": text,
        "channelData": {"tenant": {"id": TENANT}},
    }


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """Serve `app` on a free local port; its runner and base URL ("http://127.0.0.1:PORT/")."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/"
