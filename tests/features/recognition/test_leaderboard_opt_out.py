"""`hide me from leaderboards`: points still count and the person sees their own rank; others
see "a colleague", and posts about them stay out of the channel. Through /api/messages."""

from __future__ import annotations

from datetime import UTC, datetime

from app import job_catalog, job_context
from scheduling.scheduler import JobRunner
from tests.features.recognition.test_recognition import (  # noqa: F401 - the program and its fixtures
    ERIN,
    PAOLO,
    RITA,
    STORY,
    channel_posts,
    clock,
    delivered,
    program,
    share,
)
from tests.support.activities import LEAD
from tests.support.cards import card_texts
from tests.support.chat import invoke, say, texts_to


def board_rows(harness, user) -> list[list[str]]:
    card = harness.connector.sent_to(user.personal_conversation_id)[-1].cards[0]
    champions = next(element for element in card["body"] if element["type"] == "Table")
    return [[cell["items"][0]["text"] for cell in row["cells"]] for row in champions["rows"]][1:]


async def test_a_hidden_champion_earns_points_sees_their_rank_and_is_a_colleague_to_others(program, db, clock):  # noqa: F811
    harness = program
    texts = await say(harness, RITA, "nascondimi dalle classifiche")
    assert texts[0].startswith('Fatto: ora gli altri ti vedono come "un collega"')
    assert await say(harness, RITA, "nascondimi") == [
        "Sei già nascosto dalle classifiche. Scrivi mostrami nelle classifiche per comparire di nuovo con il tuo nome."
    ]
    await say(harness, LEAD, "award Rita Romano 120 for leading the Milan rollout")
    await say(harness, LEAD, "award Paolo Verdi 25 for the training videos")
    await delivered(harness, db)
    assert any(text.startswith("Complimenti, ora sei Champion di bronzo") for text in texts_to(harness, RITA)), (
        "she is told herself"
    )
    assert channel_posts(harness) == [], "but her level is not announced in the channel"

    await say(harness, ERIN, "leaderboard")
    assert board_rows(harness, ERIN) == [["1", "A colleague", "120"], ["2", "Paolo Verdi", "25"]]
    await say(harness, RITA, "classifica")
    assert board_rows(harness, RITA) == [["1", "Rita Romano", "120"], ["2", "Paolo Verdi", "25"]], "herself by name"
    assert await say(harness, PAOLO, "leaderboard") and board_rows(harness, PAOLO)[0][1] == "A colleague"

    runner = JobRunner(job_catalog(harness.settings), job_context(harness.settings, db, clock))
    first_of_december = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    clock.advance(first_of_december - clock.now())
    assert await runner.run("recognition.monthly-post", first_of_december)
    await delivered(harness, db)
    [post] = channel_posts(harness)
    texts = card_texts(post.cards[0])
    assert "1. A colleague" in texts and "2. Paolo Verdi" in texts
    assert "Rita Romano" not in " ".join(texts), "nor among the month's new levels"

    texts = await say(harness, RITA, "mostrami nelle classifiche")
    assert texts == ["Fatto: il tuo nome è di nuovo nelle classifiche e nei post."]
    await say(harness, ERIN, "leaderboard all time")
    assert board_rows(harness, ERIN)[0] == ["1", "Rita Romano", "120"]


async def test_a_story_crediting_a_hidden_champion_thanks_a_colleague_in_public(program, db):  # noqa: F811
    harness = program
    await say(harness, RITA, "nascondimi dalle classifiche")
    await share(harness, ERIN, *STORY)
    await say(harness, ERIN, "Send")
    await delivered(harness, db)
    [moderation] = [card for item in harness.connector.sent_to(LEAD.personal_conversation_id) for card in item.cards]
    assert "Rita Romano" in card_texts(moderation), "leads see who is thanked"
    publish = next(action for action in moderation["actions"] if action["verb"] == "story.publish")
    await invoke(harness, LEAD, "story.publish", publish["data"])
    await delivered(harness, db)

    [post] = channel_posts(harness)
    texts = card_texts(post.cards[0])
    assert "A colleague" in texts and "Rita Romano" not in texts
    assert "Erin Employee" in texts, "the author, who is not hidden, is named"
