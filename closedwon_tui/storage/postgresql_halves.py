"""A big PostgreSQL listing read on two connections at once, in one snapshot.

The server writes each deal's JSON object (storage/deal_listing.py), one backend per connection,
and at fifty thousand deals that is most of `deal list --json`. With two connections two backends
write half each: the listing's transaction is REPEATABLE READ and exports its snapshot, and a
second connection, taken from the engine's pool in a thread, imports it (`SET TRANSACTION
SNAPSHOT`, as `pg_dump --jobs` does), so both halves see the same database. The thread fetches the
second half while the first is written out; when anything fails there, the first connection reads
that half itself, in the same snapshot.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any

#: Rows of a fetch.
BATCH = 2000
_READ_ONLY_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"


@dataclass(frozen=True)
class Split:
    """Where the second half starts: the row's column, position and id, and its place in the column."""

    stage_id: int
    position: int
    deal_id: int
    place: int

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.stage_id, self.position, self.deal_id)


def share_snapshot(driver: Any) -> str | None:
    """Make the listing's transaction one snapshot that another connection can share, and name
    it; None when the transaction already ran a statement (it can no longer be made one)."""
    from psycopg import pq

    if driver.info.transaction_status != pq.TransactionStatus.IDLE:
        return None
    driver.execute(_READ_ONLY_SNAPSHOT)
    (snapshot,) = driver.execute("SELECT pg_export_snapshot()").fetchone()
    return str(snapshot)


class SecondHalf(threading.Thread):
    """The second half's objects, fetched on a connection of the pool in the shared snapshot.

    The thread starts as soon as the listing knows it is split: it connects and takes up the
    snapshot while the first connection finds the split and writes the queries, and runs its
    half's query once `fetch` hands it over (None: nothing to fetch after all)."""

    def __init__(self, engine: Any, snapshot: str) -> None:
        super().__init__(name="closedwon-listing-half", daemon=True)
        self.engine, self.snapshot = engine, snapshot
        self.batches: list[list[str]] = []
        self.failed: BaseException | None = None
        self._sql: queue.SimpleQueue[str | None] = queue.SimpleQueue()

    def fetch(self, sql: str | None) -> None:
        self._sql.put(sql)

    def run(self) -> None:
        from psycopg import sql as psycopg_sql

        try:
            raw = self.engine.raw_connection()
            try:
                driver = raw.driver_connection
                driver.execute(_READ_ONLY_SNAPSHOT)
                driver.execute(
                    psycopg_sql.SQL("SET TRANSACTION SNAPSHOT {}").format(psycopg_sql.Literal(self.snapshot))
                )
                sql = self._sql.get()
                if sql is None:
                    return
                with driver.cursor(name="closedwon_deal_listing_half") as cursor:
                    cursor.itersize = BATCH
                    cursor.execute(sql)
                    while batch := cursor.fetchmany(BATCH):
                        self.batches.append([text for (text,) in batch])
            finally:
                raw.close()  # back to the pool, its transaction rolled back
        except BaseException as exc:  # the first connection reads this half itself
            self.failed = exc
            self.batches = []
