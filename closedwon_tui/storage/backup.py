"""Every table of the schema out to a backup, and a backup into an empty database, generically:
a table added by a later migration joins the backup without new code.

A backup keeps the Alembic revision its rows fit. Restoring brings the empty database to that
revision, loads the rows, sets the id sequences past them, and upgrades to the newest schema,
all in one transaction: a restore that fails leaves the database as it was.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    create_engine,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.pool import StaticPool

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.storage import tables
from closedwon_tui.storage.migrate import MIGRATIONS, check_references, current_revision, migrating
from closedwon_tui.transfer.backup_format import Backup, TableDump

#: Tables whose rows are the database's own, not the rep's: an empty database has them too
#: (its id), so emptiness looks only at their keys, and a restore brings the backup's.
OWN_TABLES = frozenset({"database_info"})
_VERSION_TABLE = "alembic_version"
_INSERT_CHUNK = 1000


def kind_of(column_type: Any) -> str:
    """The backup kind of a column's SQLAlchemy type."""
    if isinstance(column_type, tables.UTCDateTime):
        return "utc_datetime"
    for sql_type, kind in ((JSON, "json"), (Boolean, "boolean"), (DateTime, "datetime"), (Date, "date"),
                           (Integer, "integer"), (Numeric, "decimal"), (String, "text")):  # fmt: skip
        if isinstance(column_type, sql_type):
            return kind
    raise TypeError(f"no backup kind for column type {column_type!r}")  # pragma: no cover - a new type needs one


def dump(connection: Connection) -> Iterator[tuple[str, list[tuple[str, str]], Sequence[Sequence[Any]]]]:
    """(table, [(column, kind)], rows) for every table of the schema, in load order."""
    for table in tables.metadata.sorted_tables:
        columns = [(column.name, kind_of(column.type)) for column in table.columns]
        order = list(table.primary_key.columns) or list(table.columns)
        rows = connection.execute(select(table).order_by(*order)).all()
        yield table.name, columns, rows


def counts(connection: Connection) -> dict[str, int]:
    return {t.name: connection.scalar(select(func.count()).select_from(t)) or 0 for t in tables.metadata.sorted_tables}


# alembic ---------------------------------------------------------------------------------


def _alembic(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> list[str]:
    """Every revision this closedwon knows, oldest first."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return [rev.revision for rev in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


# an empty database -----------------------------------------------------------------------


def _reflect(connection: Connection) -> MetaData:
    metadata = MetaData()
    with warnings.catch_warnings():  # the tables' rows are what a backup needs, not their indexes
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        metadata.reflect(connection)
    return metadata


def _rows(connection: Connection, table: Table) -> list[tuple[Any, ...]]:
    order = list(table.primary_key.columns) or list(table.columns)
    return [tuple(row) for row in connection.execute(select(table).order_by(*order))]


def _fresh_rows(revision: str) -> dict[str, list[tuple[Any, ...]]]:
    """What a new database holds at `revision`: the rows its migrations seed (the default stages...)."""
    from alembic import command

    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic(connection), revision)
            metadata = _reflect(connection)
            return {name: _rows(connection, t) for name, t in metadata.tables.items() if name != _VERSION_TABLE}
    finally:
        engine.dispose()


def what_is_there(engine: Engine) -> str | None:
    """None for an empty database (nothing beyond what a new one holds); otherwise what it holds."""
    revision = current_revision(engine)
    if revision is None:
        return None
    fresh = _fresh_rows(revision)
    with engine.connect() as connection:
        metadata = _reflect(connection)
        for name, table in sorted(metadata.tables.items(), key=lambda item: item[0] != "deals"):
            if name == _VERSION_TABLE:
                continue
            rows = _rows(connection, table)
            expected = fresh.get(name, [])
            if name in OWN_TABLES:
                rows, expected = [r[:1] for r in rows], [r[:1] for r in expected]
            if rows != expected:
                if name == "deals":
                    return f"{len(rows)} deal{'s' if len(rows) != 1 else ''}"
                return f"rows in its {name.replace('_', ' ')} that a new database does not have"
    return None


# restoring -------------------------------------------------------------------------------


def _value_for(column: Any, value: Any) -> Any:
    """A decoded backup value as the reflected column takes it (moments as naive UTC)."""
    if value is not None and isinstance(column.type, DateTime) and getattr(value, "tzinfo", None) is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _check_fits(dump_: TableDump, table: Table | None) -> None:
    if table is None:
        raise ValidationError(f"the backup's table {dump_.name!r} is not in the schema it names; nothing was restored")
    names = {c.name for c in table.columns}
    for column, _ in dump_.columns:
        if column not in names:
            raise ValidationError(
                f"the backup's column {dump_.name}.{column} is not in the schema; nothing was restored"
            )


def _reset_sequences(connection: Connection, metadata: MetaData) -> None:
    """PostgreSQL hands out ids from sequences: move each past the ids just loaded."""
    if connection.dialect.name != "postgresql":
        return
    for name, table in metadata.tables.items():
        if "id" not in table.columns or not isinstance(table.c.id.type, Integer):
            continue
        sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name})
        if sequence:
            connection.execute(
                text(f"SELECT setval(:s, COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"), {"s": sequence}
            )


def restore(engine: Engine, backup: Backup) -> None:
    """Load `backup` into an empty database, at the backup's revision, then upgrade to the newest.

    The caller checks the database is empty; this refuses a backup from a newer closedwon.
    """
    from alembic import command

    known = known_revisions()
    if backup.schema_revision not in known:
        raise ValidationError(
            f"this backup is of schema {backup.schema_revision}, written by a newer closedwon; "
            "upgrade closedwon to restore it"
        )
    current = current_revision(engine)
    with engine.connect() as connection, migrating(connection), connection.begin():
        if current != backup.schema_revision:
            if current is None or known.index(current) < known.index(backup.schema_revision):
                command.upgrade(_alembic(connection), backup.schema_revision)
            else:
                command.downgrade(_alembic(connection), backup.schema_revision)
        metadata = _reflect(connection)
        for dump_ in backup.tables:
            _check_fits(dump_, metadata.tables.get(dump_.name))
        loaded = [t for t in metadata.sorted_tables if t.name != _VERSION_TABLE]
        for table in reversed(loaded):
            connection.execute(delete(table))
        for table in loaded:
            dump_ = backup.table(table.name)
            if dump_ is None or not dump_.rows:
                continue
            names = [name for name, _ in dump_.columns]
            rows = [{name: _value_for(table.c[name], value) for name, value in zip(names, row)} for row in dump_.rows]
            for start in range(0, len(rows), _INSERT_CHUNK):
                connection.execute(insert(table), rows[start : start + _INSERT_CHUNK])
        _reset_sequences(connection, metadata)
        if backup.schema_revision != known[-1]:
            command.upgrade(_alembic(connection), "head")
        check_references(connection)
