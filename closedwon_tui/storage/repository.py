"""Read and write pipeline records inside one transaction; rows become domain objects here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, bindparam, delete, func, insert, or_, select, update

from closedwon_tui.domain.errors import ConflictError, NotFoundError
from closedwon_tui.domain.models import (
    AgendaDeal,
    CardFacts,
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
from closedwon_tui.domain.ordering import keys_after, spread
from closedwon_tui.domain.parsing import MAX_ID
from closedwon_tui.storage import tables
from closedwon_tui.storage.stays import replay_deal

_STAGES = tables.stages
_PIPELINES = tables.pipelines
_PIPELINE_EVENTS = tables.pipeline_events
_DEALS = tables.deals
_OBJECTIONS = tables.objections
_FOLLOWUPS = tables.followups
_NOTES = tables.notes
_EVENTS = tables.deal_events
_DEAL_FIELDS = [f.name for f in fields(Deal)]
# Columns in the order of Deal's fields, with the amount read as minor units.
_DEAL_SELECT = [_DEALS.c.amount_minor if name == "amount" else _DEALS.c[name] for name in _DEAL_FIELDS]
# The board's columns, in the order of DealCard's fields: rows become cards without conversion.
_CARD_SELECT = [_DEALS.c[name] for name in DealCard._fields]
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


#: For bulk writers outside this class (imports, restore): the same conversion.
deal_columns = _deal_to_columns


def _stage(row: Row[Any]) -> Stage:
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


def _pipeline(row: Row[Any]) -> Pipeline:
    return Pipeline(id=row.id, name=row.name, position=row.position, archived=bool(row.archived))


def _pipeline_event(row: Row[Any]) -> PipelineEvent:
    return PipelineEvent(
        id=row.id,
        pipeline_id=row.pipeline_id,
        at=row.at,
        actor=row.actor,
        kind=PipelineEventKind(row.kind),
        stage_id=row.stage_id,
        details=dict(row.details or {}),
    )


def _objection(row: Row[Any]) -> Objection:
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


def _followup(row: Row[Any]) -> FollowUp:
    return FollowUp(
        id=row.id,
        deal_id=row.deal_id,
        due=row.due,
        has_time=row.has_time,
        note=row.note,
        created_at=row.created_at,
        done_at=row.done_at,
    )


def _note(row: Row[Any]) -> Note:
    return Note(id=row.id, deal_id=row.deal_id, text=row.text, created_at=row.created_at)


def _event(row: Row[Any]) -> DealEvent:
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


def _check_id(row_id: int, what: str) -> None:
    """An id no row can have (past a 64-bit integer, or not a whole number) is simply not found:
    the driver would fail on it (SQLite cannot even bind it)."""
    if isinstance(row_id, bool) or not isinstance(row_id, int) or not 1 <= row_id <= MAX_ID:
        raise NotFoundError(f"no {what} with id {row_id}")


class Repository:
    """Every query closedwon makes, on one connection inside one transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        #: Columns whose keys were spread out again in this transaction (see `spread_column`).
        self.renumbered: set[int] = set()

    # rows by id, for the small tables ---------------------------------
    def _get(self, table: Table, row_id: int, what: str) -> Row[Any]:
        _check_id(row_id, what)
        row = self.connection.execute(select(table).where(table.c.id == row_id)).first()
        if row is None:
            raise NotFoundError(f"no {what} with id {row_id}")
        return row

    def _insert(self, table: Table, values: Mapping[str, Any]) -> Row[Any]:
        return self.connection.execute(insert(table).values(**values).returning(*table.c)).one()

    def _update(self, table: Table, row_id: int, values: Mapping[str, Any], what: str) -> Row[Any]:
        _check_id(row_id, what)
        query = update(table).where(table.c.id == row_id).values(**values).returning(*table.c)
        row = self.connection.execute(query).first()
        if row is None:
            raise NotFoundError(f"no {what} with id {row_id}")
        return row

    # pipelines and stages ------------------------------------------------
    def pipelines(self) -> list[Pipeline]:
        """Every pipeline, archived ones too, in the order the rep gave them."""
        query = select(_PIPELINES).order_by(_PIPELINES.c.position, _PIPELINES.c.id)
        return [_pipeline(r) for r in self.connection.execute(query)]

    def stages(self) -> list[Stage]:
        """Every stage of every pipeline, archived ones too: by pipeline, then in board order."""
        query = select(_STAGES).order_by(_STAGES.c.pipeline_id, _STAGES.c.position, _STAGES.c.id)
        return [_stage(r) for r in self.connection.execute(query)]

    def stage(self, stage_id: int) -> Stage:
        """One stage as the database holds it now (in this transaction)."""
        return _stage(self._get(_STAGES, stage_id, "stage"))

    def insert_pipeline(self, **values: Any) -> Pipeline:
        return _pipeline(self._insert(_PIPELINES, values))

    def update_pipeline(self, pipeline_id: int, **values: Any) -> Pipeline:
        return _pipeline(self._update(_PIPELINES, pipeline_id, values, "pipeline"))

    def insert_stage(self, **values: Any) -> Stage:
        return _stage(self._insert(_STAGES, values))

    def update_stage(self, stage_id: int, **values: Any) -> Stage:
        return _stage(self._update(_STAGES, stage_id, values, "stage"))

    def deal_counts(self, stage_ids: Iterable[int] | None = None) -> dict[int, int]:
        """How many deals each stage holds (stages without deals are left out)."""
        query = select(_DEALS.c.stage_id, func.count()).group_by(_DEALS.c.stage_id)
        if stage_ids is not None:
            query = query.where(_DEALS.c.stage_id.in_(list(stage_ids)))
        return {stage_id: count for stage_id, count in self.connection.execute(query)}

    def deal_ids_in(self, stage_id: int) -> list[int]:
        """A column's deals, top to bottom."""
        query = select(_DEALS.c.id).where(_DEALS.c.stage_id == stage_id).order_by(_DEALS.c.position, _DEALS.c.id)
        return list(self.connection.scalars(query))

    def add_pipeline_event(self, **values: Any) -> PipelineEvent:
        values["kind"] = PipelineEventKind(values["kind"]).value
        return _pipeline_event(self._insert(_PIPELINE_EVENTS, values))

    def pipeline_event(self, event_id: int) -> PipelineEvent:
        return _pipeline_event(self._get(_PIPELINE_EVENTS, event_id, "stage change"))

    def pipeline_events(self, pipeline_id: int | None = None) -> list[PipelineEvent]:
        query = select(_PIPELINE_EVENTS).order_by(_PIPELINE_EVENTS.c.id)
        if pipeline_id is not None:
            query = query.where(_PIPELINE_EVENTS.c.pipeline_id == pipeline_id)
        return [_pipeline_event(r) for r in self.connection.execute(query)]

    def last_pipeline_event_id(self) -> int:
        return self.connection.scalar(select(func.max(_PIPELINE_EVENTS.c.id))) or 0

    def lock_columns(self) -> None:
        """Serialise writers that reshuffle columns: row locks on PostgreSQL.

        FOR NO KEY UPDATE, not FOR UPDATE: it still queues writers that reshuffle columns, but
        does not block the key-share lock a foreign-key check takes on a stage, which another
        writer may need while a mover waits for that writer's deal row (a deadlock otherwise).
        SQLite needs nothing more: every write transaction there begins IMMEDIATE.
        """
        if self.connection.dialect.name != "sqlite":
            query = select(_STAGES.c.id).order_by(_STAGES.c.id).with_for_update(key_share=True)
            self.connection.execute(query)

    # deals --------------------------------------------------------------
    def deal(self, deal_id: int) -> Deal:
        _check_id(deal_id, "deal")
        row = self.connection.execute(select(*_DEAL_SELECT).where(_DEALS.c.id == deal_id)).first()
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
        return [_deal_from_row(row) for row in self.connection.execute(query).all()]

    def place_in_column(self, deal: Deal) -> int:
        """The deal's index in its column (0 is the top)."""
        return self.index_of_key(deal.stage_id, deal.position, exclude=deal.id)

    def index_of_key(self, stage_id: int, key: int, *, exclude: int) -> int:
        """How many cards of the column (but `exclude`) sort before ordering key `key`."""
        query = select(func.count()).where(
            _DEALS.c.stage_id == stage_id, _DEALS.c.position < key, _DEALS.c.id != exclude
        )
        return self.connection.scalar(query) or 0

    def deal_cards(
        self,
        *,
        owner: str | None = None,
        stage_ids: Iterable[int] | None = None,
        closed_stages: Sequence[int] = (),
        closed_since: datetime | None = None,
        closed_before: datetime | None = None,
    ) -> list[DealCard]:
        """Deals as the board needs them, by column and position: fourteen columns, no conversion.

        Every deal (of `stage_ids`: one pipeline's), or with `closed_since` the deals of the closed
        stages only when closed since then, or with `closed_before` only the deals of the closed
        stages closed before then (or with no close time).
        """
        query = select(*_CARD_SELECT).order_by(_DEALS.c.stage_id, _DEALS.c.position, _DEALS.c.id)
        if stage_ids is not None:
            query = query.where(_DEALS.c.stage_id.in_(list(stage_ids)))
        if owner:
            query = query.where(func.lower(_DEALS.c.owner) == owner.lower())
        in_closed = _DEALS.c.stage_id.in_(list(closed_stages))
        if closed_since is not None:
            query = query.where(or_(~in_closed, _DEALS.c.closed_at >= closed_since))
        if closed_before is not None:
            query = query.where(in_closed, or_(_DEALS.c.closed_at.is_(None), _DEALS.c.closed_at < closed_before))
        make = tuple.__new__
        return [make(DealCard, row) for row in self.connection.execute(query)]

    def older_closed_counts(
        self, closed_stages: Sequence[int], before: datetime, *, owner: str | None = None
    ) -> dict[int, int]:
        """How many deals each closed stage holds that were closed before `before` (or have no close time)."""
        query = select(_DEALS.c.stage_id, func.count()).where(
            _DEALS.c.stage_id.in_(list(closed_stages)),
            or_(_DEALS.c.closed_at.is_(None), _DEALS.c.closed_at < before),
        )
        if owner:
            query = query.where(func.lower(_DEALS.c.owner) == owner.lower())
        counts: dict[int, int] = {
            stage_id: n for stage_id, n in self.connection.execute(query.group_by(_DEALS.c.stage_id))
        }
        return {stage_id: counts.get(stage_id, 0) for stage_id in closed_stages}

    def owners(self) -> list[str]:
        """Every distinct non-empty deal owner, alphabetically."""
        query = select(_DEALS.c.owner).where(_DEALS.c.owner != "").distinct()
        return sorted(self.connection.scalars(query), key=str.lower)

    def touch(self, deal_id: int, at: datetime) -> None:
        """Activity restarts the rotting timer; it is not an edit, so the version stays."""
        self.connection.execute(update(_DEALS).where(_DEALS.c.id == deal_id).values(last_activity_at=at, updated_at=at))

    def insert_deal(self, fields: Mapping[str, Any]) -> Deal:
        values = _deal_to_columns(fields)
        values["version"] = 1
        deal_id = self.connection.execute(insert(_DEALS).values(**values).returning(_DEALS.c.id)).scalar_one()
        return self.deal(deal_id)

    def update_deal(self, deal_id: int, version: int, fields: Mapping[str, Any]) -> Deal:
        """Write fields if the deal is still at `version`; otherwise nothing is written."""
        values = _deal_to_columns(fields)
        result = self.connection.execute(
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

    def update_deals(self, changes: Sequence[tuple[Deal, Mapping[str, Any]]]) -> dict[int, Deal]:
        """Write fields on many deals in one statement (the same fields for each), each only if it
        is still at the version given; returns the deals as written. A deal changed meanwhile is a
        ConflictError naming it (the caller's transaction then writes nothing)."""
        if not changes:
            return {}
        rows = [{f"new_{k}": v for k, v in _deal_to_columns(values).items()} | {"deal": deal.id, "seen": deal.version}
                for deal, values in changes]  # fmt: skip
        names = [key.removeprefix("new_") for key in rows[0] if key.startswith("new_")]
        query = (
            update(_DEALS)
            .where(_DEALS.c.id == bindparam("deal"), _DEALS.c.version == bindparam("seen"))
            .values({**{name: bindparam(f"new_{name}") for name in names}, "version": _DEALS.c.version + 1})
        )
        self.connection.execute(query, rows)
        written = {deal.id: deal for deal in self.deals(ids=[deal.id for deal, _ in changes])}
        for deal, _ in changes:  # read back: executemany row counts are not reliable on every driver
            now = written.get(deal.id)
            if now is None or now.version != deal.version + 1:
                raise ConflictError(
                    f"deal {deal.id} ({deal.title}) was changed by someone else meanwhile; reload and try again"
                )
        return written

    # a column's order: gapped keys (domain/ordering.py) --------------------
    def keys_around(self, stage_id: int, index: int, *, exclude: int) -> tuple[int | None, int | None]:
        """The ordering keys either side of place `index` of a column, leaving deal `exclude` out
        (the one being placed); None on a side where the column ends. Reads at most two keys,
        through the (stage, position) index."""
        column = (_DEALS.c.stage_id == stage_id, _DEALS.c.id != exclude)
        ordered = select(_DEALS.c.position).where(*column).order_by(_DEALS.c.position)
        if index <= 0:
            return None, self.connection.scalar(ordered.limit(1))
        keys = list(self.connection.scalars(ordered.offset(index - 1).limit(2)))
        if not keys:  # past the end: after the last card
            return self.connection.scalar(select(func.max(_DEALS.c.position)).where(*column)), None
        return keys[0], keys[1] if len(keys) > 1 else None

    def holder_of(self, stage_id: int, key: int, *, exclude: int) -> int | None:
        """The deal that has ordering key `key` in the column, if any (not `exclude`)."""
        query = select(_DEALS.c.id).where(
            _DEALS.c.stage_id == stage_id, _DEALS.c.position == key, _DEALS.c.id != exclude
        )
        return self.connection.scalar(query.limit(1))

    def spread_column(self, stage_id: int, *, exclude: int) -> None:
        """Give a column's cards (but `exclude`) evenly spaced keys again, in the same order."""
        query = select(_DEALS.c.id).where(_DEALS.c.stage_id == stage_id, _DEALS.c.id != exclude)
        ids = list(self.connection.scalars(query.order_by(_DEALS.c.position, _DEALS.c.id)))
        if ids:
            move = update(_DEALS).where(_DEALS.c.id == bindparam("deal")).values(position=bindparam("key"))
            self.connection.execute(move, [{"deal": i, "key": k} for i, k in zip(ids, spread(len(ids)))])
        self.renumbered.add(stage_id)

    def end_positions(self, stage_id: int, count: int) -> list[int]:
        """Ordering keys for `count` deals added at the bottom of a column, top to bottom (bulk
        writes: imports, their undo). The column is spread out first when the keys would run out."""
        last = self.connection.scalar(select(func.max(_DEALS.c.position)).where(_DEALS.c.stage_id == stage_id))
        keys = keys_after(last, count)
        if keys is None:
            query = select(_DEALS.c.id).where(_DEALS.c.stage_id == stage_id)
            ids = list(self.connection.scalars(query.order_by(_DEALS.c.position, _DEALS.c.id)))
            every = spread(len(ids) + count)
            move = update(_DEALS).where(_DEALS.c.id == bindparam("deal")).values(position=bindparam("key"))
            self.connection.execute(move, [{"deal": i, "key": k} for i, k in zip(ids, every)])
            self.renumbered.add(stage_id)
            keys = every[len(ids) :]
        return keys

    def card_facts(
        self, deal_ids: Iterable[int] | None = None, *, stage_ids: Iterable[int] | None = None
    ) -> dict[int, CardFacts]:
        """Open objections and next pending follow-up, per deal (of these deals, or of the deals in
        these stages: one pipeline's board), in two grouped queries."""
        open_q = (
            select(_OBJECTIONS.c.deal_id, func.count())
            .where(_OBJECTIONS.c.status == ObjectionStatus.OPEN.value)
            .group_by(_OBJECTIONS.c.deal_id)
        )
        next_q = select(_FOLLOWUPS.c.deal_id, func.min(_FOLLOWUPS.c.due)).where(_FOLLOWUPS.c.done_at.is_(None))
        next_q = next_q.group_by(_FOLLOWUPS.c.deal_id)
        if deal_ids is not None:
            ids = list(deal_ids)
            open_q = open_q.where(_OBJECTIONS.c.deal_id.in_(ids))
            next_q = next_q.where(_FOLLOWUPS.c.deal_id.in_(ids))
        if stage_ids is not None:
            shown = select(_DEALS.c.id).where(_DEALS.c.stage_id.in_(list(stage_ids)))
            open_q = open_q.where(_OBJECTIONS.c.deal_id.in_(shown))
            next_q = next_q.where(_FOLLOWUPS.c.deal_id.in_(shown))
        counts: dict[int, int] = {d: n for d, n in self.connection.execute(open_q)}
        nexts: dict[int, datetime] = {d: due for d, due in self.connection.execute(next_q)}
        return {
            deal_id: CardFacts(open_objections=counts.get(deal_id, 0), next_followup=nexts.get(deal_id))
            for deal_id in counts.keys() | nexts.keys()
        }

    # objections, follow-ups, notes --------------------------------------
    def objections(self, deal_id: int) -> list[Objection]:
        query = select(_OBJECTIONS).where(_OBJECTIONS.c.deal_id == deal_id).order_by(_OBJECTIONS.c.id)
        return [_objection(r) for r in self.connection.execute(query)]

    def objection(self, objection_id: int) -> Objection:
        return _objection(self._get(_OBJECTIONS, objection_id, "objection"))

    def insert_objection(self, **values: Any) -> Objection:
        return _objection(self._insert(_OBJECTIONS, values))

    def update_objection(self, objection_id: int, **values: Any) -> Objection:
        return _objection(self._update(_OBJECTIONS, objection_id, values, "objection"))

    def delete_objection(self, objection_id: int) -> None:
        self.connection.execute(delete(_OBJECTIONS).where(_OBJECTIONS.c.id == objection_id))

    def followups(self, deal_id: int | None = None, *, pending_only: bool = False) -> list[FollowUp]:
        query = select(_FOLLOWUPS).order_by(_FOLLOWUPS.c.due, _FOLLOWUPS.c.id)
        if deal_id is not None:
            query = query.where(_FOLLOWUPS.c.deal_id == deal_id)
        if pending_only:
            query = query.where(_FOLLOWUPS.c.done_at.is_(None))
        return [_followup(r) for r in self.connection.execute(query)]

    def pending_followups_of(self, deal_ids: Iterable[int]) -> dict[int, list[FollowUp]]:
        """The follow-ups not done yet of these deals, soonest first, by deal: one query."""
        query = select(_FOLLOWUPS).where(_FOLLOWUPS.c.deal_id.in_(list(deal_ids)), _FOLLOWUPS.c.done_at.is_(None))
        out: dict[int, list[FollowUp]] = {}
        for row in self.connection.execute(query.order_by(_FOLLOWUPS.c.due, _FOLLOWUPS.c.id)):
            followup = _followup(row)
            out.setdefault(followup.deal_id, []).append(followup)
        return out

    def pending_followups(
        self, stage_ids: Iterable[int], *, owner: str | None = None
    ) -> list[tuple[FollowUp, AgendaDeal]]:
        """Every follow-up not done yet of the deals in `stage_ids`, soonest first, with what the agenda
        shows of its deal: one join, only the columns shown."""
        f, d = _FOLLOWUPS.c, _DEALS.c
        query = (
            select(f.id, f.deal_id, f.due, f.note, f.created_at, f.has_time, d.title, d.company, d.owner, d.stage_id)
            .select_from(_FOLLOWUPS.join(_DEALS, d.id == f.deal_id))
            .where(f.done_at.is_(None), d.stage_id.in_(list(stage_ids)))
            .order_by(f.due, f.id)
        )
        if owner:
            query = query.where(func.lower(d.owner) == owner.lower())
        return [
            (FollowUp(fid, deal_id, due, note, created, has_time), AgendaDeal(deal_id, title, company, who, stage_id))
            for fid, deal_id, due, note, created, has_time, title, company, who, stage_id in self.connection.execute(
                query
            )
        ]

    def followup(self, followup_id: int) -> FollowUp:
        return _followup(self._get(_FOLLOWUPS, followup_id, "follow-up"))

    def insert_followup(self, **values: Any) -> FollowUp:
        return _followup(self._insert(_FOLLOWUPS, values))

    def update_followup(self, followup_id: int, **values: Any) -> FollowUp:
        return _followup(self._update(_FOLLOWUPS, followup_id, values, "follow-up"))

    def delete_followup(self, followup_id: int) -> None:
        self.connection.execute(delete(_FOLLOWUPS).where(_FOLLOWUPS.c.id == followup_id))

    def notes(self, deal_id: int) -> list[Note]:
        query = (
            select(_NOTES).where(_NOTES.c.deal_id == deal_id).order_by(_NOTES.c.created_at.desc(), _NOTES.c.id.desc())
        )
        return [_note(r) for r in self.connection.execute(query)]

    def note(self, note_id: int) -> Note:
        return _note(self._get(_NOTES, note_id, "note"))

    def insert_note(self, **values: Any) -> Note:
        return _note(self._insert(_NOTES, values))

    def delete_note(self, note_id: int) -> None:
        self.connection.execute(delete(_NOTES).where(_NOTES.c.id == note_id))

    # history ------------------------------------------------------------
    def add_event(self, **values: Any) -> DealEvent:
        """Append a history event; one that puts the deal in a stage also replays the deal's stays."""
        values["kind"] = EventKind(values["kind"]).value
        event = _event(self._insert(_EVENTS, values))
        if event.to_stage_id is not None:
            replay_deal(self.connection, event.deal_id)
        return event

    def events(
        self, deal_id: int | None = None, *, kinds: Iterable[EventKind] | None = None, owner: str | None = None
    ) -> list[DealEvent]:
        query = select(_EVENTS).order_by(_EVENTS.c.at, _EVENTS.c.id)
        if deal_id is not None:
            query = query.where(_EVENTS.c.deal_id == deal_id)
        if owner:
            owned = select(_DEALS.c.id).where(func.lower(_DEALS.c.owner) == owner.lower())
            query = query.where(_EVENTS.c.deal_id.in_(owned))
        if kinds is not None:
            query = query.where(_EVENTS.c.kind.in_([EventKind(k).value for k in kinds]))
        return [_event(r) for r in self.connection.execute(query)]

    def last_event_id(self) -> int:
        return self.connection.scalar(select(func.max(_EVENTS.c.id))) or 0

    def event_ids_since(self, event_id: int) -> list[int]:
        query = select(_EVENTS.c.id).where(_EVENTS.c.id > event_id).order_by(_EVENTS.c.id)
        return list(self.connection.scalars(query))

    def events_by_id(self, event_ids: Iterable[int]) -> dict[int, DealEvent]:
        ids = list(event_ids)
        return {e.id: e for e in map(_event, self.connection.execute(select(_EVENTS).where(_EVENTS.c.id.in_(ids))))}

    def holders(self, places: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
        """Which deal holds each (stage id, ordering key), for those held: one query."""
        wanted = set(places)
        if not wanted:
            return {}
        query = select(_DEALS.c.id, _DEALS.c.stage_id, _DEALS.c.position).where(
            _DEALS.c.position.in_(sorted({key for _, key in wanted})),
            _DEALS.c.stage_id.in_(sorted({stage for stage, _ in wanted})),
        )
        return {(s, k): i for i, s, k in self.connection.execute(query) if (s, k) in wanted}

    def event(self, event_id: int) -> DealEvent:
        return _event(self._get(_EVENTS, event_id, "history event"))
