"""`domain.turn.Turn` over the Bot Framework SDK's `TurnContext`.

Features get a `Turn`, never the SDK's `TurnContext`, so that the SDK stays inside `bot/`
and `dialogs/`, and moving to the Microsoft 365 Agents SDK changes this file, not the features.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import AttachmentLayoutTypes

from bot.services import USER_CONTEXT_KEY
from bot.teams import base_conversation_id, channel_data, conversation_kind, mentioned_people
from dialogs.cards import attachment, card_message
from domain.ports import ConversationKind
from domain.program import UserContext
from domain.turn import Card


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
