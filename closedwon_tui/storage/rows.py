"""Rows become domain objects here, and domain values become columns; the row access by id that
every part of the repository shares (`RowAccess`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from functools import cache
from typing import Any

from sqlalchemy import Connection, Row, Select, Table, bindparam, insert, select, update

from closedwon_tui.domain.errors import NotFoundError
from closedwon_tui.domain.models import (
    Deal,
    DealCard,
    DealEvent,
    EventKind,
    FollowUp,
    Note,
    Objection,
    ObjectionKind,
    ObjectionStatus,
    Pipeline,
    PipelineEvent,
    PipelineEventKind,
    Stage,
    StageKind,
)
from closedwon_tui.domain.money import from_minor, to_minor
from closedwon_tui.domain.parsing import MAX_ID
from closedwon_tui.storage import tables
from closedwon_tui.storage.driver_cursor import run
from closedwon_tui.storage.stays import LastStay

STAGES = tables.stages
PIPELINES = tables.pipelines
PIPELINE_EVENTS = tables.pipeline_events
DEALS = tables.deals
OBJECTIONS = tables.objections
FOLLOWUPS = tables.followups
NOTES = tables.notes
EVENTS = tables.deal_events
STAYS = tables.deal_stays
DEAL_FIELDS = [f.name for f in fields(Deal)]
# Columns in the order of Deal's fields, with the amount read as minor units.
DEAL_SELECT = [DEALS.c.amount_minor if name == "amount" else DEALS.c[name] for name in DEAL_FIELDS]
# The board's columns, in the order of DealCard's fields: rows become cards without conversion.
CARD_SELECT = [DEALS.c[name] for name in DealCard._fields]
AMOUNT_AT = DEAL_FIELDS.index("amount")
CURRENCY_AT = DEAL_FIELDS.index("currency")


def deal_from_row(row: Sequence[Any]) -> Deal:
    """A Deal from a row selected with DEAL_SELECT: positional, so ten thousand stay cheap."""
    values = list(row)
    minor = values[AMOUNT_AT]
    if minor is not None:
        values[AMOUNT_AT] = from_minor(minor, values[CURRENCY_AT])
    return Deal(*values)


def deal_columns(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Domain field values -> column values (amount becomes minor units); bulk writers (imports,
    restore) use it too."""
    out = dict(fields)
    if "amount" in out:
        amount = out.pop("amount")
        currency = out.get("currency", "USD")
        out["amount_minor"] = None if amount is None else to_minor(amount, currency)
    return out


def stage_from_row(row: Row[Any]) -> Stage:
    return Stage(
        id=row.id,
        name=row.name,
        position=row.position,
        probability=row.probability,
        kind=StageKind(row.kind),
        rotting_days=row.rotting_days,
        pipeline_id=row.pipeline_id,
        archived=bool(row.archived),
    )


def pipeline_from_row(row: Row[Any]) -> Pipeline:
    return Pipeline(id=row.id, name=row.name, position=row.position, archived=bool(row.archived))


def pipeline_event_from_row(row: Row[Any]) -> PipelineEvent:
    return PipelineEvent(
        id=row.id,
        pipeline_id=row.pipeline_id,
        at=row.at,
        actor=row.actor,
        kind=PipelineEventKind(row.kind),
        stage_id=row.stage_id,
        details=dict(row.details or {}),
    )


def objection_from_row(row: Row[Any]) -> Objection:
    return Objection(
        id=row.id,
        deal_id=row.deal_id,
        kind=ObjectionKind(row.kind),
        text=row.text,
        response=row.response,
        status=ObjectionStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def followup_from_row(row: Row[Any]) -> FollowUp:
    return FollowUp(
        id=row.id,
        deal_id=row.deal_id,
        due=row.due,
        has_time=row.has_time,
        note=row.note,
        created_at=row.created_at,
        done_at=row.done_at,
    )


def note_from_row(row: Row[Any]) -> Note:
    return Note(id=row.id, deal_id=row.deal_id, text=row.text, created_at=row.created_at)


def event_from_row(row: Row[Any]) -> DealEvent:
    return DealEvent(
        id=row.id,
        deal_id=row.deal_id,
        at=row.at,
        actor=row.actor,
        kind=EventKind(row.kind),
        from_stage_id=row.from_stage_id,
        to_stage_id=row.to_stage_id,
        details=dict(row.details or {}),
    )


def check_id(row_id: int, what: str) -> None:
    """An id no row can have (past a 64-bit integer, or not a whole number) is simply not found:
    the driver would fail on it (SQLite cannot even bind it)."""
    if isinstance(row_id, bool) or not isinstance(row_id, int) or not 1 <= row_id <= MAX_ID:
        raise NotFoundError(f"no {what} with id {row_id}")


@cache
def _row_by_id(table: Table) -> Select[Any]:
    """One row of a table by its id, built once per table (building a statement costs more than
    running it on SQLite, and an undo reads several)."""
    return select(table).where(table.c.id == bindparam("row_id"))


class RowAccess:
    """One connection inside one transaction, and rows of the small tables by id."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        #: Columns whose keys were spread out again in this transaction (see `ColumnKeys.spread_column`).
        self.renumbered: set[int] = set()
        #: Deals' last stays as read in this transaction before a move (see `stays.advance`), by deal.
        self.last_stays: dict[int, LastStay] = {}

    def _get(self, table: Table, row_id: int, what: str) -> Any:
        """The row (its columns by name or by position) with id `row_id`, read on the driver's cursor."""
        check_id(row_id, what)
        rows = run(self.connection, _row_by_id(table), {"row_id": row_id})
        if not rows:
            raise NotFoundError(f"no {what} with id {row_id}")
        return rows[0]

    def _insert(self, table: Table, values: Mapping[str, Any]) -> Row[Any]:
        return self.connection.execute(insert(table).values(**values).returning(*table.c)).one()

    def _update(self, table: Table, row_id: int, values: Mapping[str, Any], what: str) -> Row[Any]:
        check_id(row_id, what)
        query = update(table).where(table.c.id == row_id).values(**values).returning(*table.c)
        row = self.connection.execute(query).first()
        if row is None:
            raise NotFoundError(f"no {what} with id {row_id}")
        return row
