"""Objections, follow-ups and notes, as rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, delete, func, literal_column, select

from closedwon_tui.domain.models import (
    AgendaDeal,
    FollowUp,
    Note,
    Objection,
)
from closedwon_tui.storage.rows import (
    DEALS,
    FOLLOWUPS,
    NOTES,
    OBJECTIONS,
    RowAccess,
    followup_from_row,
    note_from_row,
    objection_from_row,
)

# A deal's panel reads these each time it shows a deal (and a close its pending follow-ups):
# built once, since building a statement costs more than running it on SQLite.
_DEAL_OBJECTIONS = select(OBJECTIONS).where(OBJECTIONS.c.deal_id == bindparam("deal_id")).order_by(OBJECTIONS.c.id)
_DEAL_FOLLOWUPS = (
    select(FOLLOWUPS).where(FOLLOWUPS.c.deal_id == bindparam("deal_id")).order_by(FOLLOWUPS.c.due, FOLLOWUPS.c.id)
)
_DEAL_PENDING_FOLLOWUPS = _DEAL_FOLLOWUPS.where(FOLLOWUPS.c.done_at.is_(None))
_DEAL_NOTES = (
    select(NOTES).where(NOTES.c.deal_id == bindparam("deal_id")).order_by(NOTES.c.created_at.desc(), NOTES.c.id.desc())
)


class ActivityRows(RowAccess):
    """A deal's objections, follow-ups and notes."""

    def objections(self, deal_id: int) -> list[Objection]:
        return [objection_from_row(r) for r in self.connection.execute(_DEAL_OBJECTIONS, {"deal_id": deal_id})]

    def objection(self, objection_id: int) -> Objection:
        return objection_from_row(self._get(OBJECTIONS, objection_id, "objection"))

    def insert_objection(self, **values: Any) -> Objection:
        return objection_from_row(self._insert(OBJECTIONS, values))

    def update_objection(self, objection_id: int, **values: Any) -> Objection:
        return objection_from_row(self._update(OBJECTIONS, objection_id, values, "objection"))

    def delete_objection(self, objection_id: int) -> None:
        self.connection.execute(delete(OBJECTIONS).where(OBJECTIONS.c.id == objection_id))

    def followups(self, deal_id: int | None = None, *, pending_only: bool = False) -> list[FollowUp]:
        if deal_id is not None:  # a deal's panel, a close settling them: built once
            query = _DEAL_PENDING_FOLLOWUPS if pending_only else _DEAL_FOLLOWUPS
            return [followup_from_row(r) for r in self.connection.execute(query, {"deal_id": deal_id})]
        query = select(FOLLOWUPS).order_by(FOLLOWUPS.c.due, FOLLOWUPS.c.id)
        if pending_only:
            query = query.where(FOLLOWUPS.c.done_at.is_(None))
        return [followup_from_row(r) for r in self.connection.execute(query)]

    def pending_followups_of(self, deal_ids: Iterable[int]) -> dict[int, list[FollowUp]]:
        """The follow-ups not done yet of these deals, soonest first, by deal: one query."""
        query = select(FOLLOWUPS).where(FOLLOWUPS.c.deal_id.in_(list(deal_ids)), FOLLOWUPS.c.done_at.is_(None))
        out: dict[int, list[FollowUp]] = {}
        for row in self.connection.execute(query.order_by(FOLLOWUPS.c.due, FOLLOWUPS.c.id)):
            followup = followup_from_row(row)
            out.setdefault(followup.deal_id, []).append(followup)
        return out

    def pending_followups(
        self, stage_ids: Iterable[int], *, owner: str | None = None, first: int | None = None
    ) -> list[tuple[FollowUp, AgendaDeal]]:
        """Every follow-up not done yet of the deals in `stage_ids` (only the `first` soonest, when
        given), soonest first, with what the agenda shows of its deal: one join, only the columns
        shown, read in the order of the pending follow-ups' index."""
        f, d = FOLLOWUPS.c, DEALS.c
        query = (
            select(f.id, f.deal_id, f.due, f.note, f.created_at, f.has_time, d.title, d.company, d.owner, d.stage_id)
            .select_from(FOLLOWUPS.join(DEALS, d.id == f.deal_id))
            # `stage_id + 0`: not by the deals' stage index. Without statistics SQLite would start from
            # the open deals and sort their pending follow-ups, 0.2 s at 200,000 deals for a screenful;
            # the pending follow-ups' index gives them in order, each deal then found by its id.
            .where(f.done_at.is_(None), (d.stage_id + literal_column("0")).in_(list(stage_ids)))
            .order_by(f.due, f.id)
        )
        if owner:
            query = query.where(func.lower(d.owner) == owner.lower())
        if first is not None:
            query = query.limit(first)
        rows = self.connection.execute(query).all()  # fetched at once: row by row costs more than the query
        return [
            (FollowUp(fid, deal_id, due, note, created, has_time), AgendaDeal(deal_id, title, company, who, stage_id))
            for fid, deal_id, due, note, created, has_time, title, company, who, stage_id in rows
        ]

    def followup(self, followup_id: int) -> FollowUp:
        return followup_from_row(self._get(FOLLOWUPS, followup_id, "follow-up"))

    def insert_followup(self, **values: Any) -> FollowUp:
        return followup_from_row(self._insert(FOLLOWUPS, values))

    def update_followup(self, followup_id: int, **values: Any) -> FollowUp:
        return followup_from_row(self._update(FOLLOWUPS, followup_id, values, "follow-up"))

    def delete_followup(self, followup_id: int) -> None:
        self.connection.execute(delete(FOLLOWUPS).where(FOLLOWUPS.c.id == followup_id))

    def notes(self, deal_id: int) -> list[Note]:
        return [note_from_row(r) for r in self.connection.execute(_DEAL_NOTES, {"deal_id": deal_id})]

    def note(self, note_id: int) -> Note:
        return note_from_row(self._get(NOTES, note_id, "note"))

    def insert_note(self, **values: Any) -> Note:
        return note_from_row(self._insert(NOTES, values))

    def delete_note(self, note_id: int) -> None:
        self.connection.execute(delete(NOTES).where(NOTES.c.id == note_id))
