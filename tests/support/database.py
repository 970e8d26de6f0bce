from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text

TEST_DATABASE_URL = "TEST_DATABASE_URL"


def fresh_database_url(tmp_path: Path) -> str:
    """A SQLite file per test, or the PostgreSQL database from TEST_DATABASE_URL, emptied."""
    url = os.environ.get(TEST_DATABASE_URL)
    if not url:
        return f"sqlite:///{tmp_path / 'champion_circle.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
