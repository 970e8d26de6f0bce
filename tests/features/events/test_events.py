"""Events end to end through /api/messages: a lead creates a weekly champion meeting, champions
in two time zones answer the invitation (each reading the time in their own zone), those
coming are reminded a day and an hour before, once, and the lead reads and exports who is
coming. A champion's office hours show on "who is my champion"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import job_context, main
from features.events.jobs import remind
from tests.support.activities import LEAD, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say
from tests.support.clock import FrozenClock
from tests.support.program import Person, deliver_outbox, import_directory, seed_champion

RITA = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
PAOLO = TeamsUser("29:paolo", "Paolo Verdi", "eeeeeeee-0000-0000-0000-000000000014")
SOMCHAI = TeamsUser("29:somchai", "Somchai Dee", "eeeeeeee-0000-0000-0000-000000000012", "th-TH")
ERIN = TeamsUser("29:erin", "Erin Employee", "eeeeeeee-0000-0000-0000-000000000015")
PEOPLE = {
    RITA: Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North"),
    PAOLO: Person("paolo@contoso.example", "Paolo Verdi", "Sales", "Milan", "South"),
    SOMCHAI: Person("somchai@contoso.example", "Somchai Dee", "Service", "Bangkok", "Field"),
    ERIN: Person("erin@contoso.example", "Erin Employee", "Sales", "Milan", "South"),
    LEAD: Person("lena.lead@contoso.example", "Lena Lead", "Programme Office", "Milan", "PMO"),
}
ZONES = {RITA: "Europe/Rome", PAOLO: "Europe/Rome", SOMCHAI: "Asia/Bangkok", ERIN: "Europe/Rome", LEAD: "Europe/Rome"}
MEETING = "https://teams.microsoft.com/l/meetup-join/19%3ameeting"
FORM = {
    "title": "Champions' round table",
    "date": "2026-12-09",
    "time": "15:00",
    "minutes": "60",
    "meeting_url": MEETING,
    "repeat": "weekly",
    "occurrences": "2",
    "audience": "champions",
    "units": "",
}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 12, 2, 9, tzinfo=UTC))


@pytest.fixture
async def harness(harness_factory, db, clock):
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    import_directory(db, list(PEOPLE.values()), clock)
    for user in (RITA, PAOLO, SOMCHAI):
        seed_champion(db, clock, user.teams_user_id, PEOPLE[user])
    for user, person in PEOPLE.items():
        harness.connector.add_member(user.teams_user_id, email=person.email, name=person.name)
        await harness.send(harness.activities.message(user, "help", localTimezone=ZONES[user]))
    harness.connector.clear()
    return harness


def cards_to(harness, user) -> list[dict]:
    return [card for item in harness.connector.sent_to(user.personal_conversation_id) for card in item.cards]


async def tick(harness, db, clock, at: datetime) -> None:
    harness.connector.clear()
    clock.advance(at - clock.now())
    context = job_context(harness.settings, db, clock)
    await remind(context, at)
    await remind(context, at)  # a second run, or a second replica, sends nothing more
    await deliver_outbox(harness, db)


async def test_a_weekly_meeting_is_answered_reminded_in_each_time_zone_and_its_attendees_listed(
    harness, db, clock, tmp_path, monkeypatch
):
    await say(harness, LEAD, "new event")
    [form] = cards_to(harness, LEAD)
    assert_valid_card(form)
    wrong = await invoke(harness, LEAD, "events.create", {**FORM, "meeting_url": "teams meeting"})
    assert "Paste the Teams meeting link (https)." in card_texts(wrong["value"]), "asked again with the reason"
    created = await invoke(harness, LEAD, "events.create", FORM)
    assert (
        created["value"] == "Done: Champions' round table, Dec 9, 2026, 3:00 PM (60 minutes). I've invited 3 champions."
    )
    await deliver_outbox(harness, db)
    [invitation] = cards_to(harness, SOMCHAI)
    assert_valid_card(invitation)
    assert "9 ธ.ค. 2026 21:00 (60 นาที)" in card_texts(invitation), "the time in Bangkok, in Thai"
    [rita_invitation] = cards_to(harness, RITA)
    assert "9 dic 2026, 15:00 (60 minuti)" in card_texts(rita_invitation)
    event = rita_invitation["actions"][0]["data"]["event"]

    assert (await invoke(harness, RITA, "events.respond", {"event": event, "answer": "yes"}))["value"].startswith(
        "Ottimo"
    )
    assert (await invoke(harness, RITA, "events.respond", {"event": event, "answer": "yes"}))["value"] == (
        "È già la tua risposta: nulla è cambiato."
    )
    await invoke(harness, SOMCHAI, "events.respond", {"event": event, "answer": "yes"})
    await invoke(harness, PAOLO, "events.respond", {"event": event, "answer": "no"})
    stranger = await invoke(harness, ERIN, "events.respond", {"event": event, "answer": "yes"})
    assert stranger["value"] == "That invitation wasn't for you: nothing changed."

    await tick(harness, db, clock, datetime(2026, 12, 8, 13, 59, tzinfo=UTC))
    assert harness.connector.sent == [], "not yet a day before"
    await tick(harness, db, clock, datetime(2026, 12, 8, 14, 0, tzinfo=UTC))
    [day_thai] = cards_to(harness, SOMCHAI)
    assert "ใกล้ถึงแล้ว: Champions' round table" in card_texts(day_thai)
    assert len(cards_to(harness, RITA)) == 1 and cards_to(harness, PAOLO) == [], "only those coming, once"
    await tick(harness, db, clock, datetime(2026, 12, 9, 13, 0, tzinfo=UTC))
    [hour] = cards_to(harness, RITA)
    assert "Tra un'ora: Champions' round table" in card_texts(hour)
    await tick(harness, db, clock, datetime(2026, 12, 15, 14, 0, tzinfo=UTC))
    assert len(cards_to(harness, RITA)) == 1, "the second week's meeting has its own reminders"
    late = await invoke(
        harness, LEAD, "events.create", {**FORM, "date": "2026-12-16", "time": "08:00", "repeat": "none"}
    )
    assert late["value"].startswith("Done: Champions' round table, Dec 16, 2026, 8:00 AM")
    await deliver_outbox(harness, db)
    invitation = cards_to(harness, RITA)[-1]
    await invoke(harness, RITA, "events.respond", invitation["actions"][0]["data"])
    await tick(harness, db, clock, datetime(2026, 12, 16, 6, 0, tzinfo=UTC))
    [reminder] = cards_to(harness, RITA)
    assert "Tra un'ora: Champions' round table" in card_texts(reminder), "one reminder, not two at once"

    harness.connector.clear()
    await say(harness, LEAD, "events")
    [listing] = cards_to(harness, LEAD)
    assert "Coming: 2 · Not coming: 1 · No answer yet: 0" in card_texts(listing)
    attendees = await invoke(harness, LEAD, "events.attendees", {"event": event})
    texts = card_texts(attendees["value"])
    assert texts[texts.index("Coming (2)") + 1] == "Rita Romano, Somchai Dee"
    assert texts[texts.index("Not coming (1)") + 1] == "Paolo Verdi"
    monkeypatch.setenv("DATABASE_URL", harness.settings.database_url)
    out = tmp_path / "attendees.csv"
    assert main(["export", "event-attendees", "-o", str(out)]) == 0
    rows = out.read_text().splitlines()
    assert rows[0] == "event_id,title,first_starts_at,name,email,answer"
    assert f"{event},Champions' round table,2026-12-09T14:00:00+00:00,Rita Romano,rita@contoso.example,yes" in rows


async def test_a_champion_s_office_hours_show_when_colleagues_look_for_a_champion(harness, db, clock):
    assert await say(harness, ERIN, "office hours Tuesdays 14:00-15:00") == [
        "That's for champions. Want to become one? Type join."
    ]
    assert await say(harness, PAOLO, "office hours Tuesdays 15:00-14:00") == [
        "The end comes after the start: office hours Tuesdays 14:00-15:00"
    ]
    texts = await say(harness, PAOLO, "office hours Tuesdays 14:00-15:00 Field Service")
    assert texts == ["Done: colleagues who look for a champion will see your office hours."]
    texts = await say(harness, PAOLO, "office hours")
    assert texts == ["Your office hours: Tuesdays 2:00 PM to 3:00 PM. Next: Dec 8, 2026, 2:00 PM."]
    await say(harness, ERIN, "who is my champion")
    cards = {card_texts(card)[0]: card_texts(card) for card in cards_to(harness, ERIN)}
    assert "Office hours" not in cards["Rita Romano"], "only champions who hold office hours show them"
    texts = cards["Paolo Verdi"]
    assert texts[texts.index("Office hours") + 1] == "Dec 8, 2026, 2:00 PM to 3:00 PM (Field Service)"
    assert await say(harness, PAOLO, "office hours off") == ["Done: no more office hours shown."]
