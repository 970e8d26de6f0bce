"""What the lottery tells the digests: tickets in the latest committed draw, the next draw, and
draws whose entries close soon. Other features read it through `features.lottery.lottery_pulse`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from features.lottery.domain import DrawStatus
from features.lottery.storage import Draws
from features.lottery.tables import LotteryEntrantRecord

CLOSING_SOON = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class LotteryPulse:
    last_draw: str  # the latest committed or drawn draw's name ("" for none)
    tickets_issued: int  # in it
    next_draw: str
    next_closes_at: datetime | None
    closing_soon: int  # open draws whose entries close within a week


def lottery_pulse(session: Session, now: datetime) -> LotteryPulse:
    draws = Draws(session)
    committed = draws.latest([DrawStatus.COMMITTED, DrawStatus.DRAWN], limit=1)
    tickets = 0
    if committed:
        tickets = session.execute(
            select(func.coalesce(func.sum(col(LotteryEntrantRecord.tickets)), 0)).where(
                col(LotteryEntrantRecord.draw_id) == committed[0].id
            )
        ).scalar_one()
    upcoming = sorted(draws.latest([DrawStatus.OPEN], limit=20), key=lambda draw: draw.closes_at)
    return LotteryPulse(
        last_draw=committed[0].name if committed else "",
        tickets_issued=int(tickets),
        next_draw=upcoming[0].name if upcoming else "",
        next_closes_at=upcoming[0].closes_at if upcoming else None,
        closing_soon=sum(1 for draw in upcoming if draw.closes_at - now <= CLOSING_SOON),
    )
