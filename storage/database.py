"""Engine and units of work, created at start-up and disposed at shutdown.

Repositories are synchronous SQLAlchemy code; `Database.run` executes one unit of work
in a worker thread inside one transaction, so the event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlmodel import Session

log = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")

# How long a write waits for another to finish on SQLite: short enough that a turn under a
# locked database still answers (and apologises) well within Teams' 15 s.
SQLITE_BUSY_TIMEOUT_MS = 4_000


def create_database_engine(database_url: str, *, pool_size: int = 8, commits_checkpoint: bool = True) -> Engine:
    """The engine; on SQLite, `commits_checkpoint=False` leaves copying the write-ahead log
    back into the database to a `Checkpointer` (SQLite's commits do it by default)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", partial(_configure_sqlite, commits_checkpoint=commits_checkpoint))
        _writers[engine] = OneWriter()
        _writers[engine].watch(engine)
        return engine
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size)
    _ping_when_rested(engine)
    return engine


# A pooled connection that rested longer than this is checked before it is used again (a
# restarted server closed it); one in steady use is not. SQLAlchemy's pre-ping checked every
# one, a round trip to the server for every transaction.
PING_AFTER_RESTING_SECONDS = 1.0


def _ping_when_rested(engine: Engine) -> None:
    def returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    def taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_RESTING_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: the pool replaces the connection
            raise DisconnectionError("a rested connection did not answer") from error
        if not alive:
            raise DisconnectionError("a rested connection did not answer")

    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", taken)


def _configure_sqlite(dbapi_connection: Any, _record: Any, *, commits_checkpoint: bool = True) -> None:
    # WAL lets readers work while one writer commits; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    if not commits_checkpoint:
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


class OneWriter:
    """SQLite's writers take turns in this process on a lock, instead of in its busy handler.

    SQLite lets one connection write at a time; the others retry from its busy handler, which
    sleeps up to 100 ms between tries, so writers under load waited far longer than the write
    took. Here a transaction takes a lock before its first write (pysqlite begins the
    transaction then) and gives it back once its commit or rollback is done; a waiting writer
    wakes at once. Readers take no lock: in WAL mode they never wait for the writer. Another
    process (a migration, a second bot on the same file) still meets the busy handler. A unit
    of work must not open a second writing transaction while its own holds the lock (it would
    wait for itself); none does.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # The DBAPI connection writing now; only its own thread ever finds itself here.
        self._holder: object | None = None

    @classmethod
    def of(cls, engine: Engine) -> OneWriter | None:
        """The writers' turn-taking of a SQLite engine (None on PostgreSQL)."""
        return _writers.get(engine)

    @property
    def writing(self) -> bool:
        """A transaction of this process is writing now."""
        return self._lock.locked()

    def watch(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before_execute)
        dialect = engine.dialect
        for name in ("do_commit", "do_rollback"):
            setattr(dialect, name, self._releasing(getattr(dialect, name)))
        # A connection given back to the pool, or invalidated, mid-transaction.
        event.listen(engine, "checkin", lambda dbapi_connection, _record: self._release(dbapi_connection))

    def _before_execute(self, connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        raw = connection.connection.dbapi_connection
        if self._holder is raw or not _writes(statement):
            return
        self._lock.acquire()
        self._holder = raw

    def _releasing(self, end: Callable[[Any], None]) -> Callable[[Any], None]:
        def ended(connection: Any) -> None:
            try:
                end(connection)
            finally:
                # The pool passes its own wrapper when it resets a connection on return.
                self._release(getattr(connection, "dbapi_connection", connection))

        return ended

    def _release(self, raw: object) -> None:
        if raw is not None and self._holder is raw:
            self._holder = None
            self._lock.release()


_writers: weakref.WeakKeyDictionary[Engine, OneWriter] = weakref.WeakKeyDictionary()


def _writes(statement: str) -> bool:
    return statement.lstrip()[:7].upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))


# What a committed transaction did that someone may be waiting for (e.g. "outbox": a message
# was enqueued). Repositories mark a session with `announce_after_commit`; after the commit
# the database calls whoever listens (`on_commit`).
AFTER_COMMIT = "champion_circle.after_commit"


def announce_after_commit(session: Session, topic: str) -> None:
    session.info.setdefault(AFTER_COMMIT, set()).add(topic)


class Checkpointer:
    """Copies SQLite's write-ahead log back into the database file, from a thread of its own.

    By default the commit that takes the log past 1,000 pages does it, and waits for the disk
    as it does: that was the slowest turn in a few hundred (a 1-user p99 of 2.2 times the bare
    echo bot's). Here no commit does; this thread checkpoints every `interval` seconds, in
    PASSIVE mode, which never waits for readers or the writer, nor makes them wait. SQLite
    checkpoints once more itself when the last connection closes.
    """

    def __init__(self, path: str, interval: float = 1.0) -> None:
        self._path = path
        self._interval = interval
        self._stopping = threading.Event()
        self._done = threading.Condition()
        self.checkpoints = 0
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpointer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def checkpoint(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint now: (busy, pages in the log, pages copied back)."""
        connection = sqlite3.connect(self._path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            busy, logged, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            connection.close()
        with self._done:
            self.checkpoints += 1
            self._done.notify_all()
        return int(busy), int(logged), int(copied)

    def wait_for(self, checkpoints: int, timeout: float) -> bool:
        """Wait until this many checkpoints were made in all (for tests)."""
        with self._done:
            return self._done.wait_for(lambda: self.checkpoints >= checkpoints, timeout)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self.checkpoint()
            except Exception:  # the thread must outlive any one failure: no commit checkpoints
                log.warning("background checkpoint failed; the next one retries", exc_info=True)


class Database:
    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 8,
        checkpoint_in_background: bool = False,
        checkpoint_every: float = 1.0,
    ) -> None:
        """`checkpoint_in_background`: on a SQLite file, a `Checkpointer` copies the write-ahead
        log back every `checkpoint_every` seconds instead of the commits (the serving app;
        short commands keep SQLite's way)."""
        self.url = database_url
        url = make_url(database_url)
        self.checkpointer: Checkpointer | None = None
        if (
            checkpoint_in_background
            and url.get_backend_name() == "sqlite"
            and url.database not in (None, "", ":memory:")
        ):
            self.checkpointer = Checkpointer(str(url.database), checkpoint_every)
        self.engine = create_database_engine(
            database_url, pool_size=workers, commits_checkpoint=self.checkpointer is None
        )
        # The same pool; connections taken through it commit each statement on its own.
        self._autocommit_engine = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT") if self.backend == "postgresql" else self.engine
        )
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="db")
        self._listeners: dict[str, list[Callable[[], None]]] = {}
        if self.checkpointer is not None:
            self.checkpointer.start()

    def on_commit(self, topic: str, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` (from the committing thread) after each commit that announced `topic`;
        returns what stops it."""
        self._listeners.setdefault(topic, []).append(listener)
        return lambda: self._listeners[topic].remove(listener)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def transaction(self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `work(session, *args, **kwargs)` in one transaction: committed if it returns, else rolled back."""
        return self._unit(self.engine, work, *args, **kwargs)

    def autocommit(self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `work(session, *args, **kwargs)` with each of its statements committed on its own.

        For the hot reads and single-statement writes of a chat turn: on PostgreSQL a
        transaction costs two round trips to the server besides its statements (BEGIN and
        COMMIT), which at one user were most of a turn's extra time over SQLite. Only for work
        whose every statement stands alone: a read, or a write that is one statement. On SQLite,
        where a transaction costs no round trip, it is an ordinary `transaction`.
        """
        return self._unit(self._autocommit_engine, work, *args, **kwargs)

    def _unit(self, engine: Engine, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        with Session(engine, expire_on_commit=False) as session:
            with session.begin():
                result = work(session, *args, **kwargs)
            for topic in session.info.get(AFTER_COMMIT, ()):
                for listener in list(self._listeners.get(topic, ())):
                    listener()
            return result

    async def run(self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`transaction`, in a worker thread: the event loop never waits on the database."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(self.transaction, work, *args, **kwargs))

    async def run_autocommit(self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`autocommit`, in a worker thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(self.autocommit, work, *args, **kwargs))

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            log.warning("database ping failed", exc_info=True)
            return False
        return True

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.engine.dispose()
