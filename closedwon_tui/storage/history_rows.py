"""The deals' history events, as rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select

from closedwon_tui.domain.models import (
    DealEvent,
    EventKind,
)
from closedwon_tui.storage.driver_cursor import run
from closedwon_tui.storage.rows import DEALS, EVENTS, RowAccess, event_from_row
from closedwon_tui.storage.stays import advance

#: Every change appends an event: built once (see `deal_rows`), with the columns given at each call.
_INSERT_EVENT = insert(EVENTS).returning(*EVENTS.c)
_DEAL_EVENTS = select(EVENTS).where(EVENTS.c.deal_id == bindparam("deal_id")).order_by(EVENTS.c.at, EVENTS.c.id)


class HistoryRows(RowAccess):
    """The history: events appended (one that puts a deal in a stage brings its stays up to date) and read."""

    def add_event(self, **values: Any) -> DealEvent:
        """Append a history event; one that puts the deal in a stage also brings the deal's stays up
        to date (from its last stay, when a move read it in this transaction; else by a replay)."""
        values["kind"] = EventKind(values["kind"]).value
        (row,) = run(self.connection, _INSERT_EVENT, values)
        event = event_from_row(row)
        if event.to_stage_id is not None:
            advance(self.connection, event, self.last_stays.pop(event.deal_id, None))
        return event

    def events(
        self, deal_id: int | None = None, *, kinds: Iterable[EventKind] | None = None, owner: str | None = None
    ) -> list[DealEvent]:
        if deal_id is not None and not owner and kinds is None:  # a deal's history (its panel): built once
            return [event_from_row(r) for r in self.connection.execute(_DEAL_EVENTS, {"deal_id": deal_id})]
        query = select(EVENTS).order_by(EVENTS.c.at, EVENTS.c.id)
        if deal_id is not None:
            query = query.where(EVENTS.c.deal_id == deal_id)
        if owner:
            owned = select(DEALS.c.id).where(func.lower(DEALS.c.owner) == owner.lower())
            query = query.where(EVENTS.c.deal_id.in_(owned))
        if kinds is not None:
            query = query.where(EVENTS.c.kind.in_([EventKind(k).value for k in kinds]))
        return [event_from_row(r) for r in self.connection.execute(query)]

    def last_event_id(self) -> int:
        return self.connection.scalar(select(func.max(EVENTS.c.id))) or 0

    def event_ids_since(self, event_id: int) -> list[int]:
        query = select(EVENTS.c.id).where(EVENTS.c.id > event_id).order_by(EVENTS.c.id)
        return list(self.connection.scalars(query))

    def events_after(
        self, event_id: int, *, at: datetime | None = None, kinds: Iterable[EventKind] | None = None
    ) -> list[DealEvent]:
        """The events written after `event_id` (by the primary key: only those), oldest first; only
        those written at `at` (one transaction's events share its time), of `kinds`, when given."""
        query = select(EVENTS).where(EVENTS.c.id > event_id).order_by(EVENTS.c.id)
        if at is not None:
            query = query.where(EVENTS.c.at == at)
        if kinds is not None:
            query = query.where(EVENTS.c.kind.in_([EventKind(k).value for k in kinds]))
        return [event_from_row(r) for r in self.connection.execute(query)]

    def events_by_id(self, event_ids: Iterable[int]) -> dict[int, DealEvent]:
        ids = list(event_ids)
        return {
            e.id: e for e in map(event_from_row, self.connection.execute(select(EVENTS).where(EVENTS.c.id.in_(ids))))
        }

    def event(self, event_id: int) -> DealEvent:
        return event_from_row(self._get(EVENTS, event_id, "history event"))
