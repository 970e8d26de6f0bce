"""Evidence clues end to end through /api/messages: a player pastes a picture in chat, a
champion of another department reviews it (turning one down with a reason, then accepting
the next), and nobody else can decide; the picture is served only behind its signed link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import job_context
from domain.roles import ChampionStatus
from features.hunts.domain import answer_key
from features.hunts.jobs import run_hunts
from features.hunts.plans import plan_from_data
from features.hunts.tables import HuntClueStateRecord, HuntEvidenceRecord
from features.hunts.workflows import create_from_plan, schedule
from scheduling.jobs import apply_retention
from storage.models import AuditEntryRecord, ChampionRecord
from tests.support.activities import LEAD, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say, texts_to
from tests.support.clock import FrozenClock
from tests.support.program import Person, deliver_outbox, import_directory, people_in_chat, seed_champion

RITA = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
PAOLO = TeamsUser("29:paolo", "Paolo Verdi", "eeeeeeee-0000-0000-0000-000000000014")
SOMCHAI = TeamsUser("29:somchai", "Somchai Dee", "eeeeeeee-0000-0000-0000-000000000012")
PEOPLE = {
    RITA: Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North", timezone="Europe/Rome"),
    PAOLO: Person("paolo@contoso.example", "Paolo Verdi", "Sales", "Milan", "South", timezone="Europe/Rome"),
    SOMCHAI: Person("somchai@contoso.example", "Somchai Dee", "Service", "Bangkok", "Field", timezone="Asia/Bangkok"),
    LEAD: Person("lena.lead@contoso.example", "Lena Lead", "Programme Office", "Milan", "PMO"),
}
STARTS = datetime(2026, 12, 7, 8, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _texts(en: str) -> dict[str, str]:
    return {"en": en, "it": f"{en} (it)", "th": f"{en} (th)"}


PLAN = plan_from_data(
    {
        "format": 1,
        "key": "pipeline-photos",
        "title": {"en": "Pipeline photos", "it": "Foto della pipeline", "th": "ภาพไปป์ไลน์"},
        "intro": _texts("Show us your pipeline."),
        "legs": [
            {
                "key": "show",
                "title": _texts("Show it"),
                "clues": [
                    {
                        "key": "dashboard",
                        "kind": "evidence",
                        "value": 100,
                        "title": {"en": "Your dashboard", "it": "La tua dashboard", "th": "แดชบอร์ดของคุณ"},
                        "variants": [
                            {"text": _texts("A screenshot of your open opportunities with {code} in a note.")}
                        ],
                    },
                    {
                        "key": "stage",
                        "kind": "knowledge",
                        "value": 100,
                        "variants": [{"text": _texts("The stage after Qualify?"), "answers": ["develop"]}],
                    },
                ],
            }
        ],
    }
)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 12, 2, 9, tzinfo=UTC))


@pytest.fixture
async def hunt(harness_factory, db, clock):
    """A running hunt whose first clue wants a picture; Somchai (Service) is a champion."""
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    seed_champion(db, clock, SOMCHAI.teams_user_id, PEOPLE[SOMCHAI], focus=("Service",))
    await people_in_chat(harness, db, clock, PEOPLE)

    def create(session):
        created = create_from_plan(session, PLAN, "Lena Lead", clock.now(), verifier=False, source={"file": "test"})
        assert created.hunt_id is not None
        schedule(session, created.hunt_id, STARTS, STARTS + timedelta(days=5), "Lena Lead", clock.now())

    db.transaction(create)
    clock.advance(STARTS - clock.now())
    await run_hunts(job_context(harness.settings, db, clock), STARTS)
    return harness


async def paste(harness, user: TeamsUser, body: bytes, name: str, text: str = "") -> list[str]:
    """Paste a picture in the personal chat, as Teams sends it: an attachment kept by the Bot Connector."""
    harness.clock.advance(timedelta(seconds=5))
    path = harness.connector.add_attachment(name, "image/*", body)
    url = harness.activities.service_url.rstrip("/") + path
    attachments = [
        {"contentType": "image/*", "contentUrl": url, "name": f"{name}.png"},
        {"contentType": "text/html", "content": f'<div><img src="{url}"></div>'},
    ]
    harness.connector.clear()
    await harness.send(harness.activities.message(user, text, attachments=attachments))
    return texts_to(harness, user)


async def review_cards_to(harness, db, user: TeamsUser) -> list[dict]:
    harness.connector.clear()
    await deliver_outbox(harness, db)
    cards = [card for item in harness.connector.sent_to(user.personal_conversation_id) for card in item.cards]
    for card in cards:
        assert_valid_card(card)
    return cards


def decide(card: dict, decision: str) -> dict:
    [action] = [a for a in card["actions"] if a.get("data", {}).get("decision") == decision]
    return action


async def test_a_picture_is_reviewed_by_another_departments_champion_turned_down_with_a_reason_then_accepted(hunt, db):
    harness = hunt
    await say(harness, RITA, "caccia")
    texts = texts_to(harness, RITA)
    assert "Incolla qui in chat uno screenshot o una foto per inviarla alla valutazione." in texts
    assert await say(harness, RITA, "answer la mia pipeline") == [
        "Questo indizio vuole un'immagine, non parole: incolla qui in chat uno screenshot o una foto."
    ]
    assert await paste(harness, RITA, b"%PDF-1.7 not a picture", "doc") == [
        "Non è un'immagine che posso usare. Invia uno screenshot o una foto (PNG, JPEG, GIF o WebP)."
    ], "its content decides, not the type it claims"

    assert await paste(harness, RITA, PNG, "first") == [
        "Ricevuta! Un campione di un altro reparto valuterà la tua immagine; te lo dirò qui."
    ]
    assert await paste(harness, PAOLO, JPEG, "second") == [
        "Your team's picture for this clue is still being reviewed. You can send another if it's turned down."
    ], "one picture per clue at a time, for the whole team"

    [card] = await review_cards_to(harness, db, SOMCHAI)
    texts = card_texts(card)
    assert texts[0] == "Picture to review: Your dashboard" and "Sales" in texts
    code_word = next(text for text in texts if text.startswith("The clue asked:")).split(" with ")[1].split(" ")[0]
    assert answer_key(code_word), "the team's own code word, as the team read it"
    [image] = [item for item in card["body"] if item["type"] == "Image"]
    link = image["url"].removeprefix("http://127.0.0.1:")
    served = await harness.client.get(link[link.index("/") :])
    assert served.status == 200 and await served.read() == PNG and served.content_type == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    forged = await harness.client.get(
        link[link.index("/") :].replace("/api/files/hunt-evidence/1.", "/api/files/hunt-evidence/2.")
    )
    assert forged.status == 404, "a link names one picture"

    refused = await invoke(harness, PAOLO, "hunts.review", decide(card, "accept")["data"])
    assert refused["value"] == "This review was asked of another champion.", "not the sender's team"
    assert _evidence(db) == [("waiting", None)]

    needs = await invoke(harness, SOMCHAI, "hunts.review", decide(card, "reject")["data"])
    assert "Say why it doesn't show what the clue asks, so the team can try again." in card_texts(needs["value"])
    reason = {"reason": "the note isn't saved yet"}
    rejected = await invoke(harness, SOMCHAI, "hunts.review", {**decide(card, "reject")["data"], **reason})
    assert "Turned down by Somchai Dee: the note isn't saved yet" in card_texts(rejected["value"])
    again = await invoke(harness, SOMCHAI, "hunts.review", {**decide(card, "accept")["data"]})
    assert "This picture has already been reviewed; nothing changed." in card_texts(again["value"])
    assert _evidence(db) == [("rejected", "the note isn't saved yet")]

    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert texts_to(harness, RITA) == [
        "La tua immagine per La tua dashboard è stata respinta: the note isn't saved yet. "
        "Incollane un'altra qui quando sei pronto."
    ]
    await say(harness, RITA, "caccia")
    assert "L'ultima immagine è stata respinta: the note isn't saved yet" in texts_to(harness, RITA)

    assert await paste(harness, PAOLO, JPEG, "third") == [
        "Got it! A champion from another department will review your picture; I'll tell you here."
    ], "a teammate may send the next one"
    [card] = await review_cards_to(harness, db, SOMCHAI)
    accepted = await invoke(harness, SOMCHAI, "hunts.review", decide(card, "accept")["data"])
    assert "Accepted by Somchai Dee." in card_texts(accepted["value"])
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert texts_to(harness, PAOLO) == [
        "Your picture for Your dashboard was accepted. Solved! Your team earns 150 points."
    ], "the solve credits the person who sent it"
    solved = db.transaction(lambda s: [r.clue_key for r in s.exec(select(HuntClueStateRecord)).all() if r.solved_at])
    assert solved == ["dashboard"], "by Sales alone"
    await say(harness, RITA, "caccia")
    assert "Indizi risolti: 1 su 2" in texts_to(harness, RITA), "the next clue of the leg opened"
    actions = db.transaction(lambda s: [e.action for e in s.exec(select(AuditEntryRecord)).all()])
    assert actions.count("hunt.evidence_rejected") == 1 and actions.count("hunt.evidence_accepted") == 1


async def test_with_no_champion_outside_the_team_the_leads_review_and_a_picture_too_large_is_refused(hunt, db):
    harness = hunt

    def step_down(session):
        for champion in session.exec(select(ChampionRecord)).all():
            champion.status = ChampionStatus.STEPPED_DOWN.value
            session.add(champion)

    db.transaction(step_down)
    big = PNG + b"\x00" * (4 * 1024 * 1024)
    assert await paste(harness, RITA, big, "huge") == [
        "Non sono riuscito ad aprire l'immagine. Invia uno screenshot o una foto (PNG, JPEG, GIF o WebP) fino a 4 MB."
    ]
    assert await paste(harness, RITA, PNG, "small") == [
        "Ricevuta! Un campione di un altro reparto valuterà la tua immagine; te lo dirò qui."
    ]
    [card] = await review_cards_to(harness, db, LEAD)
    texts = texts_to(harness, LEAD)
    assert texts[0] == "No champion outside this team can review its picture: please review it yourself."
    waiting = await say(harness, LEAD, "hunt evidence")
    assert waiting[0] == "1 picture waits for a review:"
    accepted = await invoke(harness, LEAD, "hunts.review", decide(card, "accept")["data"])
    assert "Accepted by Lena Lead." in card_texts(accepted["value"])
    assert await say(harness, LEAD, "hunt evidence") == ["No picture is waiting for a review."]
    assert await say(harness, PAOLO, "hunt evidence") == [
        "Only program leads can do that. Type help to see what you can do."
    ], "leads only"


async def test_a_picture_nobody_expects_gets_a_polite_answer(harness_factory, db, clock):
    harness = await harness_factory()
    import_directory(db, [PEOPLE[RITA]], clock)
    assert await paste(harness, RITA, PNG, "holiday") == [
        "Grazie, ma non mi aspettavo un'immagine o un file da te. Scrivi aiuto per vedere cosa posso fare."
    ]
    assert harness.connector.attachment_requests == [], "not even fetched"


def _evidence(db) -> list[tuple[str, str | None]]:
    return db.transaction(lambda s: [(e.status, e.reason) for e in s.exec(select(HuntEvidenceRecord)).all()])


async def test_the_bot_fetches_a_picture_only_from_the_bot_connector_that_sent_the_message(hunt, db):
    harness = hunt
    harness.connector.clear()
    elsewhere = [
        {"contentType": "image/png", "contentUrl": "https://files.example.net/v3/attachments/x/views/original"}
    ]
    await harness.send(harness.activities.message(RITA, "", attachments=elsewhere))
    assert texts_to(harness, RITA) == [
        "Non sono riuscito ad aprire l'immagine. Invia uno screenshot o una foto (PNG, JPEG, GIF o WebP) fino a 4 MB."
    ], "the bot's token never goes to a URL someone wrote"
    assert _evidence(db) == []


async def test_pictures_are_deleted_a_month_after_the_hunt_closes_and_their_verdicts_stay(hunt, db, clock):
    harness = hunt
    await paste(harness, RITA, PNG, "kept")
    ends = STARTS + timedelta(days=5)
    clock.advance(ends - clock.now())
    await run_hunts(job_context(harness.settings, db, clock), ends)
    clock.advance(timedelta(days=29))
    await apply_retention(job_context(harness.settings, db, clock), clock.now())
    assert db.transaction(lambda s: [e.picture for e in s.exec(select(HuntEvidenceRecord)).all()]) == [PNG]
    clock.advance(timedelta(days=2))
    await apply_retention(job_context(harness.settings, db, clock), clock.now())
    kept = db.transaction(lambda s: [(e.picture, e.status, e.size) for e in s.exec(select(HuntEvidenceRecord)).all()])
    assert kept == [(None, "waiting", len(PNG))]
