"""The employee table: applying an import in the caller's transaction, in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session, col

from domain.directory import Employee, ImportSummary
from storage.models import EmployeeRecord
from storage.sql import table_of

FIELDS = tuple(Employee.__dataclass_fields__)


class EmployeeDirectory:
    def __init__(self, session: Session) -> None:
        self._session = session

    def apply_import(
        self, employees: Sequence[Employee], now: datetime, *, untouched: Iterable[str] = ()
    ) -> ImportSummary:
        """Create new people, update changed ones, reactivate returning ones, deactivate the missing.

        `untouched` are the emails of people whose rows were refused: they are left as they were.
        """
        table = table_of(EmployeeRecord)
        connection = self._session.connection()
        existing = {
            row.email: row
            for row in connection.execute(select(table.c.id, table.c.active, *(table.c[name] for name in FIELDS)))
        }
        new_rows: list[dict[str, Any]] = []
        changed_rows: list[dict[str, Any]] = []
        reactivated = 0
        for email in untouched:
            existing.pop(email.lower(), None)
        for employee in employees:
            values = asdict(employee)
            current = existing.pop(employee.email, None)
            if current is None:
                new_rows.append({**values, "active": True, "imported_at": now, "updated_at": now})
                continue
            differs = any(getattr(current, name) != values[name] for name in FIELDS)
            if differs or not current.active:
                reactivated += 0 if current.active else 1
                changed_rows.append({**values, "row_id": current.id})
        if new_rows:
            connection.execute(insert(table), new_rows)
        if changed_rows:
            statement = (
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values({name: bindparam(name) for name in FIELDS} | {"active": True, "updated_at": now})
            )
            connection.execute(statement, changed_rows)
        missing = [row.id for row in existing.values() if row.active]
        if missing:
            connection.execute(
                update(table).where(table.c.id == bindparam("row_id")).values(active=False, updated_at=now),
                [{"row_id": row_id} for row_id in missing],
            )
        return ImportSummary(
            created=len(new_rows),
            updated=len(changed_rows) - reactivated,
            reactivated=reactivated,
            deactivated=len(missing),
        )

    def emails(self) -> list[str]:
        table = table_of(EmployeeRecord)
        return list(self._session.connection().execute(select(table.c.email)).scalars())

    def get(self, email: str) -> EmployeeRecord | None:
        return self._session.execute(
            select(EmployeeRecord).where(col(EmployeeRecord.email) == email.lower())
        ).scalar_one_or_none()
