from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables)
from storage.database import Database
from storage.migrations import alembic_config, current_revision, head_revision, upgrade


def test_migrations_produce_exactly_the_models_schema(database_url):
    upgrade(database_url)
    database = Database(database_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
        assert differences == []
        assert current_revision(database.engine) == head_revision()
    finally:
        database.close()


def test_downgrade_to_nothing_and_up_again(database_url):
    from alembic import command

    upgrade(database_url)
    command.downgrade(alembic_config(database_url), "base")
    database = Database(database_url)
    try:
        assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
    finally:
        database.close()
    upgrade(database_url)


def test_upgrade_is_idempotent(database_url):
    upgrade(database_url)
    upgrade(database_url)
