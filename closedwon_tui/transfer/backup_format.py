"""The closedwon backup format, version 1: every table of the database with its rows, in one JSON file.

    {
      "format": "closedwon-backup",
      "format_version": 1,
      "schema_revision": "0002",          # the Alembic revision the rows fit
      "written_at": "2026-11-25T15:00:00+00:00",
      "written_by": "closedwon 0.1.0",
      "tables": {
        "stages": {
          "columns": [["id", "integer"], ["name", "text"], ...],
          "rows": [[1, "Outreach", ...], ...]
        },
        ...
      }
    }

Tables come in the order they can be loaded (a table after those it refers to); rows in
primary-key order. Each column says its kind, and values are written exactly for it:

    integer        a JSON number
    text           a JSON string
    boolean        true / false
    decimal        a string, e.g. "12400.50"
    date           "2026-12-31"
    datetime       "2026-12-01T14:30:00" (a wall-clock time, no zone: follow-ups)
    utc_datetime   "2026-11-25T15:00:00.123456+00:00" (a moment, in UTC)
    json           the JSON value itself

and null for an empty value. A reader needs nothing but this file to restore every row as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from closedwon_tui.domain.errors import ValidationError

FORMAT = "closedwon-backup"
FORMAT_VERSION = 1
KINDS = ("integer", "text", "boolean", "decimal", "date", "datetime", "utc_datetime", "json")


def encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("integer", "text", "boolean", "json"):
        return value
    if kind == "decimal":
        return str(value)
    if kind == "utc_datetime":
        return value.astimezone(UTC).isoformat()
    if kind in ("date", "datetime"):
        return value.isoformat()
    raise ValueError(f"unknown column kind {kind!r}")


def decode(kind: str, value: Any) -> Any:
    """A value as Python has it; raises ValueError when it does not fit its kind."""
    if value is None:
        return None
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"not an integer: {value!r}")
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError(f"not text: {value!r}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"not true or false: {value!r}")
        return value
    if kind == "json":
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a {kind} string: {value!r}")
    if kind == "decimal":
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(f"not a decimal: {value!r}") from None
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "datetime":
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            raise ValueError(f"a wall-clock time has no zone: {value!r}")
        return moment
    if kind == "utc_datetime":
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(f"a moment needs its zone: {value!r}")
        return moment.astimezone(UTC)
    raise ValueError(f"unknown column kind {kind!r}")


@dataclass(frozen=True, slots=True)
class TableDump:
    name: str
    #: (column name, kind), in the order of each row's values.
    columns: tuple[tuple[str, str], ...]
    rows: list[list[Any]]


@dataclass(frozen=True, slots=True)
class Backup:
    schema_revision: str
    written_at: str
    tables: tuple[TableDump, ...]

    def table(self, name: str) -> TableDump | None:
        return next((t for t in self.tables if t.name == name), None)


def write_backup(
    out: IO[str], tables: Iterable[tuple[str, Sequence[tuple[str, str]], Iterable[Sequence[Any]]]], *,
    schema_revision: str, written_at: datetime, written_by: str,
) -> None:  # fmt: skip
    """Stream the backup to `out`, one row per line, without holding the database in memory."""
    head = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": schema_revision,
        "written_at": written_at.astimezone(UTC).isoformat(), "written_by": written_by,
    }  # fmt: skip
    out.write(json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "tables": {')
    for t_index, (name, columns, rows) in enumerate(tables):
        kinds = [kind for _, kind in columns]
        out.write("," if t_index else "")
        out.write(f'\n    {json.dumps(name)}: {{\n      "columns": {json.dumps([list(c) for c in columns])},\n')
        out.write('      "rows": [')
        for r_index, row in enumerate(rows):
            values = [encode(kind, value) for kind, value in zip(kinds, row)]
            out.write(("," if r_index else "") + "\n        " + json.dumps(values, ensure_ascii=False))
        out.write("\n      ]\n    }")
    out.write("\n  }\n}\n")


def _refuse(reason: str) -> ValidationError:
    return ValidationError(f"not a closedwon backup ({reason})")


def read_backup(data: bytes) -> Backup:
    """The backup in `data`, with every value decoded and checked, or one line saying what is wrong."""
    if not data.strip():
        raise _refuse("the file is empty")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _refuse("it is not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _refuse(f'it has no "format": "{FORMAT}"')
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _refuse("no format version")
    if version > FORMAT_VERSION:
        raise ValidationError(
            f"this backup is in format {version}, written by a newer closedwon (this one reads up to {FORMAT_VERSION}); "
            "upgrade closedwon to restore it"
        )
    revision, tables = doc.get("schema_revision"), doc.get("tables")
    if not isinstance(revision, str) or not revision or not isinstance(tables, dict):
        raise _refuse("no schema revision or no tables")
    dumps = []
    for name, table in tables.items():
        dumps.append(_table(name, table))
    return Backup(schema_revision=revision, written_at=str(doc.get("written_at", "")), tables=tuple(dumps))


def _table(name: str, table: Any) -> TableDump:
    if (
        not isinstance(table, dict)
        or not isinstance(table.get("columns"), list)
        or not isinstance(table.get("rows"), list)
    ):
        raise _refuse(f"table {name!r} has no columns or rows")
    columns: list[tuple[str, str]] = []
    for column in table["columns"]:
        if not (isinstance(column, list) and len(column) == 2 and all(isinstance(c, str) for c in column)):
            raise _refuse(f"table {name!r} has a malformed column")
        if column[1] not in KINDS:
            raise _refuse(f"table {name!r}, column {column[0]!r}: unknown kind {column[1]!r}")
        columns.append((column[0], column[1]))
    rows = []
    for number, row in enumerate(table["rows"], start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise _refuse(f"table {name!r}, row {number} does not have {len(columns)} values")
        try:
            rows.append([decode(kind, value) for (_, kind), value in zip(columns, row)])
        except ValueError as exc:
            raise _refuse(f"table {name!r}, row {number}: {exc}") from None
    return TableDump(name=name, columns=tuple(columns), rows=rows)
