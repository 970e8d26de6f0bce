"""The botbuilder Storage on the database: round-trips dialog objects, enforces ETags."""

from __future__ import annotations

import pytest
from botbuilder.dialogs import DialogInstance, DialogState

from bot.state import DatabaseStorage
from storage.database import Database
from storage.migrations import upgrade
from storage.state_store import StateConflict
from tests.support.clock import FrozenClock


@pytest.fixture
def storage(database_url):
    upgrade(database_url)
    database = Database(database_url)
    yield DatabaseStorage(database, FrozenClock())
    database.close()


async def test_dialog_state_objects_round_trip(storage):
    state = DialogState([DialogInstance("survey", {"values": {"hours": 3}, "prompt": "ok"})])
    await storage.write({"key": {"DialogState": state}})

    item = (await storage.read(["key"]))["key"]
    restored = item["DialogState"]
    assert isinstance(restored, DialogState)
    assert restored.dialog_stack[0].id == "survey"
    assert restored.dialog_stack[0].state == {"values": {"hours": 3}, "prompt": "ok"}
    assert item["e_tag"]


async def test_concurrent_writers_the_second_one_loses(storage):
    await storage.write({"key": {"count": 1}})
    mine = (await storage.read(["key"]))["key"]
    theirs = (await storage.read(["key"]))["key"]

    theirs["count"] = 2
    await storage.write({"key": theirs})
    mine["count"] = 3
    with pytest.raises(StateConflict):
        await storage.write({"key": mine})

    assert (await storage.read(["key"]))["key"]["count"] == 2


async def test_the_writer_keeps_its_new_etag_for_the_next_write(storage):
    await storage.write({"key": {"count": 1}})
    item = (await storage.read(["key"]))["key"]
    item["count"] = 2
    await storage.write({"key": item})
    item["count"] = 3
    await storage.write({"key": item})  # same turn, second save: its etag was refreshed
    assert (await storage.read(["key"]))["key"]["count"] == 3


async def test_empty_reads_and_deletes(storage):
    assert await storage.read([]) == {}
    await storage.delete(["nothing"])
    with pytest.raises(ValueError):
        await storage.write({"key": {"e_tag": ""}})
