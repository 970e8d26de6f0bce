"""Hunts' CSV report: every hunt's teams with their final (or current) standing."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from domain.reports import Report
from features.hunts.storage import Hunts
from features.hunts.tables import HuntRecord
from features.hunts.workflows import final_board

HEADER = ["hunt", "status", "starts_at", "ends_at", "rank", "team", "score", "points", "played_share", "clues_solved"]


def results_rows(session: Session) -> Report:
    """`python app.py export hunt-results`: one row per team of every hunt, newest hunt first."""
    hunts = Hunts(session)
    rows: list[list[object]] = []
    for hunt_id in session.execute(select(col(HuntRecord.id)).order_by(col(HuntRecord.id).desc())).scalars():
        hunt = hunts.get(hunt_id)
        if hunt is None:
            continue
        for standing in final_board(session, hunt):
            rows.append(
                [
                    hunt.title,
                    hunt.status.value,
                    hunt.starts_at.isoformat() if hunt.starts_at else "",
                    hunt.ends_at.isoformat() if hunt.ends_at else "",
                    standing.rank,
                    standing.team,
                    standing.score,
                    standing.points,
                    round(standing.breadth, 3),
                    standing.solved,
                ]
            )
    return HEADER, rows
