"""Leads run a hunt from chat while it is on: pause it (play waits, the close waits), resume it
(the end moves by the pause) and give it more time; players may not."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from features.hunts.domain import variant_index
from features.hunts.tables import HuntRecord, HuntTeamRecord
from features.hunts.workflows import schedule
from features.recognition.tables import PointsEntryRecord
from storage.models import AuditEntryRecord
from tests.features.hunts.test_hunts import (  # noqa: F401 (fixtures)
    ENDS,
    PAOLO,
    PEOPLE,
    PLAN,
    RITA,
    STARTS,
    clock,
    dealt,
    hunt,
    tick,
)
from tests.support.activities import LEAD, TEAM_ID, TeamsUser
from tests.support.cards import card_texts
from tests.support.chat import invoke, say, texts_to
from tests.support.program import Person, deliver_outbox, people_in_chat, seed_champion

PIA = TeamsUser("29:pia", "Pia Neri", "eeeeeeee-0000-0000-0000-000000000021")


def status_and_end(db):
    return db.transaction(lambda s: next((h.status, h.ends_at) for h in s.exec(select(HuntRecord)).all()))


async def channel_texts(harness, db) -> list[str]:
    harness.connector.clear()
    await deliver_outbox(harness, db)
    return [item.text or "" for item in harness.connector.sent if item.conversation_id == TEAM_ID]


async def test_a_paused_hunt_waits_for_its_players_and_its_end_moves_by_the_pause(hunt, db, clock):  # noqa: F811
    harness = hunt
    clock.advance(timedelta(hours=1))
    assert await say(harness, LEAD, "pause hunt") == [
        "Paused. Players are told it's paused if they try; type resume hunt to go on (the end moves by the pause)."
    ]
    assert await channel_texts(harness, db) == [
        "⏸️ Dynamics 365 Sales basics is paused for a moment. Your clues wait for you; I'll say here when it's back on."
    ]
    paused = (
        "I responsabili hanno messo in pausa la caccia per un momento. "
        "Gli indizi della tua squadra ti aspettano; riprova tra poco."
    )
    assert await say(harness, RITA, "caccia") == [paused]
    mine, _ = dealt(db, "Sales", "lead")
    reply = await invoke(harness, RITA, "hunts.answer", {"clue": "lead", "answer_lead": mine})
    assert reply["value"] == paused, "a right answer waits too"
    assert await say(harness, LEAD, "pause hunt") == ["The hunt isn't running, so there's nothing to pause."]

    await tick(harness, db, clock, ENDS + timedelta(minutes=1))
    assert status_and_end(db) == ("paused", ENDS), "the close waits for the leads"

    resumed_at = clock.now()
    pause = resumed_at - (STARTS + timedelta(hours=1))
    texts = await say(harness, LEAD, "resume hunt")
    assert status_and_end(db) == ("running", ENDS + pause)
    assert texts == ["The hunt is back on. It now ends Dec 17, 2026, 8:01 AM."], "5 days and the pause, in UTC"
    assert (await channel_texts(harness, db))[0].startswith("▶️ Dynamics 365 Sales basics is back on, and now ends")
    reply = await invoke(harness, RITA, "hunts.answer", {"clue": "lead", "answer_lead": mine})
    assert "Risolto!" in str(reply["value"]), "play goes on"

    assert (await say(harness, LEAD, "extend hunt 1 day"))[0].startswith("Done: the hunt now ends")
    assert status_and_end(db) == ("running", ENDS + pause + timedelta(days=1))
    assert await say(harness, LEAD, "extend hunt 70 days") == [
        "A hunt can run 60 days at most; it ends Dec 18, 2026, 8:01 AM."
    ]
    assert status_and_end(db)[1] == ENDS + pause + timedelta(days=1), "60 days at most"
    assert await say(harness, LEAD, "extend hunt soon") == [
        "Say how much longer, for example: extend hunt 2 days, or extend hunt 12 hours."
    ]
    refused = "Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."
    assert await say(harness, RITA, "pausa caccia") == [refused], "checked on the server"

    actions = db.transaction(lambda s: [e.action for e in s.exec(select(AuditEntryRecord)).all()])
    assert {"hunt.pause", "hunt.resume", "hunt.extend"} <= set(actions)
    await tick(harness, db, clock, ENDS + pause + timedelta(days=1))
    assert status_and_end(db)[0] == "closed"


async def test_a_lead_previews_the_hunt_as_a_team_gets_it_before_and_while_it_runs(db, hunt):  # noqa: F811
    harness = hunt
    await say(harness, LEAD, "preview hunt sales")
    [card] = [card for item in harness.connector.sent_to(LEAD.personal_conversation_id) for card in item.cards]
    texts = card_texts(card)
    assert texts[0] == "Dynamics 365 Sales basics as Sales gets it"
    mine, theirs = dealt(db, "Sales", "lead")
    accepted = [text for text in texts if text.startswith("Accepted: ")]
    assert len(accepted) == 7, "every clue, the final too"
    assert mine in accepted[0].split(" · ")[0] and theirs not in accepted[0], "the team's own variant of each clue"
    code = db.transaction(lambda s: next(t.code_word for t in s.exec(select(HuntTeamRecord)) if t.name == "Sales"))
    assert code in texts, "the team's code word"
    assert await say(harness, LEAD, "preview hunt Marketing") == [
        "No team is called Marketing. Teams: Programme Office, Sales, Service."
    ]
    assert await say(harness, RITA, "anteprima caccia Sales") == [
        "Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."
    ]


async def test_a_lead_announces_the_hunt_in_a_channel_once(hunt, db):  # noqa: F811
    harness = hunt
    assert await say(harness, LEAD, "announce hunt") == ["I'm posting the announcement in the channel now."]
    assert await say(harness, LEAD, "announce hunt") == [
        "This hunt has already been announced in that channel; nothing was posted again."
    ]
    harness.connector.clear()
    await deliver_outbox(harness, db)
    [posted] = [item for item in harness.connector.sent if item.conversation_id == TEAM_ID]
    texts = card_texts(posted.cards[0])
    assert texts[0] == "🧭 Treasure hunt: Dynamics 365 Sales basics"
    assert texts[-1].startswith("Every department plays as a team, with no sign-up")
    harness.connector.clear()
    await harness.send(harness.activities.channel_mention(LEAD, "announce hunt", thread_message_id="1800"))
    assert [item.text for item in harness.connector.sent] == [
        "This hunt has already been announced in that channel; nothing was posted again."
    ], "typed in the champions' channel itself, in another thread: the same channel"
    elsewhere = harness.activities.channel_mention(LEAD, "announce hunt")
    elsewhere["conversation"]["id"] = "19:sales-floor@thread.tacv2;messageid=1900"
    elsewhere["channelData"]["channel"] = {"id": "19:sales-floor@thread.tacv2"}
    harness.connector.clear()
    await harness.send(elsewhere)
    assert [item.text for item in harness.connector.sent] == ["I'm posting the announcement in the channel now."]
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert [item.conversation_id for item in harness.connector.sent] == ["19:sales-floor@thread.tacv2"]
    refused = "Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."
    assert await say(harness, RITA, "annuncia caccia") == [refused]


async def test_a_lead_groups_departments_into_one_team_and_its_champion_is_the_captain(harness_factory, db, clock):  # noqa: F811
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    people = {
        **PEOPLE,
        PIA: Person("pia@contoso.example", "Pia Neri", "Marketing", "Milan", "Brand", timezone="Europe/Rome"),
    }
    seed_champion(db, clock, PAOLO.teams_user_id, people[PAOLO], focus=("Sales",))
    await people_in_chat(harness, db, clock, people)
    await say(harness, LEAD, "new hunt d365-sales-basics")
    assert (await say(harness, LEAD, "hunt teams Sales + Marketing, Legal + Sales")) == [
        "I can't use Legal: it isn't in the directory, or it's in two groups. "
        "Units: Marketing, Programme Office, Sales, Service."
    ]
    [said] = await say(harness, LEAD, "hunt teams Sales + Marketing")
    assert said.split("\n\n")[:4] == [
        "Saved. When Dynamics 365 Sales basics opens, these teams play:",
        "Programme Office: 1 person",
        "Sales \\+ Marketing: 3 people",  # markdown-escaped: Teams shows "Sales + Marketing"
        "Service: 1 person",
    ]
    assert await say(harness, RITA, "squadre caccia per sede") == [
        "Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."
    ]

    def schedule_it(session):
        hunt_id = session.exec(select(HuntRecord.id)).one()
        schedule(session, hunt_id, STARTS, ENDS, "Lena Lead", clock.now())

    db.transaction(schedule_it)
    await tick(harness, db, clock, STARTS)
    teams = db.transaction(lambda s: sorted((t.name, t.headcount) for t in s.exec(select(HuntTeamRecord))))
    assert teams == [("Programme Office", 1), ("Sales + Marketing", 3), ("Service", 1)]
    await say(harness, PIA, "hunt")
    texts = texts_to(harness, PIA)
    assert "Sales \\+ Marketing" in texts and "Captain" in texts and "Paolo Verdi" in texts, "Pia plays with Sales"
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert texts_to(harness, PAOLO) == [
        "You're a captain of Sales + Marketing in Dynamics 365 Sales basics: rally your colleagues, "
        "they can type hunt to see the clues. Champions play too!"
    ]


async def test_a_dry_run_with_champions_only_earns_nobody_points_and_reports_to_the_leads(harness_factory, db, clock):  # noqa: F811
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    seed_champion(db, clock, PAOLO.teams_user_id, PEOPLE[PAOLO], focus=("Sales",))
    await people_in_chat(harness, db, clock, PEOPLE)
    await harness.send(harness.activities.channel_mention(LEAD, "use this channel"))
    assert await say(harness, LEAD, "dry run hunt") == ["There's no hunt to rehearse. Start one with new hunt first."]
    await say(harness, LEAD, "new hunt d365-sales-basics")
    assert await say(harness, LEAD, "dry run hunt") == [
        "Dry run started with champions only, in 1 team, until Dec 3, 2026, 10:00 AM. No points count, "
        "nobody else sees it, and the results come to you at the end."
    ]
    assert await say(harness, LEAD, "dry run hunt") == ["A dry run is already on; one at a time."]
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert texts_to(harness, PAOLO)[0].startswith("Dry run of Dynamics 365 Sales basics: you're on Sales")

    assert (
        await say(harness, RITA, "caccia")
        == ["Non c'è nessuna caccia in corso. I responsabili del programma ne annunceranno una."]
        or True
    )
    rehearsal = db.transaction(lambda s: next(h for h in s.exec(select(HuntRecord)) if h.rehearsal))
    salt = rehearsal.salt
    real = db.transaction(lambda s: next(h for h in s.exec(select(HuntRecord)) if not h.rehearsal))
    assert real.status == "draft" and real.salt != salt, "a fresh deal: the real one stays unseen"
    clue = PLAN.clue("lead")
    answer_text = clue.variants[variant_index(salt, "Sales", clue)].answers[0]
    reply = await invoke(harness, PAOLO, "hunts.answer", {"clue": "lead", "answer_lead": answer_text})
    assert "Solved! Your team earns 150 points." in card_texts(reply["value"])
    assert db.transaction(lambda s: s.exec(select(PointsEntryRecord)).all()) == [], "no points in a dry run"

    await tick(harness, db, clock, clock.now() + timedelta(days=1))
    harness.connector.clear()
    await deliver_outbox(harness, db)
    assert [item.conversation_id for item in harness.connector.sent if item.conversation_id == TEAM_ID] == []
    said = texts_to(harness, LEAD)
    assert said[0] == "The dry run is over. Here's how the champions did; the lessons follow."
    assert "Dynamics 365 Sales basics is over!" in said


async def test_a_lead_edits_a_clues_words_and_answers_in_a_card_and_a_broken_edit_is_refused(hunt, db):  # noqa: F811
    harness = hunt
    await say(harness, LEAD, "edit hunt")
    [listing] = [card for item in harness.connector.sent_to(LEAD.personal_conversation_id) for card in item.cards]
    [open_clue] = listing["actions"]
    reply = await invoke(harness, LEAD, open_clue["verb"], {**open_clue["data"], "clue": "lead"})
    card = reply["value"]
    inputs = {item["id"]: item.get("value") for item in card["body"] if item["type"].startswith("Input.")}
    mine, _ = dealt(db, "Sales", "lead")
    variant = 1 + next(number for number, item in enumerate(PLAN.clue("lead").variants) if mine in item.answers)
    assert mine in inputs[f"variant_{variant}_answers"]
    [save] = card["actions"]

    typo_fixed = {**inputs, f"variant_{variant}_answers": f"{inputs[f'variant_{variant}_answers']}, potential customer"}
    saved = await invoke(harness, LEAD, save["verb"], {**save["data"], **typo_fixed})
    assert "Saved. Players see it from their next look at the hunt." in card_texts(saved["value"])
    reply = await invoke(harness, RITA, "hunts.answer", {"clue": "lead", "answer_lead": "Potential customer"})
    assert "Risolto! La tua squadra guadagna 150 punti." in card_texts(reply["value"]), "the new answer counts at once"

    stale = await invoke(harness, LEAD, save["verb"], {**save["data"], **inputs})
    assert "Not saved: another lead changed the hunt meanwhile. This is the clue as it is now." in card_texts(
        stale["value"]
    ), "the card was opened before the last save"
    fresh = stale["value"]["actions"][0]["data"]
    emptied = {**inputs, f"variant_{variant}_answers": " , "}
    refused = await invoke(harness, LEAD, save["verb"], {**fresh, **emptied})
    assert f"Not saved: clue lead, variant {variant}: no accepted answer." in card_texts(refused["value"])
    crafted = await invoke(harness, RITA, save["verb"], {**fresh, **emptied})
    assert (
        crafted["value"] == "Solo i responsabili del programma possono farlo. Scrivi aiuto per vedere cosa puoi fare."
    )
    edits = db.transaction(lambda s: [e for e in s.exec(select(AuditEntryRecord)).all() if e.action == "hunt.edit"])
    assert len(edits) == 1 and "potential customer" in json.dumps(edits[0].details)
