"""Program configuration and the leads added in chat."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, case, delete, func, select
from sqlmodel import Session, col

from domain.people import ProgramSettings
from domain.roles import LISTED_ROLES, Role
from storage.models import MemberRecord, ProgramRoleRecord, ProgramSettingRecord
from storage.prepared import Prepared
from storage.sql import affected_rows, insert_if_absent, table_of, upsert

SETTING_NAMES = tuple(field.name for field in dataclasses.fields(ProgramSettings))


class SettingsStore:
    """Named JSON settings beside the enrolment ones (check-in cadence, recognition, ...)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def read(self, name: str) -> Any:
        row = self._session.get(ProgramSettingRecord, name)
        return row.value if row is not None else None

    def write(self, name: str, value: Any, by: str, at: datetime) -> None:
        values = {"name": name, "value": value, "updated_by": by, "updated_at": at}
        upsert(self._session, table_of(ProgramSettingRecord), values, keys=("name",), update=values)


class ProgramConfig:
    def __init__(self, session: Session) -> None:
        self._session = session

    def load(self) -> ProgramSettings:
        stored = dict(
            self._session.execute(
                select(col(ProgramSettingRecord.name), col(ProgramSettingRecord.value)).where(
                    col(ProgramSettingRecord.name).in_(SETTING_NAMES)
                )
            ).all()
        )
        if "focus_areas" in stored:
            stored["focus_areas"] = tuple(stored["focus_areas"])
        return dataclasses.replace(ProgramSettings(), **stored)

    def save(self, changes: dict[str, Any], by: str, at: datetime) -> None:
        for name, value in changes.items():
            if name not in SETTING_NAMES:
                raise KeyError(name)
            stored = list(value) if isinstance(value, tuple) else value
            upsert(
                self._session,
                table_of(ProgramSettingRecord),
                {"name": name, "value": stored, "updated_by": by, "updated_at": at},
                keys=("name",),
                update={"value": stored, "updated_by": by, "updated_at": at},
            )


def highest_listed_role(keys: Any) -> Select[Any]:
    """The highest role given in chat under any of `keys` (what an IN takes); LISTED_ROLES is
    highest first."""
    role = col(ProgramRoleRecord.role)
    rank = case({listed.value: number for number, listed in enumerate(LISTED_ROLES)}, value=role)
    return select(role).where(col(ProgramRoleRecord.key).in_(keys), rank.is_not(None)).order_by(rank).limit(1)


# Built once: every turn asks whether the sender was given a role in chat.
_LISTED_ROLE = Prepared(highest_listed_role(bindparam("keys", expanding=True)))


def listed_role(session: Session, keys: Iterable[str]) -> Role | None:
    """The highest role given in chat to someone listed under one of these keys."""
    wanted = [key.lower() for key in keys]
    if not wanted:
        return None
    found = _LISTED_ROLE.scalar(session, keys=wanted)
    return Role(found) if found is not None else None


class Appointments:
    """People given one role in chat, by email/UPN or Entra object id (lower case)."""

    role: Role

    def __init__(self, session: Session) -> None:
        self._session = session

    def listed_role(self, keys: Iterable[str]) -> Role | None:
        return listed_role(self._session, keys)

    def add(self, key: str, by: str, at: datetime) -> bool:
        """False when that key already holds a role given in chat (this one or another)."""
        return insert_if_absent(
            self._session,
            table_of(ProgramRoleRecord),
            {"key": key.lower(), "role": self.role.value, "added_by": by, "added_at": at},
            keys=("key",),
        )

    def remove(self, key: str) -> bool:
        result = self._session.execute(
            delete(ProgramRoleRecord).where(
                col(ProgramRoleRecord.key) == key.lower(), col(ProgramRoleRecord.role) == self.role.value
            )
        )
        return affected_rows(result) > 0

    def all(self) -> list[str]:
        return list(
            self._session.execute(
                select(col(ProgramRoleRecord.key))
                .where(col(ProgramRoleRecord.role) == self.role.value)
                .order_by(col(ProgramRoleRecord.key))
            ).scalars()
        )

    def reachable_members(self, bootstrap: Iterable[str]) -> list[MemberRecord]:
        """Members who hold this role (from the settings or given in chat), for notifications."""
        keys = {key.lower() for key in bootstrap} | set(self.all())
        if not keys:
            return []
        return list(
            self._session.execute(
                select(MemberRecord).where(
                    func.lower(col(MemberRecord.email)).in_(keys)
                    | func.lower(col(MemberRecord.user_principal_name)).in_(keys)
                    | func.lower(col(MemberRecord.aad_object_id)).in_(keys)
                )
            ).scalars()
        )


class Leads(Appointments):
    """Leads added in chat."""

    role = Role.PROGRAM_LEAD


class Sponsors(Appointments):
    """Sponsors named in chat by leads."""

    role = Role.SPONSOR
