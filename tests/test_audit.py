"""The audit trail end to end: lead actions in chat are recorded, `audit` shows them to leads
only, and the command line exports the trail and detects a changed entry."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from app import main
from domain.roles import ChampionStatus
from tests.support.activities import LEAD, TeamsUser
from tests.support.cards import assert_valid_card
from tests.support.chat import invoke, say
from tests.support.clock import FrozenClock
from tests.support.program import Person, import_directory, seed_champion

RITA = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
ERIN = TeamsUser("29:erin", "Erin Employee", "eeeeeeee-0000-0000-0000-000000000015")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 10, 9, tzinfo=UTC))


def audit_rows(harness, user) -> list[list[str]]:
    card = harness.connector.sent_to(user.personal_conversation_id)[-1].cards[0]
    assert_valid_card(card)
    table = next(element for element in card["body"] if element["type"] == "Table")
    return [[cell["items"][0]["text"] for cell in row["cells"]] for row in table["rows"]][1:]


async def test_lead_actions_are_in_the_trail_for_leads_only(
    harness_factory, db, clock, database_url, monkeypatch, tmp_path
):
    harness = await harness_factory()
    rita = Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North")
    import_directory(db, [rita], clock)
    pending = seed_champion(db, clock, RITA.teams_user_id, rita, status=ChampionStatus.PENDING)
    await say(harness, LEAD, "help")
    await say(harness, ERIN, "help")

    await invoke(harness, LEAD, "champion.approve", {"champion_id": pending})
    await invoke(harness, LEAD, "champion.approve", {"champion_id": pending})  # a replayed card: no second entry
    await say(harness, LEAD, "award Rita Romano 40 for running the demo day")
    await say(harness, LEAD, "add lead omar@contoso.example")

    await say(harness, LEAD, "audit")
    rows = audit_rows(harness, LEAD)
    assert [row[1:] for row in rows] == [
        ["Lena Lead", "Added a lead", "omar@contoso\\.example"],  # escaped for the card's markdown
        ["Lena Lead", "Awarded points", "Rita Romano"],
        ["Lena Lead", "Approved a champion", "Rita Romano"],
    ]
    await say(harness, LEAD, "audit points")
    assert [row[2] for row in audit_rows(harness, LEAD)] == ["Awarded points"]
    texts = await say(harness, ERIN, "audit")
    assert texts == ["Only program leads can do that. Type help to see what you can do."]

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert main(["audit", "verify"]) == 0
    exported = tmp_path / "audit.csv"
    assert main(["export", "audit", "--output", str(exported)]) == 0
    with exported.open(encoding="utf-8") as file:
        lines = list(csv.DictReader(file))
    assert [line["action"] for line in lines] == ["champion.approve", "points.award", "lead.add", "data.export"]
    assert '"points": 40' in lines[1]["details"]
    await say(harness, LEAD, "audit")
    assert audit_rows(harness, LEAD)[0][2] == "Exported a report", "an export is itself recorded"

    db.transaction(
        lambda s: s.execute(text("UPDATE audit_entry SET subject = 'Paolo Verdi' WHERE action = 'points.award'"))
    )
    assert main(["audit", "verify"]) == 1
