from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.state_store import StateConflict, StateStore

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_write_read_and_delete(database):
    etag = database.transaction(lambda s: StateStore(s).write("k", '{"a": 1}', None, NOW))
    assert database.transaction(lambda s: StateStore(s).read(["k", "missing"])) == {"k": (etag, '{"a": 1}')}
    database.transaction(lambda s: StateStore(s).delete(["k"]))
    assert database.transaction(lambda s: StateStore(s).read(["k"])) == {}


def test_a_stale_etag_is_a_conflict_and_changes_nothing(database):
    first = database.transaction(lambda s: StateStore(s).write("k", "v1", None, NOW))
    second = database.transaction(lambda s: StateStore(s).write("k", "v2", first, NOW))
    assert second != first

    with pytest.raises(StateConflict):
        database.transaction(lambda s: StateStore(s).write("k", "v3", first, NOW))
    assert database.transaction(lambda s: StateStore(s).read(["k"])) == {"k": (second, "v2")}


def test_star_overwrites(database):
    database.transaction(lambda s: StateStore(s).write("k", "v1", None, NOW))
    database.transaction(lambda s: StateStore(s).write("k", "v2", "*", NOW))
    assert database.transaction(lambda s: StateStore(s).read(["k"]))["k"][1] == "v2"


def test_an_etag_for_a_deleted_document_is_a_conflict(database):
    etag = database.transaction(lambda s: StateStore(s).write("k", "v1", None, NOW))
    database.transaction(lambda s: StateStore(s).delete(["k"]))
    with pytest.raises(StateConflict):
        database.transaction(lambda s: StateStore(s).write("k", "v2", etag, NOW))
