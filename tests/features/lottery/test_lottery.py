"""A prize draw end to end through /api/messages: a lead creates, previews and opens it;
entries close on time and the registry is committed with a future beacon round named and a
receipt for everyone; the round comes out of a local fake drand and the draw runs; the
published data reruns with the stand-alone verifier; a winner is replaced by the next
alternate and a prize delivered; a player's crafted lead action is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from app import job_context, main
from features.lottery.domain import Prize, TicketRules, in_registry, rules_to_data
from features.lottery.jobs import run_lottery
from features.lottery.tables import LotteryDrawRecord, LotteryEntrantRecord, LotteryEventRecord
from features.lottery.workflows import DrawSpec, commit_draw, create_draw, open_draw, run_draw
from storage.program import Sponsors
from tests.support.activities import LEAD, TEAM_ID, TeamsUser
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say, texts_to
from tests.support.clock import FrozenClock
from tests.support.drand import CHAIN, FakeDrand, public_key, randomness_of
from tests.support.program import Person, deliver_outbox, import_directory, people_in_chat, seed_champion

NO_BEACON = (
    "the beacon gave no round that checks out (unreachable, or a signature that does not verify); "
    "the committed secret alone made the seed"
)
VERIFIER = Path(__file__).resolve().parents[3] / "tools" / "verify_draw.py"
RITA = TeamsUser("29:rita", "Rita Romano", "eeeeeeee-0000-0000-0000-000000000011", "it-IT")
PAOLO = TeamsUser("29:paolo", "Paolo Verdi", "eeeeeeee-0000-0000-0000-000000000014")
SOMCHAI = TeamsUser("29:somchai", "Somchai Dee", "eeeeeeee-0000-0000-0000-000000000012")
PEOPLE = {
    RITA: Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "North", timezone="Europe/Rome"),
    PAOLO: Person("paolo@contoso.example", "Paolo Verdi", "Sales", "Milan", "South", timezone="Europe/Rome"),
    SOMCHAI: Person("somchai@contoso.example", "Somchai Dee", "Service", "Bangkok", "Field", timezone="Asia/Bangkok"),
    LEAD: Person("lena.lead@contoso.example", "Lena Lead", "Programme Office", "Milan", "PMO"),
}
START = datetime(2026, 12, 2, 9, tzinfo=UTC)
FORM = {
    "name": "Q1 draw",
    "prizes": "1 x Surface Laptop\n2 x Headphones",
    "opens_date": "2026-12-02",
    "opens_time": "09:00",
    "closes_date": "2026-12-03",
    "closes_time": "18:00",
    "audience": "everyone",
    "units": "",
    "cap": 10,
    "alternates": 2,
    "exclude_recent": 1,
}
CLOSES = datetime(2026, 12, 3, 17, tzinfo=UTC)  # 18:00 in Rome


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
async def drand(aiohttp_server, clock, monkeypatch) -> FakeDrand:
    fake = FakeDrand(lambda: clock.now().timestamp(), genesis_time=int(START.timestamp()) - 3 * 1000)
    server = await aiohttp_server(fake.app())
    monkeypatch.setenv("DRAND_URLS", str(server.make_url("")).rstrip("/"))
    monkeypatch.setenv("DRAND_CHAIN_HASH", CHAIN)
    monkeypatch.setenv("DRAND_GENESIS_TIME", str(fake.genesis_time))
    monkeypatch.setenv("DRAND_PERIOD_SECONDS", "3")
    monkeypatch.setenv("DRAND_PUBLIC_KEY", public_key())
    return fake


@pytest.fixture
async def harness(harness_factory, db, clock):
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    seed_champion(db, clock, PAOLO.teams_user_id, PEOPLE[PAOLO], focus=("Sales",))
    await people_in_chat(harness, db, clock, PEOPLE)
    await harness.send(harness.activities.channel_mention(LEAD, "use this channel"))
    return harness


async def tick(harness, db, clock, at: datetime) -> None:
    clock.advance(at - clock.now())
    await run_lottery(job_context(harness.settings, db, clock), at)


async def channel(harness, db) -> list[dict]:
    harness.connector.clear()
    await deliver_outbox(harness, db)
    cards = [card for item in harness.connector.sent if item.conversation_id == TEAM_ID for card in item.cards]
    for card in cards:
        assert_valid_card(card)
    return cards


def link_in(text: str) -> str:
    url = text[text.index("](") + 2 : text.index(")", text.index("]("))]
    return url[url.index("/api/") :]


async def create_and_open(harness) -> int:
    await say(harness, LEAD, "new draw")
    [form] = [card for item in harness.connector.sent_to(LEAD.personal_conversation_id) for card in item.cards]
    assert_valid_card(form)
    created = await invoke(harness, LEAD, "lottery.new", FORM)
    assert "Created as a draft. Preview the tickets, then open it to announce it." in card_texts(created["value"])
    draw_id = created["value"]["actions"][0]["data"]["draw_id"]
    preview = await invoke(harness, LEAD, "lottery.preview", {"draw_id": draw_id})
    texts = card_texts(preview["value"])
    assert texts[texts.index("People") + 1] == "3" and texts[texts.index("Tickets") + 1] == "4", (
        "a free ticket each, and one for the thanks Paolo received; the lead runs it and is left out"
    )
    opened = await invoke(harness, LEAD, "lottery.open", {"draw_id": draw_id})
    assert "Done." in card_texts(opened["value"])
    again = await invoke(harness, LEAD, "lottery.open", {"draw_id": draw_id})
    assert "Already done; nothing changed." in card_texts(again["value"]), "pressed twice"
    return int(draw_id)


async def test_a_lead_runs_a_draw_from_creation_to_delivery_and_anyone_can_rerun_it(
    harness, db, clock, drand, tmp_path
):
    assert (await say(harness, RITA, "kudos Paolo Verdi for the pipeline demo"))[0]
    draw_id = await create_and_open(harness)
    [opened] = await channel(harness, db)
    assert card_texts(opened)[0] == "🎟️ Prize draw: Q1 draw"
    live = await say(harness, PAOLO, "my tickets")
    assert live[0].startswith("In Q1 draw you'd have 2 tickets if entries closed now")

    await tick(harness, db, clock, CLOSES)
    [committed] = await channel(harness, db)
    texts = card_texts(committed)
    assert texts[0] == "🔒 Entries closed: Q1 draw"
    stored = db.transaction(lambda s: s.get(LotteryDrawRecord, draw_id))
    assert stored.status == "committed" and stored.beacon_round is not None
    assert stored.registry_hash in texts and stored.secret_commitment in texts and stored.secret not in texts
    assert drand.genesis_time + (stored.beacon_round - 1) * 3 > CLOSES.timestamp(), "a round still in the future"
    receipt = texts_to(harness, RITA)
    assert receipt[0].startswith("🎟️ La tua ricevuta per Q1 draw: 1 biglietto"), receipt

    mine = await say(harness, RITA, "i miei biglietti")
    response = await harness.client.get(link_in(mine[0]))
    proof = json.loads(await response.read())
    [ticket] = proof["tickets"]
    assert in_registry(ticket["line"], [tuple(step) for step in ticket["proof"]], stored.merkle_root)

    await tick(harness, db, clock, CLOSES + timedelta(minutes=1))
    assert db.transaction(lambda s: s.get(LotteryDrawRecord, draw_id).status) == "committed", "the round is not out"
    await tick(harness, db, clock, CLOSES + timedelta(minutes=3))
    drawn = db.transaction(lambda s: s.get(LotteryDrawRecord, draw_id))
    assert drawn.status == "drawn" and drawn.beacon_randomness == randomness_of(stored.beacon_round)
    [results] = await channel(harness, db)
    [for_leads] = [card for item in harness.connector.sent_to(LEAD.personal_conversation_id) for card in item.cards]
    texts = card_texts(results)
    assert texts[0] == "🎉 Winners: Q1 draw"
    assert sum(text.startswith("**Surface Laptop**") for text in texts) == 1
    assert sum(text.startswith("**Headphones**") for text in texts) == 2, (
        "three people, three prizes; no alternates left"
    )

    proof_text = await say(harness, SOMCHAI, "draw proof")
    published = await harness.client.get(link_in(proof_text[0]))
    path = tmp_path / "draw.json"
    path.write_bytes(await published.read())
    verified = subprocess.run([sys.executable, str(VERIFIER), str(path)], capture_output=True, text=True, check=False)
    assert verified.returncode == 0, verified.stdout
    assert "  the beacon's signature: checked\n" in verified.stdout, "py_ecc is installed here"
    receipt = tmp_path / "receipt.json"
    receipt.write_text(json.dumps(proof))
    checked = subprocess.run(
        [sys.executable, str(VERIFIER), str(path), "--receipt", str(receipt)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.stdout == "OK: all 1 tickets on the receipt are in the committed registry\n", "Rita's receipt"

    first = next(
        action
        for block in for_leads["body"]
        if block["type"] == "ActionSet"
        for action in block["actions"]
        if action["type"] == "Action.Execute"
    )
    refused = await invoke(harness, RITA, first["verb"], first["data"])
    assert (
        refused["value"] == "Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."
    )
    delivered = await invoke(harness, LEAD, "lottery.delivered", first["data"])
    assert any(text.endswith("(delivered)") for text in card_texts(delivered["value"]))
    twice = await invoke(harness, LEAD, "lottery.delivered", first["data"])
    assert "That was already recorded; nothing changed." in card_texts(twice["value"])
    kinds = db.transaction(lambda s: [e.kind for e in s.exec(select(LotteryEventRecord)).all()])
    assert kinds == ["picked", "picked", "picked", "delivered"], "results are appended, never changed"


async def test_with_the_beacon_down_the_committed_secret_draws_and_a_winner_is_replaced_by_the_next_alternate(
    harness, db, clock, drand, tmp_path, monkeypatch
):
    more = [
        Person(f"person{number}@contoso.example", f"Person {number}", "Finance", "Milan", "") for number in range(4)
    ]
    import_directory(db, [*PEOPLE.values(), *more], clock)
    await say(harness, LEAD, "new draw")
    with_lunch = {**FORM, "prizes": FORM["prizes"] + "\n1 x Team lunch (department)"}
    created = await invoke(harness, LEAD, "lottery.new", with_lunch)
    draw_id = created["value"]["actions"][0]["data"]["draw_id"]
    await invoke(harness, LEAD, "lottery.open", {"draw_id": draw_id})
    closed = await invoke(harness, LEAD, "lottery.close", {"draw_id": draw_id})
    assert "Done." in card_texts(closed["value"]), "a lead closes entries early"
    drand.down = True
    early = await invoke(harness, LEAD, "lottery.draw", {"draw_id": draw_id})
    assert early["value"].startswith("The beacon round isn't out yet; the draw runs at")
    clock.advance(timedelta(minutes=3))
    drawn = await invoke(harness, LEAD, "lottery.draw", {"draw_id": draw_id})
    texts = card_texts(drawn["value"])
    assert NO_BEACON in texts
    assert "2 alternates wait, in the order drawn." in texts
    [lunch] = [text for text in texts if text.startswith("**Team lunch**")]
    assert lunch.split(": ")[1].split(",")[0] in {"Sales", "Service", "Finance"}, "a department wins the lunch"

    proof_text = await say(harness, LEAD, "draw proof")
    published = json.loads(await (await harness.client.get(link_in(proof_text[0]))).read())
    assert published["beacon"]["unreachable"] is True and published["beacon_problem"].endswith("HTTP 503")
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(published))
    verified = subprocess.run([sys.executable, str(VERIFIER), str(path)], capture_output=True, text=True, check=False)
    assert verified.returncode == 0, verified.stdout

    first = next(
        action
        for block in drawn["value"]["body"]
        if block["type"] == "ActionSet"
        for action in block["actions"]
        if action["type"] == "Action.Execute"
    )
    alternate = published["picks"][3]
    no_reason = await invoke(harness, LEAD, "lottery.replace", first["data"])
    assert "Give a reason: it stays with the results." in card_texts(no_reason["value"])
    replaced = await invoke(harness, LEAD, "lottery.replace", {**first["data"], "reason": "left the company"})
    texts = card_texts(replaced["value"])
    assert any(alternate["ticket_id"] in text and text.startswith("**Surface Laptop**") for text in texts), texts
    assert "1 alternate waits, in the order drawn." in texts
    again = await invoke(harness, LEAD, "lottery.replace", {**first["data"], "reason": "left the company"})
    assert "That was already recorded; nothing changed." in card_texts(again["value"])
    kinds = db.transaction(lambda s: [(e.kind, e.reason) for e in s.exec(select(LotteryEventRecord)).all()])
    assert kinds[-2:] == [("unavailable", "left the company"), ("replaced", "left the company")]

    monkeypatch.setenv("DATABASE_URL", harness.settings.database_url)
    assert main(["export", "draw", str(draw_id), "-o", str(tmp_path / "out")]) == 0
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == [
        f"draw-{draw_id}-report-en.md",
        f"draw-{draw_id}-report-it.md",
        f"draw-{draw_id}-report-th.md",
        f"draw-{draw_id}.json",
    ]
    italian = (tmp_path / "out" / f"draw-{draw_id}-report-it.md").read_text()
    assert italian.startswith("# Verbale di estrazione a premi: Q1 draw")
    assert published["registry_hash"] in italian and "left the company" in italian
    assert main(["export", "draw"]) == 2, "a draw's number is needed"


async def test_the_last_draws_winners_and_sponsors_sit_out_and_the_cap_and_free_ticket_hold(harness, db, clock):
    more = [Person(f"p{number}@contoso.example", f"Person {number}", "Finance", "Milan", "") for number in range(5)]
    import_directory(db, [*PEOPLE.values(), *more], clock)
    db.transaction(lambda s: Sponsors(s).add("p4@contoso.example", "Lena Lead", clock.now()))
    messaging = job_context(harness.settings, db, clock).messaging
    spec = DrawSpec(
        name="First",
        prizes=(Prize("Mug", 2),),
        opens_at=START - timedelta(days=1),
        closes_at=START + timedelta(days=1),
        audience={"kind": "everyone", "units": []},
        rules=rules_to_data(TicketRules(cap=2)),
        exclude_recent=1,
        alternates=1,
    )

    def run(session, name: str) -> int:
        draw_id = create_draw(session, replace(spec, name=name), "Lena Lead", None, clock.now())
        open_draw(session, messaging, draw_id, "Lena Lead", clock.now())
        commit_draw(session, messaging, draw_id, None, "Lena Lead", clock.now())
        run_draw(session, messaging, draw_id, None, "Lena Lead", clock.now())
        return draw_id

    first = db.transaction(lambda s: run(s, "First"))
    winners = db.transaction(
        lambda s: {e.pseudonym for e in s.exec(select(LotteryEventRecord)).all() if e.prize is not None}
    )
    emails = db.transaction(
        lambda s: {
            e.email for e in s.exec(select(LotteryEntrantRecord)).all() if e.draw_id == first and e.pseudonym in winners
        }
    )
    second = db.transaction(lambda s: run(s, "Second"))
    entered = db.transaction(
        lambda s: {e.email: e.tickets for e in s.exec(select(LotteryEntrantRecord)).all() if e.draw_id == second}
    )
    assert len(emails) == 2 and not emails & set(entered), "last draw's two winners are left out"
    assert set(entered) == {person.email for person in [*PEOPLE.values(), *more]} - emails - {
        "lena.lead@contoso.example",
        "p4@contoso.example",
    }, "leads and sponsors never enter"
    assert set(entered.values()) == {1}, "one free ticket each: entry costs nothing"


async def test_a_beacon_round_whose_signature_does_not_verify_is_not_used(harness, db, clock, drand):
    await say(harness, LEAD, "new draw")
    created = await invoke(harness, LEAD, "lottery.new", FORM)
    draw_id = created["value"]["actions"][0]["data"]["draw_id"]
    await invoke(harness, LEAD, "lottery.open", {"draw_id": draw_id})
    await invoke(harness, LEAD, "lottery.close", {"draw_id": draw_id})
    drand.forge = True
    clock.advance(timedelta(minutes=3))
    drawn = await invoke(harness, LEAD, "lottery.draw", {"draw_id": draw_id})
    assert NO_BEACON in card_texts(drawn["value"])
    stored = db.transaction(lambda s: s.get(LotteryDrawRecord, draw_id))
    assert stored.beacon_randomness == "" and "does not verify" in stored.beacon_problem
