from __future__ import annotations

from tests.support.activities import ALICE, BOB, LEAD
from tests.support.cards import assert_valid_card


def facts(card):
    return {fact["title"]: fact["value"] for fact in card["body"][1]["facts"]}


async def test_status_counts_people_installs_and_champions(harness):
    await harness.send(harness.activities.installation_update(BOB, "add"))
    await harness.send(harness.activities.message(ALICE, "ciao"))
    await harness.send(harness.activities.installation_update(LEAD, "add", team=True))
    harness.connector.clear()

    await harness.send(harness.activities.message(LEAD, "status"))

    [sent] = harness.connector.sent_to(LEAD.personal_conversation_id)
    card = sent.cards[0]
    assert_valid_card(card)
    assert facts(card) == {
        "People who talked to me": "3",
        "Personal installs": "3",
        "Teams and group chats": "1",
        "Active champions": "0",
        "Champions awaiting approval": "0",
        "Version": "0.1.0",
    }


async def test_employee_typing_a_lead_command_is_refused(harness):
    await harness.send(harness.activities.message(BOB, "status"))

    [sent] = harness.connector.sent_to(BOB.personal_conversation_id)
    assert sent.text == "Only program leads can do that. Type help to see what you can do."
    assert not sent.cards


async def test_crafted_card_submit_for_a_lead_command_is_refused(harness):
    await harness.send(harness.activities.card_submit(BOB, {"command": "status"}))

    [sent] = harness.connector.sent_to(BOB.personal_conversation_id)
    assert sent.text.startswith("Only program leads")
    assert not sent.cards
