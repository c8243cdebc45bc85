"""Test helpers: the whole database as plain rows, and the board's column positions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, select


def dump_tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (Alembic's included), in primary-key order."""
    metadata = MetaData()
    metadata.reflect(engine)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            out[name] = [tuple(row) for row in conn.execute(select(table).order_by(*order))]
    return out


def columns(service) -> dict[int, list[int]]:  # type: ignore[no-untyped-def]
    """stage id -> the deal ids in its column, top first."""
    board = service.board()
    out: dict[int, list[int]] = {s.id: [] for s in board.stages}
    for deal in sorted(board.cards, key=lambda d: (d.stage_id, d.position)):
        out[deal.stage_id].append(deal.id)
    return out


def assert_ordered(service) -> None:  # type: ignore[no-untyped-def]
    """Every column's ordering keys are unique, so its order is one and only one."""
    by_stage: dict[int, list[int]] = {}
    for deal in service.deals():
        by_stage.setdefault(deal.stage_id, []).append(deal.position)
    for stage_id, positions in by_stage.items():
        assert len(set(positions)) == len(positions), (stage_id, sorted(positions))


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another program holds SQLite's write lock on the file until the block ends (readers go on)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()
