"""Program configuration, leads added in chat, coverage targets and figures, nominations."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from domain.champions import ProgramSettings, UnitKind
from domain.coverage import Target, TargetMode, TargetSetting, UnitFigures
from domain.roles import ChampionStatus
from storage.models import (
    ChampionRecord,
    CoverageTargetRecord,
    EmployeeRecord,
    MemberRecord,
    NominationReasonRecord,
    NominationRecord,
    ProgramLeadRecord,
    ProgramSettingRecord,
    UnmatchedRequestRecord,
)
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


class Leads:
    """Leads added in chat, by email/UPN or Entra object id (lower case)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def any_listed(self, keys: Iterable[str]) -> bool:
        keys = [key.lower() for key in keys]
        if not keys:
            return False
        return (
            self._session.execute(
                select(col(ProgramLeadRecord.key)).where(col(ProgramLeadRecord.key).in_(keys)).limit(1)
            ).first()
            is not None
        )

    def add(self, key: str, by: str, at: datetime) -> bool:
        return insert_if_absent(
            self._session,
            table_of(ProgramLeadRecord),
            {"key": key.lower(), "added_by": by, "added_at": at},
            keys=("key",),
        )

    def remove(self, key: str) -> bool:
        result = self._session.execute(delete(ProgramLeadRecord).where(col(ProgramLeadRecord.key) == key.lower()))
        return affected_rows(result) > 0

    def all(self) -> list[str]:
        return list(
            self._session.execute(select(col(ProgramLeadRecord.key)).order_by(col(ProgramLeadRecord.key))).scalars()
        )

    def reachable_members(self, bootstrap: Iterable[str]) -> list[MemberRecord]:
        """Members who are leads (bootstrap or added), for notifications."""
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


class Coverage:
    def __init__(self, session: Session) -> None:
        self._session = session

    def set_target(self, setting: TargetSetting, by: str, at: datetime) -> None:
        values = {
            "unit_kind": setting.kind.value,
            "unit_name": setting.unit_name,
            "mode": setting.target.mode.value,
            "value": setting.target.value,
            "set_by": by,
            "updated_at": at,
        }
        upsert(
            self._session,
            table_of(CoverageTargetRecord),
            values,
            keys=("unit_kind", "unit_name"),
            update={key: values[key] for key in ("mode", "value", "set_by", "updated_at")},
        )

    def targets(self) -> list[TargetSetting]:
        rows = self._session.execute(select(CoverageTargetRecord)).scalars()
        return [
            TargetSetting(UnitKind(row.unit_kind), row.unit_name, Target(TargetMode(row.mode), row.value))
            for row in rows
        ]

    def record_unmatched(
        self, asker_member_id: int, department: str, office: str, team: str, focus_area: str | None, at: datetime
    ) -> None:
        self._session.add(
            UnmatchedRequestRecord(
                asker_member_id=asker_member_id,
                department=department or None,
                office=office or None,
                team=team or None,
                focus_area=focus_area,
                asked_at=at,
            )
        )

    def figures(self) -> dict[tuple[UnitKind, str], UnitFigures]:
        """Headcount (active employees), active champions and unmatched requests per unit."""
        counts: dict[tuple[UnitKind, str], dict[str, int]] = defaultdict(
            lambda: {"headcount": 0, "champions": 0, "unmatched_requests": 0}
        )
        columns = {
            UnitKind.OFFICE: (EmployeeRecord.office, ChampionRecord.office, UnmatchedRequestRecord.office),
            UnitKind.DEPARTMENT: (
                EmployeeRecord.department,
                ChampionRecord.department,
                UnmatchedRequestRecord.department,
            ),
            UnitKind.TEAM: (EmployeeRecord.team, ChampionRecord.team, UnmatchedRequestRecord.team),
        }
        for kind, (employee_column, champion_column, request_column) in columns.items():
            for name, count in self._session.execute(
                select(col(employee_column), func.count())
                .where(col(EmployeeRecord.active).is_(True))
                .group_by(col(employee_column))
            ).all():
                if name:
                    counts[(kind, name)]["headcount"] = count
            for name, count in self._session.execute(
                select(col(champion_column), func.count())
                .where(col(ChampionRecord.status) == ChampionStatus.ACTIVE.value)
                .group_by(col(champion_column))
            ).all():
                if name:
                    counts[(kind, name)]["champions"] = count
            for name, count in self._session.execute(
                select(col(request_column), func.count()).group_by(col(request_column))
            ).all():
                if name:
                    counts[(kind, name)]["unmatched_requests"] = count
        return {unit: UnitFigures(**values) for unit, values in counts.items()}


@dataclass(frozen=True, slots=True)
class NominationView:
    id: int
    nominee_name: str
    nominee_email: str | None
    nominee_teams_user_id: str | None
    status: str
    reasons: tuple[tuple[str, str], ...]  # (nominator's name, reason)
    decided_by: str | None


class NominationStatus:
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Nominations:
    def __init__(self, session: Session) -> None:
        self._session = session

    def nominate(
        self,
        *,
        nominee_key: str,
        nominee_name: str,
        nominee_email: str | None,
        nominee_teams_user_id: str | None,
        nominator_member_id: int,
        reason: str,
        at: datetime,
    ) -> tuple[int, bool]:
        """(the nomination id, whether it is new); a second nomination adds its reason to the open one."""
        table = table_of(NominationRecord)
        created = insert_if_absent(
            self._session,
            table,
            {
                "nominee_key": nominee_key,
                "nominee_name": nominee_name,
                "nominee_email": nominee_email,
                "nominee_teams_user_id": nominee_teams_user_id,
                "status": NominationStatus.PENDING,
                "created_at": at,
            },
            keys=("nominee_key",),
            where=col(NominationRecord.status) == NominationStatus.PENDING,
        )
        nomination_id = self._session.execute(
            select(col(NominationRecord.id))
            .where(col(NominationRecord.nominee_key) == nominee_key)
            .where(col(NominationRecord.status) == NominationStatus.PENDING)
        ).scalar_one()
        reasons = table_of(NominationReasonRecord)
        added = insert_if_absent(
            self._session,
            reasons,
            {
                "nomination_id": nomination_id,
                "nominator_member_id": nominator_member_id,
                "reason": reason,
                "created_at": at,
            },
            keys=("nomination_id", "nominator_member_id"),
        )
        if not added:  # the same person nominating again: their newer reason wins
            self._session.execute(
                update(NominationReasonRecord)
                .where(col(NominationReasonRecord.nomination_id) == nomination_id)
                .where(col(NominationReasonRecord.nominator_member_id) == nominator_member_id)
                .values(reason=reason, created_at=at)
            )
        return int(nomination_id), created

    def get(self, nomination_id: int) -> NominationView | None:
        record = self._session.get(NominationRecord, nomination_id)
        if record is None:
            return None
        reasons = self._session.execute(
            select(col(MemberRecord.display_name), col(NominationReasonRecord.reason))
            .join(MemberRecord, col(MemberRecord.id) == col(NominationReasonRecord.nominator_member_id))
            .where(col(NominationReasonRecord.nomination_id) == nomination_id)
            .order_by(col(NominationReasonRecord.created_at), col(NominationReasonRecord.id))
        ).all()
        return NominationView(
            id=nomination_id,
            nominee_name=record.nominee_name,
            nominee_email=record.nominee_email,
            nominee_teams_user_id=record.nominee_teams_user_id,
            status=record.status,
            reasons=tuple((name, reason) for name, reason in reasons),
            decided_by=record.decided_by,
        )

    def nominators(self, nomination_id: int) -> list[MemberRecord]:
        return list(
            self._session.execute(
                select(MemberRecord)
                .join(NominationReasonRecord, col(MemberRecord.id) == col(NominationReasonRecord.nominator_member_id))
                .where(col(NominationReasonRecord.nomination_id) == nomination_id)
            ).scalars()
        )

    def decide(self, nomination_id: int, approve: bool, by: str, reason: str | None, at: datetime) -> bool:
        result = self._session.execute(
            update(NominationRecord)
            .where(col(NominationRecord.id) == nomination_id)
            .where(col(NominationRecord.status) == NominationStatus.PENDING)
            .values(
                status=NominationStatus.APPROVED if approve else NominationStatus.DECLINED,
                decided_by=by,
                decided_at=at,
                decision_reason=reason,
            )
        )
        return affected_rows(result) > 0

    def pending(self, limit: int = 20) -> list[NominationView]:
        ids = self._session.execute(
            select(col(NominationRecord.id))
            .where(col(NominationRecord.status) == NominationStatus.PENDING)
            .order_by(col(NominationRecord.created_at))
            .limit(limit)
        ).scalars()
        return [view for view in (self.get(nomination_id) for nomination_id in list(ids)) if view is not None]
