"""Dialog state: per user, in the database, surviving restarts; help and cancel at every step."""

from __future__ import annotations

import pytest

from tests.support.activities import ALICE, BOB
from tests.support.dialogs import HOURS_QUESTION, HOURS_RETRY, OFFICE_QUESTION, WITH_SURVEY


@pytest.fixture
async def survey_harness(harness_factory):
    return await harness_factory(features=WITH_SURVEY)


def texts(harness):
    return [sent.text for sent in harness.connector.sent]


async def test_a_wrong_answer_reprompts_with_the_reason(survey_harness):
    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    await h.send(h.activities.message(BOB, "lots"))
    await h.send(h.activities.message(BOB, "12"))
    await h.send(h.activities.message(BOB, "Milan"))

    assert texts(h) == [HOURS_QUESTION, HOURS_RETRY, OFFICE_QUESTION, "Thanks: 12 hours in Milan."]


async def test_the_dialog_resumes_after_a_restart(survey_harness):
    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    await h.send(h.activities.message(BOB, "4"))
    await h.restart()
    await h.send(h.activities.message(BOB, "Rome"))

    assert texts(h) == [HOURS_QUESTION, OFFICE_QUESTION, "Thanks: 4 hours in Rome."]


async def test_help_mid_dialog_shows_help_then_asks_again(survey_harness):
    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    await h.send(h.activities.message(BOB, "help"))

    sent = h.connector.sent
    assert sent[0].text == HOURS_QUESTION
    assert sent[1].cards and not sent[1].text
    assert sent[2].text == HOURS_QUESTION
    await h.send(h.activities.message(BOB, "2"))
    assert texts(h)[-1] == OFFICE_QUESTION


async def test_cancel_mid_dialog_stops_it(survey_harness):
    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    await h.send(h.activities.message(BOB, "3"))
    await h.send(h.activities.message(BOB, "Cancel"))
    await h.send(h.activities.message(BOB, "cancel"))

    assert texts(h)[-2:] == ["Okay, I've cancelled that.", "There's nothing to cancel."]


async def test_cancel_in_another_language(survey_harness):
    h = survey_harness
    await h.send(h.activities.message(ALICE, "survey"))
    await h.send(h.activities.message(ALICE, "annulla"))
    assert texts(h)[-1] == "Va bene, ho annullato."


async def test_two_people_in_one_channel_thread_have_separate_dialogs(survey_harness):
    h = survey_harness
    await h.send(h.activities.channel_mention(BOB, "survey", thread_message_id="77"))
    await h.send(h.activities.channel_mention(ALICE, "survey", thread_message_id="77"))
    await h.send(h.activities.channel_mention(BOB, "5", thread_message_id="77"))
    await h.send(h.activities.channel_mention(ALICE, "7", thread_message_id="77"))
    await h.send(h.activities.channel_mention(ALICE, "Turin", thread_message_id="77"))
    await h.send(h.activities.channel_mention(BOB, "Naples", thread_message_id="77"))

    assert texts(h)[-2:] == ["Thanks: 7 hours in Turin.", "Thanks: 5 hours in Naples."]


async def test_other_commands_mid_dialog_are_answers_not_interruptions(survey_harness):
    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    await h.send(h.activities.message(BOB, "6"))
    await h.send(h.activities.message(BOB, "status"))  # the office is called "status"

    assert texts(h)[-1] == "Thanks: 6 hours in status."
