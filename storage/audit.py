"""The audit trail of what leads (and operators) did: append-only and hash-chained.

Each entry's hash covers its own fields and the hash of the entry before it, so editing or
removing any entry breaks every hash after it, and `verify` names the first break.

Whom an entry is about (its subject and details) enters the hash only through a seal: the
SHA-256 of a random salt, the subject and the details. Erasing a person (`redact`) blanks
those and drops the salt; the seal stays, so the chain still verifies, the entry still says
who acted, what they did and when, and nothing left can be matched against a name. Entries
are chained in the order their transactions committed: on PostgreSQL a transaction-scoped
advisory lock orders writers; on SQLite the entry is inserted first, which takes the
database's single write lock, and only then chained to the entry before it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlmodel import Session, col

from domain.reports import Report
from storage.models import AuditEntryRecord
from storage.plain import plain
from storage.sql import affected_rows

GENESIS = "0" * 64
# Any constant: the advisory lock that orders the trail's writers on PostgreSQL.
_CHAIN_LOCK = 7_331_001


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    details: Mapping[str, Any]


def _digest(parts: list[Any]) -> str:
    canonical = json.dumps(plain(parts), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def seal_of(salt: str, subject: str, details: Any) -> str:
    return _digest([salt, subject, details])


def hash_of(previous_hash: str, at: datetime, actor: str, action: str, seal: str) -> str:
    return _digest([previous_hash, at.isoformat(), actor, action, seal])


class AuditTrail:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record(
        self,
        actor: str,
        action: str,
        subject: str,
        at: datetime,
        *,
        before: Any = None,
        after: Any = None,
    ) -> None:
        """Append an entry in the caller's transaction (with the action it records)."""
        session = self._session
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
        details = plain({key: value for key, value in (("before", before), ("after", after)) if value is not None})
        salt = secrets.token_hex(16)
        entry = AuditEntryRecord(
            at=at,
            actor=actor[:256],
            action=action[:64],
            subject=subject[:512],
            details=details,
            salt=salt,
            seal=seal_of(salt, subject[:512], details),
            previous_hash=GENESIS,
            entry_hash=uuid.uuid4().hex,  # until chained, below
        )
        session.add(entry)
        session.flush()  # the insert: on SQLite it holds the write lock from here on
        previous = session.execute(
            select(col(AuditEntryRecord.entry_hash))
            .where(col(AuditEntryRecord.id) < entry.id)
            .order_by(col(AuditEntryRecord.id).desc())
            .limit(1)
        ).scalar()
        previous_hash = previous or GENESIS
        session.execute(
            update(AuditEntryRecord)
            .where(col(AuditEntryRecord.id) == entry.id)
            .values(
                previous_hash=previous_hash,
                entry_hash=hash_of(previous_hash, at, entry.actor, entry.action, entry.seal),
            )
        )
        session.expire(entry)

    def redact(self, subjects: Collection[str], *, action_prefix: str = "") -> int:
        """Blank whom the entries about any of `subjects` (compared without case) were about;
        returns how many. Who acted, what they did and when stay, and so does the chain."""
        wanted = {subject.strip().lower() for subject in subjects if subject.strip()}
        if not wanted:
            return 0
        statement = (
            update(AuditEntryRecord)
            .where(func.lower(col(AuditEntryRecord.subject)).in_(wanted))
            .where(col(AuditEntryRecord.action).startswith(action_prefix))
            .values(subject="", details={}, salt=None)
        )
        return affected_rows(self._session.execute(statement))

    def entries(self, *, limit: int = 20, action: str | None = None, actor: str | None = None) -> list[AuditEntry]:
        """The latest entries first; `action` matches its start ("points." for awards and
        revocations), `actor` any part of the name."""
        statement = select(AuditEntryRecord).order_by(col(AuditEntryRecord.id).desc()).limit(limit)
        if action:
            statement = statement.where(col(AuditEntryRecord.action).startswith(action))
        if actor:
            statement = statement.where(col(AuditEntryRecord.actor).icontains(actor))
        return [
            AuditEntry(row.id or 0, row.at, row.actor, row.action, row.subject, row.details)
            for row in self._session.execute(statement).scalars()
        ]

    def all_rows(self) -> list[AuditEntryRecord]:
        return list(self._session.execute(select(AuditEntryRecord).order_by(col(AuditEntryRecord.id))).scalars())

    def verify(self, rows: Sequence[AuditEntryRecord] | None = None) -> list[str]:
        """Where the chain of `rows` (the whole trail by default) is broken: an entry changed,
        removed or inserted out of turn; [] when intact."""
        problems = []
        previous_hash = GENESIS
        for row in self.all_rows() if rows is None else rows:
            if row.previous_hash != previous_hash:
                problems.append(f"entry {row.id}: the entry before it was changed or removed")
            if row.salt is None:  # erased at someone's request: only blanks may be left
                sealed = row.subject == "" and not row.details
            else:
                sealed = row.seal == seal_of(row.salt, row.subject, row.details)
            if not sealed or row.entry_hash != hash_of(row.previous_hash, row.at, row.actor, row.action, row.seal):
                problems.append(f"entry {row.id}: its contents were changed after it was written")
            previous_hash = row.entry_hash
        return problems


AUDIT_HEADER = ["id", "at", "actor", "action", "subject", "details", "salt", "seal", "previous_hash", "entry_hash"]


def audit_rows(session: Session) -> Report:
    """The whole trail for `python app.py export audit`, oldest first, with its hashes (so that
    anyone can check the chain from the file)."""
    rows: list[list[object]] = [
        [
            row.id,
            row.at.isoformat(),
            row.actor,
            row.action,
            row.subject,
            json.dumps(row.details, ensure_ascii=False, sort_keys=True),
            row.salt or "",
            row.seal,
            row.previous_hash,
            row.entry_hash,
        ]
        for row in AuditTrail(session).all_rows()
    ]
    return AUDIT_HEADER, rows
