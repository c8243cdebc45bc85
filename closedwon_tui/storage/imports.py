"""What imports read and write in bulk: the keys of existing deals, many deals and events at
once, import batches, and the database's own id.

It works on a `Repository`'s connection, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update

from closedwon_tui.domain.errors import ConflictError, NotFoundError
from closedwon_tui.domain.models import Deal
from closedwon_tui.storage import stays, tables
from closedwon_tui.storage.repository import Repository, deal_columns

_DEALS = tables.deals
_EVENTS = tables.deal_events
_BATCHES = tables.import_batches
_INFO = tables.database_info
#: Ids per `IN (...)`: well under every backend's limit on bound parameters.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class DealKey:
    """What an import matches an existing deal on."""

    id: int
    origin_source: str | None
    origin_id: str | None
    title: str
    company: str


@dataclass(frozen=True, slots=True)
class ImportBatch:
    id: int
    at: datetime
    actor: str
    file: str
    source: str
    created: int
    updated: int
    skipped: int
    errors: int
    details: dict[str, Any]
    undone_at: datetime | None


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


class ImportStore:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.connection = repo.connection

    # the database's id ---------------------------------------------------
    def database_id(self) -> str:
        value = self.connection.scalar(select(_INFO.c.value).where(_INFO.c.name == "database_id"))
        if value is None:  # pragma: no cover - the migration writes it
            raise NotFoundError("this database has no id; run closedwon db upgrade")
        return str(value)

    # matching --------------------------------------------------------------
    def deal_keys(self) -> list[DealKey]:
        query = select(_DEALS.c.id, _DEALS.c.origin_source, _DEALS.c.origin_id, _DEALS.c.title, _DEALS.c.company)
        return [DealKey(*row) for row in self.connection.execute(query)]

    def origins(self, deal_ids: Sequence[int]) -> dict[int, tuple[str | None, str | None]]:
        out: dict[int, tuple[str | None, str | None]] = {}
        for chunk in _chunks(deal_ids):
            query = select(_DEALS.c.id, _DEALS.c.origin_source, _DEALS.c.origin_id).where(_DEALS.c.id.in_(chunk))
            out.update({row.id: (row.origin_source, row.origin_id) for row in self.connection.execute(query)})
        return out

    def all_origins(self) -> dict[int, tuple[str | None, str | None]]:
        query = select(_DEALS.c.id, _DEALS.c.origin_source, _DEALS.c.origin_id).where(
            _DEALS.c.origin_source.is_not(None)
        )
        return {row.id: (row.origin_source, row.origin_id) for row in self.connection.execute(query)}

    def deals(self, deal_ids: Sequence[int]) -> dict[int, Deal]:
        out: dict[int, Deal] = {}
        for chunk in _chunks(deal_ids):
            out.update({deal.id: deal for deal in self.repo.deals(ids=chunk)})
        return out

    # bulk writes -------------------------------------------------------------
    def reserve_deal_ids(self, count: int) -> list[int]:
        """Ids for `count` new deals, so deals and their events go in with one statement each.

        PostgreSQL hands them out from the table's sequence (safe beside other writers); SQLite
        has one writer at a time, so the next ids after the largest are free.
        """
        if count == 0:
            return []
        if self.connection.dialect.name == "postgresql":
            query = text("SELECT nextval(pg_get_serial_sequence('deals', 'id')) FROM generate_series(1, :n)")
            return list(self.connection.scalars(query, {"n": count}))
        last = self.connection.scalar(select(func.max(_DEALS.c.id))) or 0
        return list(range(last + 1, last + 1 + count))

    def reserve_event_ids(self, count: int) -> list[int]:
        if count == 0:
            return []
        if self.connection.dialect.name == "postgresql":
            query = text("SELECT nextval(pg_get_serial_sequence('deal_events', 'id')) FROM generate_series(1, :n)")
            return list(self.connection.scalars(query, {"n": count}))
        last = self.connection.scalar(select(func.max(_EVENTS.c.id))) or 0
        return list(range(last + 1, last + 1 + count))

    def insert_deals(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Deals given as domain values (amounts as Decimals), each with its id and position."""
        if rows:
            self.connection.execute(insert(_DEALS), [deal_columns(row) for row in rows])

    def insert_events(self, rows: Sequence[Mapping[str, Any]], *, new_deals: bool = False) -> None:
        """History events (with their ids); the deals that any of them puts in a stage get their
        stays replayed. `new_deals`: these events are the deals' whole history (an import's new
        deals), so their stays are written from them without reading anything back."""
        if not rows:
            return
        self.connection.execute(insert(_EVENTS), list(rows))
        if new_deals:
            stays.write_new(self.connection, rows)
        else:
            stays.replay_deals(self.connection, (row["deal_id"] for row in rows if row.get("to_stage_id") is not None))

    def insert_followups(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(tables.followups), list(rows))

    def insert_notes(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(tables.notes), list(rows))

    def update_deals(self, changes: Sequence[tuple[int, int, Mapping[str, Any]]]) -> None:
        """Write many deals' changes (deal id, the version they were read at, domain values): each
        only if its deal is still at that version, which then goes up by one. Deals that change the
        same fields go in one statement; if any deal was changed meanwhile, nothing is written."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for deal_id, version, values in changes:
            columns = deal_columns(values)
            key = tuple(sorted(columns))
            groups.setdefault(key, []).append(
                {"b_id": deal_id, "b_version": version, **{f"b_{name}": value for name, value in columns.items()}}
            )
        for names, rows in groups.items():
            query = (
                update(_DEALS)
                .where(_DEALS.c.id == bindparam("b_id"), _DEALS.c.version == bindparam("b_version"))
                .values(
                    {**{n: bindparam(f"b_{n}", type_=_DEALS.c[n].type) for n in names}, "version": _DEALS.c.version + 1}
                )
            )
            for start in range(0, len(rows), _CHUNK):
                chunk = rows[start : start + _CHUNK]
                if self.connection.execute(query, chunk).rowcount != len(chunk):
                    raise ConflictError("deals were changed by someone else meanwhile; nothing was written, try again")

    def delete_deals(self, deal_ids: Sequence[int]) -> None:
        """Remove deals with everything recorded about them: the one path that deletes deals
        (taking back an import). Their children go first, so no backend's cascade is relied on."""
        for chunk in _chunks(deal_ids):
            for child in (tables.objections, tables.followups, tables.notes, tables.deal_stays, _EVENTS):
                self.connection.execute(delete(child).where(child.c.deal_id.in_(chunk)))
            self.connection.execute(delete(_DEALS).where(_DEALS.c.id.in_(chunk)))

    # what changed since an import ----------------------------------------------
    def versions(self, deal_ids: Sequence[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for chunk in _chunks(deal_ids):
            query = select(_DEALS.c.id, _DEALS.c.version).where(_DEALS.c.id.in_(chunk))
            out.update({row.id: row.version for row in self.connection.execute(query)})
        return out

    def latest_events(self, deal_ids: Sequence[int]) -> dict[int, int]:
        """The newest history event of each deal."""
        out: dict[int, int] = {}
        for chunk in _chunks(deal_ids):
            query = select(_EVENTS.c.deal_id, func.max(_EVENTS.c.id)).where(_EVENTS.c.deal_id.in_(chunk))
            out.update(dict(self.connection.execute(query.group_by(_EVENTS.c.deal_id)).all()))  # type: ignore[arg-type]
        return out

    def events_by_id(self, event_ids: Sequence[int]) -> dict[int, Any]:
        out: dict[int, Any] = {}
        for chunk in _chunks(event_ids):
            query = select(_EVENTS.c.id, _EVENTS.c.details).where(_EVENTS.c.id.in_(chunk))
            out.update({row.id: dict(row.details or {}) for row in self.connection.execute(query)})
        return out

    # batches -----------------------------------------------------------------
    def insert_batch(self, values: Mapping[str, Any]) -> int:
        return int(self.connection.execute(insert(_BATCHES).values(**values).returning(_BATCHES.c.id)).scalar_one())

    def update_batch(self, batch_id: int, values: Mapping[str, Any]) -> None:
        self.connection.execute(update(_BATCHES).where(_BATCHES.c.id == batch_id).values(**values))

    def batch(self, batch_id: int) -> ImportBatch:
        row = self.connection.execute(select(_BATCHES).where(_BATCHES.c.id == batch_id)).first()
        if row is None:
            raise NotFoundError(f"no import with batch number {batch_id} (see closedwon import list)")
        return ImportBatch(**row._asdict())

    def batches(self) -> list[ImportBatch]:
        rows = self.connection.execute(select(_BATCHES).order_by(_BATCHES.c.id))
        return [ImportBatch(**row._asdict()) for row in rows]
