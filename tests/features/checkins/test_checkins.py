"""Check-ins end to end: the cadence a lead sets, rounds at each champion's local time, answers,
reminders, inactive champions, feedback triage, history and results.

The clock is frozen and moved by the test; the job runs as the scheduler runs it; proactive
messages go through the real outbox sender to the fake Bot Connector.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import job_catalog, job_context, main
from domain.roles import ChampionStatus
from features.checkins.domain import AssignmentStatus
from features.checkins.feedback_domain import FeedbackFilter, FeedbackStatus
from features.checkins.feedback_storage import FeedbackBoard
from features.checkins.jobs import run_checkins
from features.checkins.storage import CheckinRounds
from features.checkins.tables import CheckinAssignmentRecord
from features.enrolment.storage import ChampionRoster
from scheduling.scheduler import JobRunner
from storage.models import ChampionRecord
from tests.support.activities import LEAD, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say, texts_to
from tests.support.clock import FrozenClock
from tests.support.program import Person, deliver_outbox, import_directory, seed_champion

ROME = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
BANGKOK = TeamsUser("29:somchai", "Somchai Dee", "eeeeeeee-0000-0000-0000-000000000012", "th-TH")
NEW_YORK = TeamsUser("29:nina", "Nina York", "eeeeeeee-0000-0000-0000-000000000013")
PAUSED = TeamsUser("29:paolo", "Paolo Pausa", "eeeeeeee-0000-0000-0000-000000000014")
EMPLOYEE = TeamsUser("29:erin", "Erin Employee", "eeeeeeee-0000-0000-0000-000000000015")

PEOPLE = {
    ROME: Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North", timezone="Europe/Rome"),
    BANGKOK: Person("somchai@contoso.example", "Somchai Dee", "Service", "Bangkok", "Field", timezone="Asia/Bangkok"),
    # Not in the directory's time zones: Teams' localTimezone decides.
    NEW_YORK: Person("nina@contoso.example", "Nina York", "Finance", "New York", "Payables"),
    PAUSED: Person("paolo@contoso.example", "Paolo Pausa", "Sales", "Milan", "South", timezone="Europe/Rome"),
    EMPLOYEE: Person("erin@contoso.example", "Erin Employee", "Sales", "Milan", "North"),
}
CADENCE = {
    "enabled": "true",
    "frequency": "weekly",
    "weekday": "0",
    "local_time": "10:00",
    "open_days": "3",
    "remind_after_hours": "24",
    "inactive_after": "2",
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    # Tuesday 20 October 2026: Europe leaves summer time on the 25th, the United States on 1 November.
    return FrozenClock(utc(2026, 10, 20, 12))


@pytest.fixture
async def program(harness_factory, db, clock):
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    import_directory(db, list(PEOPLE.values()), clock)
    for user, person in PEOPLE.items():
        harness.connector.add_member(user.teams_user_id, email=person.email, name=person.name)
        if user is not EMPLOYEE:
            seed_champion(db, clock, user.teams_user_id, person)
    await say(harness, LEAD, "help")
    for user in PEOPLE:
        extra = {"localTimezone": "America/New_York"} if user is NEW_YORK else {}
        await harness.send(harness.activities.message(user, "help", **extra))
    paused = db.transaction(lambda s: ChampionRoster(s).of_user(PAUSED.teams_user_id))
    db.transaction(
        lambda s: ChampionRoster(s).transition(
            paused.id,
            [ChampionStatus.ACTIVE],
            ChampionStatus.PAUSED,
            clock.now(),
            paused_until=clock.now().date() + timedelta(days=60),
        )
    )
    answer = await invoke(harness, LEAD, "checkins.cadence.save", CADENCE)
    assert "Next round: Oct 26, 2026 at 10:00 AM, in each champion's own time zone." in card_texts(answer["value"])
    harness.connector.clear()
    return harness


async def tick(harness, db, clock, at: datetime) -> None:
    """The five-minute job at `at`, then the sender delivers what it enqueued."""
    clock.advance(at - clock.now())
    context = job_context(harness.settings, db, clock)
    await run_checkins(context, at)
    harness.connector.clear()
    await deliver_outbox(harness, db)


def checkin_cards_to(harness, user) -> list[dict]:
    return [
        card
        for item in harness.connector.sent_to(user.personal_conversation_id)
        for card in item.cards
        if any(
            text.startswith("Check-in of") or text.startswith("Check-in del") or "เช็คอินรอบ" in text
            for text in card_texts(card)
        )
    ]


def assignment_of(db, user) -> CheckinAssignmentRecord:
    def load(session):
        champion = ChampionRoster(session).of_user(user.teams_user_id)
        statement = (
            select(CheckinAssignmentRecord)
            .where(CheckinAssignmentRecord.champion_id == champion.id)
            .order_by(CheckinAssignmentRecord.round_id.desc())
        )
        return session.exec(statement).first()

    return db.transaction(load)


def submit_data(card: dict, **answers: str) -> dict:
    send = next(action for action in card["actions"] if action["verb"] == "checkin.submit")
    return {**send["data"], **{f"q_{key}": value for key, value in answers.items()}}


async def test_a_round_reaches_each_champion_at_their_local_time_across_time_zones_and_a_dst_change(program, db, clock):
    harness = program
    # Prepared a day ahead (Sunday 25 October); nobody is written to yet.
    await tick(harness, db, clock, utc(2026, 10, 25, 7))
    assert harness.connector.sent == []

    await tick(harness, db, clock, utc(2026, 10, 26, 2, 55))
    assert harness.connector.sent == []
    await tick(harness, db, clock, utc(2026, 10, 26, 3))  # 10:00 in Bangkok
    assert [len(checkin_cards_to(harness, user)) for user in (BANGKOK, ROME, NEW_YORK)] == [1, 0, 0]
    assert any("เช็คอินรอบ 26 ต.ค. 2026" in text for text in texts_to(harness, BANGKOK)), "in Thai"

    await tick(harness, db, clock, utc(2026, 10, 26, 9))  # 10:00 in Rome, now on winter time (UTC+1)
    assert [len(checkin_cards_to(harness, user)) for user in (BANGKOK, ROME, NEW_YORK)] == [0, 1, 0]
    await tick(harness, db, clock, utc(2026, 10, 26, 14))  # 10:00 in New York, still on summer time (UTC-4)
    assert [len(checkin_cards_to(harness, user)) for user in (BANGKOK, ROME, NEW_YORK)] == [0, 0, 1]
    assert checkin_cards_to(harness, PAUSED) == [], "a paused champion sits the round out"
    assert assignment_of(db, PAUSED).status == AssignmentStatus.EXCLUDED.value
    assert harness.connector.sent_to(EMPLOYEE.personal_conversation_id) == []

    # A week later New York has left summer time: 10:00 there is 15:00 UTC.
    await tick(harness, db, clock, utc(2026, 11, 2, 14))
    assert checkin_cards_to(harness, NEW_YORK) == []
    await tick(harness, db, clock, utc(2026, 11, 2, 15))
    [card] = checkin_cards_to(harness, NEW_YORK)
    assert "Check-in of Nov 2, 2026" in card_texts(card)
    labels = [element["label"] for element in _inputs(card)]
    assert len(labels) == 7 and all(labels), "each question and the skip reason label their inputs"
    questions = [block["text"] for block in card["body"] if block["type"] == "TextBlock"]
    assert not set(labels) & set(questions), "and is not repeated as a separate text"
    # A new champion approved meanwhile would join this round: every active champion has one.
    assert assignment_of(db, ROME).due_at == utc(2026, 11, 2, 9)


async def test_answers_update_while_open_are_refused_after_close_and_challenges_become_feedback(program, db, clock):
    harness = program
    await tick(harness, db, clock, utc(2026, 10, 25, 7))
    await tick(harness, db, clock, utc(2026, 10, 26, 9))
    [card] = checkin_cards_to(harness, ROME)
    assert_valid_card(card)
    assert "Che cosa sta funzionando bene?" in card_texts(card), "the questions in the champion's language"

    wrong = await invoke(harness, ROME, "checkin.submit", submit_data(card, working="Quotes", sentiment="9"))
    assert "Scegli un numero da 1 a 5" in " ".join(card_texts(wrong["value"]))
    kept = next(e for e in wrong["value"]["body"] if e.get("id") == "q_working")
    assert kept["value"] == "Quotes", "a wrong answer loses nothing that was typed"
    assert assignment_of(db, ROME).status == AssignmentStatus.SENT.value

    data = submit_data(card, working="Quotes in two clicks", sentiment="4", hours="3", challenges="Approvals are slow")
    saved = await invoke(harness, ROME, "checkin.submit", data)
    assert any(text.startswith("Grazie! Le tue risposte sono salvate") for text in card_texts(saved["value"]))
    data = {**data, "q_sentiment": "5", "q_challenges": "Approvals are slow; a mobile approval would fix it"}
    updated = await invoke(harness, ROME, "checkin.submit", data)
    assert any(text.startswith("Aggiornato") for text in card_texts(updated["value"]))
    stored = assignment_of(db, ROME)
    assert (stored.status, stored.sentiment, stored.hours) == ("answered", 5, 3.0)
    [item] = db.transaction(lambda s: FeedbackBoard(s).find(FeedbackFilter()))
    assert (item.text, item.status, item.department) == (
        "Approvals are slow; a mobile approval would fix it",
        FeedbackStatus.NEW,
        "Sales",
    )

    # Typing works too: the card again, with the answers so far.
    texts = await say(harness, ROME, "check-in")
    assert "Aggiorna le risposte" in texts

    await tick(harness, db, clock, utc(2026, 10, 29, 9))  # closed three days after 10:00 local
    late = await invoke(harness, ROME, "checkin.submit", {**data, "q_sentiment": "1"})
    assert any("si è chiuso" in text for text in card_texts(late["value"]))
    assert "actions" not in late["value"], "nothing to press on a closed check-in"
    assert assignment_of(db, ROME).sentiment == 5, "refused after close"


async def test_one_reminder_goes_to_non_respondents_only(program, db, clock):
    harness = program
    await tick(harness, db, clock, utc(2026, 10, 25, 7))
    await tick(harness, db, clock, utc(2026, 10, 26, 9))
    [card] = checkin_cards_to(harness, ROME)
    await invoke(harness, ROME, "checkin.submit", submit_data(card, working="All good"))
    await tick(harness, db, clock, utc(2026, 10, 26, 14))

    await tick(harness, db, clock, utc(2026, 10, 27, 3))  # 24 hours after Bangkok's send
    assert any("gentle reminder" in t or "เตือนเบา ๆ" in t for t in texts_to(harness, BANGKOK))
    assert texts_to(harness, ROME) == [] and texts_to(harness, NEW_YORK) == []
    await tick(harness, db, clock, utc(2026, 10, 27, 9))  # Rome's reminder time: Rita answered
    assert harness.connector.sent == []
    await tick(harness, db, clock, utc(2026, 10, 27, 14))
    assert len(checkin_cards_to(harness, NEW_YORK)) == 1
    for hour in (15, 20):
        await tick(harness, db, clock, utc(2026, 10, 27, hour))
        assert harness.connector.sent == [], "one reminder, not one per tick"


async def test_skip_and_snooze_then_inactive_champions_are_flagged_to_the_leads(program, db, clock):
    harness = program
    await tick(harness, db, clock, utc(2026, 10, 25, 7))
    await tick(harness, db, clock, utc(2026, 10, 26, 14))
    texts = await say(harness, NEW_YORK, "skip")
    assert any("Why are you skipping" in text for text in texts)
    texts = await say(harness, NEW_YORK, "Customer visits all week")
    assert any(text.startswith("Done, you're skipping this round") for text in texts)
    texts = await say(harness, ROME, "rimanda")
    assert any(text.startswith("Va bene, ti riproporrò il check-in il 27 ott 2026, ") for text in texts), texts
    await tick(harness, db, clock, utc(2026, 10, 27, 9))  # Rome's reminder time, but she snoozed
    assert texts_to(harness, ROME) == []
    await tick(harness, db, clock, utc(2026, 10, 27, 14, 5))  # the first tick a day after the snooze
    assert len(checkin_cards_to(harness, ROME)) == 1, "the snoozed check-in comes back once"
    assert not any("promemoria" in text for text in texts_to(harness, ROME)), "and stands in for the reminder"
    [card] = checkin_cards_to(harness, ROME)
    await invoke(harness, ROME, "checkin.submit", submit_data(card, working="Better"))

    await tick(harness, db, clock, utc(2026, 10, 29, 20))  # round 1 closed: Somchai missed it
    assert texts_to(harness, LEAD) == [], "one miss is not a pattern"
    await tick(harness, db, clock, utc(2026, 11, 1, 7))
    await tick(harness, db, clock, utc(2026, 11, 2, 15))
    await tick(harness, db, clock, utc(2026, 11, 5, 20))  # round 2 closed: his second miss in a row
    [flag] = [text for text in texts_to(harness, LEAD) if "missed the last 2 check-ins" in text]
    assert "Somchai Dee" in flag and "Nina York" not in flag and "Rita Romano" not in flag
    flagged = db.transaction(
        lambda s: s.get(ChampionRecord, ChampionRoster(s).of_user(BANGKOK.teams_user_id).id).inactive_flagged_at
    )
    assert flagged is not None
    await tick(harness, db, clock, utc(2026, 11, 5, 20, 5))
    assert texts_to(harness, LEAD) == [], "told once"

    history = await say(harness, ROME, "i miei check-in")
    assert "Risposte di fila" in history and "26 ott 2026: risposto" in history and "2 nov 2026: mancato" in history
    history = await say(harness, NEW_YORK, "my check-ins")
    assert "Oct 26, 2026: skipped" in history and "Customer visits all week" in history


async def test_a_restart_between_fire_time_and_reminder_neither_loses_nor_repeats(program, db, clock):
    harness = program
    runner = JobRunner(job_catalog(harness.settings), job_context(harness.settings, db, clock))
    clock.advance(utc(2026, 10, 25, 7) - clock.now())
    assert await runner.run("checkins.tick", utc(2026, 10, 25, 7))
    clock.advance(utc(2026, 10, 26, 9) - clock.now())
    assert await runner.run("checkins.tick", utc(2026, 10, 26, 9))

    await harness.restart()  # before the outbox sent anything
    runner = JobRunner(job_catalog(harness.settings), job_context(harness.settings, db, clock))
    assert not await runner.run("checkins.tick", utc(2026, 10, 26, 9)), "the same fire time runs once"
    assert await runner.run("checkins.tick", utc(2026, 10, 26, 9, 5))
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert len(checkin_cards_to(harness, ROME)) == 1, "sent once, after the restart"

    await harness.restart()
    clock.advance(utc(2026, 10, 27, 9) - clock.now())
    runner = JobRunner(job_catalog(harness.settings), job_context(harness.settings, db, clock))
    assert await runner.run("checkins.tick", utc(2026, 10, 27, 9))
    assert await runner.run("checkins.tick", utc(2026, 10, 27, 9, 5))
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert len([t for t in texts_to(harness, ROME) if "piccolo promemoria" in t]) == 1


async def test_feedback_triage_tells_the_raiser_and_only_leads_may_triage(program, db, clock, monkeypatch, capsys):
    harness = program
    await tick(harness, db, clock, utc(2026, 10, 25, 7))
    await tick(harness, db, clock, utc(2026, 10, 26, 9))
    [card] = checkin_cards_to(harness, ROME)
    data = submit_data(card, challenges="Quotes need **three** approvals", project_team="Please add offline mode")
    await invoke(harness, ROME, "checkin.submit", data)

    harness.connector.clear()
    await harness.send(harness.activities.message(LEAD, "feedback"))
    [listing] = harness.connector.sent_to(LEAD.personal_conversation_id)
    assert listing.text.startswith("The 2 most recent items (all: 2 new)")
    cards = listing.cards
    for each in cards:
        assert_valid_card(each)
    challenge = next(c for c in cards if "Business challenge" in card_texts(c))
    assert "Quotes need \\*\\*three\\*\\* approvals" in card_texts(challenge), "shown as written, escaped"
    update = next(action for action in challenge["actions"] if action["verb"] == "feedback.update")

    # A champion crafting the lead's button changes nothing.
    crafted = {**update["data"], "status": "done", "owner": "", "note": "self-service"}
    refused = await invoke(harness, ROME, "feedback.update", crafted)
    assert refused["type"] == "application/vnd.microsoft.activity.message"
    assert refused["value"].startswith("Solo i responsabili del programma")
    assert db.transaction(lambda s: FeedbackBoard(s).find(FeedbackFilter(FeedbackStatus.NEW))), "still new"

    triage = {**update["data"], "status": "planned", "owner": "CRM team", "note": "In the December release"}
    answer = await invoke(harness, LEAD, "feedback.update", triage)
    assert "Updated by Lena Lead; the champion who raised it will hear about it." in card_texts(answer["value"])
    again = await invoke(harness, LEAD, "feedback.update", triage)  # pressed twice
    assert any(text.startswith("Someone changed this item") for text in card_texts(again["value"]))
    harness.connector.clear()
    await deliver_outbox(harness, db)
    [told] = [text for text in texts_to(harness, ROME) if text.startswith("La tua segnalazione")]
    assert "pianificato" in told and "In the December release" in told

    texts = await say(harness, LEAD, "feedback planned")
    assert any(text.startswith("The most recent item (all: ") for text in texts), texts
    texts = await say(harness, LEAD, "feedback Atlantis")
    assert any('I don\'t know "Atlantis"' in text for text in texts)
    texts = await say(harness, ROME, "segnalazioni")
    assert texts == ["Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."]

    monkeypatch.setenv("DATABASE_URL", harness.settings.database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    capsys.readouterr()
    assert main(["export", "feedback"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    planned = next(row for row in rows if row["status"] == "planned")
    assert (planned["owner"], planned["last_note"], planned["raised_by"]) == (
        "CRM team",
        "In the December release",
        "Rita Romano",
    )


async def test_leads_see_round_results_and_change_questions_for_future_rounds(program, db, clock):
    harness = program
    await tick(harness, db, clock, utc(2026, 10, 25, 7))
    await tick(harness, db, clock, utc(2026, 10, 26, 14))
    for user, sentiment in ((ROME, "4"), (NEW_YORK, "2")):
        [card] = checkin_cards_to(harness, user)
        await invoke(
            harness, user, "checkin.submit", submit_data(card, working=f"{user.name} likes it", sentiment=sentiment)
        )

    await say(harness, LEAD, "check-in questions")
    questions = harness.connector.sent_to(LEAD.personal_conversation_id)[-1].cards[0]
    assert "What is working well?" in [e.get("value") for e in _inputs(questions)]
    changes = {f"text_{i}": "" for i in range(8)} | {f"kind_{i}": "text" for i in range(8)}
    changes |= {
        "text_0": "What is working well?",
        "text_1": "Which report do you use most?",
        "kind_2": "scale",
        "text_2": "How does your team feel about the new way of working? (1-5)",
    }
    saved = await invoke(harness, LEAD, "checkins.questions.save", changes)
    assert "Saved. The next round asks these questions." in card_texts(saved["value"])

    await tick(harness, db, clock, utc(2026, 11, 1, 7))
    await tick(harness, db, clock, utc(2026, 11, 2, 15))
    [card] = checkin_cards_to(harness, NEW_YORK)
    assert "Which report do you use most?" in card_texts(card)
    await invoke(harness, NEW_YORK, "checkin.submit", submit_data(card, sentiment="4"))

    old = db.transaction(lambda s: CheckinRounds(s).questions_of(CheckinRounds(s).rounds()[-1][0]))
    assert [q.id for q in old][:2] == ["working", "not_working"], "past rounds keep the questions they asked"

    texts = await say(harness, LEAD, "results")
    assert "Check-in of Nov 2, 2026: results" in texts
    assert "4.0 / 5 (+1.0 since the last round)" in texts
    assert any(text.startswith("open until Nov ") for text in texts), "the round is open: answers may still change"
    [summary] = [reply for reply in harness.connector.sent_to(LEAD.personal_conversation_id) if reply.cards]
    [earlier] = summary.cards[0]["actions"]
    assert earlier["title"] == "Oct 26, 2026", "earlier rounds are buttons, dated in the reader's locale"
    assert earlier["data"] == {"command": "checkin_results", "argument": "2026-10-26"}
    harness.connector.clear()
    await harness.send(harness.activities.card_submit(LEAD, earlier["data"]))
    texts = texts_to(harness, LEAD)
    assert any(text.startswith("closed on Oct ") for text in texts)
    assert "2 of 3 (67%)" in texts, "Somchai did not answer; Paolo was paused and is not counted"
    assert "3.0 / 5 (no earlier round to compare)" in texts
    assert "“Rita Romano likes it”" in texts
    texts = await say(harness, ROME, "risultati")
    assert texts == ["Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."]
    texts = await say(harness, EMPLOYEE, "check in")
    assert texts == ["That's for champions. Want to become one? Type join."]


def _inputs(card: dict) -> list[dict]:
    found: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input."):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found
