from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.database import Database
from storage.migrations import upgrade


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    upgrade(database_url)
    db = Database(database_url)
    yield db
    db.close()
