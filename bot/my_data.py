"""`my data` and `delete my data`: a person's rights over what the bot keeps about them.

`my data` shows it part by part, with a signed link to all of it. The link is served by the
bot itself (`GET /api/privacy/export/{token}`): it works for `LINK_MINUTES`, for one member's
data, and every download is logged as an access request. Teams opens it in the browser,
where the file downloads.

`delete my data` says what goes and what stays, and erases only when its own card's button,
signed for the sender and valid for `CONFIRM_MINUTES`, comes back from the sender.
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
from domain.i18n import Texts
from domain.program import ErasureNotice, UserContext
from domain.roles import HOLDING_A_PLACE, Role
from domain.turn import Turn
from storage.champions import Champions
from storage.messaging import Messaging
from storage.models import MemberRecord
from storage.privacy import (
    Erasure,
    Person,
    PersonalData,
    RequestKind,
    TokenPurpose,
    erase_on_request,
    export_person,
    find_person,
    member_of_token,
    record_request,
    signed_token,
)
from views.cards import erase_confirmation_card, my_data_card

LINK_MINUTES = 10
CONFIRM_MINUTES = 15
# The confirmation card's other button.
KEEP = "keep"
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
        # How an erasure tells the leads of a champion's step-down.
        self._messaging = Messaging(services.translate, services.roles)

    def _texts(self, user: UserContext) -> Texts:
        return Texts(self._services.translate, user.identity.locale, user.identity.timezone)

    async def show(self, turn: Turn, user: UserContext, _argument: str) -> None:
        services = self._services
        now = services.clock.now()
        teams_user_id = user.identity.teams_user_id
        if not turn.in_personal_chat:
            await turn.say(self._texts(user)("privacy.personal_chat_only"))
            return

        def work(session: Session) -> tuple[list[tuple[str, int]], str, bool] | None:
            person = find_person(session, teams_user_id)
            record_request(session, RequestKind.EXPORT, teams_user_id, "themselves", "chat", now)
            if person is None or person.member_id is None:
                return None
            summary = _parts(export_person(session, person, self._declarations))
            expires = now + timedelta(minutes=LINK_MINUTES)
            token = signed_token(session, TokenPurpose.DOWNLOAD, person.member_id, expires, now)
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
            member_id = member_of_token(session, TokenPurpose.DOWNLOAD, token, now)
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

    async def delete(self, turn: Turn, user: UserContext, argument: str) -> None:
        """`delete my data`: the confirmation card; its button comes back here with its token."""
        t = self._texts(user)
        if not turn.in_personal_chat:
            await turn.say(t("privacy.personal_chat_only"))
            return
        if argument.strip().lower() == KEEP:
            await turn.say(t("erase.kept"))
            return
        if argument.strip():
            await self._erase(turn, user, argument.strip(), t)
            return
        services = self._services
        now = services.clock.now()
        teams_user_id = user.identity.teams_user_id

        def work(session: Session) -> ErasureNotice | None:
            person = find_person(session, teams_user_id)
            if person is None or person.member_id is None:
                return None
            expires = now + timedelta(minutes=CONFIRM_MINUTES)
            return ErasureNotice(
                parts=_parts(export_person(session, person, self._declarations)),
                token=signed_token(session, TokenPurpose.ERASE, person.member_id, expires, now),
                champion_unit=_champion_unit(session, person),
                lead=user.role is Role.PROGRAM_LEAD,
            )

        notice = await services.database.run(work)
        if notice is None:
            await turn.say(t("erase.nothing"))
            return
        await turn.send_card(erase_confirmation_card(t, notice, CONFIRM_MINUTES, KEEP))

    async def _erase(self, turn: Turn, user: UserContext, token: str, t: Texts) -> None:
        services = self._services
        now = services.clock.now()
        teams_user_id = user.identity.teams_user_id
        erasure = Erasure(now, "themselves", self._messaging)

        def work(session: Session) -> str:
            signed_for = member_of_token(session, TokenPurpose.ERASE, token, now)
            if signed_for is None:
                return "erase.expired"
            if session.get(MemberRecord, signed_for) is None:
                return "erase.already_done"  # the button pressed twice (this turn saw a new member)
            person = find_person(session, teams_user_id)
            if person is None or person.member_id != signed_for:
                return "erase.not_yours"  # someone else's card, forwarded or shared
            erase_on_request(session, teams_user_id, self._declarations, erasure, "chat")
            return "erase.done"

        await turn.say(t(await services.database.run(work)))


def _champion_unit(session: Session, person: Person) -> str | None:
    """Where a champion about to erase their data helps (the leads will be told only this)."""
    if person.champion_id is None:
        return None
    champion = Champions(session).by_id(person.champion_id)
    if champion is None or champion.status not in HOLDING_A_PLACE:
        return None
    return champion.profile.unit.label or "—"
