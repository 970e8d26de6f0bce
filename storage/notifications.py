"""PostgreSQL LISTEN: hear what other replicas' transactions announced (e.g. an enqueued message)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL ("postgresql+psycopg://...") as psycopg takes it."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(
    database_url: str,
    channel: str,
    heard: Callable[[], None],
    *,
    retry_seconds: float = 5.0,
) -> None:
    """Call `heard` for each NOTIFY on `channel`, forever (until cancelled), reconnecting when
    the connection drops. A wake-up missed while reconnecting is caught by the listener's own
    polling."""
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True) as connection:
                await connection.execute(f'LISTEN "{channel}"')
                heard()  # anything enqueued while not listening
                async for _notice in connection.notifies():
                    heard()
        except asyncio.CancelledError:
            raise
        except (psycopg.Error, OSError) as error:
            log.warning("listening for %s failed (%s); again in %.0f s", channel, type(error).__name__, retry_seconds)
            await asyncio.sleep(retry_seconds)
