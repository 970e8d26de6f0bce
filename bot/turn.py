"""`domain.turn.Turn` over the Bot Framework SDK's `TurnContext`.

Features get a `Turn`, never the SDK's `TurnContext`, so that the SDK stays inside `bot/`
and `dialogs/`, and moving to the Microsoft 365 Agents SDK changes this file, not the features.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Sequence
from typing import Literal
from urllib.parse import urlsplit

import aiohttp
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import AttachmentLayoutTypes

from bot.connector_http import ConnectorHttp
from bot.services import USER_CONTEXT_KEY
from bot.teams import base_conversation_id, channel_data, conversation_kind, mentioned_people, sent_files
from config import is_loopback_host
from dialogs.cards import attachment, card_message
from domain.ports import ConversationKind
from domain.program import UserContext
from domain.turn import Card, SentFile

log = logging.getLogger(__name__)

# Reading a sent file must leave the turn time to answer (Teams re-sends after about 15 s).
FILE_TIMEOUT = aiohttp.ClientTimeout(total=8.0, sock_connect=2.0)


# Where Teams keeps files attached in a personal chat (each cloud's SharePoint).
FILE_STORES = (".sharepoint.com", ".sharepoint.us", ".sharepoint-mil.us", ".sharepoint.de", ".sharepoint.cn")


def _file_store(scheme: str, host: str, service_host: str) -> bool:
    """A file's download link on SharePoint (or, for local tools and tests talking to the bot
    on loopback, on loopback too)."""
    if scheme == "https" and host.endswith(FILE_STORES):
        return True
    return is_loopback_host(host) and is_loopback_host(service_host)


class TeamsTurn:
    __slots__ = ("context",)

    def __init__(self, context: TurnContext) -> None:
        self.context = context

    # --- who and where --------------------------------------------------------------------

    @property
    def user_id(self) -> str:
        """The sender's Teams user id."""
        return str(self.context.activity.from_property.id)

    @property
    def user(self) -> UserContext | None:
        """Who the sender is to the program, as the middleware recognised them this turn."""
        user: UserContext | None = self.context.turn_state.get(USER_CONTEXT_KEY)
        return user

    @property
    def in_channel(self) -> bool:
        return conversation_kind(self.context.activity) is ConversationKind.CHANNEL

    @property
    def in_personal_chat(self) -> bool:
        return conversation_kind(self.context.activity) is ConversationKind.PERSONAL

    @property
    def conversation_id(self) -> str:
        """The conversation, without a channel thread's message suffix."""
        return base_conversation_id(self.context.activity.conversation.id)

    def channel_name(self) -> str:
        """The channel's (else the team's) name, as Teams sent it; "" when it sent none."""
        data = channel_data(self.context.activity)
        for item in (data.get("channel"), data.get("team")):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                return str(item["name"])
        return ""

    def mentioned_people(self) -> list[tuple[str, str]]:
        """(Teams user id, name) of the people @mentioned, other than the bot."""
        return mentioned_people(self.context.activity)

    # --- what was sent ----------------------------------------------------------------------

    def files(self) -> list[SentFile]:
        return sent_files(self.context.activity)

    async def read_file(self, file: SentFile, max_bytes: int) -> bytes | None:
        if file.url.startswith("data:"):  # a picture inlined in the activity (local tools do this)
            header, _, data = file.url.partition(",")
            try:
                body = base64.b64decode(data, validate=True) if header.endswith(";base64") else data.encode()
            except (binascii.Error, ValueError):
                return None
            return body if len(body) <= max_bytes else None
        # The bot's token goes only to the Bot Connector that sent this activity; a file's own
        # pre-authorised link (SharePoint or OneDrive) gets no token; any other URL someone
        # wrote into an attachment is not fetched at all.
        service = urlsplit(self.context.activity.service_url or "")
        where = urlsplit(file.url)
        from_connector = bool(service.netloc) and (where.scheme, where.netloc) == (service.scheme, service.netloc)
        if not from_connector and not _file_store(where.scheme, where.hostname or "", service.hostname or ""):
            return None
        adapter = self.context.adapter
        http = getattr(adapter, "http", None)
        client = self.context.turn_state.get(getattr(adapter, "BOT_CONNECTOR_CLIENT_KEY", ""))
        credentials = getattr(getattr(client, "config", None), "credentials", None) if from_connector else None
        try:
            if not isinstance(http, ConnectorHttp):
                http = ConnectorHttp(1, timeout_seconds=FILE_TIMEOUT.total or 8.0)
            return await http.download(credentials, file.url, max_bytes, FILE_TIMEOUT)
        except (aiohttp.ClientError, TimeoutError) as error:
            log.info("could not read a sent file: %s", error.__class__.__name__)
            return None

    # --- answering ------------------------------------------------------------------------

    async def say(self, text: str) -> None:
        await self.context.send_activity(text)

    async def send_card(self, card: Card, text: str | None = None) -> None:
        await self.context.send_activity(card_message(card, text))

    async def send_cards(
        self, cards: Sequence[Card], text: str | None = None, layout: Literal["list", "carousel"] = "list"
    ) -> None:
        attachments = [attachment(card) for card in cards]
        message = MessageFactory.list(attachments, text=text)
        message.attachment_layout = (
            AttachmentLayoutTypes.carousel if layout == "carousel" else AttachmentLayoutTypes.list
        )
        await self.context.send_activity(message)
