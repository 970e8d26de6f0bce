"""The training path end to end through /api/messages: a lead builds the library, a champion
gets the onboarding checklist once, ticks it, is reminded of the required item left open, and
the lead reads completion by department and by champion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app import job_context, main
from features.training.jobs import follow_up
from tests.support.activities import LEAD, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say, texts_to
from tests.support.clock import FrozenClock
from tests.support.program import Person, deliver_outbox, people_in_chat, seed_champion

RITA = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
PAOLO = TeamsUser("29:paolo", "Paolo Verdi", "eeeeeeee-0000-0000-0000-000000000014")
PEOPLE = {
    RITA: Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North"),
    PAOLO: Person("paolo@contoso.example", "Paolo Verdi", "Service", "Milan", "South"),
    LEAD: Person("lena.lead@contoso.example", "Lena Lead", "Programme Office", "Milan", "PMO"),
}
RESOURCES = [
    {"title": "Champion basics", "url": "https://learn.contoso.example/basics", "required": "true"},
    {"title": "Quotes in two clicks", "url": "https://learn.contoso.example/quotes", "focus_area": "Sales"},
    {"title": "Guida ai report", "url": "https://learn.contoso.example/report-it", "language": "it"},
    {"title": "Field Service deep dive", "url": "https://learn.contoso.example/fs", "focus_area": "Field Service"},
]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 12, 2, 9, tzinfo=UTC))


@pytest.fixture
async def harness(harness_factory, db, clock):
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    seed_champion(db, clock, RITA.teams_user_id, PEOPLE[RITA], focus=("Sales",))
    seed_champion(db, clock, PAOLO.teams_user_id, PEOPLE[PAOLO], focus=("Customer Service",))
    await people_in_chat(harness, db, clock, PEOPLE)
    harness.connector.clear()
    return harness


def cards_to(harness, user) -> list[dict]:
    return [card for item in harness.connector.sent_to(user.personal_conversation_id) for card in item.cards]


async def run_job(harness, db, clock) -> None:
    harness.connector.clear()
    await follow_up(job_context(harness.settings, db, clock), clock.now())
    await deliver_outbox(harness, db)


async def test_a_checklist_is_sent_once_ticked_reminded_and_counted(harness, db, clock, tmp_path, monkeypatch):
    await say(harness, LEAD, "new training")
    [form] = cards_to(harness, LEAD)
    assert_valid_card(form)
    wrong = await invoke(harness, LEAD, "training.save", {"title": "Basics", "url": "learn.contoso.example"})
    assert "Paste the link (https)." in card_texts(wrong["value"])
    for resource in RESOURCES:
        data = {"focus_area": "", "language": "", "required": "false", "checklist": "true", **resource}
        saved = await invoke(harness, LEAD, "training.save", data)
        assert saved["value"] == f"Done: {resource['title']} is in the training library."
    assert (await invoke(harness, RITA, "training.save", RESOURCES[0]))["value"].startswith("Solo i responsabili")

    await run_job(harness, db, clock)
    [checklist] = cards_to(harness, RITA)
    assert_valid_card(checklist)
    texts = card_texts(checklist)
    assert "0 di 3 fatte" in texts, "basics, quotes (Sales) and the Italian guide: not the Field Service one"
    assert not any("Field Service deep dive" in text for text in texts)
    [paolos] = cards_to(harness, PAOLO)
    assert "0 of 1 done" in card_texts(paolos), "Paolo reads English and works in Customer Service"
    await run_job(harness, db, clock)
    assert harness.connector.sent == [], "the checklist comes once"

    items = [element["id"] for element in checklist["body"] if element.get("type") == "Input.Toggle"]
    ticked = {items[1]: "true", items[2]: "true", items[0]: "false"}
    saved = await invoke(harness, RITA, "training.tick", ticked)
    assert saved["value"] == "Salvato: 2 di 3 fatte."
    assert (await invoke(harness, LEAD, "training.tick", ticked))[
        "value"
    ] == "That's for champions. Want to become one? Type join."

    clock.advance(timedelta(days=13))
    await run_job(harness, db, clock)
    assert harness.connector.sent == [], "not reminded before two weeks"
    clock.advance(timedelta(days=1))
    await run_job(harness, db, clock)
    reminders = [text for text in texts_to(harness, RITA) if text.startswith("Un promemoria")]
    assert reminders == ["Un promemoria: 1 voce obbligatoria è ancora aperta nella tua checklist: Champion basics."]
    await run_job(harness, db, clock)
    assert harness.connector.sent == [], "once per reminder period"
    await invoke(harness, RITA, "training.tick", {**ticked, items[0]: "true"})

    harness.connector.clear()
    await say(harness, LEAD, "training progress")
    [progress] = cards_to(harness, LEAD)
    assert_valid_card(progress)
    texts = card_texts(progress)
    assert texts[texts.index("Paolo Verdi") + 2] == "0/1" and texts[texts.index("Rita Romano") + 2] == "1/1"
    assert texts[texts.index("Service") + 1] == "0%", "the department least done comes first"
    await say(harness, RITA, "formazione")
    [library] = cards_to(harness, RITA)
    assert "[Quotes in two clicks](https://learn.contoso.example/quotes) (Sales)" in card_texts(library)
    monkeypatch.setenv("DATABASE_URL", harness.settings.database_url)
    out = tmp_path / "training.csv"
    assert main(["export", "training", "-o", str(out)]) == 0
    assert "Rita Romano,Sales,1,1" in out.read_text().splitlines()
