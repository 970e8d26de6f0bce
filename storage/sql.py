"""Portable INSERT ... ON CONFLICT for the two supported backends."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CTE, CursorResult, Table, bindparam, func, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Result
from sqlmodel import Session, SQLModel

from storage.prepared import Prepared


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a SQLModel class (typed, unlike `Model.__table__`)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def inserted_id(session: Session, record: SQLModel) -> int:
    """Insert one record now (within the caller's transaction) and return its new id."""
    session.add(record)
    session.flush()
    record_id = getattr(record, "id", None)
    assert isinstance(record_id, int), f"{type(record).__name__} has no integer id"
    return record_id


def affected_rows(result: Result[Any]) -> int:
    """Rows changed by an UPDATE/DELETE."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


def insert_for(session: Session, table: Table) -> Any:
    """The dialect's INSERT for `table`, which knows ON CONFLICT."""
    return _insert_of(session.get_bind().dialect.name)(table)


def _insert_of(dialect: str) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT."""
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"unsupported database backend {dialect!r}")


def insert_if_absent(
    session: Session, table: Table, values: Mapping[str, Any], keys: Iterable[str], where: Any = None
) -> bool:
    """Insert a row unless one with the same unique `keys` exists; True if inserted.

    `where` names the predicate of a partial unique index (e.g. one *open* row per key).
    """
    keys = list(keys)
    if where is None:
        # Built once per table and columns: de-duplication runs it on every turn.
        prepared = _insert_absent(session.get_bind().dialect.name, table, tuple(keys), (tuple(values),))
        return prepared.first(session, **_numbered([values])) is not None
    # RETURNING, not rowcount: drivers report -1 for rowcount on INSERT ... RETURNING,
    # which SQLAlchemy may add by itself.
    statement = (
        insert_for(session, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys, index_where=where)
        .returning(table.c[keys[0]])
    )
    return session.execute(statement).first() is not None


@functools.cache
def _insert_absent(
    dialect: str, table: Table, keys: tuple[str, ...], rows_columns: tuple[tuple[str, ...], ...]
) -> Prepared:
    """Prepared once per table, columns and number of rows: de-duplication runs it on every turn."""
    rows = [
        # Typed here: SQLAlchemy types only the first row's parameters by their columns.
        {column: bindparam(f"{column}__{number}", type_=table.c[column].type) for column in columns}
        for number, columns in enumerate(rows_columns)
    ]
    return Prepared(
        _insert_of(dialect)(table)
        .values(rows)
        .on_conflict_do_nothing(index_elements=list(keys))
        .returning(table.c[keys[0]])
    )


def _numbered(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The rows' values as `_insert_absent` names its parameters."""
    return {f"{column}__{number}": value for number, row in enumerate(rows) for column, value in row.items()}


# Up to this many rows, one prepared multi-row INSERT; more go as one batched statement.
FEW_ROWS = 4


def insert_all_absent(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], keys: Iterable[str]
) -> set[Any]:
    """Insert the rows whose unique `keys` are not taken yet, in one statement; the first key's
    values of those inserted."""
    if not rows:
        return set()
    keys = list(keys)
    if len(rows) <= FEW_ROWS:
        # An action's few messages (the outbox): prepared once per number of rows.
        rows_columns = tuple(tuple(row) for row in rows)
        prepared = _insert_absent(session.get_bind().dialect.name, table, tuple(keys), rows_columns)
        return {row[0] for row in prepared.rows(session, **_numbered(rows))}
    # One statement executed for many rows: SQLAlchemy batches it ("insertmanyvalues") with
    # RETURNING, compiled once; a literal multi-row VALUES would be compiled per call.
    statement = insert_for(session, table).on_conflict_do_nothing(index_elements=keys).returning(table.c[keys[0]])
    return set(session.execute(statement, list(rows)).scalars())


def upsert(
    session: Session,
    table: Table,
    values: Mapping[str, Any],
    keys: Iterable[str],
    update: Mapping[str, Any],
) -> None:
    """Insert a row, or update `update` columns of the row with the same unique `keys`."""
    statement = insert_for(session, table).values(**values)
    statement = statement.on_conflict_do_update(index_elements=list(keys), set_=dict(update))
    session.execute(statement)


def without_waiting_for_disk() -> CTE:
    """PostgreSQL: a one-row CTE that lets the commit of the transaction it runs in return
    before the server has flushed it to disk; a statement takes it in its FROM.

    For writes whose loss in a crash (the last fraction of a second's) changes nothing that
    matters, such as counts; never for messages, decisions or de-duplication. The database
    stays consistent either way. As part of a statement it costs no round trip of its own, and
    run alone (`Database.autocommit`) that statement is its own transaction. SQLite in WAL
    mode with synchronous=NORMAL commits like this already."""
    return select(func.set_config("synchronous_commit", "off", true()).label("setting")).cte("without_waiting_for_disk")
