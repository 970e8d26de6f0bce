"""Recognition end to end: stories from draft to channel, kudos, the points ledger, leaderboards,
the monthly post. Through /api/messages, the fake connector and the real outbox sender.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import job_catalog, job_context
from domain.roles import ChampionStatus
from features.checkins.jobs import run_checkins
from features.recognition.domain import CONFIGURABLE
from features.recognition.storage import PointsLedger
from features.recognition.tables import PointsEntryRecord, StoryRecord
from scheduling.scheduler import JobRunner
from tests.support.activities import LEAD, TEAM_ID, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say, texts_to
from tests.support.clock import FrozenClock
from tests.support.program import Person, deliver_outbox, import_directory, seed_champion

RITA = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
PAOLO = TeamsUser("29:paolo", "Paolo Verdi", "eeeeeeee-0000-0000-0000-000000000014")
SOMCHAI = TeamsUser("29:somchai", "Somchai Dee", "eeeeeeee-0000-0000-0000-000000000012")
ERIN = TeamsUser("29:erin", "Erin Employee", "eeeeeeee-0000-0000-0000-000000000015")
PEOPLE = {
    RITA: Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North"),
    PAOLO: Person("paolo@contoso.example", "Paolo Verdi", "Sales", "Milan", "South"),
    SOMCHAI: Person("somchai@contoso.example", "Somchai Dee", "Service", "Bangkok", "Field"),
    ERIN: Person("erin@contoso.example", "Erin Employee", "Sales", "Milan", "North"),
    LEAD: Person("lena.lead@contoso.example", "Lena Lead", "Programme Office", "Milan", "PMO"),
}
CHAMPIONS = (RITA, PAOLO, SOMCHAI)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 10, 9, tzinfo=UTC))


@pytest.fixture
async def program(harness_factory, db, clock):
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    import_directory(db, list(PEOPLE.values()), clock)
    for user, person in PEOPLE.items():
        if user is not LEAD:
            harness.connector.add_member(user.teams_user_id, email=person.email, name=person.name)
        if user in CHAMPIONS:
            seed_champion(db, clock, user.teams_user_id, person)
    for user in PEOPLE:
        await harness.send(harness.activities.message(user, "help"))
    await harness.send(harness.activities.channel_mention(LEAD, "use this channel"))
    harness.connector.clear()
    return harness


async def delivered(harness, db) -> None:
    harness.connector.clear()
    await deliver_outbox(harness, db)


def ledger(db, user) -> list[tuple[int, str, str]]:
    def load(session):
        from storage.champions import Champions

        champion_id = Champions(session).active_id_of(user.teams_user_id)
        rows = session.exec(
            select(PointsEntryRecord).where(PointsEntryRecord.champion_id == champion_id).order_by(PointsEntryRecord.id)
        ).all()
        return [(row.points, row.reason, row.note) for row in rows]

    return db.transaction(load)


def channel_posts(harness) -> list:
    return [item for item in harness.connector.sent if item.conversation_id == TEAM_ID]


async def share(harness, user, *answers: str) -> list[str]:
    texts: list[str] = []
    for answer in ("share a story", *answers):
        texts = await say(harness, user, answer)
    return texts


STORY = (
    "Quotes in two clicks",
    "Our team used to copy prices by hand.\nRita showed us the quote template.",
    "Every quote is faster and right the first time.",
    "25 minutes per quote, 10 hours a week",
    "Sales",
    "Sales",
    "Rita Romano",
)


async def test_a_story_goes_from_draft_to_the_channel_with_a_lead_s_edit(program, db):
    harness = program
    texts = await share(harness, ERIN, *STORY)
    assert any("Send it?" in text for text in texts) and "25 minutes per quote, 10 hours a week" in texts, (
        "a preview, with the figures as written"
    )
    texts = await say(harness, ERIN, "Send")
    assert any("went to the program leads" in text for text in texts)

    await delivered(harness, db)
    [moderation] = [card for item in harness.connector.sent_to(LEAD.personal_conversation_id) for card in item.cards]
    assert_valid_card(moderation)
    publish = next(action for action in moderation["actions"] if action["verb"] == "story.publish")

    # A champion crafting the lead's button changes nothing.
    refused = await invoke(harness, RITA, "story.publish", publish["data"])
    assert refused["value"].startswith("Solo i responsabili")
    assert db.transaction(lambda s: s.exec(select(StoryRecord)).one()).status == "pending"

    edited = {
        **publish["data"],
        "title": "Quotes in two clicks, thanks to the template",
        "body": STORY[1],
        "impact": STORY[2],
    }
    answer = await invoke(harness, LEAD, "story.publish", edited)
    assert "Published by Lena Lead." in card_texts(answer["value"])
    again = await invoke(harness, LEAD, "story.reject", {**edited, "reason": "too late"})
    assert any(text.startswith("Already decided by Lena Lead") for text in card_texts(again["value"]))

    await delivered(harness, db)
    assert any("with a few edits from the program leads" in text for text in texts_to(harness, ERIN))
    assert any("Erin Employee ha condiviso una storia che ti ringrazia" in text for text in texts_to(harness, RITA))
    [post] = channel_posts(harness)
    assert_valid_card(post.cards[0])
    assert "Quotes in two clicks, thanks to the template" in card_texts(post.cards[0])
    assert ledger(db, RITA) == [(30, "story", "")], "the credited champion earns the story's points"

    # Anyone can applaud, once.
    applaud = next(action for action in post.cards[0]["actions"] if action["verb"] == "story.applaud")
    for _ in range(2):
        answer = await invoke(harness, PAOLO, "story.applaud", applaud["data"])
    assert "👏 Applaud (1)" in card_texts(answer["value"])

    texts = await say(harness, ERIN, "stories Sales")
    assert "Quotes in two clicks, thanks to the template" in texts
    texts = await say(harness, LEAD, "stories")
    assert "Make story of the month" in texts
    month = await invoke(harness, LEAD, "story.month", applaud["data"])
    assert "Story of the month November 2026" in card_texts(month["value"])
    assert ledger(db, RITA)[-1] == (100, "story_of_the_month", "")
    await invoke(harness, LEAD, "story.month", applaud["data"])  # pressed twice: no second award
    assert [entry[1] for entry in ledger(db, RITA)].count("story_of_the_month") == 1


async def test_a_rejection_needs_a_reason_and_reaches_the_author(program, db):
    harness = program
    await share(harness, ERIN, *STORY[:3], "skip", "Sales", "Reporting", "skip")
    await say(harness, ERIN, "Send")
    await delivered(harness, db)
    [moderation] = [card for item in harness.connector.sent_to(LEAD.personal_conversation_id) for card in item.cards]
    reject = next(action for action in moderation["actions"] if action["verb"] == "story.reject")
    answer = await invoke(harness, LEAD, "story.reject", {**reject["data"], "reason": ""})
    assert "Please write a reason before declining: the colleague will see it." in card_texts(answer["value"])
    answer = await invoke(harness, LEAD, "story.reject", {**reject["data"], "reason": "Please add the customer's OK"})
    assert "Rejected by Lena Lead." in card_texts(answer["value"])
    await delivered(harness, db)
    [told] = [text for text in texts_to(harness, ERIN) if "wasn't published" in text]
    assert "Please add the customer's OK" in told
    assert channel_posts(harness) == []


async def test_card_breaking_text_is_refused_when_too_long_and_otherwise_shown_as_written(program, db):
    harness = program
    await say(harness, LEAD, "recognition settings")
    settings = {"moderation": "false", "announce_levels": "true", "kudos_per_day": "3"}
    settings |= {f"points_{reason.value}": "10" for reason in CONFIGURABLE}
    await invoke(harness, LEAD, "recognition.settings.save", settings)

    nasty_title = '**Bold** [x](https://evil.example) {"type": "Action.Submit"} </at> `code`'
    await say(harness, RITA, "share a story")
    await say(harness, RITA, nasty_title)
    texts = await say(harness, RITA, "x" * 2001)
    assert "Sono 2.001 caratteri: resta sotto i 2.000." in texts, "refused with the reason, in her language"
    body = '}]}, {"type": "Action.OpenUrl", "url": "https://evil.example"} # heading\n> quote'
    for answer in (body, "Saved <b>hours</b> & \\n nothing broke", "skip", "Sales", "Sales", "skip"):
        await say(harness, RITA, answer)
    texts = await say(harness, RITA, "Invia")
    assert any(text.startswith("Pubblicata!") for text in texts), "no moderation: published at once"

    await delivered(harness, db)
    [post] = channel_posts(harness)
    card = post.cards[0]
    assert_valid_card(card)
    assert [action["verb"] for action in card["actions"]] == ["story.applaud"], "nothing injected"
    shown = card_texts(card)
    assert (
        '\\*\\*Bold\\*\\* \\[x\\]\\(https://evil\\.example\\) \\{"type": "Action\\.Submit"\\} \\</at\\> \\`code\\`'
        in shown
    )
    stored = db.transaction(lambda s: s.exec(select(StoryRecord)).one())
    assert (stored.title, stored.body) == (nasty_title, body), "stored as written"
    assert ledger(db, RITA) == [(10, "story", "")], "her own story, no credit: the author champion earns it"


async def test_kudos_reach_the_champion_within_a_daily_limit_and_never_to_oneself(program, db, clock):
    harness = program
    texts = await say(harness, RITA, "kudos Rita Romano for being great")
    assert texts == ["I ringraziamenti sono per qualcun altro."]
    texts = await say(harness, ERIN, "kudos Rita")
    assert texts[0].startswith("Type it as: kudos Rita Romano for")
    texts = await say(harness, ERIN, "kudos Erin Employee for nothing")
    assert texts == ["I can't find a champion called Erin Employee."]
    for _ in range(3):
        texts = await say(harness, ERIN, "kudos Rita Romano for helping with quotes")
        assert texts == ["Kudos sent to Rita Romano. Thank you for recognising them!"]
    texts = await say(harness, ERIN, "kudos Paolo for the pipeline view")
    assert texts == ["You've given 3 kudos today, the daily limit. Try again tomorrow!"]
    clock.advance(timedelta(days=1))
    texts = await say(harness, ERIN, "kudos Paolo for the pipeline view")
    assert texts[0].startswith("Kudos sent to Paolo Verdi")

    mention = "<at>Somchai Dee</at>"
    activity = harness.activities.message(ERIN, f"kudos {mention} for the field demo")
    activity["entities"] = [{"type": "mention", "text": mention, "mentioned": {"id": SOMCHAI.teams_user_id}}]
    harness.connector.clear()
    await harness.send(activity)
    assert texts_to(harness, ERIN) == ["Kudos sent to Somchai Dee. Thank you for recognising them!"]

    await delivered(harness, db)
    assert "Erin Employee says thank you: the field demo" in texts_to(harness, SOMCHAI)
    assert texts_to(harness, RITA).count("Erin Employee ti ringrazia: helping with quotes") == 3
    assert ledger(db, RITA) == [(5, "kudos", "")] * 3
    texts = await say(harness, LEAD, "recent kudos")
    assert "Erin Employee to Paolo Verdi: the pipeline view" in texts[0]


async def test_points_for_each_action_a_revocation_and_leaderboards_with_ties(program, db, clock):
    harness = program
    # Enrolment: a pending application approved by the lead.
    pending = seed_champion(
        db,
        clock,
        "29:nadia",
        Person("nadia@contoso.example", "Nadia Nuova", "Service", "Rome", "Desk"),
        status=ChampionStatus.PENDING,
    )
    await invoke(harness, LEAD, "champion.approve", {"champion_id": pending})
    assert db.transaction(lambda s: PointsLedger(s).entries(pending))[0].reason == "enrolment"

    # A check-in answered on time.
    cadence = {
        "enabled": "true",
        "frequency": "weekly",
        "weekday": "0",
        "local_time": "10:00",
        "open_days": "3",
        "remind_after_hours": "24",
        "inactive_after": "3",
    }
    await invoke(harness, LEAD, "checkins.cadence.save", cadence)
    clock.advance(datetime(2026, 11, 16, 9, 5, tzinfo=UTC) - clock.now())
    await run_checkins(job_context(harness.settings, db, clock), clock.now())
    await delivered(harness, db)
    [card] = [c for item in harness.connector.sent_to(SOMCHAI.personal_conversation_id) for c in item.cards]
    send = next(action for action in card["actions"] if action["verb"] == "checkin.submit")
    await invoke(harness, SOMCHAI, "checkin.submit", {**send["data"], "q_working": "Good"})
    await invoke(harness, SOMCHAI, "checkin.submit", {**send["data"], "q_working": "Better"})  # an update: no more
    assert ledger(db, SOMCHAI) == [(10, "checkin", "")]

    texts = await say(harness, LEAD, "award Rita Romano 40 for running the demo day")
    assert texts == ["Added 40 points to Rita Romano for running the demo day. Their total: 40."]
    await say(harness, LEAD, "award Paolo Verdi 25 for the training videos")
    await say(harness, LEAD, "award Somchai Dee 30 for the field pilot")
    texts = await say(harness, LEAD, "revoke Paolo Verdi 15 for a duplicate award")
    assert texts == [
        "Revoked 15 points from Paolo Verdi for a duplicate award; it stays in the ledger. Their total: 10."
    ]
    assert ledger(db, PAOLO) == [(25, "award", "the training videos"), (-15, "revoke", "a duplicate award")]
    texts = await say(harness, RITA, "award Rita Romano 1000 for me")
    assert texts == ["Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."]
    await delivered(harness, db)
    assert any("revoked 15 of your points" in t for t in texts_to(harness, PAOLO))

    # Rita 40, Somchai 40 (10 + 30), Nadia 50, Paolo 10. Sales: 50 over 2 champions; Service: 90 over 2.
    texts = await say(harness, RITA, "classifica")
    harness_card = harness.connector.sent_to(RITA.personal_conversation_id)[-1].cards[0]
    assert_valid_card(harness_card)
    rows = [[cell["items"][0]["text"] for cell in row["cells"]] for row in harness_card["body"][2]["rows"]]
    assert rows[1:] == [
        ["1", "Nadia Nuova", "50"],
        ["2", "Rita Romano", "40"],
        ["2", "Somchai Dee", "40"],
        ["4", "Paolo Verdi", "10"],
    ], "equal points share a rank"
    assert "Sei al posto numero 2 con 40 punti." in texts
    departments = [[cell["items"][0]["text"] for cell in row["cells"]] for row in harness_card["body"][4]["rows"]]
    assert departments[0] == ["Pos.", "Reparto", "Punti"], "every column has a header a reader sees"
    assert departments[1:] == [["1", "Service", "90"], ["2", "Sales", "50"]]
    per_champion = [[cell["items"][0]["text"] for cell in row["cells"]] for row in harness_card["body"][6]["rows"]]
    assert per_champion[1:] == [["1", "Service", "45 (2)"], ["2", "Sales", "25 (2)"]]
    texts = await say(harness, ERIN, "leaderboard all time")
    assert "Leaderboard: all time" in texts
    texts = await say(harness, ERIN, "leaderboard forever")
    assert texts == ["Type leaderboard, leaderboard quarter, leaderboard all time or leaderboard season NAME."]

    texts = await say(harness, RITA, "i miei punti")
    assert "40" in texts and "Assegnati da un responsabile: running the demo day" in texts


async def test_levels_are_announced_once_and_the_monthly_post_is_fired_once_by_the_scheduler(program, db, clock):
    harness = program
    await say(harness, LEAD, "award Rita Romano 120 for leading the Milan rollout")
    await say(harness, LEAD, "award Rita Romano 10 for a demo")
    await delivered(harness, db)
    assert [t for t in texts_to(harness, RITA) if t.startswith("Complimenti, ora sei")] == [
        "Complimenti, ora sei Champion di bronzo! Grazie per tutto quello che fai."
    ]
    assert [post.cards[0]["body"][0]["text"] for post in channel_posts(harness)] == [
        "🎉 Rita Romano is now a Bronze champion!"
    ]

    runner = JobRunner(job_catalog(harness.settings), job_context(harness.settings, db, clock))
    first_of_december = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)  # 09:30 in Rome
    clock.advance(first_of_december - clock.now())
    assert await runner.run("recognition.monthly-post", first_of_december)
    assert not await runner.run("recognition.monthly-post", first_of_december), "the same fire runs once"
    await harness.restart()
    runner = JobRunner(job_catalog(harness.settings), job_context(harness.settings, db, clock))
    assert await runner.run("recognition.monthly-post", first_of_december + timedelta(minutes=1))
    await delivered(harness, db)
    [post] = channel_posts(harness)
    texts = card_texts(post.cards[0])
    assert "Champion recognition, November 2026" in texts
    assert "1. Rita Romano" in texts and "130 points" in texts
    assert "Rita Romano" in texts and "Bronze champion" in texts, "new levels of the month"


def board_rows(harness, user) -> list[list[str]]:
    card = harness.connector.sent_to(user.personal_conversation_id)[-1].cards[0]
    assert_valid_card(card)
    table = next(element for element in card["body"] if element["type"] == "Table")
    return [[cell["items"][0]["text"] for cell in row["cells"]] for row in table["rows"][1:]]


async def test_a_new_season_starts_the_leaderboard_again_and_the_old_one_stays_readable(program, db, clock):
    harness = program
    await say(harness, LEAD, "award Rita Romano 40 for running the demo day")
    assert await say(harness, ERIN, "seasons") == [
        "No seasons yet: leaderboards count by month, quarter or all time. Leads start one with new season 2027-Q1."
    ]
    assert await say(harness, ERIN, "new season 2026-Q4") == [
        "Only program leads can do that. Type help to see what you can do."
    ]
    clock.advance(timedelta(days=1))
    texts = await say(harness, LEAD, "new season 2026-Q4")
    assert texts == [
        "Done: season 2026\\-Q4 starts now. Leaderboards count from today; past seasons stay readable "
        "(leaderboard season NAME)."
    ]
    assert await say(harness, LEAD, "new season 2026-q4") == [
        "There's already a season called 2026\\-q4: choose another name."
    ]
    await delivered(harness, db)
    assert [post.text for post in channel_posts(harness)] == [
        "🏁 Season 2026\\-Q4 starts now! Every champion starts again at zero on the leaderboard; "
        "last season's results stay there to read."
    ]
    clock.advance(timedelta(hours=1))
    await say(harness, LEAD, "award Paolo Verdi 25 for the training videos")
    texts = await say(harness, ERIN, "leaderboard")
    assert "Leaderboard: season 2026\\-Q4" in texts
    assert board_rows(harness, ERIN) == [["1", "Paolo Verdi", "25"]], "the season counts from its start"

    clock.advance(timedelta(days=30))
    await say(harness, LEAD, "new season 2027-Q1")
    clock.advance(timedelta(hours=1))
    await say(harness, LEAD, "award Somchai Dee 30 for the field pilot")
    await say(harness, ERIN, "leaderboard")
    assert board_rows(harness, ERIN) == [["1", "Somchai Dee", "30"]]
    texts = await say(harness, RITA, "classifica stagione 2026-Q4")
    assert "Classifica: stagione 2026\\-Q4" in texts
    assert board_rows(harness, RITA) == [["1", "Paolo Verdi", "25"]], "a past season stays readable"
    await say(harness, ERIN, "leaderboard all time")
    assert board_rows(harness, ERIN) == [
        ["1", "Rita Romano", "40"],
        ["2", "Somchai Dee", "30"],
        ["3", "Paolo Verdi", "25"],
    ]
    texts = await say(harness, ERIN, "leaderboard season 2025")
    assert texts == ["I don't know the season 2025. Seasons: 2026\\-Q4, 2027\\-Q1."]
    texts = await say(harness, ERIN, "seasons")
    assert texts == [
        "Leaderboard seasons:\n\n- 2027\\-Q1: since Dec 11, 2026 (now)\n- 2026\\-Q4: Nov 11, 2026 to Dec 11, 2026"
    ]
    assert db.transaction(lambda s: len(s.exec(select(PointsEntryRecord)).all())) == 3, "nothing deleted"

    first_of_january = datetime(2027, 1, 1, 8, 30, tzinfo=UTC)
    clock.advance(first_of_january - clock.now())
    runner = JobRunner(job_catalog(harness.settings), job_context(harness.settings, db, clock))
    assert await runner.run("recognition.monthly-post", first_of_january)
    await delivered(harness, db)
    [post] = [post for post in channel_posts(harness) if post.cards]
    assert "Season 2027\\-Q1" in card_texts(post.cards[0]), "the monthly post names the season"
