"""The statements of a move and an undo, run on the driver's own cursor.

A key after a rest finds the caches cold, and SQLAlchemy's Core execution (its execution context,
result object, parameter and row handling) then costs about 0.2 ms a statement on top of the
driver's own work: a move runs five (six on PostgreSQL, with the lock on the columns), an undo five
and two reads of a row by its id. These few prebuilt statements are compiled once per kind of
dialect and set of parameter names by SQLAlchemy's own compiler, their values passed through their
types' own bind and result processors (the same calls SQLAlchemy makes), and run on the
connection's DBAPI cursor, inside the connection's transaction. A driver error is wrapped as
SQLAlchemy wraps it, so the unit of work turns it into the same message.

Anything this does not do takes SQLAlchemy's path: a statement whose compilation fills in column
defaults, or expands a list of values; and every statement while anything listens to the
connection's cursor events (a test counting statements sees exactly what SQLAlchemy runs).
Rows come back as named tuples (by position, as `deal_from_row` reads them, or by column name).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

Processor = Callable[[Any], Any] | None


class _Prepared:
    """One statement compiled for one dialect and one set of parameter names."""

    __slots__ = ("compiled", "sql", "order", "binds", "columns", "results", "row")

    def __init__(self, compiled: SQLCompiler, columns: list[Any]) -> None:
        dialect = compiled.dialect
        self.compiled = compiled
        self.sql = compiled.string
        self.order = list(compiled.positiontup or ()) if dialect.positional else None
        escaped = compiled.escaped_bind_names  # the names `construct_params` gives, when they differ
        self.binds: dict[str, Processor] = {
            escaped.get(name, name): bind.type.dialect_impl(dialect).bind_processor(dialect)
            for bind, name in compiled.bind_names.items()
        }
        self.columns = columns
        #: Once the cursor has described the rows: each column's result processor, and the row type
        #: (named as the driver names the columns, as SQLAlchemy's rows are).
        self.results: list[Processor] | None = None
        self.row: Any = None


#: Per kind of dialect (its class, the server's version, which its compiler may heed, and its
#: parameter style), each statement compiled for each set of parameter names it was run with (None:
#: SQLAlchemy's path). Engines of one kind share them, so a process opening many keeps a few.
_PREPARED: dict[tuple[type, Any, str], dict[tuple[ClauseElement, tuple[str, ...]], _Prepared | None]] = {}


def _prepare(connection: Connection, statement: ClauseElement, names: tuple[str, ...]) -> _Prepared | None:
    compiled = statement.compile(dialect=connection.dialect, column_keys=list(names))
    assert isinstance(compiled, SQLCompiler)
    if (
        compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.literal_execute_params
        or compiled.post_compile_params
    ):
        return None  # defaults filled in, or lists expanded, at execution: SQLAlchemy's path
    columns = list(getattr(statement, "exported_columns", ()) or ())
    return _Prepared(compiled, columns)


def _listened(connection: Connection) -> bool:
    dispatch = connection.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute)


def run(connection: Connection, statement: ClauseElement, params: Mapping[str, Any]) -> Sequence[Any]:
    """Run `statement` (built once, at import) with `params`; its rows (none for a write without
    RETURNING)."""
    dialect = connection.dialect
    kind = (type(dialect), dialect.server_version_info, dialect.paramstyle)
    try:
        known = _PREPARED[kind]
    except KeyError:
        known = _PREPARED.setdefault(kind, {})
    key = (statement, tuple(sorted(params)))
    try:
        prepared = known[key]
    except KeyError:
        prepared = known[key] = _prepare(connection, statement, key[1])
    if prepared is None or _listened(connection):
        result = connection.execute(statement, params)  # type: ignore[call-overload]
        return result.all() if result.returns_rows else []
    values = prepared.compiled.construct_params(params)
    for name, process in prepared.binds.items():
        if process is not None:
            values[name] = process(values[name])
    order = prepared.order
    arguments: Any = [values[name] for name in order] if order is not None else values
    driver = connection.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.execute(prepared.sql, arguments)
        described = cursor.description
        rows = cursor.fetchall() if described else []
    except dialect.loaded_dbapi.Error as exc:
        base = dialect.loaded_dbapi.Error
        raise DBAPIError.instance(prepared.sql, arguments, exc, base, dialect=dialect) from exc
    finally:
        cursor.close()
    if not rows:
        return rows
    results = prepared.results
    if results is None:
        results = prepared.results = [
            column.type.dialect_impl(dialect).result_processor(dialect, description[1])
            for column, description in zip(prepared.columns, described, strict=True)
        ]
        prepared.row = namedtuple("Row", [d[0] for d in described], rename=True)  # type: ignore[misc]  # noqa: PYI024
    make = prepared.row._make
    return [
        make([value if process is None else process(value) for process, value in zip(results, row)]) for row in rows
    ]
