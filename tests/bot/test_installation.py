"""Greeting once on a personal install, an introduction when added to a team."""

from __future__ import annotations

from storage.repositories import Conversations
from tests.support.activities import ALICE, BOB, LEAD

GREETING = (
    "Hi Bob! I'm Champion Circle. I connect you with the champions who help colleagues make the most "
    "of the new way of working. Type help to see what you can do."
)


def stored(db, conversation_id):
    return db.transaction(lambda session: Conversations(session).get(conversation_id))


async def test_personal_install_greets_once_although_teams_sends_two_events(harness):
    await harness.send(harness.activities.installation_update(BOB, "add"))
    await harness.send(harness.activities.members_added(BOB))
    await harness.send(harness.activities.installation_update(BOB, "add"))

    assert [sent.text for sent in harness.connector.sent] == [GREETING]
    assert harness.connector.sent[0].conversation_id == BOB.personal_conversation_id


async def test_greeting_is_in_the_users_language(harness):
    await harness.send(harness.activities.members_added(ALICE))
    [sent] = harness.connector.sent
    assert sent.text.startswith("Ciao Alice! Sono Champion Circle.")


async def test_reinstall_does_not_greet_again_but_records_the_install(harness, db):
    await harness.send(harness.activities.installation_update(BOB, "add"))
    await harness.send(harness.activities.installation_update(BOB, "remove"))
    assert stored(db, BOB.personal_conversation_id).installed is False

    await harness.send(harness.activities.installation_update(BOB, "add"))

    assert len(harness.connector.sent) == 1
    assert stored(db, BOB.personal_conversation_id).installed is True


async def test_added_to_a_team_posts_an_introduction_once(harness, db):
    await harness.send(harness.activities.members_added(LEAD, team=True))
    await harness.send(harness.activities.installation_update(LEAD, "add", team=True))

    [sent] = harness.connector.sent
    assert sent.text == (
        "Hello, Sales Italy! I'm Champion Circle, the assistant for the champions program. "
        "Mention me with help to see what I can do."
    )
    record = stored(db, sent.conversation_id)
    assert record.kind == "channel" and record.installed is True


async def test_removed_from_a_team_is_recorded(harness, db):
    added = harness.activities.members_added(LEAD, team=True)
    await harness.send(added)
    await harness.send(harness.activities.members_removed(LEAD, team=True))

    assert stored(db, added["conversation"]["id"]).installed is False


async def test_someone_else_joining_a_team_is_not_an_install(harness):
    await harness.send(harness.activities.members_added(BOB, team=True, include_bot=False))
    assert harness.connector.sent == []


async def test_greeting_uses_the_roster_name_when_the_event_has_none(harness):
    harness.connector.add_member(BOB.teams_user_id, email="bob@contoso.example", name="Bob Smith")
    activity = harness.activities.members_added(BOB)
    del activity["from"]["name"]

    await harness.send(activity)

    assert [sent.text for sent in harness.connector.sent] == [GREETING]
