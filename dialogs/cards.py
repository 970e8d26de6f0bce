"""Cards as Bot Framework attachments; the cards themselves are built in `views`."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, Attachment


class JsonCard(dict[str, Any]):
    """A card's content as it will be sent: plain JSON data, never changed once handed over.

    The SDK deep-copies every outgoing activity and msrest walks every node of an attachment's
    content to serialise it; for a card of a few hundred nodes that was about a third of a
    reply's event-loop time. Both are skipped for these (see `sdk_patches`).
    """

    def __deepcopy__(self, _memo: dict[int, Any]) -> JsonCard:
        return self


def attachment(card: dict[str, Any]) -> Attachment:
    return CardFactory.adaptive_card(JsonCard(card))


def card_message(card: dict[str, Any], text: str | None = None) -> Activity:
    return MessageFactory.attachment(attachment(card), text=text)
