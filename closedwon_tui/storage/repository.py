"""Read and write pipeline records inside one session; rows become domain objects here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from closedwon_tui.domain.errors import ConflictError, NotFoundError
from closedwon_tui.domain.models import (
    CardFacts,
    Deal,
    DealEvent,
    EventKind,
    FollowUp,
    Note,
    Objection,
    ObjectionKind,
    ObjectionStatus,
    Stage,
    StageKind,
)
from closedwon_tui.domain.money import from_minor, to_minor
from closedwon_tui.storage.tables import DealEventRow, DealRow, FollowUpRow, NoteRow, ObjectionRow, StageRow

_DEALS = DealRow.__table__
_DEAL_FIELDS = [f.name for f in fields(Deal)]
# Columns in the order of Deal's fields, with the amount read as minor units.
_DEAL_SELECT = [_DEALS.c.amount_minor if name == "amount" else _DEALS.c[name] for name in _DEAL_FIELDS]
_AMOUNT_AT = _DEAL_FIELDS.index("amount")
_CURRENCY_AT = _DEAL_FIELDS.index("currency")


def _deal_from_row(row: Sequence[Any]) -> Deal:
    """A Deal from a row selected with _DEAL_SELECT: positional, so ten thousand stay cheap."""
    values = list(row)
    minor = values[_AMOUNT_AT]
    if minor is not None:
        values[_AMOUNT_AT] = from_minor(minor, values[_CURRENCY_AT])
    return Deal(*values)


def _deal_to_columns(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Domain field values -> column values (amount becomes minor units)."""
    out = dict(fields)
    if "amount" in out:
        amount = out.pop("amount")
        currency = out.get("currency", "USD")
        out["amount_minor"] = None if amount is None else to_minor(amount, currency)
    return out


def _stage(row: StageRow) -> Stage:
    return Stage(
        id=row.id,
        name=row.name,
        position=row.position,
        probability=row.probability,
        kind=StageKind(row.kind),
        rotting_days=row.rotting_days,
    )


def _objection(row: ObjectionRow) -> Objection:
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


def _followup(row: FollowUpRow) -> FollowUp:
    return FollowUp(
        id=row.id,
        deal_id=row.deal_id,
        due=row.due,
        has_time=row.has_time,
        note=row.note,
        created_at=row.created_at,
        done_at=row.done_at,
    )


def _note(row: NoteRow) -> Note:
    return Note(id=row.id, deal_id=row.deal_id, text=row.text, created_at=row.created_at)


def _event(row: DealEventRow) -> DealEvent:
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


class Repository:
    """Every query closedwon makes, on one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # stages -------------------------------------------------------------
    def stages(self) -> list[Stage]:
        return [_stage(r) for r in self.session.scalars(select(StageRow).order_by(StageRow.position))]

    def lock_columns(self) -> None:
        """Serialise writers that reshuffle columns: row locks on PostgreSQL.

        SQLite needs nothing more: every write transaction there begins IMMEDIATE.
        """
        if self.session.get_bind().dialect.name != "sqlite":
            self.session.execute(select(StageRow.id).order_by(StageRow.id).with_for_update())

    # deals --------------------------------------------------------------
    def deal(self, deal_id: int) -> Deal:
        row = self.session.execute(select(*_DEAL_SELECT).where(_DEALS.c.id == deal_id)).first()
        if row is None:
            raise NotFoundError(f"no deal with id {deal_id}")
        return _deal_from_row(row)

    def deals(
        self,
        *,
        stage_ids: Iterable[int] | None = None,
        owner: str | None = None,
        ids: Iterable[int] | None = None,
    ) -> list[Deal]:
        query = select(*_DEAL_SELECT).order_by(_DEALS.c.stage_id, _DEALS.c.position, _DEALS.c.id)
        if stage_ids is not None:
            query = query.where(_DEALS.c.stage_id.in_(list(stage_ids)))
        if owner:
            query = query.where(func.lower(_DEALS.c.owner) == owner.lower())
        if ids is not None:
            query = query.where(_DEALS.c.id.in_(list(ids)))
        return [_deal_from_row(row) for row in self.session.execute(query).all()]

    def owners(self) -> list[str]:
        """Every distinct non-empty deal owner, alphabetically."""
        query = select(_DEALS.c.owner).where(_DEALS.c.owner != "").distinct()
        return sorted(self.session.scalars(query), key=str.lower)

    def touch(self, deal_id: int, at: datetime) -> None:
        """Activity restarts the rotting timer; it is not an edit, so the version stays."""
        self.session.execute(update(_DEALS).where(_DEALS.c.id == deal_id).values(last_activity_at=at, updated_at=at))

    def column_size(self, stage_id: int) -> int:
        return self.session.scalar(select(func.count()).select_from(_DEALS).where(_DEALS.c.stage_id == stage_id)) or 0

    def insert_deal(self, fields: Mapping[str, Any]) -> Deal:
        values = _deal_to_columns(fields)
        values["version"] = 1
        deal_id = self.session.execute(insert(_DEALS).values(**values).returning(_DEALS.c.id)).scalar_one()
        return self.deal(deal_id)

    def update_deal(self, deal_id: int, version: int, fields: Mapping[str, Any]) -> Deal:
        """Write fields if the deal is still at `version`; otherwise nothing is written."""
        values = _deal_to_columns(fields)
        result = self.session.execute(
            update(_DEALS)
            .where(_DEALS.c.id == deal_id, _DEALS.c.version == version)
            .values(**values, version=_DEALS.c.version + 1)
        )
        if result.rowcount != 1:
            current = self.deal(deal_id)  # raises NotFoundError if it is gone
            raise ConflictError(
                f"deal {deal_id} ({current.title}) was changed by someone else "
                f"(version {current.version}, you had {version}); reload and try again"
            )
        return self.deal(deal_id)

    def shift_positions(self, stage_id: int, start: int, end: int | None, delta: int, *, exclude: int) -> None:
        """Add delta to the position of every deal in the column with start <= position < end."""
        query = update(_DEALS).where(
            _DEALS.c.stage_id == stage_id, _DEALS.c.position >= start, _DEALS.c.id != exclude
        )
        if end is not None:
            query = query.where(_DEALS.c.position < end)
        self.session.execute(query.values(position=_DEALS.c.position + delta))

    def positions(self, stage_id: int) -> list[int]:
        return list(
            self.session.scalars(
                select(_DEALS.c.position).where(_DEALS.c.stage_id == stage_id).order_by(_DEALS.c.position)
            )
        )

    def card_facts(self, deal_ids: Iterable[int] | None = None) -> dict[int, CardFacts]:
        """Open objections and next pending follow-up, per deal, in two grouped queries."""
        open_q = (
            select(ObjectionRow.deal_id, func.count())
            .where(ObjectionRow.status == ObjectionStatus.OPEN.value)
            .group_by(ObjectionRow.deal_id)
        )
        next_q = select(FollowUpRow.deal_id, func.min(FollowUpRow.due)).where(FollowUpRow.done_at.is_(None))
        next_q = next_q.group_by(FollowUpRow.deal_id)
        if deal_ids is not None:
            ids = list(deal_ids)
            open_q = open_q.where(ObjectionRow.deal_id.in_(ids))
            next_q = next_q.where(FollowUpRow.deal_id.in_(ids))
        counts: dict[int, int] = {d: n for d, n in self.session.execute(open_q)}
        nexts: dict[int, datetime] = {d: due for d, due in self.session.execute(next_q)}
        return {
            deal_id: CardFacts(open_objections=counts.get(deal_id, 0), next_followup=nexts.get(deal_id))
            for deal_id in counts.keys() | nexts.keys()
        }

    # objections, follow-ups, notes --------------------------------------
    def objections(self, deal_id: int) -> list[Objection]:
        query = select(ObjectionRow).where(ObjectionRow.deal_id == deal_id).order_by(ObjectionRow.id)
        return [_objection(r) for r in self.session.scalars(query)]

    def objection(self, objection_id: int) -> Objection:
        row = self.session.get(ObjectionRow, objection_id)
        if row is None:
            raise NotFoundError(f"no objection with id {objection_id}")
        return _objection(row)

    def insert_objection(self, **values: Any) -> Objection:
        row = ObjectionRow(**values)
        self.session.add(row)
        self.session.flush()
        return _objection(row)

    def update_objection(self, objection_id: int, **values: Any) -> Objection:
        row = self.session.get(ObjectionRow, objection_id)
        if row is None:
            raise NotFoundError(f"no objection with id {objection_id}")
        for key, value in values.items():
            setattr(row, key, value)
        self.session.flush()
        return _objection(row)

    def delete_objection(self, objection_id: int) -> None:
        self.session.execute(delete(ObjectionRow).where(ObjectionRow.id == objection_id))

    def followups(self, deal_id: int | None = None, *, pending_only: bool = False) -> list[FollowUp]:
        query = select(FollowUpRow).order_by(FollowUpRow.due, FollowUpRow.id)
        if deal_id is not None:
            query = query.where(FollowUpRow.deal_id == deal_id)
        if pending_only:
            query = query.where(FollowUpRow.done_at.is_(None))
        return [_followup(r) for r in self.session.scalars(query)]

    def followup(self, followup_id: int) -> FollowUp:
        row = self.session.get(FollowUpRow, followup_id)
        if row is None:
            raise NotFoundError(f"no follow-up with id {followup_id}")
        return _followup(row)

    def insert_followup(self, **values: Any) -> FollowUp:
        row = FollowUpRow(**values)
        self.session.add(row)
        self.session.flush()
        return _followup(row)

    def update_followup(self, followup_id: int, **values: Any) -> FollowUp:
        row = self.session.get(FollowUpRow, followup_id)
        if row is None:
            raise NotFoundError(f"no follow-up with id {followup_id}")
        for key, value in values.items():
            setattr(row, key, value)
        self.session.flush()
        return _followup(row)

    def delete_followup(self, followup_id: int) -> None:
        self.session.execute(delete(FollowUpRow).where(FollowUpRow.id == followup_id))

    def notes(self, deal_id: int) -> list[Note]:
        query = select(NoteRow).where(NoteRow.deal_id == deal_id).order_by(NoteRow.created_at.desc(), NoteRow.id.desc())
        return [_note(r) for r in self.session.scalars(query)]

    def note(self, note_id: int) -> Note:
        row = self.session.get(NoteRow, note_id)
        if row is None:
            raise NotFoundError(f"no note with id {note_id}")
        return _note(row)

    def insert_note(self, **values: Any) -> Note:
        row = NoteRow(**values)
        self.session.add(row)
        self.session.flush()
        return _note(row)

    def delete_note(self, note_id: int) -> None:
        self.session.execute(delete(NoteRow).where(NoteRow.id == note_id))

    # history ------------------------------------------------------------
    def add_event(self, **values: Any) -> DealEvent:
        values["kind"] = EventKind(values["kind"]).value
        row = DealEventRow(**values)
        self.session.add(row)
        self.session.flush()
        return _event(row)

    def events(
        self, deal_id: int | None = None, *, kinds: Iterable[EventKind] | None = None, owner: str | None = None
    ) -> list[DealEvent]:
        query = select(DealEventRow).order_by(DealEventRow.at, DealEventRow.id)
        if deal_id is not None:
            query = query.where(DealEventRow.deal_id == deal_id)
        if owner:
            owned = select(_DEALS.c.id).where(func.lower(_DEALS.c.owner) == owner.lower())
            query = query.where(DealEventRow.deal_id.in_(owned))
        if kinds is not None:
            query = query.where(DealEventRow.kind.in_([EventKind(k).value for k in kinds]))
        return [_event(r) for r in self.session.scalars(query)]

    def last_event_id(self) -> int:
        return self.session.scalar(select(func.max(DealEventRow.id))) or 0

    def event_ids_since(self, event_id: int) -> list[int]:
        query = select(DealEventRow.id).where(DealEventRow.id > event_id).order_by(DealEventRow.id)
        return list(self.session.scalars(query))

    def event(self, event_id: int) -> DealEvent:
        row = self.session.get(DealEventRow, event_id)
        if row is None:
            raise NotFoundError(f"no history event with id {event_id}")
        return _event(row)

