"""Talking to the bot in end-to-end tests: say something, press a card button, read what came back."""

from __future__ import annotations

from typing import Any

from tests.support.cards import assert_valid_card, card_texts


def texts_to(harness: Any, user: Any) -> list[str]:
    """Every text the user received: message texts, then the texts on their cards."""
    sent = harness.connector.sent_to(user.personal_conversation_id)
    for item in sent:
        for card in item.cards:
            assert_valid_card(card)
    return [item.text or "" for item in sent] + [t for item in sent for card in item.cards for t in card_texts(card)]


async def say(harness: Any, user: Any, text: str) -> list[str]:
    harness.connector.clear()
    await harness.send(harness.activities.message(user, text))
    return texts_to(harness, user)


async def invoke(harness: Any, user: Any, verb: str, data: dict[str, Any]) -> dict[str, Any]:
    """Press an Action.Execute button; a card that comes back must be valid Adaptive Card 1.5."""
    response = await harness.post(harness.activities.action_execute(user, verb, data))
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    if body["type"] == "application/vnd.microsoft.card.adaptive":
        assert_valid_card(body["value"])
    return body
