"""The points ledger credits any person and keeps department standings (ready for contests)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from domain.identity import UserIdentity
from features.recognition.domain import PointsReason
from features.recognition.storage import PointsLedger
from storage.database import Database
from storage.migrations import upgrade
from storage.repositories import Members
from tests.support.clock import FrozenClock
from tests.support.program import Person, import_directory, seed_champion

RITA = Person("rita@contoso.example", "Rita Romano", "Sales", "Milan", "Team A")
PAOLO = Person("paolo@contoso.example", "Paolo Bianchi", "Sales", "Rome", "Team B")
SOMCHAI = Person("somchai@contoso.example", "Somchai Dee", "Finance", "Bangkok", "Team C")


@pytest.fixture
def ledger_db(database_url: str):
    upgrade(database_url)
    database = Database(database_url)
    yield database
    database.close()


def seen(db: Database, clock: FrozenClock, teams_user_id: str, person: Person) -> None:
    now = clock.now()

    def work(session) -> None:
        members = Members(session)
        members.record_seen(UserIdentity(teams_user_id, person.name), now)
        members.save_profile(teams_user_id, person.email, person.email, now)

    db.transaction(work)


def test_an_employee_who_is_not_a_champion_earns_points_for_their_department(ledger_db):
    db, clock = ledger_db, FrozenClock()
    import_directory(db, [RITA, PAOLO, SOMCHAI], clock)
    seed_champion(db, clock, "rita-id", RITA)
    seen(db, clock, "paolo-id", PAOLO)
    seen(db, clock, "somchai-id", SOMCHAI)
    now = clock.now()

    def play(session) -> dict:
        ledger = PointsLedger(session)
        rita, paolo, somchai = (ledger.credit_for(uid) for uid in ("rita-id", "paolo-id", "somchai-id"))
        assert rita.champion_id is not None and paolo.champion_id is None and somchai.champion_id is None
        assert (paolo.department, somchai.department) == ("Sales", "Finance")
        ledger.add(rita, 10, PointsReason.AWARD, now, by="lead")
        ledger.add(paolo, 30, PointsReason.AWARD, now, by="lead", source_key="contest:1:paolo")
        assert ledger.add(paolo, 30, PointsReason.AWARD, now, by="lead", source_key="contest:1:paolo") is None
        ledger.add(somchai, 5, PointsReason.AWARD, now - timedelta(days=40), by="lead")
        return {
            "all": ledger.department_totals(None),
            "month": ledger.department_totals(now - timedelta(days=30)),
            "paolo": ledger.member_total(paolo.member_id),
        }

    figures = db.transaction(play)
    assert figures["all"] == {"Sales": 40, "Finance": 5}
    assert figures["month"] == {"Sales": 40}, "a period counts what was earned in it"
    assert figures["paolo"] == 30, "a replayed action earns nothing twice"


def test_a_move_to_another_department_does_not_carry_past_points(ledger_db):
    db, clock = ledger_db, FrozenClock()
    import_directory(db, [PAOLO], clock)
    seen(db, clock, "paolo-id", PAOLO)
    db.transaction(
        lambda s: PointsLedger(s).add(
            PointsLedger(s).credit_for("paolo-id"), 30, PointsReason.AWARD, clock.now(), by="x"
        )
    )
    import_directory(db, [Person(PAOLO.email, PAOLO.name, "Finance", "Rome", "Team B")], clock)
    db.transaction(
        lambda s: PointsLedger(s).add(
            PointsLedger(s).credit_for("paolo-id"), 5, PointsReason.AWARD, clock.now(), by="x"
        )
    )
    assert db.transaction(lambda s: PointsLedger(s).department_totals(None)) == {"Sales": 30, "Finance": 5}


def test_someone_the_bot_has_never_seen_cannot_be_credited(ledger_db):
    assert ledger_db.transaction(lambda s: PointsLedger(s).credit_for("nobody")) is None


def test_the_migration_credits_existing_entries_to_their_champion(empty_database_url):
    upgrade(empty_database_url, "0006")
    database = Database(empty_database_url)
    try:
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO member (id, teams_user_id, display_name, first_seen_at, last_seen_at) "
                    "VALUES (7, 'rita-id', 'Rita', '2026-11-01 09:00:00+00:00', '2026-11-01 09:00:00+00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO champion (id, member_id, status, department, office, team, languages, listed, "
                    "people_pointed, created_at, updated_at) VALUES (3, 7, 'active', 'Sales', 'Milan', '', '[]', "
                    "true, 0, '2026-11-01 09:00:00+00:00', '2026-11-01 09:00:00+00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO points_entry (champion_id, points, reason, note, by, created_at) "
                    "VALUES (3, 20, 'story', '', 'system', '2026-11-02 09:00:00+00:00')"
                )
            )
        upgrade(empty_database_url)
        with database.engine.connect() as connection:
            row = connection.execute(text("SELECT member_id, champion_id, department FROM points_entry")).one()
        assert tuple(row) == (7, 3, "Sales")
    finally:
        database.close()
