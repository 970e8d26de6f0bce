"""What the treasure hunt tells the digests: the latest hunt's top three and biggest mover
(from the same standings as `hunt board`), and what waits for a lead. Other features read it
through `features.hunts.hunt_pulse`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from features.hunts.domain import HuntStatus, Standing, biggest_mover, localized
from features.hunts.evidence_storage import Evidences
from features.hunts.workflows import current_hunt, final_board, flags_of, frozen_board


@dataclass(frozen=True, slots=True)
class HuntPulse:
    title: str  # in the program's default language; "" without a hunt
    running: bool
    top: tuple[Standing, ...]
    mover: tuple[str, int] | None
    flags: int
    evidence_waiting: int


def hunt_pulse(session: Session, now: datetime, locale: str | None = None) -> HuntPulse:
    hunt = current_hunt(session)
    if hunt is None or hunt.rehearsal or hunt.status is HuntStatus.SCHEDULED:
        return HuntPulse("", False, (), None, 0, 0)
    board = final_board(session, hunt)
    # The climb while the board was frozen is news once the hunt is over; before, it is a secret.
    mover = biggest_mover(frozen_board(session, hunt), board) if hunt.status is HuntStatus.CLOSED else None
    found = flags_of(session)
    return HuntPulse(
        title=localized(hunt.plan.title, locale),
        running=hunt.status in (HuntStatus.RUNNING, HuntStatus.PAUSED),
        top=tuple(board[:3]),
        mover=mover,
        flags=len(found[1]) if found is not None else 0,
        evidence_waiting=Evidences(session).count_waiting(hunt.id),
    )
