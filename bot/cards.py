"""Cards as Bot Framework attachments; the cards themselves are built in `views`."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, Attachment


def attachment(card: dict[str, Any]) -> Attachment:
    return CardFactory.adaptive_card(card)


def card_message(card: dict[str, Any], text: str | None = None) -> Activity:
    return MessageFactory.attachment(attachment(card), text=text)
