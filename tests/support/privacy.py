"""Looking for what is left of a person: every column that may hold personal data, in every table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from storage.privacy import may_hold_personal_data


@dataclass(frozen=True)
class Traces:
    """What identifies one person: their rows' ids, and the words that name them."""

    member_id: int | None
    champion_id: int | None
    employee_ids: tuple[int, ...]
    conversation_id: str | None
    words: tuple[str, ...]  # name, emails, Teams and Entra ids


def traces_of(session: Session, traces: Traces) -> list[str]:
    """`table.column = value` for every place the person can still be found; [] when none."""
    ids = {"member": traces.member_id, "champion": traces.champion_id, "conversation": traces.conversation_id}
    words = [word.lower() for word in traces.words if word]
    found = []
    for table in SQLModel.metadata.sorted_tables:
        columns = [column for column in table.columns if may_hold_personal_data(table, column.name)]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                target = next(iter(column.foreign_keys)).column.table.name if column.foreign_keys else None
                if (target is not None and value == ids.get(target)) or (
                    target == "employee" and value in traces.employee_ids
                ):
                    found.append(f"{table.name}.{column.name} = {value!r}")
                elif any(word in str(value).lower() for word in words):
                    found.append(f"{table.name}.{column.name} = {str(value)[:80]!r}")
        if table.name == "employee" and traces.employee_ids:
            for (employee_id,) in session.execute(select(table.c.id).where(table.c.id.in_(traces.employee_ids))):
                found.append(f"employee.id = {employee_id}")
    return found
