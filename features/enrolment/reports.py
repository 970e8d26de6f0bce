"""Enrolment's reports for `python app.py export`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from domain.reports import Report
from features.enrolment.domain import coverage_report
from features.enrolment.storage import Coverage
from features.enrolment.tables import NominationReasonRecord, NominationRecord
from storage.models import ChampionFocusRecord, ChampionRecord, MemberRecord


def coverage_rows(session: Session) -> Report:
    header = ["unit_kind", "unit", "headcount", "champions", "target", "required", "gap", "not_found"]
    report = coverage_report(Coverage(session).figures(), Coverage(session).targets())
    return header, [
        [
            row.kind.value,
            row.name,
            row.headcount,
            row.champions,
            row.target.describe() if row.target else "",
            "" if row.required is None else row.required,
            row.gap,
            row.unmatched_requests,
        ]
        for row in report
    ]


def _when(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def champions_rows(session: Session, since: datetime | None = None) -> Report:
    """Every champion (applied or decided since `since`), with their profile and decision."""
    header = [
        "champion_id",
        "name",
        "email",
        "status",
        "department",
        "office",
        "team",
        "focus_areas",
        "languages",
        "applied_at",
        "decided_at",
        "decided_by",
    ]
    statement = (
        select(ChampionRecord, col(MemberRecord.display_name), col(MemberRecord.email))
        .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
        .order_by(col(ChampionRecord.id))
    )
    if since is not None:
        statement = statement.where(col(ChampionRecord.updated_at) >= since)
    areas: dict[int, list[str]] = {}
    for champion_id, area in session.execute(
        select(col(ChampionFocusRecord.champion_id), col(ChampionFocusRecord.focus_area))
    ).all():
        areas.setdefault(int(champion_id), []).append(area)
    rows: list[list[object]] = []
    for champion, name, email in session.execute(statement).all():
        rows.append(
            [
                champion.id,
                name or "",
                email or "",
                champion.status,
                champion.department,
                champion.office,
                champion.team,
                "; ".join(sorted(areas.get(champion.id, []))),
                "; ".join(champion.languages),
                _when(champion.applied_at),
                _when(champion.decided_at),
                champion.decided_by or "",
            ]
        )
    return header, rows


def nominations_rows(session: Session, since: datetime | None = None) -> Report:
    """Every nomination (made since `since`), with how many colleagues proposed the person."""
    header = ["nomination_id", "nominee", "email", "status", "nominators", "created_at", "decided_at", "decided_by"]
    reasons = (
        select(col(NominationReasonRecord.nomination_id), func.count().label("count"))
        .group_by(col(NominationReasonRecord.nomination_id))
        .subquery()
    )
    statement = (
        select(NominationRecord, func.coalesce(reasons.c.count, 0))
        .outerjoin(reasons, reasons.c.nomination_id == col(NominationRecord.id))
        .order_by(col(NominationRecord.id))
    )
    if since is not None:
        statement = statement.where(col(NominationRecord.created_at) >= since)
    return header, [
        [
            row.id,
            row.nominee_name,
            row.nominee_email or "",
            row.status,
            count,
            _when(row.created_at),
            _when(row.decided_at),
            row.decided_by or "",
        ]
        for row, count in session.execute(statement).all()
    ]
