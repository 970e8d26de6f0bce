"""Digests end to end through /api/messages and the scheduled job: three leads in two time
zones and three languages get the week's digest at their own hour, once; a quiet week sends
nothing; small groups stay hidden; a sponsor reads the month, answers a lead's question and
thanks a champion, and never sees anyone's own answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from app import job_context, main
from features.checkins.domain import DEFAULT_QUESTIONS, AssignmentStatus
from features.checkins.tables import (
    CheckinAssignmentRecord,
    CheckinRoundRecord,
    FeedbackEventRecord,
    FeedbackItemRecord,
)
from features.digests.jobs import send_digests
from features.enrolment.tables import NominationRecord
from features.lottery.domain import Prize, TicketRules, rules_to_data
from features.lottery.workflows import DrawSpec, create_draw, open_draw
from features.questions.tables import QuestionRecord
from features.recognition import PointsReason, award
from features.recognition.tables import StoryRecord
from storage.models import OutboxRecord
from tests.support.activities import ALICE, CHAI, LEAD, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say
from tests.support.clock import FrozenClock
from tests.support.program import Person, deliver_outbox, import_directory, seed_champion
from views.cards import COMMAND_FIELD

SAM = TeamsUser("29:sam", "Sam Sponsor", "ffffffff-0000-0000-0000-000000000021")
SALES = [f"Sales Champion {n}" for n in range(1, 6)]
PEOPLE = {
    LEAD: Person("lena.lead@contoso.example", "Lena Lead", "Programme Office", "Milan", "PMO"),
    ALICE: Person("alice@contoso.example", "Alice Rossi", "Programme Office", "Milan", "PMO"),
    CHAI: Person("chai@contoso.example", "Chai Wongsakul", "Programme Office", "Bangkok", "PMO"),
    SAM: Person("sam@contoso.example", "Sam Sponsor", "Board", "Milan", "Board"),
}
ZONES = {LEAD: "Europe/Rome", ALICE: "Europe/Rome", CHAI: "Asia/Bangkok", SAM: "Europe/Rome"}
# Monday 7 December 2026, 01:00 UTC: 02:00 in Rome, 08:00 in Bangkok.
START = datetime(2026, 12, 7, 1, tzinfo=UTC)
SALES_QUOTE = "Quotes take half the time now, ask giulia@contoso.example"
SERVICE_QUOTE = "Only the two of us in Service use it"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
async def harness(harness_factory, db, clock):
    harness = await harness_factory(
        DEFAULT_TIMEZONE="Europe/Rome",
        PROGRAM_LEADS="lena.lead@contoso.example,alice@contoso.example,chai@contoso.example",
        PROGRAM_SPONSORS="sam@contoso.example",
    )
    directory = list(PEOPLE.values())
    directory += [Person(f"sales{n}@contoso.example", name, "Sales", "Milan", "North") for n, name in enumerate(SALES)]
    directory += [
        Person(f"service{n}@contoso.example", f"Service Champion {n}", "Service", "Bangkok", "Field") for n in range(2)
    ]
    directory += [
        Person(f"finance{n}@contoso.example", f"Finance Person {n}", "Finance", "Milan", "Ledger") for n in range(5)
    ]
    import_directory(db, directory, clock)
    for user, person in PEOPLE.items():
        harness.connector.add_member(user.teams_user_id, email=person.email, name=person.name)
        await harness.send(harness.activities.message(user, "help", localTimezone=ZONES[user]))
    harness.connector.clear()
    return harness


def champions(db, clock) -> dict[str, int]:
    """Five Sales champions and two in Service (Finance has none: a coverage gap)."""
    found = {}
    for n, name in enumerate(SALES):
        found[name] = seed_champion(
            db, clock, f"29:sales{n}", Person(f"sales{n}@contoso.example", name, "Sales", "Milan", "North")
        )
    for n in range(2):
        person = Person(f"service{n}@contoso.example", f"Service Champion {n}", "Service", "Bangkok", "Field")
        found[person.name] = seed_champion(db, clock, f"29:service{n}", person, focus=("Service",))
    return found


def seed_round(db, round_date: date, answered_at: datetime, rows: list[tuple[int, str, str, dict | None]]) -> None:
    """A finished check-in round: (champion id, department, status, answers)."""

    def work(session) -> None:
        record = CheckinRoundRecord(
            round_date=round_date,
            questions=[q.to_json() for q in DEFAULT_QUESTIONS],
            cadence={},
            created_at=answered_at,
        )
        session.add(record)
        session.flush()
        for champion_id, department, status, answers in rows:
            session.add(
                CheckinAssignmentRecord(
                    round_id=record.id,
                    champion_id=champion_id,
                    status=status,
                    timezone="Europe/Rome",
                    department=department,
                    due_at=answered_at - timedelta(days=1),
                    closes_at=answered_at + timedelta(days=4),
                    answered_at=answered_at if status == AssignmentStatus.ANSWERED.value else None,
                    answers=answers,
                    sentiment=4 if answers else None,
                )
            )

    db.transaction(work)


async def a_busy_week(harness, db, clock) -> dict[str, int]:
    ids = champions(db, clock)
    now = clock.now()
    sales = [ids[name] for name in SALES]
    service = [ids["Service Champion 0"], ids["Service Champion 1"]]
    seed_round(
        db,
        date(2026, 11, 16),
        now - timedelta(days=20),
        [(cid, "Sales", "answered", {"working": "ok"}) for cid in sales]
        + [(cid, "Service", "missed", None) for cid in service],
    )
    seed_round(
        db,
        date(2026, 11, 30),
        now - timedelta(days=3),
        [
            (cid, "Sales", "answered", {"working": SALES_QUOTE if cid == sales[0] else "Reports are clearer"})
            for cid in sales[:4]
        ]
        + [(sales[4], "Sales", "answered", {"not_working": "Mobile app is slow"})]
        + [(service[0], "Service", "answered", {"working": SERVICE_QUOTE})]
        + [(service[1], "Service", "missed", None)],
    )

    def extras(session) -> None:
        assignment = session.exec(select(CheckinAssignmentRecord)).first()
        for age, status, question in ((20, "new", "challenges"), (2, "new", "project_team"), (5, "done", "working")):
            item = FeedbackItemRecord(
                assignment_id=assignment.id,
                question_id=question,
                round_id=assignment.round_id,
                champion_id=assignment.champion_id,
                text="Sync fails on the train",
                department="Sales",
                status=status,
                created_at=now - timedelta(days=age),
                updated_at=now - timedelta(days=age),
            )
            session.add(item)
            session.flush()
            if status == "done":
                session.add(
                    FeedbackEventRecord(item_id=item.id, status="done", by="Lena Lead", at=now - timedelta(days=1))
                )
        session.add(
            NominationRecord(
                nominee_key="finance0@contoso.example",
                nominee_name="Finance Person 0",
                nominee_email="finance0@contoso.example",
                status="pending",
                created_at=now - timedelta(days=2),
            )
        )
        for number, status in enumerate(("with_leads", "answered", "with_champion")):
            session.add(
                QuestionRecord(
                    asker_member_id=1,
                    text=f"How do I do thing {number}?",
                    topic="Sales",
                    kind="business",
                    status=status,
                    department="Sales",
                    asked_at=now - timedelta(days=2),
                )
            )
        for status, title in (("pending", "Faster quotes"), ("published", "Service calls closed on site")):
            session.add(
                StoryRecord(
                    author_member_id=1,
                    title=title,
                    body="We do it in minutes now.",
                    impact="Two days saved a week",
                    department="Sales",
                    status=status,
                    created_at=now - timedelta(days=1),
                    updated_at=now - timedelta(days=1),
                    published_at=now - timedelta(days=1) if status == "published" else None,
                )
            )

    db.transaction(extras)
    messaging = job_context(harness.settings, db, clock).messaging
    db.transaction(
        lambda s: award(
            s,
            messaging,
            sales[0],
            PointsReason.AWARD,
            now - timedelta(days=2),
            source_key="t1",
            points=40,
            by="Lena Lead",
        )
    )
    db.transaction(
        lambda s: award(s, messaging, sales[1], PointsReason.KUDOS, now - timedelta(days=2), source_key="t2")
    )
    spec = DrawSpec(
        name="December draw",
        prizes=(Prize("Mug", 1),),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=3),
        audience={"kind": "everyone", "units": []},
        rules=rules_to_data(TicketRules()),
        exclude_recent=0,
        alternates=1,
    )
    db.transaction(lambda s: open_draw(s, messaging, create_draw(s, spec, "Lena Lead", None, now), "Lena Lead", now))
    await deliver_outbox(harness, db)
    harness.connector.clear()
    return ids


async def tick(harness, db, clock, at: datetime) -> list:
    clock.advance(at - clock.now())
    await send_digests(job_context(harness.settings, db, clock), at)
    await deliver_outbox(harness, db)
    sent = list(harness.connector.sent)
    harness.connector.clear()
    return sent


def cards_to(sent, user) -> list[dict]:
    return [card for item in sent if item.conversation_id == user.personal_conversation_id for card in item.cards]


async def test_each_lead_gets_every_section_at_their_own_hour_in_their_language_once(harness, db, clock):
    await a_busy_week(harness, db, clock)
    assert await tick(harness, db, clock, datetime(2026, 12, 7, 1, 45, tzinfo=UTC)) == []
    at_nine_in_bangkok = await tick(harness, db, clock, datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    [thai] = cards_to(at_nine_in_bangkok, CHAI)
    assert not cards_to(at_nine_in_bangkok, LEAD) and not cards_to(at_nine_in_bangkok, ALICE), "09:00 in Rome is later"
    at_nine_in_rome = await tick(harness, db, clock, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    [english], [italian] = cards_to(at_nine_in_rome, LEAD), cards_to(at_nine_in_rome, ALICE)
    assert not cards_to(at_nine_in_rome, CHAI), "once per lead per week"
    for card in (english, italian, thai):
        assert_valid_card(card)
    texts = card_texts(english)
    assert texts[0] == "Your week in the champions program (2026-W50)"
    for heading in (
        "Needs you",
        "Coverage gaps",
        "champions at risk",
        "The feedback loop",
        "Points by department",
        "Contests",
    ):
        assert any(heading in text for text in texts), heading
    assert "1 application to decide" not in texts and "1 nomination to decide" in texts
    assert "1 feedback item untriaged for over two weeks" in texts and "1 new feedback item to triage" in texts
    assert "1 story to moderate" in texts
    assert "1 draw closing this week" not in texts, "five needs at most, most urgent first"
    assert "1 colleague's question waiting for the leads" in texts
    assert "What colleagues asked the champions: Sales (3)" in texts
    assert any(text.startswith("Finance: 1 champion short (0 now). Candidates: Finance Person 0.") for text in texts)
    assert any("Service Champion 1 (Service): missed the last two check-ins" in text for text in texts)
    assert "Voice of the business (6 answers)" in texts and texts[texts.index("What is working well?") + 1] == "5"
    assert f"“{SALES_QUOTE.replace('giulia@contoso.example', '…')}”" in texts, "an address in a quote is left out"
    assert not any(SERVICE_QUOTE in text for text in texts), "Service had 1 respondent: counted, not quoted"
    assert "1 department had fewer than 3 respondents: its answers are counted, not shown." in texts
    assert any("Next draw: December draw" in text for text in texts)
    buttons = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit" and COMMAND_FIELD in node.get("data", {}):
                buttons.add(node["data"][COMMAND_FIELD])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(english)
    expected = {
        "approvals",
        "feedback",
        "open_questions",
        "stories",
        "draws",
        "coverage",
        "checkin_results",
        "leaderboard",
    }
    assert buttons == expected, "each item and section has its button"
    line = next(e for e in english["body"] if e["type"] == "Chart.Line")
    assert line["fallback"]["type"] == "Container" and "Check-in response rate by round (%)" in card_texts(
        {"body": [line["fallback"]]}
    )
    italian_texts = card_texts(italian)
    assert (
        italian_texts[0] == "La tua settimana nel programma champion (2026-W50)"
        and "1 nomina da decidere" in italian_texts
    )
    assert card_texts(thai)[0] == "สัปดาห์ของคุณในโครงการแชมเปี้ยน (2026-W50)"
    assert await tick(harness, db, clock, datetime(2026, 12, 7, 8, 15, tzinfo=UTC)) == []
    await send_digests(job_context(harness.settings, db, clock), clock.now())  # a second replica's run
    digests = db.transaction(
        lambda s: [r for r in s.exec(select(OutboxRecord)).all() if r.dedupe_key.startswith("digest:lead")]
    )
    assert len(digests) == 3, "the job run twice for the same week sends once"
    next_week = await tick(harness, db, clock, datetime(2026, 12, 14, 8, 0, tzinfo=UTC))
    [later] = cards_to(next_week, LEAD)
    assert "29% (-29 pts since last week)" not in card_texts(later)
    assert "Champions recognised in 30 days" in card_texts(later)
    assert any("pts since last week" in text for text in card_texts(later)), "each figure shows its change"


async def test_a_week_with_nothing_sends_nothing(harness, db, clock):
    assert await tick(harness, db, clock, datetime(2026, 12, 7, 9, tzinfo=UTC)) == []
    await say(harness, LEAD, "digest")
    [card] = cards_to(harness.connector.sent, LEAD)
    assert_valid_card(card)
    texts = card_texts(card)
    assert texts[0] == "Your week in the champions program (2026-W50)", "on demand it still shows where things stand"
    export = next(action for action in card["actions"] if action["type"] == "Action.OpenUrl")
    assert export["title"] == "Export CSV" and "/api/files/digest-csv/" in export["url"]
    response = await harness.client.get(export["url"][export["url"].index("/api/") :])
    assert response.status == 200 and response.content_type == "text/csv"
    assert (await response.text()).splitlines()[0] == "period,section,item,value"
    forged = await harness.client.get(export["url"][export["url"].index("/api/") :] + "0")
    assert forged.status == 404, "a link that was not signed serves nothing"


async def test_a_lead_moves_their_day_and_snoozes(harness, db, clock):
    await a_busy_week(harness, db, clock)
    moved = await invoke(harness, LEAD, "digests.schedule", {"weekday": "2", "hour": "14"})
    assert moved["value"] == "Done: your digest comes on Wednesday at 14:00, your time."
    snoozed = await invoke(harness, ALICE, "digests.snooze", {"weeks": "2"})
    assert snoozed["value"].startswith("Fatto: nessun riepilogo fino a dopo il 20 dic 2026")
    monday = await tick(harness, db, clock, datetime(2026, 12, 7, 9, tzinfo=UTC))
    assert not cards_to(monday, LEAD) and not cards_to(monday, ALICE) and cards_to(monday, CHAI)
    wednesday = await tick(harness, db, clock, datetime(2026, 12, 9, 13, tzinfo=UTC))
    assert cards_to(wednesday, LEAD) and not cards_to(wednesday, ALICE)
    crafted = await invoke(harness, SAM, "digests.snooze", {"weeks": "2"})
    assert crafted["value"] == "Only program leads can do that. Type help to see what you can do."


async def test_a_sponsor_reads_the_month_decides_and_thanks_a_champion(harness, db, clock):
    ids = await a_busy_week(harness, db, clock)
    await say(harness, LEAD, "ask sponsors Approve 500 EUR of prizes for the Q1 draw?")
    await say(harness, SAM, "sponsor digest")
    [on_demand] = cards_to(harness.connector.sent, SAM)
    assert card_texts(on_demand)[0] == "The champions program: December 2026"
    harness.connector.clear()
    for command in ("results", "check-in results 2026-11-30", "feedback", "digest"):
        assert await say(harness, SAM, command) == ["Only program leads can do that. Type help to see what you can do."]
    # The first working day of January, 09:00 in Rome: November's digest... and December's on 1 February.
    sent = await tick(harness, db, clock, datetime(2027, 1, 1, 8, 0, tzinfo=UTC))
    [card] = cards_to(sent, SAM)
    assert_valid_card(card)
    texts = card_texts(card)
    assert texts[0] == "The champions program: December 2026"
    assert "Approve 500 EUR of prizes for the Q1 draw?" in texts and "Let's discuss" in texts
    assert texts[texts.index("Active champions against plan") + 1] == "5 of 6", "Sales's 5, and one for Finance"
    assert not any(SERVICE_QUOTE in text or "Service Champion" in text for text in texts), (
        "no group under 5, no names beside words"
    )
    assert "What is working well?: 5 answers" in texts, "Sales's five respondents may be heard"
    assert "“Quotes take half the time now, ask …”" in texts, "anonymised"
    assert any(text.startswith("Sales Champion 1: ") for text in texts), "champions of the month"
    bar = next(e for e in card["body"] if e["type"] == "Chart.HorizontalBar")
    assert [row["x"] for row in bar["data"]] == ["Finance", "Sales"], "Service (2 people) is below the threshold"
    decision = next(
        action["data"]
        for e in card["body"]
        if e["type"] == "ActionSet"
        for action in e["actions"]
        if action["data"].get("answer") == "approve"
    )
    approved = await invoke(harness, SAM, "digests.decide", decision)
    assert approved["value"] == "Thanks: your answer went to the program leads."
    again = await invoke(harness, SAM, "digests.decide", {**decision, "answer": "discuss"})
    assert again["value"] == "Already answered: Approve. Nothing changed."
    await deliver_outbox(harness, db)
    told = [item.text for item in harness.connector.sent if item.conversation_id == LEAD.personal_conversation_id]
    assert "Sam Sponsor approved: “Approve 500 EUR of prizes for the Q1 draw?”" in told
    harness.connector.clear()
    thank = {"champion": ids[SALES[0]], "month": "2026-12"}
    first, again = [(await invoke(harness, SAM, "digests.thank", thank))["value"] for _ in range(2)]
    assert first.startswith("Thank you!") and again == "You've already thanked them for this month."
    by_a_lead = (await invoke(harness, LEAD, "digests.thank", thank))["value"]
    assert by_a_lead == "That's for the program's sponsors. Type help to see what you can do.", "a sponsor's thanks"
    await deliver_outbox(harness, db)
    thanks = [item.text for item in harness.connector.sent if "a sponsor of the champions program" in (item.text or "")]
    assert thanks == [
        "Sam Sponsor, a sponsor of the champions program, thanks you for your work this month: "
        "20 points for you. Keep it up!"
    ], "the champion hears it, in a chat the bot opens with them"
    later = await tick(harness, db, clock, datetime(2027, 1, 1, 9, 0, tzinfo=UTC))
    assert cards_to(later, SAM) == [], "once per sponsor per month"


async def test_the_digest_exports_as_csv_for_a_week(harness, db, clock, tmp_path, monkeypatch):
    await a_busy_week(harness, db, clock)
    monkeypatch.setenv("DATABASE_URL", harness.settings.database_url)
    out = tmp_path / "digest.csv"
    assert main(["export", "digest", "--week", "2026-W49", "-o", str(out)]) == 0
    rows = out.read_text().splitlines()
    assert rows[0] == "period,section,item,value"
    assert "2026-W49,needs,nominations,1" in rows and "2026-W49,feedback,closed,1" in rows
    assert "2026-W49,at_risk,Service Champion 1,missed+unrecognised" in rows
    assert "2026-W49,participation,Sales,45" in rows
    with pytest.raises(SystemExit) as refused:
        main(["export", "digest", "--week", "soon"])
    assert refused.value.code == 2
    assert main(["export", "coverage", "--week", "2026-W49"]) == 2
