from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables)
from storage.database import Database
from storage.migrations import alembic_config, current_revision, head_revision, upgrade


def test_migrations_produce_exactly_the_models_schema(empty_database_url):
    upgrade(empty_database_url)
    database = Database(empty_database_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
        assert differences == []
        assert current_revision(database.engine) == head_revision()
    finally:
        database.close()


def test_downgrade_to_nothing_and_up_again(empty_database_url):
    from alembic import command

    upgrade(empty_database_url)
    command.downgrade(alembic_config(empty_database_url), "base")
    database = Database(empty_database_url)
    try:
        assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
    finally:
        database.close()
    upgrade(empty_database_url)


def test_upgrade_is_idempotent(empty_database_url):
    upgrade(empty_database_url)
    upgrade(empty_database_url)


def test_a_time_commitment_phrase_becomes_hours_and_a_period(empty_database_url):
    """0010: a lead's "1 ora alla settimana" keeps its meaning; a phrase it can't read falls back to the default."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    from storage.program import ProgramConfig

    for phrase, expected in (("1 ora alla settimana", (1, "week")), ("about a day", (2, "month"))):
        upgrade(empty_database_url, "0009")
        database = Database(empty_database_url)
        try:
            with database.engine.begin() as connection:
                connection.execute(text("DELETE FROM program_setting"))
                connection.execute(
                    text(
                        "INSERT INTO program_setting (name, value, updated_by, updated_at) VALUES (:n, :v, 'Lena', :at)"
                    ),
                    {"n": "time_commitment", "v": f'"{phrase}"', "at": datetime(2026, 11, 1, tzinfo=UTC)},
                )
            upgrade(empty_database_url)
            settings = database.transaction(lambda session: ProgramConfig(session).load())
            assert (settings.commitment_hours, settings.commitment_period) == expected, phrase
            with database.engine.connect() as connection:
                names = set(connection.execute(text("SELECT name FROM program_setting")).scalars())
            assert "time_commitment" not in names
        finally:
            database.close()
        from alembic import command

        command.downgrade(alembic_config(empty_database_url), "0009")


def test_an_existing_audit_trail_is_sealed_and_still_verifies(empty_database_url):
    """0018: entries written before seals existed are checked, then chained again with seals."""
    import hashlib
    import json
    from datetime import UTC, datetime

    from sqlalchemy import text

    from alembic import command
    from storage.audit import AuditTrail

    def old_hash(previous, at, actor, action, subject, details):
        canonical = json.dumps(
            [previous, at.isoformat(), actor, action, subject, details],
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    upgrade(empty_database_url, "0017")
    database = Database(empty_database_url)
    try:
        previous = "0" * 64
        at = datetime(2026, 12, 1, 9, tzinfo=UTC)
        with database.engine.begin() as connection:
            for subject, details in (("Rita Romano", {}), ("cadence", {"after": {"a": 2}})):
                entry_hash = old_hash(previous, at, "Lena Lead", "x.y", subject, details)
                connection.execute(
                    text(
                        "INSERT INTO audit_entry (at, actor, action, subject, details, previous_hash, entry_hash) "
                        "VALUES (:at, 'Lena Lead', 'x.y', :subject, :details, :previous, :hash)"
                    ),
                    {
                        "at": at,
                        "subject": subject,
                        "details": json.dumps(details),
                        "previous": previous,
                        "hash": entry_hash,
                    },
                )
                previous = entry_hash
        upgrade(empty_database_url)
        assert database.transaction(lambda s: AuditTrail(s).verify()) == []
        assert database.transaction(lambda s: AuditTrail(s).redact(["Rita Romano"])) == 1
        assert database.transaction(lambda s: AuditTrail(s).verify()) == []
    finally:
        database.close()
        command.downgrade(alembic_config(empty_database_url), "base")
