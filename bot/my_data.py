"""`my data`: what the bot keeps about the sender, part by part, and a signed link to all of it.

The link is served by the bot itself (`GET /api/privacy/export/{token}`): it works for
`LINK_MINUTES`, for one member's data, and every download is logged as an access request.
Teams opens it in the browser, where the file downloads.
"""

from __future__ import annotations

import contextvars
import json
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from aiohttp import web
from sqlmodel import Session

from bot.services import BotServices
from domain.program import UserContext
from domain.turn import Turn
from storage.models import MemberRecord
from storage.privacy import (
    PersonalData,
    RequestKind,
    download_token,
    export_person,
    find_person,
    member_of_download,
    record_request,
)
from views.cards import my_data_card

LINK_MINUTES = 10
EXPORT_PATH = "/api/privacy/export/{token}"

# Where Teams reached the bot on this request (scheme and host), for links back to it.
PUBLIC_ORIGIN: contextvars.ContextVar[str] = contextvars.ContextVar("public_origin", default="")


def origin_of(request: web.Request) -> str:
    """The bot's public origin as the request reached it (a reverse proxy says so in its headers)."""
    scheme = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
    host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
    return f"{scheme}://{host}"


def _parts(data: dict[str, Any]) -> list[tuple[str, int]]:
    """How many records each part of the bot keeps (a section's list counts its items)."""
    return [
        (part, sum(len(value) if isinstance(value, list) else 1 for value in sections.values()))
        for part, sections in data.items()
    ]


class MyData:
    def __init__(self, services: BotServices, declarations: dict[str, PersonalData]) -> None:
        self._services = services
        self._declarations = declarations

    async def show(self, turn: Turn, user: UserContext, _argument: str) -> None:
        services = self._services
        now = services.clock.now()
        teams_user_id = user.identity.teams_user_id

        def work(session: Session) -> tuple[list[tuple[str, int]], str, bool] | None:
            person = find_person(session, teams_user_id)
            record_request(session, RequestKind.EXPORT, teams_user_id, "themselves", "chat", now)
            if person is None or person.member_id is None:
                return None
            summary = _parts(export_person(session, person, self._declarations))
            token = download_token(session, person.member_id, now + timedelta(minutes=LINK_MINUTES), now)
            return summary, token, person.champion_id is not None

        found = await services.database.run(work)
        if found is None:  # a turn always knows its sender; only a member erased meanwhile
            await turn.say(services.translate("my_data.link_expired", user.identity.locale))
            return
        summary, token, champion = found
        url = PUBLIC_ORIGIN.get() + EXPORT_PATH.format(token=quote(token))
        # Champions also learn who sees their answers: leads do, sponsors only totals.
        card = my_data_card(services.translate, user.identity.locale, summary, url, LINK_MINUTES, champion)
        await turn.send_card(card)

    async def download(self, request: web.Request) -> web.StreamResponse:
        services = self._services
        now = services.clock.now()
        token = request.match_info.get("token", "")

        def work(session: Session) -> dict[str, Any] | None:
            member_id = member_of_download(session, token, now)
            member = session.get(MemberRecord, member_id) if member_id is not None else None
            person = find_person(session, member.teams_user_id) if member is not None else None
            if member is None or person is None:
                return None
            record_request(session, RequestKind.EXPORT, member.teams_user_id, "themselves", "link", now)
            return export_person(session, person, self._declarations)

        found = await services.database.run(work)
        if found is None:
            locale = request.headers.get("Accept-Language", "").split(",")[0].strip() or None
            return web.json_response(
                {"error": "Not Found", "detail": services.translate("my_data.link_expired", locale)}, status=404
            )
        return web.Response(
            text=json.dumps(found, ensure_ascii=False, indent=2),
            content_type="application/json",
            headers={
                "Content-Disposition": 'attachment; filename="champion-circle-my-data.json"',
                "Cache-Control": "no-store",
            },
        )
