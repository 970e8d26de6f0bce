"""Champions as every feature sees them: who holds the role (and so their `Role`), and their profile.

Enrolment decides who becomes a champion and writes these rows; check-ins, recognition and
later features read them here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlmodel import Session, col

from domain.people import ChampionProfile, Unit
from domain.roles import SERVING, ChampionStatus
from storage.models import ChampionFocusRecord, ChampionRecord, MemberRecord
from storage.prepared import Prepared
from storage.repositories import Members
from storage.sql import table_of, upsert


def serving(departments: Sequence[str] = (), offices: Sequence[str] = ()) -> list[ColumnElement[bool]]:
    """Conditions on `champion` rows: active or paused, in one of these departments or offices
    (named in any case) when any are given."""
    conditions: list[ColumnElement[bool]] = [col(ChampionRecord.status).in_([status.value for status in SERVING])]
    if departments:
        conditions.append(func.lower(col(ChampionRecord.department)).in_([unit.casefold() for unit in departments]))
    if offices:
        conditions.append(func.lower(col(ChampionRecord.office)).in_([unit.casefold() for unit in offices]))
    return conditions


@dataclass(frozen=True, slots=True)
class ChampionView:
    """A champion as their profile card and the lead's approval card show them."""

    id: int
    member_id: int
    teams_user_id: str
    display_name: str
    email: str | None
    status: ChampionStatus
    profile: ChampionProfile
    paused_until: date | None
    decided_by: str | None
    decision_reason: str | None


# Between a champion's focus areas as the database joins them: a control character that no
# focus area holds (the answer is split on whitespace, which includes it).
_FOCUS_SEPARATOR = "\x1f"


def view_columns() -> Select[Any]:
    champion, member = ChampionRecord, MemberRecord
    columns = select(
        col(champion.id),
        col(member.id),
        col(member.teams_user_id),
        col(member.display_name),
        col(member.email),
        col(member.user_principal_name),
        col(champion.status),
        col(champion.department),
        col(champion.office),
        col(champion.team),
        col(champion.languages),
        col(champion.listed),
        col(champion.paused_until),
        col(champion.decided_by),
        col(champion.decision_reason),
        # In the same statement (one round trip to PostgreSQL fewer per search); sorted here.
        select(func.aggregate_strings(col(ChampionFocusRecord.focus_area), _FOCUS_SEPARATOR))
        .where(col(ChampionFocusRecord.champion_id) == col(champion.id))
        .scalar_subquery(),
    )
    return cast(Select[Any], columns.join(member, col(member.id) == col(champion.member_id)))


_STATUS_OF = Prepared(
    select(col(ChampionRecord.status))
    .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
    .where(col(MemberRecord.teams_user_id) == bindparam("user"))
)


class Champions:
    """Who holds the champion role, and their public profile; enrolment changes them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # --- reading ----------------------------------------------------------------------

    def _views(self, *conditions: object) -> list[ChampionView]:
        # Plain columns, not ORM objects: a search reads a unit's champions on every turn.
        return self._built(self._session.execute(view_columns().where(*conditions)).all())  # type: ignore[arg-type]

    def _built(self, rows: Sequence[Any]) -> list[ChampionView]:
        """Views from rows of `view_columns()`."""
        return [
            ChampionView(
                id=champion_id,
                member_id=member_id,
                teams_user_id=teams_user_id,
                display_name=display_name,
                email=email or upn,
                status=ChampionStatus(status),
                profile=ChampionProfile(
                    unit=Unit(department, office, team),
                    focus_areas=tuple(sorted(focus.split(_FOCUS_SEPARATOR))) if focus else (),
                    languages=tuple(languages or ()),
                    listed=listed,
                ),
                paused_until=paused_until,
                decided_by=decided_by,
                decision_reason=decision_reason,
            )
            for (
                champion_id,
                member_id,
                teams_user_id,
                display_name,
                email,
                upn,
                status,
                department,
                office,
                team,
                languages,
                listed,
                paused_until,
                decided_by,
                decision_reason,
                focus,
            ) in rows
        ]

    def of_user(self, teams_user_id: str) -> ChampionView | None:
        found = self._views(col(MemberRecord.teams_user_id) == teams_user_id)
        return found[0] if found else None

    def by_id(self, champion_id: int) -> ChampionView | None:
        found = self._views(col(ChampionRecord.id) == champion_id)
        return found[0] if found else None

    def pending(self) -> list[ChampionView]:
        return self._views(col(ChampionRecord.status) == ChampionStatus.PENDING.value)

    def named(self, text: str, limit: int = 5) -> list[tuple[int, str, str]]:
        """Active or paused champions whose name or email matches: (champion id, name, teams user id)."""
        needle = f"%{' '.join(text.split()).lower()}%"
        rows = self._session.execute(
            select(col(ChampionRecord.id), col(MemberRecord.display_name), col(MemberRecord.teams_user_id))
            .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
            .where(*serving())
            .where(
                (func.lower(col(MemberRecord.display_name)).like(needle))
                | (func.lower(func.coalesce(col(MemberRecord.email), "")) == text.strip().lower())
            )
            .order_by(col(MemberRecord.display_name))
            .limit(limit)
        ).all()
        return [(cid, name, teams_id) for cid, name, teams_id in rows]

    def active_id_of(self, teams_user_id: str) -> int | None:
        """The member's champion id while they are an active or paused champion."""
        return self._session.execute(
            select(col(ChampionRecord.id))
            .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
            .where(col(MemberRecord.teams_user_id) == teams_user_id)
            .where(*serving())
        ).scalar_one_or_none()

    # --- the role ------------------------------------------------------------------------

    def status_of(self, teams_user_id: str) -> ChampionStatus | None:
        status = _STATUS_OF.scalar(self._session, user=teams_user_id)
        return ChampionStatus(status) if status is not None else None

    def set_status(self, teams_user_id: str, status: ChampionStatus, at: datetime) -> None:
        member = Members(self._session).get(teams_user_id)
        if member is None:
            raise LookupError(f"unknown member {teams_user_id!r}")
        upsert(
            self._session,
            table_of(ChampionRecord),
            {"member_id": member.id, "status": status.value, "created_at": at, "updated_at": at},
            keys=("member_id",),
            update={"status": status.value, "updated_at": at},
        )

    def count_by_status(self) -> Mapping[ChampionStatus, int]:
        rows = self._session.execute(
            select(col(ChampionRecord.status), func.count()).group_by(col(ChampionRecord.status))
        ).all()
        return {ChampionStatus(status): count for status, count in rows}
