"""Replicas' reports of the replies they sent lately (Teams' per-app budget, `bot.budget`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from storage.models import ReplyReportRecord
from storage.sql import table_of, upsert


class ReplyReports:
    def __init__(self, session: Session) -> None:
        self._session = session

    def report(self, replica: str, replies: int, at: datetime) -> None:
        upsert(
            self._session,
            table_of(ReplyReportRecord),
            {"replica": replica, "replies": replies, "reported_at": at},
            keys=("replica",),
            update={"replies": replies, "reported_at": at},
        )

    def elsewhere(self, replica: str, since: datetime) -> int:
        """Replies the other replicas reported sending in their last second, reported since `since`."""
        total = self._session.execute(
            select(func.coalesce(func.sum(col(ReplyReportRecord.replies)), 0))
            .where(col(ReplyReportRecord.replica) != replica)
            .where(col(ReplyReportRecord.reported_at) >= since)
        ).scalar_one()
        return int(total)
