"""`delete my data` and `python app.py privacy erase`: what identifies a person goes, the figures stay.

End to end through /api/messages: a champion with a check-in, feedback, kudos, a published
story and points exports their data and finds all of it, then deletes it. Afterwards no
column of any table that may hold personal data still names or points to them, their
department's points and the round's response counts are as they were, and the leads were
told of the step-down, by unit and without a name.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import main
from features.checkins.tables import CheckinAssignmentRecord
from features.recognition.tables import PointsEntryRecord
from storage.audit import AuditTrail
from storage.models import OutboxRecord, PrivacyRequestRecord
from storage.privacy import find_person
from tests.support.activities import LEAD
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say, texts_to
from tests.support.privacy import Traces, traces_of
from tests.support.program import deliver_outbox
from tests.test_privacy import ERIN, PEOPLE, RITA, a_champion_with_history, clock  # noqa: F401  (the fixture)


def figures(session: Session) -> dict[str, Any]:
    """What others rely on: points by department, and each round's answers by status and unit."""
    points = session.execute(
        select(col(PointsEntryRecord.department), func.sum(col(PointsEntryRecord.points))).group_by(
            col(PointsEntryRecord.department)
        )
    ).all()
    answers = session.execute(
        select(
            col(CheckinAssignmentRecord.round_id),
            col(CheckinAssignmentRecord.department),
            col(CheckinAssignmentRecord.status),
            func.count(),
            func.sum(col(CheckinAssignmentRecord.sentiment)),
            func.sum(col(CheckinAssignmentRecord.hours)),
        ).group_by(
            col(CheckinAssignmentRecord.round_id),
            col(CheckinAssignmentRecord.department),
            col(CheckinAssignmentRecord.status),
        )
    ).all()
    return {"points": sorted(map(tuple, points)), "answers": sorted(map(tuple, answers))}


def traces_of_rita(session: Session) -> Traces:
    person = find_person(session, RITA.teams_user_id)
    assert person is not None
    return Traces(
        member_id=person.member_id,
        champion_id=person.champion_id,
        employee_ids=person.employee_ids,
        conversation_id=person.personal_conversation_id,
        words=(person.display_name, *person.keys, RITA.teams_user_id, RITA.personal_conversation_id),
    )


async def published(harness, db) -> None:
    """The lead publishes Rita's story (it earns her points, counted for Sales)."""
    await deliver_outbox(harness, db)
    [publish] = [
        action
        for item in harness.connector.sent_to(LEAD.personal_conversation_id)
        for card in item.cards
        for action in card.get("actions", [])
        if action.get("verb") == "story.publish"
    ]
    await invoke(harness, LEAD, "story.publish", publish["data"])
    await deliver_outbox(harness, db)


def confirmation(harness, user) -> tuple[dict, dict]:
    """The confirmation card and its Delete button's data."""
    [card] = [card for item in harness.connector.sent_to(user.personal_conversation_id) for card in item.cards]
    assert_valid_card(card)
    return card, card["actions"][0]["data"]


async def press(harness, user, data: dict) -> list[str]:
    harness.clock.advance(timedelta(seconds=3))  # Teams allows 8 messages in 2 s per chat
    harness.connector.clear()
    await harness.send(harness.activities.message(user, "", value=data))
    return texts_to(harness, user)


async def test_a_champion_deletes_their_data_and_only_the_figures_stay(harness_factory, db, clock):  # noqa: F811
    harness = await a_champion_with_history(harness_factory, db, clock)
    await published(harness, db)
    before = db.transaction(figures)
    traces = db.transaction(traces_of_rita)
    assert db.transaction(lambda s: traces_of(s, traces)), "the scan finds Rita before she deletes her data"
    clock.advance(timedelta(seconds=3))
    await say(harness, RITA, "i miei dati")  # the export finds all of it (tests/test_privacy.py reads it)

    clock.advance(timedelta(seconds=3))
    await say(harness, RITA, "cancella i miei dati")

    card, delete = confirmation(harness, RITA)
    texts = card_texts(card)
    assert texts[0] == "Vuoi cancellare i tuoi dati?"
    assert "Check-in e feedback" in texts and "Storie, ringraziamenti e punti" in texts, "what goes, by part"
    assert any("un champion di North, Sales, Milan ha lasciato, non chi" in text for text in texts)
    assert [action["title"] for action in card["actions"]] == ["Cancella i miei dati", "Tieni i miei dati"]
    assert db.transaction(lambda s: find_person(s, RITA.teams_user_id)) is not None, "nothing goes before she confirms"

    harness.connector.clear()
    assert await press(harness, RITA, delete) == [
        "Fatto: ho cancellato ciò che conservavo su di te. Se mi scrivi di nuovo, ricominciamo da capo."
    ]

    assert db.transaction(lambda s: traces_of(s, traces)) == [], "nothing identifies her in any table"
    assert db.transaction(figures) == before, "department points and the round's answers are as they were"
    assert db.transaction(lambda s: AuditTrail(s).verify()) == [], "the audit trail still verifies"
    await deliver_outbox(harness, db)
    lead_texts = [item.text or "" for item in harness.connector.sent_to(LEAD.personal_conversation_id)]
    [notice] = [text for text in lead_texts if "stepped down" in text]
    assert notice.startswith("A champion for North, Sales, Milan stepped down and had their data deleted")
    kinds = db.transaction(lambda s: [(r.kind, r.via) for r in s.exec(select(PrivacyRequestRecord))])
    assert kinds[-1] == ("erase", "chat")
    board = await say(harness, LEAD, "feedback")
    assert "a former champion (their data was deleted)" in board, "her feedback stays on the board, without her"
    assert "Approvals are slow" not in " ".join(board)

    # The button pressed again: nothing left, nothing changes.
    assert await press(harness, RITA, delete) == [
        "I tuoi dati sono già stati cancellati: non resta nulla da cancellare."
    ]
    assert db.transaction(figures) == before

    # Writing again starts afresh: a new member, with nothing of the old one.
    clock.advance(timedelta(seconds=3))
    await say(harness, RITA, "i miei dati")
    assert db.transaction(lambda s: find_person(s, RITA.teams_user_id)).champion_id is None


async def test_only_its_own_fresh_button_deletes(harness_factory, db, clock):  # noqa: F811
    harness = await a_champion_with_history(harness_factory, db, clock)
    clock.advance(timedelta(seconds=3))
    await say(harness, RITA, "delete my data")
    _card, rita_delete = confirmation(harness, RITA)
    before = db.transaction(figures)

    assert await press(harness, ERIN, rita_delete) == [
        "This button was meant for someone else, so I deleted nothing. Type delete my data to see your own."
    ]
    assert db.transaction(lambda s: find_person(s, ERIN.teams_user_id)) is not None
    assert await press(harness, RITA, {**rita_delete, "argument": "keep"}) == [
        "Non ho cancellato nulla. I tuoi dati restano com'erano."
    ]
    clock.advance(timedelta(minutes=16))
    assert await press(harness, RITA, rita_delete) == [
        "Questa conferma è scaduta, quindi non ho cancellato nulla. Scrivi cancella i miei dati per averne una nuova."
    ]
    assert db.transaction(lambda s: find_person(s, RITA.teams_user_id)) is not None
    assert db.transaction(figures) == before


async def test_in_a_channel_the_bot_asks_for_the_private_chat(harness_factory, db, clock):  # noqa: F811
    harness = await a_champion_with_history(harness_factory, db, clock)
    harness.connector.clear()

    await harness.send(harness.activities.channel_mention(ERIN, "delete my data"))

    [reply] = harness.connector.sent
    assert reply.text.startswith("Let's do that in our private chat")
    assert db.transaction(lambda s: find_person(s, ERIN.teams_user_id)) is not None


async def test_a_dpo_erases_a_person_from_the_command_line(
    harness_factory,
    db,
    clock,  # noqa: F811
    database_url,
    monkeypatch,
    capsys,
):
    harness = await a_champion_with_history(harness_factory, db, clock)
    await published(harness, db)
    before = db.transaction(figures)
    traces = db.transaction(traces_of_rita)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PROGRAM_LEADS", ",".join(harness.settings.program_leads))
    monkeypatch.delenv("MicrosoftAppId", raising=False)

    assert main(["privacy", "erase", "rita@contoso.example", "--by", "dpo"]) == 1
    shown = capsys.readouterr()
    assert "checkins: check_ins 1, feedback_you_raised 1" in shown.out
    assert "add --yes" in shown.err
    assert db.transaction(lambda s: find_person(s, RITA.teams_user_id)) is not None, "a preview erases nothing"

    assert main(["privacy", "erase", "rita@contoso.example", "--by", "dpo", "--yes"]) == 0

    assert db.transaction(lambda s: traces_of(s, traces)) == []
    assert db.transaction(figures) == before
    [entry] = db.transaction(lambda s: AuditTrail(s).entries(action="privacy.erase"))
    assert entry.actor == "dpo" and "rita" not in entry.subject, "the trail names who erased, not whom"
    pending = db.transaction(lambda s: s.exec(select(OutboxRecord).where(col(OutboxRecord.status) == "pending")).all())
    assert any("stepped down" in (message.payload.get("text") or "") for message in pending), "leads are told"
    assert main(["privacy", "erase", "rita@contoso.example", "--by", "dpo", "--yes"]) == 1, "a second time: nothing"
