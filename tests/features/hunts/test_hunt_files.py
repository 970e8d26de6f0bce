"""Hunt files through chat: a lead takes a hunt away as a file (a signed link the bot serves),
edits it and sends it back, attached in the personal chat, to create the next hunt; a file
with a mistake says where, and creates nothing."""

from __future__ import annotations

import json

from sqlmodel import select

from features.hunts.plans import plan_from_data, plan_to_data
from features.hunts.tables import HuntRecord
from storage.models import AuditEntryRecord
from tests.features.hunts.test_hunts import PLAN, RITA, clock, hunt  # noqa: F401 (fixtures)
from tests.support.activities import LEAD
from tests.support.chat import say, texts_to

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"


async def download(harness, text: str) -> tuple[int, str, bytes]:
    link = text[text.index("](") + 2 : text.index(")")]
    response = await harness.client.get(link[link.index("/api/") :])
    return response.status, response.headers.get("Content-Disposition", ""), await response.read()


async def attach(harness, user, name: str, body: bytes) -> list[str]:
    """Attach a file in the personal chat, as Teams sends it: download info with a pre-authorised URL."""
    path = harness.connector.add_attachment(name, "application/octet-stream", body)
    info = {
        "contentType": FILE_INFO,
        "name": name,
        "content": {
            "downloadUrl": harness.activities.service_url.rstrip("/") + path,
            "uniqueId": name,
            "fileType": "json",
        },
    }
    harness.connector.clear()
    await harness.send(harness.activities.message(user, "", attachments=[info]))
    return texts_to(harness, user)


async def test_a_lead_exports_a_hunt_edits_it_and_sends_it_back_to_create_the_next_one(hunt, db):  # noqa: F811
    harness = hunt
    [said] = await say(harness, LEAD, "hunt file")
    assert said.startswith("[Download Dynamics 365 Sales basics as a hunt file](http")
    status, disposition, body = await download(harness, said)
    assert status == 200 and disposition.startswith("attachment; filename*=UTF-8''d365-sales-basics.json")
    data = json.loads(body)
    assert plan_from_data(data) == PLAN, "the file is the hunt, whole"
    salt = db.transaction(lambda s: s.exec(select(HuntRecord.salt)).first())
    assert salt not in body.decode(), "never the secret that deals the teams their variants"

    data["key"], data["title"]["en"] = "sales-basics-q1", "Sales basics, Q1"
    texts = await attach(harness, LEAD, "sales-basics-q1.json", json.dumps(data).encode())
    assert texts[1] == "Sales basics, Q1", "the new hunt's card, to choose when it runs"
    assert "Schedule" in texts
    titles = db.transaction(lambda s: [h.title for h in s.exec(select(HuntRecord).order_by(HuntRecord.id)).all()])
    assert titles == ["Dynamics 365 Sales basics", "Sales basics, Q1"]
    audit = db.transaction(lambda s: [e.details for e in s.exec(select(AuditEntryRecord)).all()])
    assert any("sales-basics-q1.json" in json.dumps(details) for details in audit)


async def test_a_hunt_file_with_a_mistake_says_where_and_creates_nothing(hunt, db):  # noqa: F811
    harness = hunt
    broken = plan_to_data(PLAN)
    del broken["legs"][0]["clues"][0]["variants"][0]["text"]["th"]
    texts = await attach(harness, LEAD, "broken.json", json.dumps(broken).encode())
    assert texts == [
        "That hunt file has a problem at legs/0/clues/0/variants/0/text: 'th' is a required property. "
        "Fix it and send it again; nothing was created."
    ]
    assert await attach(harness, LEAD, "notes.json", b"{ not json") == [
        "That file isn't JSON. Type hunt file to get an example to start from."
    ]
    assert db.transaction(lambda s: len(s.exec(select(HuntRecord)).all())) == 1
    assert await attach(harness, RITA, "mine.json", json.dumps(plan_to_data(PLAN)).encode()) == [
        "Grazie, ma non mi aspettavo un'immagine o un file da te. Scrivi aiuto per vedere cosa posso fare."
    ], "only leads bring hunt files"
