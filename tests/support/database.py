from __future__ import annotations

import functools
import os
from pathlib import Path

from sqlalchemy import create_engine, text

from storage.migrations import head_revision

TEST_DATABASE_URL = "TEST_DATABASE_URL"


@functools.cache
def _head() -> str | None:
    return head_revision()


def fresh_database_url(tmp_path: Path, *, blank: bool = False) -> str:
    """A SQLite file per test, or the PostgreSQL database from TEST_DATABASE_URL, emptied.

    PostgreSQL's schema is kept when it is at the newest migration and only its rows go
    (TRUNCATE, sequences restarted): migrating from nothing for each of 600 tests was most of
    the PostgreSQL run. A test that left it elsewhere (a downgrade) gets it rebuilt; `blank`
    is a database without any schema, for tests of the migrations themselves."""
    url = os.environ.get(TEST_DATABASE_URL)
    if not url:
        return f"sqlite:///{tmp_path / 'champion_circle.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = list(connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
        at_head = "alembic_version" in tables and (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()
        )
        if at_head and not blank:
            rows = [table for table in tables if table != "alembic_version"]
            if rows:
                quoted = ", ".join(f'"{table}"' for table in rows)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
