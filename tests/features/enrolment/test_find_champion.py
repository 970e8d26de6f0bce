"""Who is my champion, and the coverage plan, end to end through /api/messages."""

from __future__ import annotations

import csv
import io

import pytest

from app import main
from domain.roles import ChampionStatus
from tests.support.activities import BOB, CHAI, LEAD
from tests.support.cards import assert_valid_card, card_texts
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
    assert reply.cards == []
    assert "หาแชมเปี้ยนสำหรับทีมของคุณไม่พบ" in reply.text and "Lena Lead" in reply.text

    coverage = await ask(directory, LEAD, "coverage")
    rows = table_rows(coverage.cards[0])
    finance = next(row for row in rows if row[0] == "Department: Finance")
    assert finance[5] == "1", "one 'no champion found' request"


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


def table_rows(card) -> list[list[str]]:
    table = next(element for element in card["body"] if element["type"] == "Table")
    return [[cell["items"][0]["text"] for cell in row["cells"]] for row in table["rows"][1:]]


async def test_coverage_with_each_kind_of_target(directory, db, clock, monkeypatch, database_url, capsys):
    seed_champion(db, clock, "29:tina", TEAM_MATE)
    harness = directory
    for command, expected in (
        ("set target office Milan 3", "Target saved: Milan should have 3 champions."),
        ("set target department sales 1 per 2", "Target saved: Sales should have 1/2 champions."),
        ("set target team all 1", "Target saved: every Team should have 1 champions."),
        ("set target office Atlantis 2", 'I don\'t know the Office "Atlantis".'),
        ("set target office Milan", "Tell me the unit and the target"),
    ):
        reply = await ask(harness, LEAD, command)
        assert reply.text.startswith(expected), reply.text

    rows = {row[0]: row for row in table_rows((await ask(harness, LEAD, "coverage")).cards[0])}
    # unit: headcount, champions, target, gap, not found
    assert rows["Office: Milan"][1:5] == ["3", "1", "3", "2"]
    assert rows["Department: Sales"][1:5] == ["3", "1", "1/2", "1"], "ceil(3 / 2) = 2 needed"
    assert rows["Team: North"][1:5] == ["2", "1", "1", "0"]
    assert rows["Team: Payables"][1:5] == ["1", "0", "1", "1"], "the default for every team"
    assert rows["Office: Bangkok"][3:5] == ["—", "0"], "no target, no gap"
    order = list(rows)
    assert order[0] == "Office: Milan", "the worst gap first"

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
    assert len(exported) == len(rows)
