"""A column's order as gapped ordering keys (domain/ordering.py): where a card goes, which deal holds a
key, a column spread out again when its keys run out."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, func, select, update

from closedwon_tui.domain.models import (
    Deal,
)
from closedwon_tui.domain.ordering import keys_after, spread
from closedwon_tui.storage.driver_cursor import run
from closedwon_tui.storage.rows import DEALS, STAGES, RowAccess

# Statements a move or an undo runs, built once (see deal_rows.py).
#: The key of a column's top card: a move puts a card above it.
_FIRST_KEY = (
    select(DEALS.c.position)
    .where(DEALS.c.stage_id == bindparam("stage_id"), DEALS.c.id != bindparam("exclude"))
    .order_by(DEALS.c.position)
    .limit(1)
)

#: The stages' rows locked (PostgreSQL) while a change reshuffles columns (see `lock_columns`).
_LOCK_STAGES = select(STAGES.c.id).order_by(STAGES.c.id).with_for_update(key_share=True)


class ColumnKeys(RowAccess):
    """The ordering keys of the columns' cards."""

    def lock_columns(self) -> None:
        """Serialise writers that reshuffle columns: row locks on PostgreSQL.

        FOR NO KEY UPDATE, not FOR UPDATE: it still queues writers that reshuffle columns, but
        does not block the key-share lock a foreign-key check takes on a stage, which another
        writer may need while a mover waits for that writer's deal row (a deadlock otherwise).
        SQLite needs nothing more: every write transaction there begins IMMEDIATE.
        """
        if self.connection.dialect.name != "sqlite":
            run(self.connection, _LOCK_STAGES, {})

    def place_in_column(self, deal: Deal) -> int:
        """The deal's index in its column (0 is the top)."""
        return self.index_of_key(deal.stage_id, deal.position, exclude=deal.id)

    def index_of_key(self, stage_id: int, key: int, *, exclude: int) -> int:
        """How many cards of the column (but `exclude`) sort before ordering key `key`."""
        query = select(func.count()).where(DEALS.c.stage_id == stage_id, DEALS.c.position < key, DEALS.c.id != exclude)
        return self.connection.scalar(query) or 0

    def keys_around(self, stage_id: int, index: int, *, exclude: int) -> tuple[int | None, int | None]:
        """The ordering keys either side of place `index` of a column, leaving deal `exclude` out
        (the one being placed); None on a side where the column ends. Reads at most two keys,
        through the (stage, position) index."""
        if index <= 0:  # the top, where a move puts a card: the statement is built once
            return None, self.connection.scalar(_FIRST_KEY, {"stage_id": stage_id, "exclude": exclude})
        column = (DEALS.c.stage_id == stage_id, DEALS.c.id != exclude)
        ordered = select(DEALS.c.position).where(*column).order_by(DEALS.c.position)
        keys = list(self.connection.scalars(ordered.offset(index - 1).limit(2)))
        if not keys:  # past the end: after the last card
            return self.connection.scalar(select(func.max(DEALS.c.position)).where(*column)), None
        return keys[0], keys[1] if len(keys) > 1 else None

    def spread_column(self, stage_id: int, *, exclude: int) -> None:
        """Give a column's cards (but `exclude`) evenly spaced keys again, in the same order."""
        query = select(DEALS.c.id).where(DEALS.c.stage_id == stage_id, DEALS.c.id != exclude)
        ids = list(self.connection.scalars(query.order_by(DEALS.c.position, DEALS.c.id)))
        if ids:
            move = update(DEALS).where(DEALS.c.id == bindparam("deal")).values(position=bindparam("key"))
            self.connection.execute(move, [{"deal": i, "key": k} for i, k in zip(ids, spread(len(ids)))])
        self.renumbered.add(stage_id)

    def end_positions(self, stage_id: int, count: int) -> list[int]:
        """Ordering keys for `count` deals added at the bottom of a column, top to bottom (bulk
        writes: imports, their undo). The column is spread out first when the keys would run out."""
        last = self.connection.scalar(select(func.max(DEALS.c.position)).where(DEALS.c.stage_id == stage_id))
        keys = keys_after(last, count)
        if keys is None:
            query = select(DEALS.c.id).where(DEALS.c.stage_id == stage_id)
            ids = list(self.connection.scalars(query.order_by(DEALS.c.position, DEALS.c.id)))
            every = spread(len(ids) + count)
            move = update(DEALS).where(DEALS.c.id == bindparam("deal")).values(position=bindparam("key"))
            self.connection.execute(move, [{"deal": i, "key": k} for i, k in zip(ids, every)])
            self.renumbered.add(stage_id)
            keys = every[len(ids) :]
        return keys

    def holders(self, places: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
        """Which deal holds each (stage id, ordering key), for those held: one query."""
        wanted = set(places)
        if not wanted:
            return {}
        query = select(DEALS.c.id, DEALS.c.stage_id, DEALS.c.position).where(
            DEALS.c.position.in_(sorted({key for _, key in wanted})),
            DEALS.c.stage_id.in_(sorted({stage for stage, _ in wanted})),
        )
        return {(s, k): i for i, s, k in self.connection.execute(query) if (s, k) in wanted}
