"""Announcements end to end through /api/messages: a lead writes one for the champions of two
departments, is told what is wrong with it, previews it, sends it once; it reaches each
champion once through the outbox (one of them unreachable), a champion says "Got it" and
opens its tracked link, and the lead reads the delivery and engagement figures. A scheduled
one goes out with the job; the launch template comes in the lead's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app import job_context
from features.announcements.jobs import send_scheduled
from tests.support.activities import LEAD, TEAM_ID, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say
from tests.support.clock import FrozenClock
from tests.support.program import Person, deliver_outbox, people_in_chat, seed_champion

RITA = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
PAOLO = TeamsUser("29:paolo", "Paolo Verdi", "eeeeeeee-0000-0000-0000-000000000014")
SOMCHAI = TeamsUser("29:somchai", "Somchai Dee", "eeeeeeee-0000-0000-0000-000000000012", "th-TH")
FRAN = TeamsUser("29:fran", "Fran Finance", "eeeeeeee-0000-0000-0000-000000000017")
PEOPLE = {
    RITA: Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North"),
    PAOLO: Person("paolo@contoso.example", "Paolo Verdi", "Sales", "Milan", "South"),
    SOMCHAI: Person("somchai@contoso.example", "Somchai Dee", "Service", "Bangkok", "Field"),
    FRAN: Person("fran@contoso.example", "Fran Finance", "Finance", "Rome", "Ledger"),
    LEAD: Person("lena.lead@contoso.example", "Lena Lead", "Programme Office", "Milan", "PMO"),
}
GUIDE = "https://contoso.example/guide"
FORM = {
    "text": "**Demo day** on Friday: bring one question from your team.",
    "audience": "champion_departments",
    "units": "sales, Service",
    "image_url": "",
    "image_alt": "",
    "link_title": "Read the guide",
    "link_url": GUIDE,
    "send_date": "",
    "send_time": "",
}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 12, 2, 9, tzinfo=UTC))


@pytest.fixture
async def harness(harness_factory, db, clock):
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    for user in (RITA, PAOLO, SOMCHAI, FRAN):
        seed_champion(db, clock, user.teams_user_id, PEOPLE[user])
    await people_in_chat(harness, db, clock, PEOPLE)
    harness.connector.clear()
    return harness


def cards_to(harness, user) -> list[dict]:
    return [card for item in harness.connector.sent_to(user.personal_conversation_id) for card in item.cards]


async def test_an_announcement_to_two_departments_is_previewed_sent_once_acknowledged_and_counted(harness, db, clock):
    await say(harness, LEAD, "announce")
    [compose] = cards_to(harness, LEAD)
    assert_valid_card(compose)
    wrong = await invoke(harness, LEAD, "announcements.preview", {**FORM, "link_url": "http://contoso.example/guide"})
    assert "The button needs an https link." in card_texts(wrong["value"]), "re-asked with the reason"
    unknown = await invoke(harness, LEAD, "announcements.preview", {**FORM, "units": "Sales, Marketing"})
    assert "No champion serves in: Marketing. Check the names." in card_texts(unknown["value"])
    preview = await invoke(harness, LEAD, "announcements.preview", FORM)
    assert_valid_card(preview["value"])
    texts = card_texts(preview["value"])
    assert "Preview: this is what people will get" in texts and "3 people" in texts and "When you press Send" in texts
    announcement = preview["value"]["actions"][0]["data"]["announcement"]
    refused = await invoke(harness, RITA, "announcements.send", {"announcement": announcement})
    assert (
        refused["value"] == "Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."
    )
    sent = await invoke(harness, LEAD, "announcements.send", {"announcement": announcement})
    assert sent["value"] == (
        "Sent: it's on its way to 3 recipients, at the pace Teams allows. Type announcements for the figures."
    )
    again = await invoke(harness, LEAD, "announcements.send", {"announcement": announcement})
    assert again["value"] == "Already done: this announcement was sent or scheduled, nothing changed."

    harness.connector.fail_next(403)  # the first to be sent has removed the bot
    await deliver_outbox(harness, db)
    await deliver_outbox(harness, db)
    received = {user: cards_to(harness, user) for user in (RITA, PAOLO, SOMCHAI, FRAN)}
    assert received[FRAN] == [], "Finance was not in the audience"
    reached = [user for user in (RITA, PAOLO, SOMCHAI) if received[user]]
    assert len(reached) == 2 and all(len(received[user]) == 1 for user in reached), "once per person"
    card = received[reached[0]][0]
    assert_valid_card(card)
    assert "**Demo day** on Friday: bring one question from your team." in card_texts(card)
    link = next(action["url"] for action in card["actions"] if action["type"] == "Action.OpenUrl")
    assert "/api/files/announcement-link/" in link, "a tracked link, not the page itself"
    response = await harness.client.get(link[link.index("/api/") :], allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == GUIDE
    ack = next(action["data"] for action in card["actions"] if action["type"] == "Action.Execute")
    first = await invoke(harness, reached[0], "announcements.ack", ack)
    assert first["value"] in ("Thanks: noted.", "Grazie: preso nota.", "ขอบคุณ รับทราบแล้ว")
    second = await invoke(harness, reached[0], "announcements.ack", ack)
    assert second["value"] in ("You already said you got it.", "Hai già confermato.", "คุณรับทราบไปแล้ว")
    stranger = await invoke(harness, FRAN, "announcements.ack", ack)
    assert stranger["value"] == "That announcement wasn't sent to you: nothing changed."

    harness.connector.clear()
    await say(harness, LEAD, "announcements")
    [figures] = cards_to(harness, LEAD)
    assert_valid_card(figures)
    texts = card_texts(figures)
    for label, value in (
        ("Recipients", "3"),
        ("Reached", "2"),
        ("Unreachable", "1"),
        ("Failed", "0"),
        ('Said "Got it"', "1"),
        ("Opened the link", "1"),
    ):
        assert texts[texts.index(label) + 1] == value, label


async def test_a_scheduled_announcement_goes_out_with_the_job_and_the_launch_template_is_translated(harness, db, clock):
    await say(harness, LEAD, "announce launch")
    [compose] = cards_to(harness, LEAD)
    text = next(element for element in compose["body"] if element.get("id") == "text")
    assert text["value"].startswith("**Meet your champions!**") and "not IT support" in text["value"]
    late = await invoke(
        harness, LEAD, "announcements.preview", {**FORM, "send_date": "2026-12-01", "send_time": "10:00"}
    )
    assert "That time has passed" in " ".join(card_texts(late["value"]))
    form = {**FORM, "audience": "champions", "units": "", "send_date": "2026-12-03", "send_time": "10:00"}
    preview = await invoke(harness, LEAD, "announcements.preview", form)
    assert "4 people" in card_texts(preview["value"]) and "Schedule" in card_texts(preview["value"])
    announcement = preview["value"]["actions"][0]["data"]["announcement"]
    edit = await invoke(harness, LEAD, "announcements.edit", {"announcement": announcement})
    assert next(e for e in edit["value"]["body"] if e.get("id") == "send_time")["value"] == "10:00"
    scheduled = await invoke(harness, LEAD, "announcements.send", {"announcement": announcement})
    assert scheduled["value"] == "Scheduled: it goes out at the time you chose."
    context = job_context(harness.settings, db, clock)
    clock.advance(datetime(2026, 12, 3, 8, 59, tzinfo=UTC) - clock.now())
    await send_scheduled(context, clock.now())
    await deliver_outbox(harness, db)
    assert not any(cards_to(harness, user) for user in (RITA, PAOLO, SOMCHAI, FRAN)), "10:00 in Rome is 09:00 UTC"
    clock.advance(timedelta(minutes=1))
    await send_scheduled(context, clock.now())
    await send_scheduled(context, clock.now())
    await deliver_outbox(harness, db)
    assert all(len(cards_to(harness, user)) == 1 for user in (RITA, PAOLO, SOMCHAI, FRAN)), "each once"


async def test_an_announcement_to_channels_goes_to_the_champions_channel_without_a_got_it(harness, db, clock):
    await harness.send(harness.activities.channel_mention(LEAD, "use this channel"))
    harness.connector.clear()
    form = {**FORM, "audience": "channels", "units": "", "link_title": "", "link_url": ""}
    preview = await invoke(harness, LEAD, "announcements.preview", form)
    assert "1 channel" in card_texts(preview["value"])
    announcement = preview["value"]["actions"][0]["data"]["announcement"]
    sent = await invoke(harness, LEAD, "announcements.send", {"announcement": announcement})
    assert sent["value"].startswith("Sent: it's on its way to 1 recipient")
    await deliver_outbox(harness, db)
    [post] = [card for item in harness.connector.sent if item.conversation_id == TEAM_ID for card in item.cards]
    assert_valid_card(post)
    assert "actions" not in post, "nobody in a channel acknowledges for everyone"
    assert not any(cards_to(harness, user) for user in (RITA, PAOLO, SOMCHAI, FRAN)), "no one in person"
