"""A big SQLite listing read in two halves at once: the second half by a forked process.

SQLite writes each deal's JSON object itself (storage/deal_listing.py), and at fifty thousand
deals that is most of `deal list --json`. Two threads do not help: two connections of one process
step no faster than one (measured: SQLite's own locks serialise them). Two processes do: the
process forks, the child reads the second half of the rows (by column, position and id) on a
connection of its own and hands its objects back through a pipe, while the parent reads and
writes out the first half.

Both halves must be one snapshot of the database. The parent reads its counts, the currencies and
the split point in one read transaction, the child then starts its read, and the parent starts
its own; `PRAGMA data_version` on the parent's connection changes when another connection has
committed between two of its read transactions, so an unchanged value means the child's read,
which started between the two, saw the same database. Otherwise, or when anything in the child
fails, the caller reads the listing in one pass as before.

The child opens a connection of its own (a connection must not be used across a fork), and the
parent keeps its read transaction open until the child has handed over its whole half: the
parent's locks, which the child does not inherit, keep that snapshot's pages in place while the
child reads them. The child leaves with `os._exit`, so nothing of the parent's is closed or flushed
twice. A process with other threads never forks.
"""

from __future__ import annotations

import gc
import os
import signal
import sqlite3
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

#: Rows of a fetch, and objects per block handed back by the child.
BATCH = 2000
#: Each block the child writes: its length, then its objects, one per line, as UTF-8.
_LENGTH = struct.Struct("!Q")
_END = 0
#: A failed child says so and stops.
_FAILED = (1 << 64) - 1
#: A read of the database, so that a transaction's snapshot starts: the smallest table.
_START_READ = "SELECT count(*) FROM pipelines"


@dataclass(frozen=True)
class Split:
    """Where the second half starts: the row's column, position and id, and its place in the column."""

    stage_id: int
    position: int
    deal_id: int
    place: int
    #: The rows of the whole listing.
    rows: int
    #: What `PRAGMA data_version` said in the read transaction the split was found in.
    version: int


def can_fork() -> bool:
    """Only on Linux (where a fork is cheap and nothing of the system's starts threads behind
    Python's back, as macOS's libraries may), and only a process with one thread (a lock another
    thread holds would stay held in the child); and only with a core to spare."""
    return sys.platform == "linux" and only_thread() and a_core_to_spare()


def only_thread() -> bool:
    return threading.active_count() == 1


def a_core_to_spare() -> bool:
    """Whether the last minute left a core beyond this process's own (its own run counts in the
    load): the halves cost more CPU than one pass (the fork, a second connection, the hand-over),
    and save time only when both run at once."""
    return os.getloadavg()[0] < len(os.sched_getaffinity(0))


def open_reader(connect: Callable[[], sqlite3.Connection], mapped: int) -> sqlite3.Connection:
    """A connection of this process's own that reads with the file mapped into memory."""
    reader = connect()
    reader.isolation_level = None  # transactions begin where this module says
    reader.execute(f"PRAGMA mmap_size={mapped}")
    return reader


def find_split(reader: sqlite3.Connection, where: str, currency_sql: str) -> tuple[Split | None, list[str]]:
    """In one read transaction: the currencies, and the row the second half starts at (None when
    there are too few rows to split). `where` narrows the deals (the columns listed), or is empty."""
    reader.execute("BEGIN")
    try:
        (version,) = reader.execute("PRAGMA data_version").fetchone()
        currencies = [code for (code,) in reader.execute(currency_sql)]
        (count,) = reader.execute(f"SELECT count(*) FROM deals {where}").fetchone()
        row = reader.execute(
            f"SELECT stage_id, position, id FROM deals {where} ORDER BY stage_id, position, id LIMIT 1 OFFSET ?",
            (count // 2,),
        ).fetchone()
        if row is None or count < 2:
            return None, currencies
        stage_id, position, deal_id = row
        (place,) = reader.execute(
            "SELECT count(*) FROM deals WHERE stage_id = ? AND (position, id) < (?, ?)", (stage_id, position, deal_id)
        ).fetchone()
        return Split(stage_id, position, deal_id, place, count, version), currencies
    finally:
        reader.execute("COMMIT")


def read_halves(
    connect: Callable[[], sqlite3.Connection],
    mapped: int,
    reader: sqlite3.Connection,
    split: Split,
    first_sql: str,
    second_sql: str,
    place_rows: Callable[[Iterator[list[tuple[int, str]]], int | None, int], Iterator[list[str]]],
) -> Iterator[list[str]] | None:
    """The objects of both halves in order, in batches; None (nothing read) when another
    connection committed since the split was found. `first_sql` and `second_sql` each take the
    split row's (stage_id, position, id) as parameters; `place_rows` turns rows of
    (stage_id, object with a stand-in place) into objects, given the column and place to go on from.
    """
    ready_read, ready_write = os.pipe()
    data_read, data_write = os.pipe()
    key = (split.stage_id, split.position, split.deal_id)
    # What exists now is never collected in either process: its pages stay shared. What the
    # command line froze already (cli/command_line.py) stays frozen.
    thawed = gc.get_freeze_count() == 0
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        gc.disable()
        os.close(ready_read)
        os.close(data_read)
        _child(connect, mapped, second_sql, key, split, place_rows, ready_write, data_write)
    if thawed:
        gc.unfreeze()
    os.close(ready_write)
    os.close(data_write)
    try:
        try:
            started = os.read(ready_read, 1)  # the child's read has started (or it failed: empty)
        finally:
            os.close(ready_read)
        reader.execute("BEGIN")
        reader.execute(_START_READ).fetchone()  # this read, and its snapshot, start here (as the child's)
        # A changed version says another connection committed since the split was found.
        (version,) = reader.execute("PRAGMA data_version").fetchone()
    except BaseException:
        _stop(pid, data_read)
        raise
    if not started or version != split.version:
        reader.execute("COMMIT")
        _stop(pid, data_read)
        return None
    return _merged(pid, reader, data_read, first_sql, second_sql, key, split, place_rows)


def _merged(pid: int, reader: sqlite3.Connection, data_read: int, first_sql: str, second_sql: str,
            key: tuple[int, int, int], split: Split,
            place_rows: Callable[..., Iterator[list[str]]]) -> Iterator[list[str]]:  # fmt: skip
    try:
        with closing(reader.execute(first_sql, key)) as first:
            yield from place_rows(_rows(first, first.fetchmany(BATCH)), None, 0)
        handed = _handed(data_read)
        if handed is not None:
            yield from handed
            return
        with closing(reader.execute(second_sql, key)) as second:  # the child failed: its half read here
            yield from place_rows(_rows(second, second.fetchmany(BATCH)), split.stage_id, split.place)
    finally:
        if reader.in_transaction:
            reader.execute("COMMIT")
        _stop(pid, data_read)


def _rows(cursor: sqlite3.Cursor, first: list[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """The cursor's rows in batches, the first already fetched."""
    batch = first
    while batch:
        yield batch
        batch = cursor.fetchmany(BATCH)


def _handed(data_read: int) -> list[list[str]] | None:
    """The child's half, every block of it; None if the child failed or stopped before its end
    (nothing of a half handed over in part is used)."""
    blocks: list[list[str]] = []
    with os.fdopen(data_read, "rb", closefd=False) as pipe:
        while len(head := pipe.read(_LENGTH.size)) == _LENGTH.size:
            (length,) = _LENGTH.unpack(head)
            if length == _END:
                return blocks
            if length == _FAILED or len(body := pipe.read(length)) < length:
                return None
            blocks.append(body.decode().split("\n"))
    return None


def _child(connect: Callable[[], sqlite3.Connection], mapped: int, sql: str, key: tuple[int, int, int],
           split: Split, place_rows: Callable[..., Iterator[list[str]]], ready: int, data: int) -> None:  # fmt: skip
    """Read the second half on a connection of its own, all of it (the parent reads the pipe only
    once its own half is written), then hand it over and leave without running any of the
    parent's clean-up (its connections are the parent's)."""
    status = 1
    try:
        reader = open_reader(connect, mapped)
        reader.execute("BEGIN")
        reader.execute(_START_READ).fetchone()  # the read, and its snapshot, start here
        os.write(ready, b"1")
        os.close(ready)
        cursor = reader.execute(sql, key)
        rows = _rows(cursor, cursor.fetchmany(BATCH))
        blocks = ["\n".join(texts).encode() for texts in place_rows(rows, split.stage_id, split.place)]
        with os.fdopen(data, "wb", closefd=False) as pipe:
            for block in blocks:
                pipe.write(_LENGTH.pack(len(block)))
                pipe.write(block)
            pipe.write(_LENGTH.pack(_END))
        status = 0
    except BaseException:
        try:
            os.write(data, _LENGTH.pack(_FAILED))
        except OSError:
            pass
    finally:
        os._exit(status)


def _stop(pid: int, data_read: int) -> None:
    """The child stopped (if it still runs, the parent no longer wants its half) and reaped."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    try:
        os.close(data_read)
    except OSError:
        pass


def connector(connection: Any) -> Callable[[], sqlite3.Connection] | None:
    """How to open another connection to the SQLite file behind a SQLAlchemy connection, as its
    engine opens one; None for a database only this connection sees (in memory)."""
    url = connection.engine.url
    database = url.database or ""
    if database in ("", ":memory:") or "mode=memory" in database or url.query.get("mode") == "memory":
        return None
    args, kwargs = connection.dialect.create_connect_args(url)
    kwargs = {k: v for k, v in kwargs.items() if k in ("timeout", "uri", "detect_types", "check_same_thread")}
    return lambda: sqlite3.connect(*args, **kwargs)
