from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from storage.migrations import upgrade

TEST_DATABASE_URL = "TEST_DATABASE_URL"

# Per PostgreSQL URL: whether its tests' databases are copies of a template migrated once in
# this run (the role may create databases), or the one database emptied per test.
_copies_a_template: dict[str, bool] = {}


def fresh_database_url(tmp_path: Path, *, migrated: bool = True) -> str:
    """A SQLite file per test, or the PostgreSQL database from TEST_DATABASE_URL, made new.

    On PostgreSQL, a migrated database is a copy of a template that was migrated once in this
    run (about 0.05 s, against 0.3 s to migrate it for each test), when the role may create
    databases; otherwise, and when `migrated` is false, its schema is emptied. On SQLite the
    file starts empty: the app migrates SQLite itself as it starts.
    """
    url = os.environ.get(TEST_DATABASE_URL)
    if not url:
        return f"sqlite:///{tmp_path / 'champion_circle.db'}"
    if migrated and _copy_of_template(url):
        return url
    _empty_schema(url)
    return url


def _copy_of_template(url: str) -> bool:
    """Recreate the test database as a copy of the migrated template; False if the role may not."""
    database = make_url(url)
    template = f"{database.database}_template"
    maintenance = create_engine(database.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as connection:
            if url not in _copies_a_template:
                _copies_a_template[url] = _make_template(connection, database, template)
            if not _copies_a_template[url]:
                return False
            _drop(connection, database.database)
            connection.execute(text(f'CREATE DATABASE "{database.database}" TEMPLATE "{template}"'))
        return True
    finally:
        maintenance.dispose()


def _make_template(connection: Connection, database: URL, template: str) -> bool:
    try:
        _drop(connection, template)
        connection.execute(text(f'CREATE DATABASE "{template}"'))
    except ProgrammingError:  # no CREATEDB: each test migrates its own
        return False
    upgrade(database.set(database=template).render_as_string(hide_password=False))
    return True


def _drop(connection: Connection, name: str | None) -> None:
    try:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    except OperationalError:
        # A test that failed may have left a connection open. Not FORCE at first: it may not
        # end another role's process (an autovacuum worker), which a plain DROP cancels itself.
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _empty_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
