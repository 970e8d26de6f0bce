"""Running action clues' checks: right after a player asks (a task of its own, so the chat turn
answers at once), and from the tick for what is left (a retry, or a replica that stopped).

Each check is claimed in the database before it is run, so two workers never run one twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session

from features.hunts.check_workflows import check_task, record_verdict
from features.hunts.storage import Checks
from features.hunts.verifier import DataverseVerifier, Outcome, Verified, Verifier, VerifierSettings
from storage.database import Database
from storage.messaging import Messaging

BATCH = 20
# A check claimed this long ago and still running was left by a replica that stopped.
STALE = timedelta(minutes=5)

_verifiers: dict[tuple[str, ...], Verifier] = {}
_in_flight: set[asyncio.Task[int]] = set()


def configured_verifier() -> Verifier | None:
    """The business system's verifier when DATAVERSE_* say where and how (one per
    configuration, so its token is reused); None when none is configured."""
    settings = VerifierSettings()
    if not settings.configured:
        return None
    key = (
        settings.url,
        settings.tenant_id,
        settings.client_id,
        settings.client_secret.get_secret_value(),
        settings.authority_host,
        settings.ca_bundle,
        str(settings.deadline_seconds),
    )
    if key not in _verifiers:
        _verifiers[key] = DataverseVerifier(settings)
    return _verifiers[key]


async def run_due_checks(
    database: Database, messaging: Messaging, verifier: Verifier, now: Callable[[], datetime]
) -> int:
    """Claim what is due and check it, batch after batch; returns how many were checked."""
    done = 0
    while True:
        claimed = await database.run(_claim, now())
        for check_id in claimed:
            task = await database.run(check_task, check_id)
            if task is None:
                verified = Verified(Outcome.ERROR, error="the clue, the team or the player is gone")
            else:
                verified = await verifier.verify(task.action, task.code_word, task.solver, task.since, now())
            await database.run(record_verdict, messaging, check_id, verified, now())
        done += len(claimed)
        if len(claimed) < BATCH:
            return done


def _claim(session: Session, at: datetime) -> list[int]:
    return Checks(session).claim(at, at - STALE, BATCH)


def start_checks(database: Database, messaging: Messaging, verifier: Verifier, now: Callable[[], datetime]) -> None:
    """Check now, in a task of its own; the tick catches whatever this leaves."""
    task = asyncio.create_task(run_due_checks(database, messaging, verifier, now), name="hunt-checks")
    _in_flight.add(task)
    task.add_done_callback(_in_flight.discard)


async def checks_settled() -> None:
    """Wait for the checks started so far (a graceful stop, and tests)."""
    while _in_flight:
        await asyncio.gather(*list(_in_flight), return_exceptions=True)
