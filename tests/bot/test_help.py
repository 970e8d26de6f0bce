"""help per role, unknown text, languages, and help through card actions."""

from __future__ import annotations

import pytest

from domain.roles import ChampionStatus
from storage.champions import Champions
from tests.support.activities import ALICE, BOB, CHAI, LEAD
from tests.support.cards import assert_valid_card, card_actions, card_texts


def only_card(harness, conversation_id):
    sent = harness.connector.sent_to(conversation_id)
    assert len(sent) == 1, [s.activity for s in sent]
    assert len(sent[0].cards) == 1
    card = sent[0].cards[0]
    assert_valid_card(card)
    return card


async def test_employee_help_lists_what_an_employee_can_do(harness):
    await harness.send(harness.activities.message(BOB, "help"))

    card = only_card(harness, BOB.personal_conversation_id)
    texts = card_texts(card)
    assert any("not IT support" in text for text in texts)
    assert "help" in texts and "cancel" in texts
    assert "status" not in texts and "coverage" not in texts  # lead-only
    assert [action["data"]["command"] for action in card_actions(card)] == [
        "find_champion",
        "join",
        "nominate",
        "profile",
        "share_story",
        "stories",
    ]
    assert "kudos" in texts and "leaderboard" in texts, "listed, typed (kudos needs a name)"
    assert "my data" in texts, "listed after what people come for (the buttons stop at six)"


async def test_lead_listed_by_email_gets_the_lead_help(harness):
    # The lead is listed by email; the bot learns LEAD's email from the Teams roster.
    await harness.send(harness.activities.message(LEAD, "Help"))

    card = only_card(harness, LEAD.personal_conversation_id)
    texts = card_texts(card)
    assert any("program lead" in text for text in texts)
    assert "status" in texts
    assert "coverage" in texts and "set target" in texts
    commands = [action["data"]["command"] for action in card_actions(card)]
    assert commands[0] == "status" and len(commands) == 6, "Teams shows six actions at most"
    assert "set_target" not in commands, "a command that needs an argument gets no button"
    roster_lookups = [path for method, path in harness.connector.requests if "/members/" in path]
    assert len(roster_lookups) == 1

    harness.connector.clear()
    await harness.send(harness.activities.message(LEAD, "help"))
    assert not [path for _method, path in harness.connector.requests if "/members/" in path], "looked up once only"


async def test_lead_listed_by_aad_object_id(harness_factory):
    harness = await harness_factory(PROGRAM_LEADS=BOB.aad_object_id.upper())
    await harness.send(harness.activities.message(BOB, "help"))
    assert "status" in card_texts(only_card(harness, BOB.personal_conversation_id))


async def test_champion_help_depends_on_champion_status(harness, db):
    await harness.send(harness.activities.message(BOB, "hello"))
    db.transaction(
        lambda session: Champions(session).set_status(BOB.teams_user_id, ChampionStatus.ACTIVE, harness.clock.now())
    )
    harness.connector.clear()

    await harness.send(harness.activities.message(BOB, "help"))

    texts = card_texts(only_card(harness, BOB.personal_conversation_id))
    assert any("You're a champion" in text for text in texts)
    assert "status" not in texts


async def test_unknown_text_answers_with_help_and_echoes_it_safely(harness):
    await harness.send(harness.activities.message(BOB, "what is **this** [link](http://x)"))

    texts = card_texts(only_card(harness, BOB.personal_conversation_id))
    assert (
        texts[0] == "I didn't understand \"what is \\*\\*this\\*\\* \\[link\\]\\(http://x\\)\". Here's what I can do."
    )


async def test_no_substring_matching(harness):
    await harness.send(harness.activities.message(LEAD, "status"))
    harness.connector.clear()

    await harness.send(harness.activities.message(LEAD, "what is the status of my request"))

    texts = card_texts(only_card(harness, LEAD.personal_conversation_id))
    assert texts[0].startswith("I didn't understand")


async def test_help_in_italian_and_thai(harness):
    await harness.send(harness.activities.message(ALICE, "aiuto"))
    await harness.send(harness.activities.message(CHAI, "ช่วยเหลือ"))

    italian = card_texts(only_card(harness, ALICE.personal_conversation_id))
    thai = card_texts(only_card(harness, CHAI.personal_conversation_id))
    assert "Cosa posso fare per te?" in italian and "annulla" in italian
    assert "ให้ฉันช่วยอะไรดี?" in thai and "ยกเลิก" in thai


async def test_help_in_a_channel_after_removing_the_mention(harness):
    activity = harness.activities.channel_mention(BOB, "  HELP ")
    await harness.send(activity)

    sent = harness.connector.sent
    assert len(sent) == 1
    assert sent[0].conversation_id == activity["conversation"]["id"]  # replied in the thread
    assert_valid_card(sent[0].cards[0])
    assert not any(text.startswith("I didn't understand") for text in card_texts(sent[0].cards[0]))


async def test_action_execute_help_answers_200_with_the_card(harness):
    response = await harness.post(harness.activities.action_execute(LEAD, "command", {"command": "help"}))

    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert_valid_card(body["value"])
    assert "status" in card_texts(body["value"])


async def test_action_execute_lead_command_by_employee_is_refused_on_the_server(harness):
    response = await harness.post(harness.activities.action_execute(BOB, "command", {"command": "status"}))

    assert response.status == 200
    assert (await response.json())["type"] == "application/vnd.microsoft.activity.message"
    sent = harness.connector.sent_to(BOB.personal_conversation_id)
    assert [s.text for s in sent] == ["Only program leads can do that. Type help to see what you can do."]
    assert not any(s.cards for s in sent)


async def test_action_execute_unknown_verb(harness):
    response = await harness.post(harness.activities.action_execute(BOB, "delete-everything", {}))

    assert response.status == 200
    body = await response.json()
    assert body == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "This button doesn't work any more. Type help to start again.",
    }


async def test_action_execute_with_malformed_value_is_a_400_card_error(harness):
    activity = harness.activities.action_execute(BOB, "command", {"command": "help"})
    activity["value"]["action"]["type"] = "Action.Submit"
    response = await harness.post(activity)

    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 400 and body["type"] == "application/vnd.microsoft.error"


async def test_card_submit_runs_the_named_command(harness):
    await harness.send(harness.activities.card_submit(LEAD, {"command": "status"}))

    card = only_card(harness, LEAD.personal_conversation_id)
    assert "Program status" in card_texts(card)


@pytest.mark.parametrize(
    ("user", "typed", "meant", "question"),
    [
        (BOB, "who is my champoin", ("find_champion", ""), "Did you mean **who is my champion**?"),
        (BOB, "leaderbord quarter", ("leaderboard", "quarter"), "Did you mean **leaderboard quarter**?"),
        (ALICE, "classifca", ("leaderboard", ""), "Intendevi **classifica**?"),
    ],
)
async def test_a_near_miss_is_answered_with_the_nearest_command_as_a_button_and_nothing_runs(
    harness, user, typed, meant, question
):
    harness.connector.clear()
    await harness.send(harness.activities.message(user, typed))
    [reply] = harness.connector.sent
    [card] = reply.cards
    assert_valid_card(card)
    assert card["body"][0]["text"] == question
    suggestion, help_button = card["actions"]
    assert suggestion["data"] == {"command": meant[0], "argument": meant[1]}, "one press runs the command"
    assert help_button["data"] == {"command": "help"}
    assert len(harness.connector.sent) == 1, "a guessed command is never run"
    harness.connector.clear()
    await harness.send(harness.activities.card_submit(user, suggestion["data"]))
    assert harness.connector.sent and not any(
        "Did you mean" in text or "Intendevi" in text for text in texts_of(harness)
    ), "pressed, it runs"


def texts_of(harness) -> list[str]:
    return [sent.text or "" for sent in harness.connector.sent] + [
        text for sent in harness.connector.sent for card in sent.cards for text in card_texts(card)
    ]
