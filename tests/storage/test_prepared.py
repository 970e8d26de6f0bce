"""Prepared statements: the turn's statements on the driver's cursor keep SQLAlchemy's types and rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, select

from storage.database import OneWriter
from storage.models import ChampionRecord, ConversationRecord, MemberRecord
from storage.prepared import Prepared
from storage.sql import insert_all_absent, table_of

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

CONVERSATIONS = table_of(ConversationRecord)
BY_IDS = Prepared(
    select(CONVERSATIONS.c.id, CONVERSATIONS.c.reference, CONVERSATIONS.c.installed, CONVERSATIONS.c.updated_at)
    .where(CONVERSATIONS.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(CONVERSATIONS.c.id)
    .limit(2)  # a value the statement carries itself
)


def save_conversations(database, ids):
    rows = [
        {
            "id": conversation_id,
            "kind": "personal",
            "channel_id": "msteams",
            "service_url": "https://smba.example/",
            "reference": {"conversation": {"id": conversation_id}, "nested": [1, "two"]},
            "installed": conversation_id != "a:2",
            "created_at": NOW,
            "updated_at": NOW,
        }
        for conversation_id in ids
    ]
    database.transaction(lambda session: session.connection().execute(CONVERSATIONS.insert(), rows))


def test_rows_come_back_with_their_columns_types(database):
    save_conversations(database, ["a:1", "a:2", "a:3"])

    rows = database.transaction(lambda s: BY_IDS.rows(s, ids=["a:2", "a:1", "a:9"]))

    assert rows == [
        ("a:1", {"conversation": {"id": "a:1"}, "nested": [1, "two"]}, True, NOW),
        ("a:2", {"conversation": {"id": "a:2"}, "nested": [1, "two"]}, False, NOW),
    ]
    assert rows[0][3].tzinfo is not None, "an aware UTC datetime, as the ORM gives"


def test_list_parameters_of_each_length_and_the_statements_own_values(database):
    save_conversations(database, ["a:1", "a:2", "a:3"])

    def read(ids):
        return [row[0] for row in database.transaction(lambda s: BY_IDS.rows(s, ids=ids))]

    assert read(["a:3"]) == ["a:3"]
    assert read(["a:3", "a:1", "a:2"]) == ["a:1", "a:2"], "LIMIT 2 kept"
    assert read(["a:2"]) == ["a:2"], "a length seen before runs its own form again"
    assert database.transaction(lambda s: BY_IDS.first(s, ids=["a:9"])) is None


def test_parameters_are_converted_by_their_types(database):
    members, champions = table_of(MemberRecord), table_of(ChampionRecord)

    def seed(session):
        connection = session.connection()
        connection.execute(
            members.insert(), {"id": 1, "teams_user_id": "29:a", "first_seen_at": NOW, "last_seen_at": NOW}
        )
        connection.execute(
            champions.insert(),
            {
                "member_id": 1,
                "status": "paused",
                "languages": [],
                "paused_until": date(2026, 12, 1),
                "created_at": NOW,
                "updated_at": NOW,
            },
        )

    database.transaction(seed)
    back_by = Prepared(select(champions.c.member_id).where(champions.c.paused_until <= bindparam("today")))
    seen_since = Prepared(select(members.c.teams_user_id).where(members.c.last_seen_at >= bindparam("since")))

    assert database.transaction(lambda s: back_by.scalar(s, today=date(2026, 12, 1))) == 1
    assert database.transaction(lambda s: back_by.scalar(s, today=date(2026, 11, 30))) is None
    assert database.transaction(lambda s: seen_since.scalar(s, since=NOW)) == "29:a"
    with pytest.raises(ValueError, match="naive"):
        database.transaction(lambda s: seen_since.scalar(s, since=datetime(2026, 11, 23)))


def test_a_few_rows_are_inserted_once_and_a_write_takes_the_writers_turn(database):
    members = table_of(MemberRecord)
    rows = [
        {"teams_user_id": f"29:{name}", "display_name": name, "first_seen_at": NOW, "last_seen_at": NOW}
        for name in ("ann", "bo")
    ]
    writer = OneWriter.of(database.engine)
    held: list[bool] = []

    def insert(session):
        inserted = insert_all_absent(session, members, rows, keys=("teams_user_id",))
        held.append(writer.writing if writer is not None else True)
        return inserted

    assert database.transaction(insert) == {"29:ann", "29:bo"}
    assert held == [True], "SQLite: the insert holds the writer lock until its commit"
    assert database.transaction(insert) == set(), "already there: nothing inserted twice"
    assert writer is None or not writer.writing, "the lock is given back at commit"


def test_a_statement_may_let_its_transaction_commit_without_waiting_for_the_disk(database):
    from sqlalchemy import text

    from storage.sql import without_waiting_for_disk

    if database.backend != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's commits in WAL mode never wait for the disk")
    relaxed = without_waiting_for_disk()
    count = Prepared(select(CONVERSATIONS.c.id).select_from(relaxed).where(CONVERSATIONS.c.id == bindparam("id")))

    def show(session):
        return session.execute(text("SHOW synchronous_commit")).scalar()

    def relaxing(session):
        count.rows(session, id="a:1")
        return show(session)

    assert database.transaction(relaxing) == "off", "for the rest of that transaction"
    assert database.transaction(show) == "on", "and only that one"
    assert database.autocommit(relaxing) == "on", "a statement alone is its own transaction"
    assert database.transaction(show) == "on"
