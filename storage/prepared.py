"""Statements of every turn, compiled once and run on the driver's cursor.

SQLAlchemy does real work on each execution of even a cached statement: its cache key,
parameter processing, the result's metadata, and, for an ORM query, building objects.
For the dozen statements of a chat turn that was most of the turn's database time
(about 40-240 microseconds a statement, against 10 on the cursor; see bench/README.md).
A `Prepared` statement is still written with SQLAlchemy, for both backends, and keeps its
types: SQLAlchemy compiles it once per dialect and per length of its list parameters, and
hands over the bind and result processors (UTC datetimes, JSON, booleans) that are then
applied here. Statements anywhere else stay ordinary SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import Session

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Form:
    """The statement as one dialect runs it, for given lengths of its list parameters."""

    sql: str
    names: tuple[str, ...]  # parameters in the order the SQL takes them (expanded lists included)
    positional: bool
    binds: tuple[Processor, ...]  # one per name
    # (index, processor) of the result columns that need converting (UTC datetimes, JSON, booleans)
    converted: tuple[tuple[int, Callable[[Any], Any]], ...]
    writes: bool
    # Whether it returns rows (known from the statement: psycopg's `description` builds a
    # column object for each of a result's columns, as much work as a small read itself).
    returns_rows: bool
    constants: Mapping[str, Any]  # values the statement carries itself (a LIMIT, a literal)

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        processed = [
            value if process is None or value is None else process(value)
            for value, process in zip((values[name] for name in self.names), self.binds, strict=True)
        ]
        return tuple(processed) if self.positional else dict(zip(self.names, processed, strict=True))

    def rows(self, raw_rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        if not self.converted:
            return [tuple(raw) for raw in raw_rows]  # text and numbers: as the driver gives them
        rows = []
        for raw in raw_rows:
            row = list(raw)
            for index, process in self.converted:
                row[index] = process(row[index])
            rows.append(tuple(row))
        return rows


class Prepared:
    """One SQLAlchemy Core statement, with its parameters given by name at each run.

    Parameters that hold a list must be `bindparam(name, expanding=True)`. On SQLite writes go
    through SQLAlchemy's connection (so that the process's writer lock sees them); everything
    else straight to the driver's cursor, in the session's transaction either way.
    """

    def __init__(self, statement: ClauseElement) -> None:
        self._statement = statement
        self._lists: frozenset[str] | None = None  # the list parameters' names, known once compiled
        self._forms: dict[tuple[str, tuple[int, ...]], _Form] = {}

    def rows(self, session: Session, **values: Any) -> list[tuple[Any, ...]]:
        connection = session.connection()
        form, expanded = self._prepared(connection.dialect, values)
        parameters = form.parameters(expanded)
        if form.writes and connection.dialect.name == "sqlite":
            # Through SQLAlchemy's connection, where SQLite's writer lock (`OneWriter`) sees it.
            result = connection.exec_driver_sql(form.sql, parameters)  # type: ignore[arg-type]
            raw_rows = result.fetchall() if result.returns_rows else []
        else:
            cursor = _cursor(connection)
            try:
                cursor.execute(form.sql, parameters)
                raw_rows = cursor.fetchall() if form.returns_rows else []
            finally:
                cursor.close()
        return form.rows(raw_rows)

    def first(self, session: Session, **values: Any) -> tuple[Any, ...] | None:
        rows = self.rows(session, **values)
        return rows[0] if rows else None

    def scalar(self, session: Session, **values: Any) -> Any:
        row = self.first(session, **values)
        return row[0] if row is not None else None

    def _prepared(self, dialect: Dialect, values: Mapping[str, Any]) -> tuple[_Form, dict[str, Any]]:
        lists = self._lists
        if lists is None:
            binds = _compiled(self._statement, dialect).binds
            lists = self._lists = frozenset(name for name, bind in binds.items() if bind.expanding)
        key = (dialect.name, tuple(len(values[name]) for name in sorted(lists)))
        form = self._forms.get(key)
        if form is None:
            form = self._forms[key] = self._compile(dialect, values, lists)
        expanded = dict(form.constants)
        for name, value in values.items():
            if name in lists:
                expanded.update(zip(_expanded(name, len(value)), value, strict=True))
            else:
                expanded[name] = value
        return form, expanded

    def _compile(self, dialect: Dialect, values: Mapping[str, Any], lists: frozenset[str]) -> _Form:
        compiled = _compiled(self._statement, dialect)
        # SQLAlchemy's own expansion of list parameters, done once for these lengths.
        state = compiled.construct_expanded_state(dict(values))
        names = tuple(state.positiontup or ()) if compiled.positional else tuple(state.parameters)
        # The expansion's own processors, and each plain parameter's (by its type: UTC datetimes).
        processors: dict[str, Processor] = dict(state.processors)
        for name, bind in compiled.binds.items():
            if name not in lists:
                processors[name] = bind.type.dialect_impl(dialect).bind_processor(dialect)
        binds = tuple(processors.get(name) for name in names)
        supplied = set(values).union(*(_expanded(name, len(values[name])) for name in lists))
        constants = {name: state.parameters[name] for name in names if name not in supplied}
        columns = list(getattr(self._statement, "exported_columns", ()))
        results = (column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
        converted = tuple((index, process) for index, process in enumerate(results) if process is not None)
        return _Form(
            sql=state.statement,
            names=names,
            positional=compiled.positional,
            binds=binds,
            converted=converted,
            writes=bool(compiled.isinsert or compiled.isupdate or compiled.isdelete),
            returns_rows=bool(columns),
            constants=constants,
        )


def _expanded(name: str, length: int) -> list[str]:
    """The names SQLAlchemy gives a list parameter's items when it expands it."""
    return [f"{name}_{index}" for index in range(1, length + 1)]


def _compiled(statement: ClauseElement, dialect: Dialect) -> SQLCompiler:
    return cast(SQLCompiler, statement.compile(dialect=dialect))


def _cursor(connection: Connection) -> Any:
    return connection.connection.cursor()
