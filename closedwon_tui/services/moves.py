"""Moving deals: into another stage (checked against the deal's pipeline, a loss with its reason,
pending follow-ups settled on a close) and up or down a column, one deal or many together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.fields import clean_lost_reason, clean_text
from closedwon_tui.domain.models import (
    STATE_FIELDS,
    Change,
    Deal,
    DealEvent,
    EventKind,
    FollowUp,
    Pipeline,
    Stage,
    StageKind,
)
from closedwon_tui.domain.ordering import key_between
from closedwon_tui.domain.rules import days_between, find_stage
from closedwon_tui.services.base import ServiceBase, together_details
from closedwon_tui.services.column_places import place
from closedwon_tui.services.snapshots import entity_snapshot, snapshot
from closedwon_tui.storage.repository import Repository

#: Fields a stage change touches, kept in the move's history for undo.
MOVE_FIELDS = ("stage_id", "position", "stage_entered_at", "closed_at", "lost_reason", "lost_note")


class MoveCommands(ServiceBase):
    def move_deal(
        self,
        deal_id: int,
        stage: int | str | Stage,
        *,
        position: int | None = None,
        expected_version: int | None = None,
        lost_reason: str | None = None,
        lost_note: str = "",
        pipeline: int | str | Pipeline | None = None,
        settle_followups: bool = True,
    ) -> Change[None]:
        """Move a deal to another stage, at `position` (top when not given). A stage of another
        pipeline is refused unless `pipeline` names it: then the deal moves across.

        Moving into Closed Won wins the deal, into Closed Lost loses it (a reason is
        required), and out of a closed stage into an open one reopens it. A close marks the
        deal's pending follow-ups done (unless `settle_followups` is False), each with its own
        history event, undone and redone with the close.
        """
        target = self._move_target(deal_id, stage, pipeline)
        reason, lost_note = self._loss(target.kind is StageKind.LOST, lost_reason, lost_note)
        with self.db.write() as repo:
            now = self._locked_now(repo)
            deal, top = repo.deal_for_move(deal_id, target.id)
            self._check_version(deal, expected_version)
            if self.stage(deal.stage_id).pipeline_id != target.pipeline_id and pipeline is None:
                raise self._other_pipeline(deal, target)
            if deal.stage_id == target.id:
                if position is None:
                    raise ValidationError(f"deal {deal.id} is already in {target.name}")
                return self._reorder(repo, deal, position, now)
            # to the top (where the board puts it), the key above the top card, read with the deal;
            # None when there is no room there: `place` spreads the column first
            key = key_between(None, top) if not position else None
            return self._move_in(repo, deal, target, position or 0, now,
                                 reason=reason, note=lost_note, settle=settle_followups, key=key)  # fmt: skip

    def _loss(self, losing: bool, lost_reason: str | None, lost_note: str) -> tuple[str, str]:
        """The checked lost reason and note of a move (both empty when the move does not lose a deal)."""
        if not losing:
            return "", ""
        reason = clean_lost_reason(lost_reason, self.lost_reasons)
        if not reason:
            raise ValidationError(f"a lost deal needs a reason: one of {', '.join(self.lost_reasons)}", "lost_reason")
        return reason, clean_text("lost_note", lost_note, what="the lost note")

    def _move_in(
        self, repo: Repository, deal: Deal, target: Stage, position: int, now: Any, *, reason: str, note: str,
        settle: bool, key: int | None = None, pending: list[FollowUp] | None = None,
    ) -> Change[None]:  # fmt: skip
        """Move a deal into another stage (inside the caller's transaction, columns locked), at place
        `position` or with ordering key `key` when the caller has one (a bulk move); `pending`: the
        deal's pending follow-ups when the caller read them already."""
        source = self.stage(deal.stage_id)
        closing = settle and target.is_closed and source.is_open
        companions = self._settle(repo, deal, now, pending) if closing else ()
        if key is None:
            key = place(repo, deal, target.id, position)
        kind, fields, details = self._move_plan(deal, source, target, key, now, reason=reason, note=note)
        details.update(self._across(source, target))
        # a move is activity: it restarts the rotting timer, in the same statement
        updated = repo.update_deal(deal.id, deal.version, {**fields, "updated_at": now, "last_activity_at": now})
        if companions:
            details["with"] = [e.id for e in companions]
        event = self._record(
            repo, updated, kind, now, from_stage_id=source.id, to_stage_id=target.id, touched=True, **details,
            entity="deal", entity_id=deal.id,
            before=snapshot(deal, MOVE_FIELDS), after=snapshot(updated, MOVE_FIELDS),
        )  # fmt: skip
        return self._change(repo, updated, event, companions=companions)

    def _across(self, source: Stage, target: Stage) -> dict[str, str]:
        """What a move's history event says of pipelines: both names when the deal moved across
        from one to another, nothing for a move inside one."""
        if source.pipeline_id == target.pipeline_id:
            return {}
        return {"from_pipeline": self.pipeline(source.pipeline_id).name,
                "to_pipeline": self.pipeline(target.pipeline_id).name}  # fmt: skip

    @staticmethod
    def _move_plan(
        deal: Deal, source: Stage, target: Stage, key: int, now: Any, *, reason: str, note: str
    ) -> tuple[EventKind, dict[str, Any], dict[str, Any]]:
        """What a move from `source` to `target` is (moved, won, lost, reopened), the deal's fields
        after it (every one of MOVE_FIELDS), and what its history event says: the one rule."""
        fields: dict[str, Any] = {"stage_id": target.id, "position": key, "stage_entered_at": now}
        if target.kind is StageKind.WON:
            kind, extra = EventKind.WON, {"closed_at": now, "lost_reason": "", "lost_note": ""}
        elif target.kind is StageKind.LOST:
            kind, extra = EventKind.LOST, {"closed_at": now, "lost_reason": reason, "lost_note": note}
        elif source.is_closed:
            kind, extra = EventKind.REOPENED, {"closed_at": None, "lost_reason": "", "lost_note": ""}
        else:
            kind, extra = EventKind.MOVED, {"closed_at": deal.closed_at, "lost_reason": deal.lost_reason,
                                            "lost_note": deal.lost_note}  # fmt: skip
        fields.update(extra)
        details: dict[str, Any] = {
            "from_stage": source.name,
            "to_stage": target.name,
            "days_in_stage": days_between(deal.stage_entered_at, now),
            "seconds_in_stage": int((now - deal.stage_entered_at).total_seconds()),
        }
        if kind is EventKind.LOST:
            details.update(reason=reason, note=note)
        if kind is EventKind.REOPENED and deal.lost_reason:
            details["previous_outcome"] = f"lost: {deal.lost_reason}"
        elif kind is EventKind.REOPENED:
            details["previous_outcome"] = source.kind.value
        return kind, fields, details

    def _move_all_in(
        self, repo: Repository, moves: Sequence[tuple[Deal, Stage, int]], now: Any, *, reason: str, note: str
    ) -> list[Change[None]]:
        """Many deals into other stages at once, each with its ordering key (a bulk move; no follow-up
        to settle): one UPDATE, one INSERT of their events and one replay of their stays, whatever
        their number. The same fields and events as `_move_in`, deal by deal."""
        from closedwon_tui.storage.imports import ImportStore

        if not moves:
            return []
        plans = []
        for deal, target, key in moves:
            lost = target.kind is StageKind.LOST
            source = self.stage(deal.stage_id)
            kind, fields, details = self._move_plan(deal, source, target, key, now, reason=reason if lost else "",
                                                    note=note if lost else "")  # fmt: skip
            details.update(self._across(source, target))
            plans.append((deal, source, target, kind, fields, details))
        touched = {"updated_at": now, "last_activity_at": now}  # a move is activity: it restarts the rotting timer
        written = repo.update_deals([(deal, {**fields, **touched}) for deal, _, _, _, fields, _ in plans])
        store = ImportStore(repo)
        rows = []
        for event_id, (deal, source, target, kind, _, details) in zip(
            store.reserve_event_ids(len(plans)), plans, strict=True
        ):
            rows.append({
                "id": event_id, "deal_id": deal.id, "at": now, "actor": self.actor, "kind": kind.value,
                "from_stage_id": source.id, "to_stage_id": target.id,
                "details": {**details, "entity": "deal", "entity_id": deal.id, "before": snapshot(deal, MOVE_FIELDS),
                            "after": snapshot(written[deal.id], MOVE_FIELDS), **together_details()},
            })  # fmt: skip
        store.insert_events(rows)
        renumbered = frozenset(repo.renumbered)
        return [
            Change(written[row["deal_id"]], DealEvent(row["id"], row["deal_id"], now, self.actor, EventKind(row["kind"]),
                                                      row["from_stage_id"], row["to_stage_id"], row["details"]),
                   None, None, renumbered)
            for row in rows
        ]  # fmt: skip

    def _settle(
        self, repo: Repository, deal: Deal, now: Any, pending: list[FollowUp] | None = None
    ) -> tuple[DealEvent, ...]:
        """A closing deal's pending follow-ups marked done, each with its history event."""
        events = []
        for before in repo.followups(deal.id, pending_only=True) if pending is None else pending:
            after = repo.update_followup(before.id, done_at=now)
            events.append(self._record(repo, deal, EventKind.FOLLOWUP_DONE, now, followup_id=before.id,
                                       due=before.due.isoformat(), note=before.note, settled=True, entity="followup",
                                       entity_id=before.id, before=entity_snapshot(before),
                                       after=entity_snapshot(after)))  # fmt: skip
        return tuple(events)

    def _check_target(self, target: Stage, pipeline: int | str | Pipeline | None) -> None:
        """A stage a deal may go into: not a removed one, and in `pipeline` when one is named."""
        if target.archived:
            raise ValidationError(f"stage {target.name} was removed; choose another stage")
        if pipeline is not None and target.pipeline_id != self.pipeline(pipeline).id:
            chosen = self.pipeline(pipeline)
            raise ValidationError(f"stage {target.name} is not in pipeline {chosen.name}")

    def _move_target(self, deal_id: int, stage: int | str | Stage, pipeline: int | str | Pipeline | None) -> Stage:
        """The stage a move goes to. A name or number is looked up in `pipeline` when one is named,
        else in the deal's own pipeline; a stage only another pipeline has is refused, saying how
        to move the deal across."""
        if not isinstance(stage, str):
            target = self.stage(stage)
            self._check_target(target, pipeline)
            return target
        if pipeline is not None:
            target = self.stage(stage, pipeline)
            self._check_target(target, pipeline)
            return target
        with self.db.read() as repo:
            deal = repo.deal(deal_id)
        home = self.pipeline_of(deal.stage_id)
        try:
            return self.stage(stage, home)
        except ValidationError:
            text = stage.strip()
            if not (text.isascii() and text.isdigit()):
                for other in self.pipelines():
                    if other.id == home.id:
                        continue
                    try:
                        found = find_stage(self.stages(other), text)
                    except ValidationError:
                        continue
                    raise self._other_pipeline(deal, found) from None
            raise

    def _other_pipeline(self, deal: Deal, target: Stage) -> ValidationError:
        home, other = self.pipeline_of(deal.stage_id), self.pipeline_of(target)
        return ValidationError(
            f"{target.name} is a stage of pipeline {other.name}, not of {home.name} (deal {deal.id}'s); "
            f"to move the deal across, name the pipeline (--pipeline {other.name})",
            "pipeline",
        )

    def reorder_deal(self, deal_id: int, position: int, *, expected_version: int | None = None) -> Change[None]:
        """Move a deal up or down within its column (0 is the top)."""
        with self.db.write() as repo:
            now = self._locked_now(repo)
            deal = repo.deal(deal_id)
            self._check_version(deal, expected_version)
            return self._reorder(repo, deal, position, now)

    def _reorder(self, repo: Repository, deal: Deal, position: int, now: Any) -> Change[None]:
        before, after = repo.keys_around(deal.stage_id, position, exclude=deal.id)
        if (before is None or before < deal.position) and (after is None or deal.position < after):
            return Change(deal, None)  # already at that place
        origin = repo.index_of_key(deal.stage_id, deal.position, exclude=deal.id)
        key = place(repo, deal, deal.stage_id, position)
        target = repo.index_of_key(deal.stage_id, key, exclude=deal.id)
        updated = repo.update_deal(deal.id, deal.version, {"position": key, "updated_at": now})
        event = self._record(
            repo, updated, EventKind.REORDERED, now, from_position=origin, to_position=target,
            entity="deal", entity_id=deal.id, before={"position": deal.position}, after={"position": key},
        )  # fmt: skip
        return self._change(repo, updated, event)


assert set(MOVE_FIELDS) <= set(STATE_FIELDS)
