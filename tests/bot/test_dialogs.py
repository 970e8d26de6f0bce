"""Dialog state: per user, in the database, surviving restarts; help and cancel at every step."""

from __future__ import annotations

from datetime import timedelta

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


async def test_a_command_typed_mid_form_asks_before_leaving_and_can_still_be_the_answer(survey_harness):
    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    await h.send(h.activities.message(BOB, "6"))
    h.connector.clear()
    await h.send(h.activities.message(BOB, "status"))  # a command, or the office called "status"?

    [asked] = h.connector.sent
    card = asked.cards[0]
    assert card["body"][0]["text"] == "You're in the middle of a form. Leave it for status?"
    leave, keep = card["actions"]
    assert (leave["title"], keep["title"]) == ("Leave the form: status", "No, that's my answer")
    await h.send(h.activities.card_submit(BOB, keep["data"]))
    assert texts(h)[-1] == "Thanks: 6 hours in status.", "the words were the answer after all"


async def test_leaving_a_form_for_a_command_runs_it_and_ends_the_form(survey_harness):
    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    h.connector.clear()
    await h.send(h.activities.message(BOB, "survey"))  # starting it again mid-way
    leave = h.connector.sent[-1].cards[0]["actions"][0]
    h.connector.clear()
    await h.send(h.activities.card_submit(BOB, leave["data"]))
    assert texts(h) == [HOURS_QUESTION], "the command ran: a fresh survey"
    await h.send(h.activities.message(BOB, "cancel"))
    await h.send(h.activities.message(BOB, "cancel"))
    assert texts(h)[-2:] == ["Okay, I've cancelled that.", "There's nothing to cancel."], "one form, not two"


async def test_a_form_left_past_its_lifetime_ends_and_the_next_message_is_a_fresh_start(survey_harness, clock):
    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    clock.advance(timedelta(hours=24, minutes=1))
    h.connector.clear()
    await h.send(h.activities.message(BOB, "survey"))
    assert texts(h)[0].startswith("You left a form open since "), "told, once"
    assert texts(h)[1:] == [HOURS_QUESTION], "and the command is not taken as an old answer"
    clock.advance(timedelta(hours=1))
    h.connector.clear()
    await h.send(h.activities.message(BOB, "3"))
    assert texts(h) == [OFFICE_QUESTION], "a form touched within its lifetime goes on"


def stored_state(db) -> list[str]:
    from sqlmodel import select

    from storage.models import BotStateRecord

    return db.transaction(lambda s: list(s.exec(select(BotStateRecord.key)).all()))


async def test_ended_dialogs_leave_no_state_and_turns_without_one_write_none(survey_harness, db):
    h = survey_harness
    await h.send(h.activities.message(BOB, "help"))
    assert stored_state(db) == [], "no empty state is written for someone with no dialog"
    await h.send(h.activities.message(BOB, "survey"))
    assert len(stored_state(db)) == 1
    await h.send(h.activities.message(BOB, "2"))
    await h.send(h.activities.message(BOB, "Milan"))
    assert texts(h)[-1] == "Thanks: 2 hours in Milan."
    assert stored_state(db) == [], "a finished form's state is pruned"


async def test_the_housekeeping_job_ends_forms_left_open_and_tells_each_person_once(survey_harness, db, clock):
    from sqlmodel import select

    from app import job_context
    from scheduling.jobs import close_stale_forms
    from storage.models import OutboxRecord

    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    await h.send(h.activities.message(ALICE, "survey"))
    clock.advance(timedelta(hours=20))
    await h.send(h.activities.message(ALICE, "5"))  # Alice keeps going; Bob walked away
    clock.advance(timedelta(hours=5))

    context = job_context(h.settings, db, clock)
    await close_stale_forms(context, clock.now())
    await close_stale_forms(context, clock.now())

    messages = db.transaction(lambda s: list(s.exec(select(OutboxRecord)).all()))
    assert [(m.teams_user_id, m.payload["text"].split(" since ")[0]) for m in messages] == [
        (BOB.teams_user_id, "I closed the form you left open")
    ], "once, to the person who left it"
    assert len(stored_state(db)) == 1, "Alice's form lives on"
    h.connector.clear()
    await h.send(h.activities.message(BOB, "4"))
    assert OFFICE_QUESTION not in texts(h), "Bob's old form is gone: his 4 isn't taken as its answer"


async def test_a_turn_reads_its_dialog_state_in_its_one_bookkeeping_transaction(survey_harness, monkeypatch):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    import bot.middleware
    from storage.state_store import StateStore

    h = survey_harness
    await h.send(h.activities.message(BOB, "survey"))
    await h.send(h.activities.message(ALICE, "help"))  # Alice is known: no first-time writes
    transactions: list[object] = []
    reads: list[str] = []
    read, read_facts = StateStore.read, bot.middleware.read_turn_facts

    def begun(connection) -> None:
        transactions.append(connection)

    def counted_read(store, keys):
        keys = list(keys)
        reads.extend(keys)
        return read(store, keys)

    def counted_facts(session, conversation_id, user_id, state_key, *arrival):
        reads.append(state_key)
        return read_facts(session, conversation_id, user_id, state_key, *arrival)

    # The state is read by a prepared statement on the driver's cursor: counted where it is asked for.
    monkeypatch.setattr(StateStore, "read", counted_read)
    monkeypatch.setattr(bot.middleware, "read_turn_facts", counted_facts)
    event.listen(Engine, "begin", begun)  # the app's own engine too
    try:
        await h.send(h.activities.message(ALICE, "help"))
        assert (len(transactions), len(reads)) == (1, 1), "no dialog: one unit of work, the state read in it"
        await h.send(h.activities.message(BOB, "3"))
        assert len(reads) == 2, "mid-form: the state is read once, not again by the dialog"
    finally:
        event.remove(Engine, "begin", begun)
    assert OFFICE_QUESTION in texts(h)
