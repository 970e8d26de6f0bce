"""Running a committed draw: the beacon round is read over the network, outside any
transaction, then the draw happens in one (by the job, or when a lead presses Draw now)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.clock import Clock
from features.lottery.beacon import BeaconSettings, DrandBeacon, Fetched
from features.lottery.domain import DrawStatus
from features.lottery.storage import Draws
from features.lottery.workflows import StepOutcome, beacon_due, run_draw
from storage.database import Database
from storage.messaging import Messaging


def configured_beacon() -> DrandBeacon | None:
    """The configured beacon; None when DRAND_URLS is empty (draws use their committed secret alone)."""
    settings = BeaconSettings()
    return DrandBeacon(settings) if settings.mirrors else None


async def draw_when_due(
    database: Database, messaging: Messaging, clock: Clock, draw_id: int, source: DrandBeacon | None, by: str
) -> tuple[StepOutcome, datetime | None]:
    """Draw once the named round is out; (NOT_YET, when it is due) before."""
    found = await database.run(lambda s: Draws(s).get(draw_id))
    if found is None:
        return StepOutcome.NOT_FOUND, None
    if found.status is not DrawStatus.COMMITTED:
        return StepOutcome.WRONG_STATE, None
    fetched: Fetched | None = None
    if source is not None and found.beacon is not None:
        if not beacon_due(found, source.chain, clock.now()):
            return StepOutcome.NOT_YET, datetime.fromtimestamp(source.chain.time_of(found.beacon.round) + 5, UTC)
        fetched = await source.fetch(found.beacon.round)
    return await database.run(run_draw, messaging, draw_id, fetched, by, clock.now()), None
