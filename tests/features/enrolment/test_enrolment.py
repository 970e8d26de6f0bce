"""Enrolment end to end: onboarding, lead approval, nominations, profiles, roles.

Everything goes through /api/messages; proactive messages through the real outbox sender
to the fake Bot Connector.
"""

from __future__ import annotations

import asyncio

import pytest

from domain.roles import ChampionStatus
from features.enrolment.storage import ChampionRoster, Nominations
from tests.support.activities import ALICE, BOB, CHAI, LEAD, TEAM_ID
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say, texts_to
from tests.support.program import Person, deliver_outbox, import_directory

LEAD_EMAIL = "lena.lead@contoso.example"
BOB_PERSON = Person("bob@contoso.example", "Bob Smith", "Sales", "Milan", "North", manager="alice@contoso.example")
ALICE_PERSON = Person("alice@contoso.example", "Alice Rossi", "Sales", "Milan", "Management")
DIRECTORY = [
    BOB_PERSON,
    ALICE_PERSON,
    Person("dario@contoso.example", "Dario Bianchi", "Service", "Rome", "Field"),
    Person("dina@contoso.example", "Dina Verdi", "Service", "Rome", "Desk"),
]


@pytest.fixture
async def program(harness, db, clock):
    """Bob (applicant, in the directory), Alice (his manager, Italian), the lead, a champions' channel."""
    connector = harness.connector
    connector.add_member(BOB.teams_user_id, email=BOB_PERSON.email, name=BOB.name)
    connector.add_member(ALICE.teams_user_id, email=ALICE_PERSON.email, name=ALICE.name)
    import_directory(db, DIRECTORY, clock)
    for user in (ALICE, LEAD):
        await harness.send(harness.activities.message(user, "help"))
    await harness.send(harness.activities.channel_mention(LEAD, "use this channel"))
    assert "announce new champions in this channel" in connector.sent[-1].text
    connector.clear()
    return harness


def last_card(harness, conversation_id: str) -> dict:
    cards = [card for item in harness.connector.sent_to(conversation_id) for card in item.cards]
    assert cards, f"no card sent to {conversation_id}"
    assert_valid_card(cards[-1])
    return cards[-1]


def form_submit(harness, user, card: dict, answer: str) -> dict:
    """What Teams posts when the user presses the card's Next button after typing `answer`."""
    data = next(action["data"] for action in card["actions"] if action["type"] == "Action.Submit")
    return harness.activities.card_submit(user, {**data, "answer": answer})


async def test_onboarding_with_a_wrong_answer_and_a_restart_then_approval_reaches_everyone(program, db):
    harness = program
    texts = await say(harness, BOB, "become a champion")
    assert any("not IT support" in text and "2 hours a month" in text for text in texts)
    assert "Is this where you work?" in texts and "North" in texts, "pre-filled from the directory"

    await say(harness, BOB, "yes")
    texts = await say(harness, BOB, "Astrology")
    assert any(text.startswith("That isn't one of the options") for text in texts)
    assert any("Which areas would you like to help" in text for text in texts), "asked again"
    card = last_card(harness, BOB.personal_conversation_id)
    harness.connector.clear()
    await harness.send(form_submit(harness, BOB, card, "Sales,Reporting"))  # the card's multi-select
    assert any("Which languages" in text for text in texts_to(harness, BOB))

    await say(harness, BOB, "English, Italiano")
    await harness.restart()  # a deploy mid-dialog: the form resumes at the same step
    texts = await say(harness, BOB, "yes")
    assert any("Here's your application" in text for text in texts)
    assert "Sales, Reporting" in texts and "English, Italiano" in texts
    texts = await say(harness, BOB, "Send")
    assert any("went to the program leads" in text for text in texts)

    champion = db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id))
    assert champion.status is ChampionStatus.PENDING
    assert champion.profile.focus_areas == ("Reporting", "Sales")

    harness.connector.clear()
    await deliver_outbox(harness, db)
    approval = last_card(harness, LEAD.personal_conversation_id)
    assert "Bob Smith wants to become a champion" in card_texts(approval)
    approve = next(action for action in approval["actions"] if action["title"] == "Approve")

    answer = await invoke(harness, LEAD, approve["verb"], approve["data"])
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Approved by Lena Lead." in card_texts(answer["value"])

    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert any("Welcome to the champions, Bob!" in text for text in texts_to(harness, BOB))
    assert any("I've sent your manager" in text for text in texts_to(harness, BOB))
    manager_sheet = texts_to(harness, ALICE)
    assert any("è appena diventato champion" in text for text in manager_sheet), "in the manager's language"
    channel_posts = [item for item in harness.connector.sent if item.conversation_id == TEAM_ID]
    assert len(channel_posts) == 1 and "Please welcome Bob Smith" in channel_posts[0].text

    # The same card pressed again (or by another lead): nothing changes, nothing is sent.
    harness.connector.clear()
    again = await invoke(harness, LEAD, approve["verb"], approve["data"])
    assert "Approved by Lena Lead." in card_texts(again["value"])
    await deliver_outbox(harness, db)
    assert harness.connector.sent == []

    texts = await say(harness, BOB, "my profile")
    assert "Active champion" in texts and "Reporting, Sales" in texts


async def test_cancel_mid_onboarding_and_help_at_a_step(program, db):
    harness = program
    await say(harness, BOB, "join")
    await say(harness, BOB, "yes")
    harness.connector.clear()
    await harness.send(harness.activities.message(BOB, "help"))
    sent = harness.connector.sent_to(BOB.personal_conversation_id)
    assert len(sent) == 2 and "What can I do for you?" in card_texts(sent[0].cards[0])
    assert any("Which areas" in text for text in card_texts(sent[1].cards[0])), "the question again"

    texts = await say(harness, BOB, "cancel")
    assert texts == ["Okay, I've cancelled that."]
    assert db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id)) is None
    texts = await say(harness, BOB, "Sales")
    assert any("I didn't understand" in text for text in texts), "the form is gone"


async def test_a_card_from_an_earlier_step_is_refused(program):
    harness = program
    await say(harness, BOB, "join")
    first = last_card(harness, BOB.personal_conversation_id)
    await say(harness, BOB, "yes")
    harness.connector.clear()
    await harness.send(form_submit(harness, BOB, first, "yes"))
    assert any("from an earlier step" in text for text in texts_to(harness, BOB))


async def test_declining_needs_a_reason_and_reaches_the_applicant(program, db):
    harness = program
    for answer in ("join", "yes", "Sales", "English", "no", "Send"):
        await say(harness, BOB, answer)
    champion = db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id))
    assert champion.profile.listed is False

    answer = await invoke(harness, LEAD, "champion.decline", {"champion_id": champion.id})
    assert "Please write a reason" in " ".join(card_texts(answer["value"]))
    assert db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id)).status is ChampionStatus.PENDING

    answer = await invoke(harness, LEAD, "champion.decline", {"champion_id": champion.id, "reason": "Team too small"})
    assert "Declined by Lena Lead." in card_texts(answer["value"])
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert any("Team too small" in text for text in texts_to(harness, BOB))


async def test_an_employee_cannot_approve_even_with_a_crafted_card(program, db):
    harness = program
    for answer in ("join", "yes", "Sales", "English", "yes", "Send"):
        await say(harness, BOB, answer)
    champion = db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id))

    answer = await invoke(harness, BOB, "champion.approve", {"champion_id": champion.id})
    assert answer["value"] == "Only program leads can do that. Type help to see what you can do."
    answer = await invoke(harness, ALICE, "champion.approve", {"champion_id": champion.id})
    assert "responsabili" in answer["value"]
    assert db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id)).status is ChampionStatus.PENDING
    texts = await say(harness, BOB, "coverage")
    assert texts == ["Only program leads can do that. Type help to see what you can do."]


async def test_auto_approval_welcomes_at_once(program, db, clock):
    harness = program
    answer = await invoke(
        harness,
        LEAD,
        "program.settings.save",
        {
            "commitment_hours": "1",
            "commitment_period": "week",
            "focus_areas": "Sales, Field Service",
            "auto_approve": "true",
        },
    )
    assert "Saved." in card_texts(answer["value"])
    # The commitment reads in each reader's language, in the singular for one hour.
    assert any("1 ora alla settimana" in text for text in await say(harness, ALICE, "diventa champion"))
    await say(harness, ALICE, "annulla")
    chai = Person("chai@contoso.example", "Chai Wongsakul", "Finance", "Bangkok", "Payables")
    import_directory(db, [*DIRECTORY, chai], clock)
    harness.connector.add_member(CHAI.teams_user_id, email=chai.email, name=CHAI.name)
    assert any("1 ชั่วโมงต่อสัปดาห์" in text for text in await say(harness, CHAI, "สมัคร"))
    await say(harness, CHAI, "ยกเลิก")
    for reply in ("join", "yes", "Field Service", "English", "yes"):
        await say(harness, BOB, reply)
    texts = await say(harness, BOB, "Send")
    assert any("You're now a champion" in text for text in texts)
    assert db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id)).status is ChampionStatus.ACTIVE


async def test_settings_refuse_a_bad_link_and_keep_the_rest(program):
    answer = await invoke(
        program,
        LEAD,
        "program.settings.save",
        {"commitment_hours": "2", "commitment_period": "month", "focus_areas": "Sales", "training_url": "ftp://x"},
    )
    texts = card_texts(answer["value"])
    assert any("starts with https://" in text for text in texts)
    for hours, period in (("0", "month"), ("41", "week"), ("two", "month"), ("2", "fortnight")):
        answer = await invoke(
            program, LEAD, "program.settings.save", {"commitment_hours": hours, "commitment_period": period}
        )
        assert "Give whole hours from 1 to 40, a week or a month." in card_texts(answer["value"]), (hours, period)
    answer = await invoke(program, BOB, "program.settings.save", {"commitment_hours": "1", "focus_areas": "X"})
    assert answer["value"].startswith("Only program leads")


async def test_a_second_nomination_adds_to_the_first(program, db):
    harness = program
    await say(harness, BOB, "nominate dario@contoso.example")
    texts = await say(harness, BOB, "He explains the new quotes better than anyone")
    assert any("Send this nomination?" in text for text in texts)
    texts = await say(harness, BOB, "Send")
    assert any("Your nomination of Dario Bianchi went to the program leads" in text for text in texts)

    await say(harness, ALICE, "nomina Dario")
    await say(harness, ALICE, "Aiuta tutto il team di Roma")
    texts = await say(harness, ALICE, "Invia")
    assert any("era già stato nominato" in text and "2 sostenitori" in text for text in texts)

    [nomination] = db.transaction(lambda s: Nominations(s).pending())
    assert [by for by, _ in nomination.reasons] == ["Bob Smith", "Alice Rossi"]
    harness.connector.clear()
    await deliver_outbox(harness, db)
    lead_cards = [card for item in harness.connector.sent_to(LEAD.personal_conversation_id) for card in item.cards]
    assert len(lead_cards) == 1, "one card per nominee"

    answer = await invoke(harness, LEAD, "nomination.approve", {"nomination_id": nomination.id})
    assert "Approved by Lena Lead." in card_texts(answer["value"])
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert any("haven't opened Champion Circle yet" in text for text in texts_to(harness, BOB))
    assert any("Non ha ancora aperto" in text for text in texts_to(harness, ALICE))


async def test_nominating_by_name_with_several_matches_asks_which(program, db):
    harness = program
    await say(harness, BOB, "nominate")
    texts = await say(harness, BOB, "d")
    assert any("several people" in text for text in texts)
    await say(harness, BOB, "2")
    await say(harness, BOB, "Great with the service desk")
    await say(harness, BOB, "Send")
    [nomination] = db.transaction(lambda s: Nominations(s).pending())
    assert nomination.nominee_email == "dina@contoso.example"


async def test_nobody_found_re_asks(program):
    texts = await say(program, BOB, "nominate")
    texts = await say(program, BOB, "Zebedee")
    assert any("couldn't find anyone matching" in text for text in texts)
    assert any("Who would you like to nominate?" in text for text in texts)


async def test_pause_resume_and_step_down_tell_the_lead(program, db, clock):
    harness = program
    for answer in ("join", "yes", "Sales", "English", "yes", "Send"):
        await say(harness, BOB, answer)
    champion = db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id))
    await invoke(harness, LEAD, "champion.approve", {"champion_id": champion.id})

    await say(harness, BOB, "pause")
    texts = await say(harness, BOB, "2020-01-01")
    assert any("after today" in text for text in texts)
    texts = await say(harness, BOB, "2026-12-24")
    assert any("until Dec 24, 2026" in text for text in texts)
    assert db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id)).status is ChampionStatus.PAUSED
    texts = await say(harness, BOB, "resume")
    assert any("Welcome back" in text for text in texts)

    await say(harness, BOB, "step down")
    await say(harness, BOB, "Dario Bianchi")
    await say(harness, BOB, "skip")
    texts = await say(harness, BOB, "yes")
    assert any("Thank you for everything" in text for text in texts)
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert any("stepped down" in text and "Dario Bianchi" in text for text in texts_to(harness, LEAD))


async def test_someone_outside_the_directory_is_asked_once_where_they_work(program, db):
    harness = program
    texts = await say(harness, CHAI, "ใครคือแชมเปี้ยนของฉัน")
    assert any("ไดเรกทอรี" in text for text in texts), "asked in Thai"
    await say(harness, CHAI, "Service")
    texts = await say(harness, CHAI, "Rome")
    assert "ขอบคุณ ฉันจะจำไว้" in texts
    assert any("หาแชมเปี้ยนสำหรับทีมของคุณไม่พบ" in text for text in texts), "then the original question is answered"

    texts = await say(harness, CHAI, "หาแชมเปี้ยน")
    assert not any("ไดเรกทอรี" in text for text in texts), "asked once only"


async def test_leads_are_added_and_removed_in_chat(program):
    harness = program
    texts = await say(harness, LEAD, "add lead bob@contoso.example")
    assert texts == ["Done: bob@contoso.example is now a program lead."]
    texts = await say(harness, BOB, "coverage")
    assert not any("Only program leads" in text for text in texts)
    texts = await say(harness, BOB, f"remove lead {LEAD_EMAIL}")
    assert any("PROGRAM_LEADS" in text for text in texts), "bootstrap leads stay"
    texts = await say(harness, LEAD, "remove lead bob@contoso.example")
    assert texts == ["Done: bob@contoso.example is no longer a program lead."]
    texts = await say(harness, BOB, "coverage")
    assert texts == ["Only program leads can do that. Type help to see what you can do."]
    texts = await say(harness, LEAD, "add lead not-an-address")
    assert any("add lead name@company.com" in text for text in texts)


async def test_leads_name_sponsors_in_chat_and_sponsors_cannot_run_the_program(program):
    harness = program
    assert await say(harness, LEAD, "sponsors") == [
        "Program sponsors:\n\nNobody yet. Name one: add sponsor name@company.com"
    ]
    texts = await say(harness, LEAD, "add sponsor bob@contoso.example")
    assert texts == ["Done: bob@contoso.example is now a program sponsor. They'll get the monthly digest."]
    assert await say(harness, LEAD, "add lead bob@contoso.example") == [
        "bob@contoso.example is already a program lead or sponsor."
    ]
    assert await say(harness, LEAD, "sponsors") == ["Program sponsors:\n\n- bob@contoso.example"]
    help_texts = await say(harness, BOB, "help")
    assert any("You're a program sponsor" in text for text in help_texts)
    for command in ("coverage", "add sponsor eve@contoso.example", "feedback"):
        assert await say(harness, BOB, command) == ["Only program leads can do that. Type help to see what you can do."]
    texts = await say(harness, BOB, "join")
    assert not any("Only program leads" in text for text in texts), "employees' commands stay open to sponsors"
    await say(harness, BOB, "cancel")
    assert await say(harness, LEAD, "remove lead bob@contoso.example") == [
        "bob@contoso.example isn't a lead added in chat."
    ]
    texts = await say(harness, LEAD, "remove sponsor bob@contoso.example")
    assert texts == ["Done: bob@contoso.example is no longer a program sponsor."]
    help_texts = await say(harness, BOB, "help")
    assert not any("You're a program sponsor" in text for text in help_texts)


async def approved_champion(harness, db, user=BOB):
    for answer in ("join", "yes", "Sales", "English", "yes", "Send"):
        await say(harness, user, answer)
    champion = db.transaction(lambda s: ChampionRoster(s).of_user(user.teams_user_id))
    await invoke(harness, LEAD, "champion.approve", {"champion_id": champion.id})
    return champion


async def test_editing_the_profile_starts_from_the_current_answers(program, db):
    harness = program
    await approved_champion(harness, db)
    texts = await say(harness, BOB, "edit profile")
    assert any("current answers are filled in" in text for text in texts)
    await say(harness, BOB, "yes")
    focus_card = last_card(harness, BOB.personal_conversation_id)
    choice = next(element for element in focus_card["body"] if element["type"] == "Input.ChoiceSet")
    assert choice["value"] == "Sales", "the current focus areas are pre-selected"
    await say(harness, BOB, "Reporting, Field Service")
    languages_card = last_card(harness, BOB.personal_conversation_id)
    text_input = next(element for element in languages_card["body"] if element["type"] == "Input.Text")
    assert text_input["value"] == "English"
    await say(harness, BOB, "English, Thai")
    await say(harness, BOB, "yes")
    texts = await say(harness, BOB, "Save")
    assert texts == ["Your profile is updated."]
    champion = db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id))
    assert champion.status is ChampionStatus.ACTIVE, "an edit needs no new approval"
    assert champion.profile.focus_areas == ("Field Service", "Reporting")
    assert champion.profile.languages == ("English", "Thai")


async def test_the_daily_job_ends_pauses_and_welcomes_back(program, db, clock):
    from datetime import timedelta

    from bot.assembly import translator_for
    from features.enrolment.jobs import end_champion_pauses
    from features.installed import INSTALLED_FEATURES
    from scheduling.jobs import JobContext

    harness = program
    await approved_champion(harness, db)
    await say(harness, BOB, "pause")
    until = (clock.now() + timedelta(days=3)).date().isoformat()
    await say(harness, BOB, until)
    context = JobContext(
        db, clock, timedelta(hours=48), timedelta(days=30), translate=translator_for(INSTALLED_FEATURES)
    )

    await end_champion_pauses(context, clock.now())
    assert db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id)).status is ChampionStatus.PAUSED

    clock.advance(timedelta(days=3))
    await end_champion_pauses(context, clock.now())
    await end_champion_pauses(context, clock.now())  # a second fire the same day sends nothing more
    assert db.transaction(lambda s: ChampionRoster(s).of_user(BOB.teams_user_id)).status is ChampionStatus.ACTIVE
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert [text for text in texts_to(harness, BOB) if "Your break is over" in text] == [
        "Welcome back! Your break is over and colleagues can find you again."
    ]


async def test_nominating_someone_by_mentioning_them_in_a_channel(program, db):
    harness = program
    mention = "<at>Dario Bianchi</at>"
    activity = harness.activities.channel_mention(BOB, f"nominate {mention}")
    activity["entities"].append(
        {"type": "mention", "text": mention, "mentioned": {"id": "29:dario", "name": "Dario Bianchi"}}
    )
    harness.connector.clear()
    await harness.send(activity)
    asked = [text for item in harness.connector.sent for card in item.cards for text in card_texts(card)]
    assert "Why would they make a great champion?" in asked, "the mention names the nominee: no search"
    await harness.send(harness.activities.channel_mention(BOB, "Knows the field app inside out"))
    await harness.send(harness.activities.channel_mention(BOB, "Send"))
    [nomination] = db.transaction(lambda s: Nominations(s).pending())
    assert (nomination.nominee_name, nomination.nominee_teams_user_id) == ("Dario Bianchi", "29:dario")


async def test_a_form_step_submitted_twice_at_once_keeps_the_form(program, db):
    harness = program
    await say(harness, BOB, "become a champion")
    await say(harness, BOB, "yes")
    card = last_card(harness, BOB.personal_conversation_id)
    harness.connector.clear()

    # A double click: Teams posts the same card submit twice (two activities), at once.
    first, second = form_submit(harness, BOB, card, "Sales"), form_submit(harness, BOB, card, "Sales")
    responses = await asyncio.gather(harness.post(first), harness.post(second))
    assert [response.status for response in responses] == [200, 200]
    texts = texts_to(harness, BOB)
    assert not any("something went wrong" in text for text in texts), "no apology"
    assert any("Which languages" in text for text in texts), "the step moved on once"

    await say(harness, BOB, "English")
    texts = await say(harness, BOB, "yes")
    assert any("Here's your application" in text for text in texts), "the form is still there"
    assert "Sales" in texts and "English" in texts
