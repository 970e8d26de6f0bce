"""The turn a feature's handler gets: who sent the message, where, and how to answer.

A protocol, so features depend on it and not on the Bot Framework SDK; `bot/turn.py`
implements it over the SDK's `TurnContext`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from domain.program import UserContext

# A whole Adaptive Card, as data (views build them; a turn sends them).
Card = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SentFile:
    """A picture or file someone sent with their message (not yet read)."""

    name: str
    content_type: str
    url: str


class Turn(Protocol):
    @property
    def user_id(self) -> str:
        """The sender's Teams user id."""

    @property
    def user(self) -> UserContext | None:
        """Who the sender is to the program, as recognised this turn."""

    @property
    def in_channel(self) -> bool: ...

    @property
    def in_personal_chat(self) -> bool:
        """The sender's 1:1 chat with the bot: the only place for what is theirs alone."""

    @property
    def conversation_id(self) -> str:
        """The conversation, without a channel thread's message suffix."""

    def channel_name(self) -> str: ...

    def mentioned_people(self) -> list[tuple[str, str]]:
        """(Teams user id, name) of the people @mentioned, other than the bot."""

    def files(self) -> list[SentFile]:
        """The pictures sent with this message (a pasted screenshot, a photo)."""

    async def read_file(self, file: SentFile, max_bytes: int) -> bytes | None:
        """The file's bytes, fetched from Teams with the bot's credentials; None when it is
        larger than `max_bytes`, not from Teams, or could not be fetched."""

    async def say(self, text: str) -> None: ...

    async def send_card(self, card: Card, text: str | None = None) -> None: ...

    async def send_cards(
        self, cards: Sequence[Card], text: str | None = None, layout: Literal["list", "carousel"] = "list"
    ) -> None: ...
