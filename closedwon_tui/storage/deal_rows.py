"""Deals as rows: one, many, or the board's cards (and their facts); written with the version checked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Update, bindparam, func, insert, or_, select, update

from closedwon_tui.domain.errors import ConflictError, NotFoundError
from closedwon_tui.domain.models import (
    CardFacts,
    Deal,
    DealCard,
    ObjectionStatus,
)
from closedwon_tui.storage.driver_cursor import run
from closedwon_tui.storage.rows import (
    CARD_SELECT,
    DEAL_SELECT,
    DEALS,
    EVENTS,
    FOLLOWUPS,
    OBJECTIONS,
    STAGES,
    STAYS,
    RowAccess,
    check_id,
    deal_columns,
    deal_from_row,
)
from closedwon_tui.storage.stays import LastStay

# Statements every change runs, built once: building one costs more than running it on SQLite.
_DEAL_BY_ID = select(*DEAL_SELECT).where(DEALS.c.id == bindparam("deal_id"))
_OTHERS = DEALS.alias("others")
_LAST_STAY = STAYS.alias("last_stay")
_STAY_BEFORE = STAYS.alias("stay_before")
#: A deal's last stay (`stays.LastStay`: what a move or an undo needs to keep the stays without a
#: replay), as columns of the deal's row.
_LAST_STAY_COLUMNS = (_LAST_STAY.c.seq, _LAST_STAY.c.stage_id, _LAST_STAY.c.entered_at, _LAST_STAY.c.left_at)
_WITH_LAST_STAY = DEALS.outerjoin(
    _LAST_STAY,
    (_LAST_STAY.c.deal_id == DEALS.c.id)
    & (_LAST_STAY.c.seq == select(func.max(STAYS.c.seq)).where(STAYS.c.deal_id == DEALS.c.id).scalar_subquery()),
)


def _latest(column, offset: int = 0):  # type: ignore[no-untyped-def]
    """`column` of the deal's latest history event that names a stage (or the one `offset` before)."""
    query = (
        select(column)
        .where(EVENTS.c.deal_id == DEALS.c.id, EVENTS.c.to_stage_id.is_not(None))
        .order_by(EVENTS.c.at.desc(), EVENTS.c.id.desc())
        .limit(1)
    )
    return (query.offset(offset) if offset else query).scalar_subquery()


#: What a move reads first, in one statement: the deal; the ordering key of the top card of the column
#: it is moving to (a move puts it above that card); its last stay, and the time of its latest stage
#: event (see `stays.advance`).
_DEAL_FOR_MOVE = (
    select(
        *DEAL_SELECT,
        select(_OTHERS.c.position)
        .where(_OTHERS.c.stage_id == bindparam("stage_id"), _OTHERS.c.id != bindparam("deal_id"))
        .order_by(_OTHERS.c.position)
        .limit(1)
        .scalar_subquery(),
        *_LAST_STAY_COLUMNS,
        _latest(EVENTS.c.at),
    )
    .select_from(_WITH_LAST_STAY)
    .where(DEALS.c.id == bindparam("deal_id"))
)
#: What an undo or a redo reads first, in one statement: the deal; whether the stage it goes back to
#: is archived (None: no stage given, or no such stage); which other deal holds the ordering key it
#: goes back to, in that stage (or its own when it stays), if any; and what an undo's stays need: the
#: last stay, the latest stage event (time, id, kind), the time of the one before, and the stage of
#: the stay before the last.
_DEAL_FOR_RETURN = (
    select(
        *DEAL_SELECT,
        select(STAGES.c.archived).where(STAGES.c.id == bindparam("back_stage", type_=Integer)).scalar_subquery(),
        select(_OTHERS.c.id)
        .where(
            _OTHERS.c.stage_id == func.coalesce(bindparam("back_stage", type_=Integer), DEALS.c.stage_id),
            _OTHERS.c.position == bindparam("back_key", type_=Integer),
            _OTHERS.c.id != DEALS.c.id,
        )
        .limit(1)
        .scalar_subquery(),
        *_LAST_STAY_COLUMNS,
        _latest(EVENTS.c.at),
        _latest(EVENTS.c.id),
        _latest(EVENTS.c.kind),
        _latest(EVENTS.c.at, offset=1),
        _STAY_BEFORE.c.stage_id,
    )
    .select_from(
        _WITH_LAST_STAY.outerjoin(
            _STAY_BEFORE, (_STAY_BEFORE.c.deal_id == DEALS.c.id) & (_STAY_BEFORE.c.seq == _LAST_STAY.c.seq - 1)
        )
    )
    .where(DEALS.c.id == bindparam("deal_id"))
)
_TOUCH = (
    update(DEALS)
    .where(DEALS.c.id == bindparam("deal_id"))
    .values(last_activity_at=bindparam("at"), updated_at=bindparam("at"))
)


@cache
def _update_at_version(names: tuple[str, ...]) -> Update:
    """UPDATE these columns of one deal if it is still at the version given, returning the deal as
    written (parameters `deal_id`, `seen` and `new_<column>`); one statement per set of columns."""
    return (
        update(DEALS)
        .where(DEALS.c.id == bindparam("deal_id"), DEALS.c.version == bindparam("seen"))
        .values({**{name: bindparam(f"new_{name}") for name in names}, "version": DEALS.c.version + 1})
        .returning(*DEAL_SELECT)
    )


class DealRows(RowAccess):
    """Deals read and written (a write checks the version the rep saw)."""

    def deal(self, deal_id: int) -> Deal:
        check_id(deal_id, "deal")
        rows = run(self.connection, _DEAL_BY_ID, {"deal_id": deal_id})
        if not rows:
            raise NotFoundError(f"no deal with id {deal_id}")
        return deal_from_row(rows[0])

    def deal_for_move(self, deal_id: int, stage_id: int) -> tuple[Deal, int | None]:
        """The deal, and the ordering key of the top card of column `stage_id` but the deal (None
        when the column has no other card). Its last stay is kept for the move's history event
        (`HistoryRows.add_event`), which then need not replay the deal's history."""
        check_id(deal_id, "deal")
        rows = run(self.connection, _DEAL_FOR_MOVE, {"deal_id": deal_id, "stage_id": stage_id})
        if not rows:
            raise NotFoundError(f"no deal with id {deal_id}")
        *deal, top, seq, stay_stage, entered, left, latest = rows[0]
        self.last_stays[deal_id] = LastStay(seq, stay_stage, entered, left, latest)
        return deal_from_row(deal), top

    def deal_for_return(
        self, deal_id: int, stage_id: int | None, key: int | None
    ) -> tuple[Deal, bool | None, int | None]:
        """The deal; whether stage `stage_id` is archived (None when no stage is given, or there is
        no such stage); and the other deal that holds ordering key `key` in that stage (in the deal's
        own stage when none is given), if any."""
        check_id(deal_id, "deal")
        params = {"deal_id": deal_id, "back_stage": stage_id, "back_key": key}
        rows = run(self.connection, _DEAL_FOR_RETURN, params)
        if not rows:
            raise NotFoundError(f"no deal with id {deal_id}")
        *deal, archived, holder, seq, stay_stage, entered, left, latest_at, latest_id, kind, before, before_stage = (
            rows[0]
        )
        self.last_stays[deal_id] = LastStay(
            seq, stay_stage, entered, left, latest_at, latest_id, kind, before, before_stage
        )
        return deal_from_row(deal), None if archived is None else bool(archived), holder

    def deals(
        self,
        *,
        stage_ids: Iterable[int] | None = None,
        owner: str | None = None,
        ids: Iterable[int] | None = None,
    ) -> list[Deal]:
        query = select(*DEAL_SELECT).order_by(DEALS.c.stage_id, DEALS.c.position, DEALS.c.id)
        if stage_ids is not None:
            query = query.where(DEALS.c.stage_id.in_(list(stage_ids)))
        if owner:
            query = query.where(func.lower(DEALS.c.owner) == owner.lower())
        if ids is not None:
            query = query.where(DEALS.c.id.in_(list(ids)))
        return [deal_from_row(row) for row in self.connection.execute(query).all()]

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
        query = select(*CARD_SELECT).order_by(DEALS.c.stage_id, DEALS.c.position, DEALS.c.id)
        if stage_ids is not None:
            query = query.where(DEALS.c.stage_id.in_(list(stage_ids)))
        if owner:
            query = query.where(func.lower(DEALS.c.owner) == owner.lower())
        in_closed = DEALS.c.stage_id.in_(list(closed_stages))
        if closed_since is not None:
            query = query.where(or_(~in_closed, DEALS.c.closed_at >= closed_since))
        if closed_before is not None:
            query = query.where(in_closed, or_(DEALS.c.closed_at.is_(None), DEALS.c.closed_at < closed_before))
        make = tuple.__new__
        return [make(DealCard, row) for row in self.connection.execute(query)]

    def older_closed_counts(
        self, closed_stages: Sequence[int], before: datetime, *, owner: str | None = None
    ) -> dict[int, int]:
        """How many deals each closed stage holds that were closed before `before` (or have no close time)."""
        query = select(DEALS.c.stage_id, func.count()).where(
            DEALS.c.stage_id.in_(list(closed_stages)),
            or_(DEALS.c.closed_at.is_(None), DEALS.c.closed_at < before),
        )
        if owner:
            query = query.where(func.lower(DEALS.c.owner) == owner.lower())
        counts: dict[int, int] = {
            stage_id: n for stage_id, n in self.connection.execute(query.group_by(DEALS.c.stage_id))
        }
        return {stage_id: counts.get(stage_id, 0) for stage_id in closed_stages}

    def owners(self) -> list[str]:
        """Every distinct non-empty deal owner, alphabetically."""
        query = select(DEALS.c.owner).where(DEALS.c.owner != "").distinct()
        return sorted(self.connection.scalars(query), key=str.lower)

    def touch(self, deal_id: int, at: datetime) -> None:
        """Activity restarts the rotting timer; it is not an edit, so the version stays."""
        self.connection.execute(_TOUCH, {"deal_id": deal_id, "at": at})

    def insert_deal(self, fields: Mapping[str, Any]) -> Deal:
        values = deal_columns(fields)
        values["version"] = 1
        deal_id = self.connection.execute(insert(DEALS).values(**values).returning(DEALS.c.id)).scalar_one()
        return self.deal(deal_id)

    def update_deal(self, deal_id: int, version: int, fields: Mapping[str, Any]) -> Deal:
        """Write fields if the deal is still at `version`; otherwise nothing is written."""
        values = deal_columns(fields)
        query = _update_at_version(tuple(sorted(values)))
        params = {f"new_{name}": value for name, value in values.items()}
        rows = run(self.connection, query, {**params, "deal_id": deal_id, "seen": version})
        if not rows:
            current = self.deal(deal_id)  # raises NotFoundError if it is gone
            raise ConflictError(
                f"deal {deal_id} ({current.title}) was changed by someone else "
                f"(version {current.version}, you had {version}); reload and try again"
            )
        return deal_from_row(rows[0])

    def update_deals(self, changes: Sequence[tuple[Deal, Mapping[str, Any]]]) -> dict[int, Deal]:
        """Write fields on many deals in one statement (the same fields for each), each only if it
        is still at the version given; returns the deals as written. A deal changed meanwhile is a
        ConflictError naming it (the caller's transaction then writes nothing)."""
        if not changes:
            return {}
        rows = [{f"new_{k}": v for k, v in deal_columns(values).items()} | {"deal": deal.id, "seen": deal.version}
                for deal, values in changes]  # fmt: skip
        names = [key.removeprefix("new_") for key in rows[0] if key.startswith("new_")]
        query = (
            update(DEALS)
            .where(DEALS.c.id == bindparam("deal"), DEALS.c.version == bindparam("seen"))
            .values({**{name: bindparam(f"new_{name}") for name in names}, "version": DEALS.c.version + 1})
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

    def card_facts(
        self, deal_ids: Iterable[int] | None = None, *, stage_ids: Iterable[int] | None = None
    ) -> dict[int, CardFacts]:
        """Open objections and next pending follow-up, per deal (of these deals, or of the deals in
        these stages: one pipeline's board), in two grouped queries."""
        open_q = (
            select(OBJECTIONS.c.deal_id, func.count())
            .where(OBJECTIONS.c.status == ObjectionStatus.OPEN.value)
            .group_by(OBJECTIONS.c.deal_id)
        )
        next_q = select(FOLLOWUPS.c.deal_id, func.min(FOLLOWUPS.c.due)).where(FOLLOWUPS.c.done_at.is_(None))
        next_q = next_q.group_by(FOLLOWUPS.c.deal_id)
        if deal_ids is not None:
            ids = list(deal_ids)
            open_q = open_q.where(OBJECTIONS.c.deal_id.in_(ids))
            next_q = next_q.where(FOLLOWUPS.c.deal_id.in_(ids))
        if stage_ids is not None:
            shown = select(DEALS.c.id).where(DEALS.c.stage_id.in_(list(stage_ids)))
            open_q = open_q.where(OBJECTIONS.c.deal_id.in_(shown))
            next_q = next_q.where(FOLLOWUPS.c.deal_id.in_(shown))
        counts: dict[int, int] = {d: n for d, n in self.connection.execute(open_q)}
        nexts: dict[int, datetime] = {d: due for d, due in self.connection.execute(next_q)}
        return {
            deal_id: CardFacts(open_objections=counts.get(deal_id, 0), next_followup=nexts.get(deal_id))
            for deal_id in counts.keys() | nexts.keys()
        }
