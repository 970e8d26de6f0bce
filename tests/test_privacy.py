"""A person's copy of their data: everything every feature keeps about them, and the request logged.

End to end: a champion answers a check-in (and raises feedback), receives kudos and earns
points through /api/messages, shares a story; then `python app.py privacy export` hands
over all of it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import job_context, main
from features.checkins.jobs import run_checkins
from storage.models import PrivacyRequestRecord
from tests.features.checkins.test_checkins import CADENCE
from tests.support.activities import LEAD, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say
from tests.support.clock import FrozenClock
from tests.support.program import Person, deliver_outbox, import_directory, seed_champion

RITA = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
ERIN = TeamsUser("29:erin", "Erin Employee", "eeeeeeee-0000-0000-0000-000000000015")
PEOPLE = {
    RITA: Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North", timezone="Europe/Rome"),
    ERIN: Person("erin@contoso.example", "Erin Employee", "Sales", "Milan", "North"),
}
STORY = (
    "Quotes in two clicks",
    "Our team used to copy prices by hand.",
    "Every quote is faster and right the first time.",
    "25 minutes per quote",
    "Sales",
    "Sales",
    "Rita Romano",
)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 10, 20, 12, tzinfo=UTC))


async def a_champion_with_history(harness_factory, db, clock):
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    import_directory(db, list(PEOPLE.values()), clock)
    for user, person in PEOPLE.items():
        harness.connector.add_member(user.teams_user_id, email=person.email, name=person.name)
    seed_champion(db, clock, RITA.teams_user_id, PEOPLE[RITA])
    await say(harness, LEAD, "help")
    for user in PEOPLE:
        await harness.send(harness.activities.message(user, "help"))
    await invoke(harness, LEAD, "checkins.cadence.save", CADENCE)
    # The round reaches Rita on Monday at 10:00 in Rome; she answers and raises a challenge.
    for at in (datetime(2026, 10, 25, 7, tzinfo=UTC), datetime(2026, 10, 26, 9, tzinfo=UTC)):
        clock.advance(at - clock.now())
        await run_checkins(job_context(harness.settings, db, clock), at)
        harness.connector.clear()
        await deliver_outbox(harness, db)
    [card] = [
        card
        for item in harness.connector.sent_to(RITA.personal_conversation_id)
        for card in item.cards
        if any(text.startswith("Check-in del") for text in card_texts(card))
    ]
    send = next(action for action in card["actions"] if action["verb"] == "checkin.submit")
    answers = {
        "q_working": "Quotes in two clicks",
        "q_sentiment": "4",
        "q_hours": "3",
        "q_challenges": "Approvals are slow",
    }
    await invoke(harness, RITA, "checkin.submit", {**send["data"], **answers})
    await say(harness, ERIN, "kudos Rita Romano for helping with quotes")
    for answer in ("share a story", *STORY, "Invia"):
        clock.advance(timedelta(seconds=3))  # people type slower than Teams' 8 messages in 2 s per chat
        await say(harness, RITA, answer)
    return harness


async def test_a_champion_exports_everything_the_bot_keeps_about_them(
    harness_factory, db, clock, database_url, monkeypatch, tmp_path, capsys
):
    await a_champion_with_history(harness_factory, db, clock)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    output = tmp_path / "rita.json"

    assert main(["privacy", "export", "RITA@contoso.example", "--output", str(output), "--by", "dpo"]) == 0

    data = json.loads(output.read_text(encoding="utf-8"))
    assert list(data) == [
        "platform",
        "enrolment",
        "checkins",
        "recognition",
        "questions",
        "announcements",
        "events",
        "training",
        "hunts",
        "lottery",
        "digests",
    ]
    [profile] = data["platform"]["profile"]
    assert (profile["email"], profile["display_name"], profile["locale"]) == (
        "rita@contoso.example",
        "Rita Romano",
        "it-IT",
    )
    assert data["platform"]["directory"][0]["department"] == "Sales"
    assert data["platform"]["champion_profile"][0]["status"] == "active"
    [checkin] = data["checkins"]["check_ins"]
    assert (checkin["round_date"], checkin["status"], checkin["sentiment"], checkin["hours"]) == (
        "2026-10-26",
        "answered",
        4,
        3.0,
    )
    assert checkin["answers"]["working"] == "Quotes in two clicks"
    assert [item["text"] for item in data["checkins"]["feedback_you_raised"]] == ["Approvals are slow"]
    recognition = data["recognition"]
    assert [kudos["message"] for kudos in recognition["kudos_you_received"]] == ["helping with quotes"]
    assert [story["title"] for story in recognition["stories_you_wrote"]] == ["Quotes in two clicks"]
    assert {entry["reason"] for entry in recognition["points"]} >= {"kudos", "checkin"}
    assert "kudos_you_gave" in recognition and recognition["kudos_you_gave"] == []
    text = output.read_text(encoding="utf-8")
    assert "erin@contoso.example" not in text, "another person's address is not in Rita's copy"

    [request] = db.transaction(lambda s: list(s.exec(select(PrivacyRequestRecord))))
    assert (request.kind, request.requested_by, request.via) == ("export", "dpo", "cli")
    assert "rita" not in request.subject_digest, "whom it was about is kept as a keyed digest only"


async def test_an_unknown_person_gets_nothing_and_the_request_is_still_logged(db, database_url, monkeypatch, capsys):
    from storage.migrations import upgrade

    upgrade(database_url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MicrosoftAppId", raising=False)

    assert main(["privacy", "export", "nobody@contoso.example", "--by", "dpo"]) == 1

    assert "keeps nothing about 'nobody@contoso.example'" in capsys.readouterr().err
    digests = db.transaction(lambda s: [r.subject_digest for r in s.exec(select(PrivacyRequestRecord))])
    assert len(digests) == 1
    assert main(["privacy", "export", "Nobody@Contoso.example", "--by", "dpo"]) == 1
    again = db.transaction(lambda s: [r.subject_digest for r in s.exec(select(PrivacyRequestRecord))])
    assert again[0] == again[1], "the same person gets the same digest, so a log can be searched"


def my_data_card(harness, user) -> dict:
    [card] = [card for item in harness.connector.sent_to(user.personal_conversation_id) for card in item.cards]
    return card


async def test_my_data_shows_each_part_and_a_link_that_downloads_all_of_it_for_ten_minutes(harness_factory, db, clock):
    harness = await a_champion_with_history(harness_factory, db, clock)
    harness.connector.clear()

    await say(harness, RITA, "i miei dati")

    card = my_data_card(harness, RITA)
    assert_valid_card(card)
    texts = card_texts(card)
    assert texts[0] == "Cosa conserva Champion Circle su di te", "in Rita's language"
    assert "Check-in e feedback" in texts and "Storie, ringraziamenti e punti" in texts
    assert any(text.startswith("Chi vede cosa: i responsabili") for text in texts), "a champion learns who sees what"
    [download] = card["actions"]
    assert download["type"] == "Action.OpenUrl"
    path = download["url"].split("://", 1)[1].split("/", 1)[1]

    response = await harness.client.get("/" + path)
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = await response.json()
    assert [item["text"] for item in data["checkins"]["feedback_you_raised"]] == ["Approvals are slow"]
    assert [kudos["message"] for kudos in data["recognition"]["kudos_you_received"]] == ["helping with quotes"]

    tampered = path[:-1] + ("0" if path[-1] != "0" else "1")
    assert (await harness.client.get("/" + tampered)).status == 404, "a changed link is refused"
    clock.advance(timedelta(minutes=11))
    expired = await harness.client.get("/" + path)
    assert expired.status == 404
    assert "expired" in (await expired.json())["detail"]
    kinds = db.transaction(lambda s: [(r.kind, r.via) for r in s.exec(select(PrivacyRequestRecord))])
    assert kinds == [("export", "chat"), ("export", "link")], "the request and the download are logged"


async def test_an_employee_sees_their_data_without_the_champions_note(harness_factory, db, clock):
    harness = await harness_factory()
    import_directory(db, [PEOPLE[ERIN]], clock)
    harness.connector.add_member(ERIN.teams_user_id, email=PEOPLE[ERIN].email, name=PEOPLE[ERIN].name)
    await say(harness, ERIN, "help")
    harness.connector.clear()

    await say(harness, ERIN, "my data")

    texts = card_texts(my_data_card(harness, ERIN))
    assert texts[0] == "What Champion Circle keeps about you"
    assert "Your profile, directory entry and chat" in texts
    assert not any(text.startswith("Who sees what") for text in texts)


def test_links_point_where_teams_reached_the_bot_even_behind_a_proxy():
    from aiohttp.test_utils import make_mocked_request

    from bot.my_data import origin_of

    direct = make_mocked_request("POST", "/api/messages", headers={"Host": "champions.contoso.com"})
    assert origin_of(direct) == "http://champions.contoso.com"
    proxied = make_mocked_request(
        "POST",
        "/api/messages",
        headers={"Host": "10.0.0.4:3978", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "champions.contoso.com"},
    )
    assert origin_of(proxied) == "https://champions.contoso.com"
