"""Ask a champion end to end through /api/messages: a business question routed to a champion
of the asker's unit and topic, answered and rated (and counted for recognition); passed on;
handed to the leads; a technical one pointed to the service desk; one nobody answers
escalated by the job; crafted or repeated presses change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import job_context
from features.questions.jobs import escalate
from features.questions.tables import QuestionRecord
from features.recognition.tables import PointsEntryRecord
from tests.support.activities import LEAD, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say, texts_to
from tests.support.clock import FrozenClock
from tests.support.program import Person, deliver_outbox, people_in_chat, seed_champion

RITA = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
PAOLO = TeamsUser("29:paolo", "Paolo Verdi", "eeeeeeee-0000-0000-0000-000000000014")
SOMCHAI = TeamsUser("29:somchai", "Somchai Dee", "eeeeeeee-0000-0000-0000-000000000012", "th-TH")
ERIN = TeamsUser("29:erin", "Erin Employee", "eeeeeeee-0000-0000-0000-000000000015")
NOOR = TeamsUser("29:noor", "Noor Finance", "eeeeeeee-0000-0000-0000-000000000016")
PEOPLE = {
    RITA: Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North"),
    PAOLO: Person("paolo@contoso.example", "Paolo Verdi", "Sales", "Milan", "South"),
    SOMCHAI: Person("somchai@contoso.example", "Somchai Dee", "Service", "Bangkok", "Field"),
    ERIN: Person("erin@contoso.example", "Erin Employee", "Sales", "Milan", "South"),
    NOOR: Person("noor@contoso.example", "Noor Finance", "Finance", "Rome", "Ledger"),
    LEAD: Person("lena.lead@contoso.example", "Lena Lead", "Programme Office", "Milan", "PMO"),
}
QUESTION = "How do I convert a lead into an opportunity?"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 12, 2, 9, tzinfo=UTC))


@pytest.fixture
async def harness(harness_factory, db, clock):
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    seed_champion(db, clock, RITA.teams_user_id, PEOPLE[RITA], focus=("Sales",))
    seed_champion(db, clock, PAOLO.teams_user_id, PEOPLE[PAOLO], focus=("Sales", "Reporting"))
    seed_champion(db, clock, SOMCHAI.teams_user_id, PEOPLE[SOMCHAI], focus=("Field Service",))
    await people_in_chat(harness, db, clock, PEOPLE)
    harness.connector.clear()
    return harness


def last_card(harness, user) -> dict:
    cards = [card for item in harness.connector.sent_to(user.personal_conversation_id) for card in item.cards]
    assert cards, f"no card to {user.name}"
    assert_valid_card(cards[-1])
    return cards[-1]


def question_of(db) -> QuestionRecord:
    return db.transaction(lambda s: s.exec(select(QuestionRecord).order_by(QuestionRecord.id.desc())).first())


async def ask_business(harness, db, user=ERIN, text=QUESTION, topic="Sales") -> int:
    await say(harness, user, f"ask {text}")
    card = last_card(harness, user)
    assert "Is this about how to work with the system, or a technical problem?" in card_texts(card)
    question_id = card["actions"][0]["data"]["question"]
    reply = await invoke(harness, user, "questions.business", {"question": question_id, "topic": topic})
    await deliver_outbox(harness, db)
    return question_id, reply["value"]


async def test_a_business_question_is_answered_by_a_champion_of_the_unit_and_rated(harness, db, clock):
    question_id, routed = await ask_business(harness, db)
    assert routed == "I've asked Paolo Verdi, a champion near you. You'll get the answer here."
    card = last_card(harness, PAOLO)
    texts = card_texts(card)
    assert "A colleague asks" in texts and f"“{QUESTION}”" in texts and "Erin Employee" in texts
    assert [action["title"] for action in card["actions"]] == ["Send answer", "Pass on", "Hand to the leads"]
    again = await invoke(harness, ERIN, "questions.technical", {"question": question_id})
    assert again["value"] == "Already done: this question has moved on, nothing changed.", "asked once"

    crafted = await invoke(harness, RITA, "questions.answer", {"question": question_id, "answer": "Not mine to say"})
    assert crafted["value"] == "Questa scheda è per qualcun altro: nulla è cambiato.", "only its champion or a lead"
    empty = await invoke(harness, PAOLO, "questions.answer", {"question": question_id, "answer": "  "})
    assert empty["value"] == "Write the answer first, then send it."
    answer = "Open the lead, choose Qualify, and the opportunity is created with the contact."
    sent = await invoke(harness, PAOLO, "questions.answer", {"question": question_id, "answer": answer})
    assert sent["value"] == "Thanks! Your answer is on its way to your colleague."
    twice = await invoke(harness, PAOLO, "questions.answer", {"question": question_id, "answer": answer})
    assert twice["value"] == "Already done: this question has moved on, nothing changed."
    await deliver_outbox(harness, db)
    answered = last_card(harness, ERIN)
    assert "Paolo Verdi answered:" in card_texts(answered)
    assert answer.replace(".", "\\.") in card_texts(answered), "shown as written (markdown escaped)"
    assert (await invoke(harness, PAOLO, "questions.rate", {"question": question_id, "rating": "5"}))["value"] == (
        "That card is meant for someone else: nothing changed."
    )
    assert (await invoke(harness, ERIN, "questions.rate", {"question": question_id, "rating": "4"}))["value"] == (
        "Thanks for rating it: it helps the champions and the program."
    )
    assert (await invoke(harness, ERIN, "questions.rate", {"question": question_id, "rating": "1"}))["value"] == (
        "Already done: this question has moved on, nothing changed."
    )
    record = question_of(db)
    assert (record.status, record.rating, record.answered_by) == ("answered", 4, "Paolo Verdi")
    points = db.transaction(lambda s: [(e.reason, e.points) for e in s.exec(select(PointsEntryRecord)).all()])
    assert points == [("question_answered", 15)], "an answered question counts for recognition"


async def test_a_champion_passes_a_question_on_and_another_hands_it_to_the_leads(harness, db, clock):
    question_id, _ = await ask_business(harness, db)
    card = last_card(harness, PAOLO)
    choice = next(element for element in card["body"] if element.get("id") == "pass_to")
    rita = next(option["value"] for option in choice["choices"] if option["title"] == "Rita Romano")
    passed = await invoke(harness, PAOLO, "questions.pass", {"question": question_id, "pass_to": rita})
    assert passed["value"] == "Done: Rita Romano has the question now."
    stale = await invoke(harness, PAOLO, "questions.answer", {"question": question_id, "answer": "Late"})
    assert stale["value"] == "That card is meant for someone else: nothing changed.", "passed on: no longer his"
    await deliver_outbox(harness, db)
    assert "Un collega chiede" in card_texts(last_card(harness, RITA)), "in Rita's language"
    handed = await invoke(harness, RITA, "questions.leads", {"question": question_id})
    assert handed["value"] == "Fatto: ora la domanda ce l'hanno i responsabili del programma."
    await deliver_outbox(harness, db)
    lead_card = last_card(harness, LEAD)
    assert "A question for the leads" in card_texts(lead_card) and "Rita Romano" in card_texts(lead_card)
    await say(harness, LEAD, "questions")
    listing = card_texts(last_card(harness, LEAD))
    assert "1 open question" in listing and "The leads" in listing
    done = await invoke(harness, LEAD, "questions.answer", {"question": question_id, "answer": "Use Qualify."})
    assert done["value"] == "Thanks! Your answer is on its way to your colleague."
    assert await say(harness, LEAD, "questions") == ["No open questions: every colleague has an answer."]


async def test_a_technical_question_is_pointed_to_the_service_desk(harness, db, clock):
    assert await say(harness, ERIN, "service desk https://it.contoso.example") == [
        "Only program leads can do that. Type help to see what you can do."
    ]
    await say(harness, LEAD, "service desk https://it.contoso.example or call 555-0100")
    await say(harness, ERIN, "ask Outlook crashes when I open the CRM add-in")
    question_id = last_card(harness, ERIN)["actions"][1]["data"]["question"]
    reply = await invoke(harness, ERIN, "questions.technical", {"question": question_id})
    assert reply["value"] == (
        "Technical problems go to the service desk: https://it.contoso.example or call 555-0100. "
        "Champions help with how to work with the system."
    )
    assert question_of(db).status == "to_service_desk"
    assert await say(harness, ERIN, "ask hi") == [
        "Type your question after ask, for example: ask How do I convert a lead into an opportunity?"
    ]


async def test_an_unanswered_question_is_escalated_to_the_leads_once(harness, db, clock):
    question_id, _ = await ask_business(harness, db, user=NOOR, topic="")
    # Finance has no champion, but any champion may take a question without a topic... only
    # those near the asker are suggested: nobody here, so it goes straight to the leads.
    assert question_of(db).status == "with_leads"
    question_id, _ = await ask_business(harness, db, user=ERIN)
    harness.connector.clear()
    context = job_context(harness.settings, db, clock)
    clock.advance(timedelta(hours=47))
    await escalate(context, clock.now())
    await deliver_outbox(harness, db)
    assert harness.connector.sent == [], "not yet"
    clock.advance(timedelta(hours=2))
    await escalate(context, clock.now())
    await escalate(context, clock.now())
    await deliver_outbox(harness, db)
    assert texts_to(harness, ERIN) == [
        "Your question is taking longer than it should: the program leads are on it now."
    ]
    assert "A colleague's question waited two days without an answer: answer it on the card." in texts_to(harness, LEAD)
    record = question_of(db)
    assert record.status == "with_leads" and record.escalated_at is not None
    late = await invoke(
        harness, PAOLO, "questions.answer", {"question": question_id, "answer": "Sorry, late: Qualify."}
    )
    assert late["value"] == "Thanks! Your answer is on its way to your colleague.", "a late answer is still welcome"
    second = await invoke(harness, LEAD, "questions.answer", {"question": question_id, "answer": "Qualify it."})
    assert second["value"] == "Already done: this question has moved on, nothing changed.", "the first answer stands"
