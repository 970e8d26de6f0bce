"""The audit trail is append-only and hash-chained: any edit or removal is detected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from storage.audit import AuditTrail, hash_of, seal_of

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def seed(database) -> None:
    def work(session):
        trail = AuditTrail(session)
        trail.record("Lena Lead", "champion.approve", "Rita Romano", NOW)
        trail.record("Lena Lead", "points.award", "Rita Romano", NOW, after={"points": 40, "reason": "demo day"})
        trail.record(
            "Omar Ops", "settings.checkins", "cadence", NOW + timedelta(minutes=1), before={"a": 1}, after={"a": 2}
        )

    database.transaction(work)


def test_an_untouched_trail_verifies_and_lists_the_latest_first(database):
    seed(database)
    database.transaction(lambda s: AuditTrail(s).record("Lena Lead", "lead.add", "omar@contoso.example", NOW))

    assert database.transaction(lambda s: AuditTrail(s).verify()) == []
    entries = database.transaction(lambda s: AuditTrail(s).entries(limit=10))
    assert [entry.action for entry in entries] == ["lead.add", "settings.checkins", "points.award", "champion.approve"]
    assert entries[2].details == {"after": {"points": 40, "reason": "demo day"}}
    assert [e.action for e in database.transaction(lambda s: AuditTrail(s).entries(action="points."))] == [
        "points.award"
    ]
    assert [e.actor for e in database.transaction(lambda s: AuditTrail(s).entries(actor="omar"))] == ["Omar Ops"]


def test_an_edited_entry_is_detected(database):
    seed(database)
    database.transaction(
        lambda s: s.execute(text("UPDATE audit_entry SET subject = 'Paolo Verdi' WHERE action = 'points.award'"))
    )
    [problem] = database.transaction(lambda s: AuditTrail(s).verify())
    assert "changed after it was written" in problem


def test_a_removed_entry_is_detected(database):
    seed(database)
    database.transaction(lambda s: s.execute(text("DELETE FROM audit_entry WHERE action = 'points.award'")))
    [problem] = database.transaction(lambda s: AuditTrail(s).verify())
    assert "the entry before it was changed or removed" in problem


def test_a_rewritten_chain_needs_every_later_hash_rewritten(database):
    """Changing an entry and its own hash still breaks the next entry's link."""
    seed(database)

    def forge(session):
        trail = AuditTrail(session)
        rows = trail.all_rows()
        forged = rows[1]
        seal = seal_of(forged.salt, "Paolo Verdi", forged.details)
        forged_hash = hash_of(forged.previous_hash, forged.at, forged.actor, forged.action, seal)
        session.execute(
            text("UPDATE audit_entry SET subject = 'Paolo Verdi', seal = :seal, entry_hash = :hash WHERE id = :id"),
            {"seal": seal, "hash": forged_hash, "id": forged.id},
        )
        return rows[2].id

    next_id = database.transaction(forge)
    problems = database.transaction(lambda s: AuditTrail(s).verify())
    assert problems == [f"entry {next_id}: the entry before it was changed or removed"]


def test_erasing_whom_entries_were_about_keeps_the_chain_and_who_acted(database):
    seed(database)

    redacted = database.transaction(lambda s: AuditTrail(s).redact(["rita romano"]))

    assert redacted == 2
    assert database.transaction(lambda s: AuditTrail(s).verify()) == []
    entries = database.transaction(lambda s: AuditTrail(s).entries(limit=10))
    assert [(e.actor, e.action, e.subject, e.details) for e in entries] == [
        ("Omar Ops", "settings.checkins", "cadence", {"before": {"a": 1}, "after": {"a": 2}}),
        ("Lena Lead", "points.award", "", {}),
        ("Lena Lead", "champion.approve", "", {}),
    ]
    rows = database.transaction(lambda s: [(r.salt, r.subject) for r in AuditTrail(s).all_rows()])
    assert [salt for salt, _ in rows[:2]] == [None, None], "nothing left to match a guessed name against"


def test_an_erased_entry_cannot_be_filled_in_again(database):
    """Writing a name back into an erased entry (or inventing details for it) is detected."""
    seed(database)
    database.transaction(lambda s: AuditTrail(s).redact(["Rita Romano"], action_prefix="points."))

    database.transaction(
        lambda s: s.execute(text("UPDATE audit_entry SET subject = 'Paolo Verdi' WHERE action = 'points.award'"))
    )

    [problem] = database.transaction(lambda s: AuditTrail(s).verify())
    assert "changed after it was written" in problem
    approvals = database.transaction(lambda s: AuditTrail(s).entries(action="champion."))
    assert approvals[0].subject == "Rita Romano", "the prefix limits what is erased"
