"""Who is my champion, and the coverage plan, end to end through /api/messages."""

from __future__ import annotations

import csv
import io

import pytest

from app import main
from domain.roles import ChampionStatus
from tests.support.activities import BOB, CHAI, LEAD
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import texts_to
from tests.support.program import Person, import_directory, seed_champion

BOB_PERSON = Person("bob@contoso.example", "Bob Smith", "Sales", "Milan", "North")
CHAI_PERSON = Person("chai@contoso.example", "Chai Wongsakul", "Finance", "Bangkok", "Payables")
TEAM_MATE = Person("tina@contoso.example", "Tina Team", "Sales", "Milan", "North")
DEPARTMENT_MATE = Person("dan@contoso.example", "Dan Dept", "Sales", "Rome", "South")
OFFICE_MATE = Person("olga@contoso.example", "Olga Office", "Legal", "Milan", "Contracts")
FAR_AWAY = Person("fred@contoso.example", "Fred Field", "Service", "Turin", "Field")
DIRECTORY = [BOB_PERSON, CHAI_PERSON, TEAM_MATE, DEPARTMENT_MATE, OFFICE_MATE, FAR_AWAY]


@pytest.fixture
async def directory(harness, db, clock):
    harness.connector.add_member(BOB.teams_user_id, email=BOB_PERSON.email, name=BOB.name)
    harness.connector.add_member(CHAI.teams_user_id, email=CHAI_PERSON.email, name=CHAI.name)
    import_directory(db, DIRECTORY, clock)
    return harness


async def ask(harness, user, text: str):
    harness.connector.clear()
    await harness.send(harness.activities.message(user, text))
    [reply] = harness.connector.sent_to(user.personal_conversation_id)
    for card in reply.cards:
        assert_valid_card(card)
    return reply


def names(reply) -> list[str]:
    return [card["body"][0]["text"] for card in reply.cards]


async def test_a_covered_team_gets_its_own_champion_first(directory, db, clock):
    seed_champion(db, clock, "29:dan", DEPARTMENT_MATE)
    seed_champion(db, clock, "29:tina", TEAM_MATE)
    seed_champion(db, clock, "29:olga", OFFICE_MATE)
    seed_champion(db, clock, "29:fred", FAR_AWAY)

    reply = await ask(directory, BOB, "who is my champion?")
    assert names(reply) == ["Tina Team", "Dan Dept", "Olga Office"]
    assert "not IT support" in reply.text
    first = reply.cards[0]
    assert "Champion for your team" in card_texts(first)
    assert first["actions"][0]["url"] == "https://teams.microsoft.com/l/chat/0/0?users=tina@contoso.example"


async def test_a_covered_department_only(directory, db, clock):
    seed_champion(db, clock, "29:dan", DEPARTMENT_MATE)
    reply = await ask(directory, BOB, "my champion")
    assert names(reply) == ["Dan Dept"]
    assert "Champion for your department" in card_texts(reply.cards[0])


async def test_a_covered_office_only(directory, db, clock):
    seed_champion(db, clock, "29:olga", OFFICE_MATE)
    seed_champion(db, clock, "29:fred", FAR_AWAY)
    reply = await ask(directory, BOB, "find a champion")
    assert names(reply) == ["Olga Office"]
    assert "Champion for your office" in card_texts(reply.cards[0])


async def test_an_uncovered_unit_is_told_kindly_and_counted_as_a_gap(directory, db, clock):
    seed_champion(db, clock, "29:tina", TEAM_MATE)
    await directory.send(directory.activities.message(LEAD, "help"))
    reply = await ask(directory, CHAI, "who is my champion")
    [card] = reply.cards
    assert "หาแชมเปี้ยนสำหรับทีมของคุณไม่พบ" in card_texts(card)[0] and "Lena Lead" in card_texts(card)[0]
    chat, become = card["actions"]
    assert chat["title"] == "แชทกับ Lena Lead" and chat["url"].endswith("users=lena.lead@contoso.example")
    assert become["data"] == {"command": "join", "argument": ""}
    directory.connector.clear()
    await directory.send(directory.activities.card_submit(CHAI, become["data"]))
    texts = texts_to(directory, CHAI)
    assert any("ไม่ใช่ฝ่ายสนับสนุนไอที" in text for text in texts), "an employee may use the offered command: join starts"

    coverage = coverage_units((await ask(directory, LEAD, "coverage")).cards[0])
    badge, details = coverage["Finance"]
    assert badge == "No champion" and details.endswith("1 search found nobody"), details


async def test_ties_go_to_the_less_busy_champion_and_paused_ones_are_skipped(directory, db, clock):
    busy = Person("bea@contoso.example", "Bea Busy", "Sales", "Milan", "North")
    free = Person("fay@contoso.example", "Fay Free", "Sales", "Milan", "North")
    away = Person("al@contoso.example", "Al Away", "Sales", "Milan", "North")
    seed_champion(db, clock, "29:bea", busy, people_pointed=5)
    seed_champion(db, clock, "29:fay", free, people_pointed=1)
    seed_champion(db, clock, "29:al", away, status=ChampionStatus.PAUSED)
    reply = await ask(directory, BOB, "who is my champion")
    assert names(reply) == ["Fay Free", "Bea Busy"]


async def test_a_focus_area_finds_anyone_with_it(directory, db, clock):
    seed_champion(db, clock, "29:tina", TEAM_MATE, focus=("Sales",))
    seed_champion(db, clock, "29:fred", FAR_AWAY, focus=("Field Service",))
    reply = await ask(directory, BOB, "who can help me with field service")
    assert names(reply) == ["Fred Field"]
    assert "Champion for this topic" in card_texts(reply.cards[0])
    reply = await ask(directory, BOB, "who can help me with astrology")
    assert "I don't know the topic" in reply.text and "Field Service" in reply.text


def coverage_units(card) -> dict[str, tuple[str, str]]:
    """Each unit block of the coverage card, in order: name -> (badge, details line)."""
    units = {}
    for block in (element for element in card["body"] if element["type"] == "Container"):
        name_column, badge_column = block["items"][0]["columns"]
        units[name_column["items"][0]["text"]] = (badge_column["items"][0]["text"], block["items"][1]["text"])
    return units


async def test_coverage_with_each_kind_of_target(directory, db, clock, monkeypatch, database_url, capsys):
    seed_champion(db, clock, "29:tina", TEAM_MATE)
    harness = directory
    for command, expected in (
        ("set target office Milan 3", "Target saved: Milan should have 3 champions."),
        ("set target department sales 1 per 2", "Target saved: Sales should have one champion for every 2 people."),
        ("set target team all 1", "Target saved: every team should have 1 champion."),
        ("set target office Atlantis 2", 'I don\'t know the Office "Atlantis".'),
        ("set target office Milan", "Tell me the unit and the target"),
    ):
        reply = await ask(harness, LEAD, command)
        assert reply.text.startswith(expected), reply.text

    card = (await ask(harness, LEAD, "coverage")).cards[0]
    units = coverage_units(card)
    assert units["Milan"] == ("2 missing", "Office · 3 people · 1 of 3 champions")
    assert units["Sales"] == ("1 missing", "Department · 3 people · 1 of 2 champions"), "ceil(3 / 2) = 2 needed"
    assert units["North"] == ("On target", "Team · 2 people · 1 of 1 champion")
    assert units["Payables"] == ("No champion", "Team · 1 person · 0 of 1 champion"), "the default for every team"
    badge, details = units["Bangkok"]
    assert badge == "No champion" and details.endswith("0 champions"), "no target, yet a gap: nobody is there"
    assert next(iter(units)) == "Milan", "the worst gap first"
    assert list(units).index("Bangkok") < list(units).index("North"), "a unit with nobody comes before covered ones"
    assert any(
        element.get("text", "").startswith("1 of ") for element in card["body"] if element["type"] == "TextBlock"
    ), "a summary line counts the units on target"

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    capsys.readouterr()
    assert main(["export", "coverage"]) == 0
    exported = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    milan = next(row for row in exported if row["unit"] == "Milan")
    assert milan == {
        "unit_kind": "office",
        "unit": "Milan",
        "headcount": "3",
        "champions": "1",
        "target": "3",
        "required": "3",
        "gap": "2",
        "not_found": "0",
    }
    assert len(exported) == len(units)


async def test_with_no_lead_known_the_employee_is_still_offered_a_way_forward(harness_factory, db, clock):
    harness = await harness_factory(PROGRAM_LEADS="")
    harness.connector.add_member(BOB.teams_user_id, email=BOB_PERSON.email, name=BOB.name)
    import_directory(db, DIRECTORY, clock)
    reply = await ask(harness, BOB, "who is my champion")
    [card] = reply.cards
    text = card_texts(card)[0]
    assert text.startswith("I couldn't find a champion for your team yet") and "type leads" not in text
    assert [action["title"] for action in card["actions"]] == ["Become a champion"]
    harness.connector.clear()
    await harness.send(harness.activities.card_submit(BOB, card["actions"][0]["data"]))
    texts = texts_to(harness, BOB)
    assert any("they are not IT support" in text for text in texts), "join starts"


async def test_a_lead_known_only_by_address_is_named_from_the_directory(harness_factory, db, clock):
    lead = Person("lena.lead@contoso.example", "Lena Lead", "Program", "Milan", "PMO")
    harness = await harness_factory(PROGRAM_LEADS="lena.lead@contoso.example")
    harness.connector.add_member(BOB.teams_user_id, email=BOB_PERSON.email, name=BOB.name)
    import_directory(db, [*DIRECTORY, lead], clock)
    reply = await ask(harness, BOB, "who is my champion")
    chat, _become = reply.cards[0]["actions"]
    assert chat["title"] == "Chat with Lena Lead", "never sent to a command an employee cannot use"
    assert chat["url"].endswith("users=lena.lead@contoso.example")


async def test_who_was_pointed_where_is_counted_after_the_answer_and_before_the_app_stops(directory, db, clock):
    from sqlmodel import select

    from features.enrolment.tables import ChampionReferralCountRecord, ChampionReferralRecord

    def counted():
        referrals = db.transaction(lambda s: len(s.exec(select(ChampionReferralRecord)).all()))
        return referrals, db.transaction(lambda s: s.exec(select(ChampionReferralCountRecord.people)).all())

    seed_champion(db, clock, "29:tina", TEAM_MATE)
    directory.connector.clear()
    # Posted without the harness writing behind: the answer does not wait for the count.
    response = await directory.post(directory.activities.message(BOB, "who is my champion"))
    assert response.status == 200
    [answer] = directory.connector.sent_to(BOB.personal_conversation_id)
    assert names(answer) == ["Tina Team"]
    assert counted() == (0, [0]), "handed over, not written yet"
    await directory.stop()  # the app writes what is left as it stops
    assert counted() == (1, [1])
