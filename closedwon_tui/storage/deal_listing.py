"""Every deal as a JSON object, written by the database itself, for `closedwon deal list --json`.

A listing of fifty thousand deals is mostly the same work per deal: read thirty-odd fields,
turn each into its JSON form, encode. Done row by row in Python that costs seconds; the
database writes the same objects while it scans (SQLite with `json_object`), and Python only
passes the text on, a batch of objects at a time. Each object is key for key
and value for value what `cli.output.deal_json` writes for that deal (tests/test_cli_listing.py
compares them on both databases): its fields as `services.snapshots.encode` writes them, its
place in its column as `position`, its stage's name and kind, its weighted amount and its days
in stage.

PostgreSQL writes each object by concatenating its keys with its values' JSON text (`to_json`
only for stored text, which it escapes exactly as `row_to_json` does); the place in the column is
numbered outside the row that is written, on narrow rows, and the objects come back through a
server-side cursor, in batches, rather than gathered by the driver first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    select,
    text,
    tuple_,
)  # fmt: skip
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import ClauseList

from closedwon_tui.storage import fetch_ahead, postgresql_halves, sqlite_halves, tables
from closedwon_tui.storage.deal_json_sql import concat, json_object, object_pairs, stage_texts

_D = tables.deals
_S = tables.stages
_P = tables.pipelines
_BATCH = 2000
_ORDER = (_D.c.stage_id, _D.c.position, _D.c.id)
_STAND_IN = -1
_MAPPED = 1 << 30
#: A listing of more deals than this is read in two halves at once (storage/sqlite_halves.py,
#: storage/postgresql_halves.py): below it, a second process or connection costs more than it saves.
SPLIT_OVER = 20_000


def deal_json_texts(
    connection: Connection,
    now: datetime,
    *,
    stage_ids: Sequence[int] | None = None,
    owner: str | None = None,
) -> Iterator[str]:
    """Each deal's JSON object (of these stages, of this owner), by column and position, streamed."""
    for batch in deal_json_batches(connection, now, stage_ids=stage_ids, owner=owner):
        yield from batch


def deal_json_batches(
    connection: Connection,
    now: datetime,
    *,
    stage_ids: Sequence[int] | None = None,
    owner: str | None = None,
) -> Iterator[list[str]]:
    """The deals' JSON objects (see `deal_json_texts`) in batches of a couple of thousand, in order."""
    dialect = connection.dialect.name
    if dialect == "sqlite" and not owner:
        split = _in_halves(connection, now, dialect, stage_ids)
        if split is not None:
            yield from split
            return
    if dialect == "postgresql" and not owner:
        shared = _shared_halves(connection, now, stage_ids)
        if shared is not None:
            yield from shared
            return
    currencies = list(connection.scalars(_currencies()))
    if dialect != "sqlite":
        yield from _fetched(connection, _concatenated(now, currencies, dialect, stage_ids, owner))
        return
    if not owner:  # one pass in index order; each deal's place is counted here as the rows come by
        yield from _placed(connection, now, currencies, dialect, stage_ids)
        return
    # The place counts every deal of the column, whoever owns it: counted before the owner's are picked.
    place = func.row_number().over(partition_by=_D.c.stage_id, order_by=_ORDER[1:]) - 1
    rows = select(*_D.c, place.label("place"))
    if stage_ids is not None:
        rows = rows.where(_D.c.stage_id.in_(list(stage_ids)))
    deal = rows.subquery()
    c = deal.c
    query = select(json_object(object_pairs(c, c.place, now, currencies, dialect))).select_from(
        deal.join(_S, _S.c.id == c.stage_id).join(_P, _P.c.id == _S.c.pipeline_id)
    )
    query = query.where(func.lower(c.owner) == owner.lower()).order_by(c.stage_id, c.position, c.id)
    with closing(_driver_cursor(connection, query)) as cursor:
        while batch := cursor.fetchmany(_BATCH):
            yield [text for (text,) in batch]


def _placed(connection: Connection, now: datetime, currencies: list[str], dialect: str,
            stage_ids: Sequence[int] | None) -> Iterator[list[str]]:  # fmt: skip
    """SQLite, every deal of the columns: objects written with a stand-in position, put right here.

    The rows come by column and position, so a deal's place is a running count; a window
    function would cost the database more than the rest of the object.
    """
    query = _placed_query(now, currencies, dialect, stage_ids)
    # The index gives the rows in column order, so the table's pages are visited out of order:
    # mapped into memory, each is read in place rather than copied through SQLite's small cache.
    connection.exec_driver_sql(f"PRAGMA mmap_size={_MAPPED}")
    with closing(_driver_cursor(connection, query)) as cursor:
        yield from _numbered(iter(lambda: cursor.fetchmany(_BATCH), []), None, 0)


def _placed_query(now: datetime, currencies: list[str], dialect: str, stage_ids: Sequence[int] | None) -> Select[Any]:
    """SQLite: (column, object with a stand-in position) of every deal of the columns, by column and position."""
    query = select(_D.c.stage_id, json_object(object_pairs(_D.c, literal(_STAND_IN), now, currencies, dialect)))
    query = query.select_from(_D.join(_S, _S.c.id == _D.c.stage_id).join(_P, _P.c.id == _S.c.pipeline_id))
    query = query.order_by(*_ORDER)
    if stage_ids is not None:
        query = query.where(_D.c.stage_id.in_(list(stage_ids)))
    return query


def _numbered(batches: Iterator[list[tuple[int, str]]], stage: int | None, place: int) -> Iterator[list[str]]:
    """Rows of (column, object written with the stand-in position) as the objects with their
    place, counted on from `place` in column `stage`: the rows come by column and position.
    `"position":-1` can only be the key itself: inside a JSON string every quote is escaped."""
    stand_in = f'"position":{_STAND_IN}'
    for batch in batches:
        texts = []
        for stage_id, written in batch:
            if stage_id != stage:
                stage, place = stage_id, 0
            texts.append(written.replace(stand_in, f'"position":{place}', 1))
            place += 1
        yield texts


def _in_halves(connection: Connection, now: datetime, dialect: str,
               stage_ids: Sequence[int] | None) -> Iterator[list[str]] | None:  # fmt: skip
    """SQLite, a listing of more than `SPLIT_OVER` deals: its two halves read at once, the second
    by a forked process (storage/sqlite_halves.py); None when it is not split."""
    connect = sqlite_halves.connector(connection)
    if connect is None or not sqlite_halves.can_fork():
        return None
    reader = sqlite_halves.open_reader(connect, _MAPPED)
    try:
        where = "" if stage_ids is None else f"WHERE stage_id IN ({', '.join(str(int(s)) for s in stage_ids)})"
        split, currencies = sqlite_halves.find_split(reader, where, _sql(connection, _currencies()))
        if split is None or split.rows <= SPLIT_OVER:
            reader.close()
            return None
        query = _placed_query(now, currencies, dialect, stage_ids)
        first, second = (
            _sql(connection, query.where(text(f"(deals.stage_id, deals.position, deals.id) {op} (?, ?, ?)")))
            for op in ("<", ">=")
        )
        listed = sqlite_halves.read_halves(connect, _MAPPED, reader, split, first, second, _numbered)
    except BaseException:
        reader.close()
        raise
    if listed is None:
        reader.close()
        return None
    return _closing_after(listed, reader)


def _closing_after(batches: Iterator[list[str]], reader: sqlite3.Connection) -> Iterator[list[str]]:
    try:
        yield from batches
    finally:
        reader.close()


def _shared_halves(connection: Connection, now: datetime,
                   stage_ids: Sequence[int] | None) -> Iterator[list[str]] | None:  # fmt: skip
    """PostgreSQL, a listing of more than `SPLIT_OVER` deals: its two halves written by two
    backends at once, in one snapshot (storage/postgresql_halves.py); None when it is not split
    (the transaction is then one snapshot all the same, which the one pass reads)."""
    snapshot = postgresql_halves.share_snapshot(connection.connection.driver_connection)
    if snapshot is None:
        return None
    counted = select(_D.c.stage_id, func.count()).group_by(_D.c.stage_id).order_by(_D.c.stage_id)
    if stage_ids is not None:
        counted = counted.where(_D.c.stage_id.in_(list(stage_ids)))
    columns = connection.execute(counted).all()  # each column's deals, counted from an index alone
    count = sum(n for _, n in columns)
    if count <= SPLIT_OVER:
        return None
    # The second connection is made and takes up the snapshot meanwhile.
    fetching = postgresql_halves.SecondHalf(connection.engine, snapshot)
    fetching.start()
    try:
        # The middle deal, looked for in its own column (by position and id): its place there is
        # the offset it is found at, and no more than one column's index entries are read to find it.
        place = count // 2
        for stage_id, in_column in columns:  # noqa: B007 - the column the loop stops at is the split's
            if place < in_column:
                break
            place -= in_column
        in_order = select(_D.c.position, _D.c.id).where(_D.c.stage_id == stage_id).order_by(_D.c.position, _D.c.id)
        position, deal_id = connection.execute(in_order.offset(place).limit(1)).one()
        split = postgresql_halves.Split(stage_id, position, deal_id, place)
        currencies = list(connection.scalars(_currencies()))
        dialect = connection.dialect.name
        second = _concatenated(now, currencies, dialect, stage_ids, None, part=(">=", split))
        fetching.fetch(_sql(connection, second))
    except BaseException:
        fetching.fetch(None)
        fetching.join()
        raise
    return _both_halves(connection, _concatenated(now, currencies, dialect, stage_ids, None, part=("<", split)),
                        second, fetching)  # fmt: skip


def _both_halves(connection: Connection, first: Select[Any], second: Select[Any],
                 fetching: postgresql_halves.SecondHalf) -> Iterator[list[str]]:  # fmt: skip
    try:
        yield from _fetched(connection, first)
    finally:
        fetching.join()
    if fetching.failed is None:
        yield from fetching.batches
    else:  # the second connection failed: its half read here, in the same snapshot
        yield from _fetched(connection, second)


def _concatenated(now: datetime, currencies: list[str], dialect: str, stage_ids: Sequence[int] | None,
                  owner: str | None, *,
                  part: tuple[str, postgresql_halves.Split] | None = None) -> Select[Any]:  # fmt: skip
    """PostgreSQL: each deal's object as one text, its keys and its values' JSON concatenated
    (several times faster than `row_to_json` or `json_build_object`, which look up how to write
    each value's type again for every row).

    The object is written in two halves around its place in the column, in order on the narrow
    keys; the place is numbered on those halves, outside (numbered on the whole row, the window
    would hold every field of it and the objects would cost twice as much).

    `part`: only the deals before ("<") or from (">=") a split row, by column, position and id;
    from it, the places in its column go on from the split row's.
    """
    stage = stage_texts()
    pairs = object_pairs(_D.c, literal(_STAND_IN), now, currencies, dialect, stage=stage.c)
    split = [name for name, *_ in pairs].index("position")
    before, after = pairs[:split], pairs[split + 1 :]
    halves = select(
        *_ORDER,
        _D.c.owner,
        concat(before, opening="{", closing=',"position":').label("head"),
        concat(after, opening=",", closing="}").label("tail"),
    )
    halves = halves.select_from(_D.join(stage, stage.c.id == _D.c.stage_id))
    if stage_ids is not None:
        halves = halves.where(_D.c.stage_id.in_(list(stage_ids)))
    if part is not None:
        op, split = part
        row, at = tuple_(*_ORDER), tuple_(*split.key)
        halves = halves.where(row < at if op == "<" else row >= at)
    # OFFSET 0 keeps the halves a subquery of their own, written once per row before the numbering.
    half = halves.order_by(*_ORDER).offset(0).subquery("half")
    place = func.row_number().over(partition_by=half.c.stage_id, order_by=(half.c.position, half.c.id)) - 1
    if part is not None and part[0] == ">=":
        place = place + case((half.c.stage_id == part[1].stage_id, part[1].place), else_=0)
    joined = ClauseList(half.c.head, cast(place, String), half.c.tail, operator=operators.concat_op)
    written = joined.self_group().label("object")
    if not owner:
        return select(written)
    # An owner's deals keep their place among everyone's: picked after the numbering.
    numbered = select(half.c.stage_id, half.c.position, half.c.id, half.c.owner, written).subquery("numbered")
    query = select(numbered.c.object).where(func.lower(numbered.c.owner) == owner.lower())
    return query.order_by(numbered.c.stage_id, numbered.c.position, numbered.c.id)


def _currencies() -> Select[Any]:
    """The deals' currencies, hopping from one to the next along an index that starts with the
    currency (ix_deals_board_sums): a probe per currency, where DISTINCT reads every deal's entry."""
    codes = select(func.min(_D.c.currency).label("code")).cte("codes", recursive=True)
    following = select(func.min(_D.c.currency)).where(_D.c.currency > codes.c.code).scalar_subquery()
    codes = codes.union_all(select(following).where(codes.c.code.is_not(None)))
    return select(codes.c.code).where(codes.c.code.is_not(None))


def _sql(connection: Connection, query: Select[Any]) -> str:
    """The query as the driver's own cursor runs it, its few values (the time, the currencies,
    the keys) written in by SQLAlchemy; a pyformat driver's escaping of every `%` as `%%` is
    undone, as the driver itself would undo it."""
    sql = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
    return sql.replace("%%", "%") if connection.dialect.paramstyle == "pyformat" else sql


def _driver_cursor(connection: Connection, query: Select[Any]) -> Any:
    """The query run on the driver's own cursor, in the connection's transaction: fifty thousand
    rows of one text each need none of what SQLAlchemy's result rows offer."""
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(_sql(connection, query))
    return cursor


def _fetched(connection: Connection, query: Select[Any]) -> Iterator[list[str]]:
    """PostgreSQL: the query's one text column through a server-side cursor, a batch per fetch,
    fetched ahead by a thread (storage/fetch_ahead.py): the server writes the next objects while
    the last are written out, and the driver never holds the whole listing (`COPY ... TO STDOUT`
    would hand over each row on its own, at twice the Python time)."""
    driver = connection.connection.driver_connection
    return fetch_ahead.batches(driver, _sql(connection, query), name="closedwon_deal_listing", size=_BATCH)
