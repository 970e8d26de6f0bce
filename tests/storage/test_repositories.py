from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from domain.identity import UserIdentity
from domain.ports import ConversationKind
from domain.roles import ChampionStatus
from storage.champions import Champions
from storage.repositories import ActivityLedger, Conversations, ConversationSnapshot, Members

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def snapshot(conversation_id="a:1", service_url="https://smba.example/emea/", kind=ConversationKind.PERSONAL):
    return ConversationSnapshot(
        id=conversation_id,
        kind=kind,
        channel_id="msteams",
        service_url=service_url,
        tenant_id="t1",
        reference={"serviceUrl": service_url, "conversation": {"id": conversation_id}},
    )


def test_first_delivery_is_recorded_once_and_pruned_later(database):
    def deliver(session):
        return ActivityLedger(session).first_delivery("a:1", "act-1", NOW)

    assert database.transaction(deliver) is True
    assert database.transaction(deliver) is False
    assert database.transaction(lambda s: ActivityLedger(s).prune(NOW - timedelta(hours=1))) == 0
    assert database.transaction(lambda s: ActivityLedger(s).prune(NOW + timedelta(seconds=1))) == 1
    assert database.transaction(deliver) is True


def test_conversation_reference_keeps_created_and_updates_the_rest(database):
    database.transaction(lambda s: Conversations(s).save(snapshot(), NOW))
    later = NOW + timedelta(days=1)
    database.transaction(lambda s: Conversations(s).save(snapshot(service_url="https://smba.example/amer/"), later))

    stored = database.transaction(lambda s: Conversations(s).get("a:1"))
    assert stored.service_url == "https://smba.example/amer/"
    assert stored.reference["serviceUrl"] == "https://smba.example/amer/"
    assert (stored.created_at, stored.updated_at) == (NOW, later)
    assert stored.created_at.tzinfo is not None


def test_introduction_is_claimed_once(database):
    database.transaction(lambda s: Conversations(s).save(snapshot(), NOW))
    claims = [database.transaction(lambda s: Conversations(s).claim_introduction("a:1", NOW)) for _ in range(3)]
    assert claims == [True, False, False]


def test_installed_counts(database):
    database.transaction(lambda s: Conversations(s).save(snapshot("a:1"), NOW))
    database.transaction(lambda s: Conversations(s).save(snapshot("19:c", kind=ConversationKind.CHANNEL), NOW))
    database.transaction(lambda s: Conversations(s).save(snapshot("a:2"), NOW))
    database.transaction(lambda s: Conversations(s).set_installed("a:2", False, NOW))
    counts = database.transaction(lambda s: Conversations(s).count_installed())
    assert counts == {ConversationKind.PERSONAL: 1, ConversationKind.CHANNEL: 1}


def test_member_keeps_the_profile_and_what_an_activity_did_not_carry(database):
    first = UserIdentity("29:b", "Bob Smith", "aad-b", "t1", "en-US", "Europe/Rome")
    assert database.transaction(lambda s: Members(s).record_seen(first, NOW)).profile_known is False
    database.transaction(lambda s: Members(s).save_profile("29:b", "bob@contoso.example", "bob@contoso.example", NOW))

    sparse = UserIdentity("29:b", "", None, "t1", "it-IT", None)
    seen = database.transaction(lambda s: Members(s).record_seen(sparse, NOW + timedelta(hours=1))).identity

    assert seen.display_name == "Bob Smith"
    assert seen.aad_object_id == "aad-b"
    assert seen.locale == "it-IT"
    assert seen.timezone == "Europe/Rome"
    assert seen.email == "bob@contoso.example"
    assert database.transaction(lambda s: Members(s).record_seen(sparse, NOW)).profile_known is True
    assert database.transaction(lambda s: Members(s).count_members()) == 1


def test_champion_status(database):
    database.transaction(lambda s: Members(s).record_seen(UserIdentity("29:c"), NOW))
    assert database.transaction(lambda s: Champions(s).status_of("29:c")) is None
    database.transaction(lambda s: Champions(s).set_status("29:c", ChampionStatus.PENDING, NOW))
    database.transaction(lambda s: Champions(s).set_status("29:c", ChampionStatus.ACTIVE, NOW))
    assert database.transaction(lambda s: Champions(s).status_of("29:c")) is ChampionStatus.ACTIVE
    assert database.transaction(lambda s: Champions(s).count_by_status()) == {ChampionStatus.ACTIVE: 1}
    with pytest.raises(LookupError):
        database.transaction(lambda s: Champions(s).set_status("29:nobody", ChampionStatus.ACTIVE, NOW))


def test_a_failed_unit_of_work_rolls_back(database):
    def fail(session):
        Members(session).record_seen(UserIdentity("29:z"), NOW)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        database.transaction(fail)
    assert database.transaction(lambda s: Members(s).count_members()) == 0


def test_naive_datetimes_are_refused(database):
    with pytest.raises(Exception, match="naive"):
        database.transaction(lambda s: ActivityLedger(s).first_delivery("a", "b", datetime(2026, 1, 1)))


def test_sqlite_runs_in_wal_mode(database):
    if database.backend != "sqlite":
        pytest.skip("SQLite only")
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_turn_that_changes_nothing_writes_nothing_but_a_change_is_kept_at_once(database):
    """Most activities repeat what is stored: no write (no write lock), except to refresh the
    'last seen' times every TOUCH_INTERVAL; a new serviceUrl or locale is written right away."""
    from storage.repositories import TOUCH_INTERVAL

    bob = UserIdentity("29:b", "Bob Smith", "aad-b", "t1", "en-US", "Europe/Rome")
    database.transaction(lambda s: (Conversations(s).save(snapshot(), NOW), Members(s).record_seen(bob, NOW)))

    def writes_of(work) -> int:
        statements: list[str] = []

        def count(_connection, _cursor, statement, *_args) -> None:
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
                statements.append(statement)

        from sqlalchemy import event

        event.listen(database.engine, "before_cursor_execute", count)
        try:
            database.transaction(work)
        finally:
            event.remove(database.engine, "before_cursor_execute", count)
        return len(statements)

    soon = NOW + timedelta(minutes=1)
    assert writes_of(lambda s: (Conversations(s).save(snapshot(), soon), Members(s).record_seen(bob, soon))) == 0
    moved = snapshot(service_url="https://smba.example/amer/")
    assert writes_of(lambda s: Conversations(s).save(moved, soon)) == 1
    assert database.transaction(lambda s: Conversations(s).get("a:1")).service_url == "https://smba.example/amer/"
    italian = UserIdentity("29:b", "Bob Smith", "aad-b", "t1", "it-IT", "Europe/Rome")
    assert writes_of(lambda s: Members(s).record_seen(italian, soon)) == 1
    assert database.transaction(lambda s: Members(s).record_seen(italian, soon)).identity.locale == "it-IT"
    later = soon + TOUCH_INTERVAL + timedelta(seconds=1)
    assert writes_of(lambda s: Members(s).record_seen(italian, later)) == 1, "last seen refreshed now and then"
