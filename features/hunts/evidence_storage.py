"""Evidence pictures and their reviews, and the champions who may review a team's."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from domain.roles import ChampionStatus
from features.hunts.domain import Evidence, EvidenceStatus, Hunt, Team
from features.hunts.storage import Hunts
from features.hunts.tables import HuntEvidenceRecord
from storage.links import ServedFile
from storage.models import ChampionRecord, MemberRecord
from storage.sql import inserted_id


@dataclass(frozen=True, slots=True)
class Reviewer:
    member_id: int
    teams_user_id: str


class Evidences:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, hunt_id: int, team_id: int, clue_key: str, member_id: int, picture: bytes, content_type: str, at: datetime
    ) -> int:
        record = HuntEvidenceRecord(
            hunt_id=hunt_id,
            team_id=team_id,
            clue_key=clue_key,
            member_id=member_id,
            content_type=content_type,
            picture=picture,
            size=len(picture),
            sha256=hashlib.sha256(picture).hexdigest(),
            sent_at=at,
            status=EvidenceStatus.WAITING.value,
        )
        return inserted_id(self._session, record)

    def assign(self, evidence_id: int, reviewer_member_id: int | None) -> None:
        self._session.execute(
            update(HuntEvidenceRecord)
            .where(col(HuntEvidenceRecord.id) == evidence_id)
            .values(reviewer_member_id=reviewer_member_id)
        )

    def waiting_for(self, team_id: int, clue_key: str) -> bool:
        """Whether a picture for this team's clue is waiting for its review."""
        found = self._session.execute(
            select(col(HuntEvidenceRecord.id)).where(
                col(HuntEvidenceRecord.team_id) == team_id,
                col(HuntEvidenceRecord.clue_key) == clue_key,
                col(HuntEvidenceRecord.status) == EvidenceStatus.WAITING.value,
            )
        ).first()
        return found is not None

    def last_rejection(self, team_id: int, clue_key: str) -> str | None:
        """Why the team's last picture for the clue was turned down, if it was."""
        row = self._session.execute(
            select(col(HuntEvidenceRecord.status), col(HuntEvidenceRecord.reason))
            .where(col(HuntEvidenceRecord.team_id) == team_id, col(HuntEvidenceRecord.clue_key) == clue_key)
            .order_by(col(HuntEvidenceRecord.id).desc())
            .limit(1)
        ).first()
        return str(row.reason or "") if row is not None and row.status == EvidenceStatus.REJECTED.value else None

    def get(self, evidence_id: int, hunt: Hunt, team: Team) -> Evidence | None:
        record = self._session.get(HuntEvidenceRecord, evidence_id)
        clue = hunt.plan.clue(record.clue_key) if record is not None else None
        if record is None or record.id is None or clue is None:
            return None
        state = Hunts(self._session).state(team.id, clue.key)
        return Evidence(
            id=record.id,
            hunt_id=record.hunt_id,
            team=team.name,
            clue=clue,
            variant=state.variant if state is not None else 0,
            code_word=team.code_word,
            status=EvidenceStatus(record.status),
            sent_at=record.sent_at,
            reviewer_member_id=record.reviewer_member_id,
            reason=record.reason or "",
            decided_by=record.decided_by or "",
        )

    def record(self, evidence_id: int) -> HuntEvidenceRecord | None:
        return self._session.get(HuntEvidenceRecord, evidence_id)

    def decide(self, evidence_id: int, status: EvidenceStatus, reason: str, by: str, at: datetime) -> bool:
        """Accept or reject a waiting picture, once (a second press finds it decided)."""
        changed = self._session.execute(
            update(HuntEvidenceRecord)
            .where(
                col(HuntEvidenceRecord.id) == evidence_id,
                col(HuntEvidenceRecord.status) == EvidenceStatus.WAITING.value,
            )
            .values(status=status.value, reason=reason or None, decided_by=by, reviewed_at=at)
        )
        return bool(getattr(changed, "rowcount", 0))

    def count_waiting(self, hunt_id: int) -> int:
        return int(
            self._session.execute(
                select(func.count()).where(
                    col(HuntEvidenceRecord.hunt_id) == hunt_id,
                    col(HuntEvidenceRecord.status) == EvidenceStatus.WAITING.value,
                )
            ).scalar_one()
        )

    def waiting(self, hunt_id: int, limit: int = 10) -> list[tuple[int, int]]:
        """(evidence id, team id) of the hunt's pictures still waiting, oldest first."""
        rows = self._session.execute(
            select(col(HuntEvidenceRecord.id), col(HuntEvidenceRecord.team_id))
            .where(
                col(HuntEvidenceRecord.hunt_id) == hunt_id,
                col(HuntEvidenceRecord.status) == EvidenceStatus.WAITING.value,
            )
            .order_by(col(HuntEvidenceRecord.sent_at))
            .limit(limit)
        ).all()
        return [(int(row.id), int(row.team_id)) for row in rows]

    def reviewer_for(self, hunt_id: int, departments: Sequence[str], not_member: int) -> Reviewer | None:
        """An active champion from outside the team's departments, the one with the fewest
        pictures waiting in this hunt (then the longest a champion), so reviews spread out."""
        load = (
            select(func.count())
            .where(
                col(HuntEvidenceRecord.hunt_id) == hunt_id,
                col(HuntEvidenceRecord.status) == EvidenceStatus.WAITING.value,
                col(HuntEvidenceRecord.reviewer_member_id) == col(ChampionRecord.member_id),
            )
            .scalar_subquery()
        )
        conditions: list[Any] = [
            col(ChampionRecord.status) == ChampionStatus.ACTIVE.value,
            col(ChampionRecord.member_id) != not_member,
        ]
        if departments:
            conditions.append(col(ChampionRecord.department).not_in(list(departments)))
        row = self._session.execute(
            select(col(MemberRecord.id), col(MemberRecord.teams_user_id))
            .join(ChampionRecord, col(ChampionRecord.member_id) == col(MemberRecord.id))
            .where(*conditions)
            .order_by(load, col(ChampionRecord.id))
            .limit(1)
        ).first()
        return Reviewer(int(row.id), str(row.teams_user_id)) if row is not None else None


def read_picture(session: Session, evidence_id: int) -> ServedFile | None:
    """The picture behind a reviewer's link (None once erased)."""
    record = session.get(HuntEvidenceRecord, evidence_id)
    if record is None or record.picture is None:
        return None
    extension = record.content_type.removeprefix("image/")
    return ServedFile(f"evidence-{evidence_id}.{extension}", record.content_type, record.picture)
