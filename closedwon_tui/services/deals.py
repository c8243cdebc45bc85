"""Creating, editing, moving and closing deals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.fields import clean_fields, clean_lost_reason, clean_text
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
from closedwon_tui.domain.money import exact_amount
from closedwon_tui.domain.ordering import key_between, keys_between
from closedwon_tui.domain.rules import days_between, find_stage, local_today
from closedwon_tui.services.base import ServiceBase
from closedwon_tui.services.snapshots import entity_snapshot, snapshot
from closedwon_tui.storage.repository import Repository

#: Fields a stage change touches, kept in the move's history for undo.
MOVE_FIELDS = ("stage_id", "position", "stage_entered_at", "closed_at", "lost_reason", "lost_note")


class DealCommands(ServiceBase):
    # create -------------------------------------------------------------
    def create_deal(
        self,
        title: str,
        *,
        stage: int | str | Stage | None = None,
        pipeline: int | str | Pipeline | None = None,
        position: int = 0,
        lost_reason: str = "",
        **fields: Any,
    ) -> Change[None]:
        """A new deal, at `position` (top by default) of its stage's column; in `pipeline` (None:
        the stage's, or the first pipeline), in its first stage unless a stage is named."""
        now = self.clock()
        raw: dict[str, Any] = {"title": title, **fields}
        if not raw.get("currency"):
            raw["currency"] = self.default_currency
        cleaned = clean_fields(raw, local_today(now))
        if cleaned.get("amount") is not None:
            cleaned["amount"] = exact_amount(cleaned["amount"], cleaned["currency"])
        target = self.stage(stage, pipeline) if stage is not None else self.stages(pipeline)[0]
        self._check_target(target, pipeline)
        reason = clean_lost_reason(lost_reason, self.lost_reasons) if target.kind is StageKind.LOST else ""
        if target.kind is StageKind.LOST and not reason:
            raise ValidationError("a deal created as lost needs a lost reason", "lost_reason")
        with self.db.write() as repo:
            repo.lock_columns()
            pos = self._place(repo, None, target.id, position)
            deal = repo.insert_deal(
                {
                    **cleaned,
                    "stage_id": target.id,
                    "position": pos,
                    "created_at": now,
                    "updated_at": now,
                    "last_activity_at": now,
                    "stage_entered_at": now,
                    "closed_at": now if target.is_closed else None,
                    "lost_reason": reason if target.kind is StageKind.LOST else "",
                }
            )
            event = self._record(repo, deal, EventKind.CREATED, now, to_stage_id=target.id, to_stage=target.name,
                                 fields=snapshot(deal, cleaned))  # fmt: skip
            return self._change(repo, deal, event)

    # edit ---------------------------------------------------------------
    def edit_deal(self, deal_id: int, changes: dict[str, Any], *, expected_version: int | None = None) -> Change[None]:
        """Change fields; the history keeps each field's old and new value."""
        now = self.clock()
        cleaned = clean_fields(changes, local_today(now))
        if not cleaned:
            raise ValidationError("nothing to change")
        with self.db.write() as repo:
            deal = repo.deal(deal_id)
            self._check_version(deal, expected_version)
            return self._edit_in(repo, deal, cleaned, now)

    def _edit_in(self, repo: Repository, deal: Deal, cleaned: dict[str, Any], now: Any) -> Change[None]:
        """Write checked fields on a deal (inside the caller's transaction)."""
        cleaned = dict(cleaned)
        currency = cleaned.get("currency", deal.currency)
        if "amount" in cleaned or "currency" in cleaned:
            amount = cleaned.get("amount", deal.amount)
            cleaned["amount"] = None if amount is None else exact_amount(amount, currency)
        changed = {k: v for k, v in cleaned.items() if getattr(deal, k) != v}
        if not changed:
            return Change(deal, None)
        if "amount" in changed or "currency" in changed:  # minor units depend on both
            changed.update(amount=cleaned["amount"], currency=currency)
        updated = repo.update_deal(deal.id, deal.version, {**changed, "updated_at": now})
        before, after = snapshot(deal, changed), snapshot(updated, changed)
        event = self._record(
            repo, updated, EventKind.EDITED, now,
            changes={k: [before[k], after[k]] for k in changed if before[k] != after[k]},
            entity="deal", entity_id=deal.id, before=before, after=after,
        )  # fmt: skip
        return self._change(repo, updated, event)

    # moves --------------------------------------------------------------
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
        now = self.clock()
        with self.db.write() as repo:
            repo.lock_columns()
            deal = repo.deal(deal_id)
            self._check_version(deal, expected_version)
            if self.stage(deal.stage_id).pipeline_id != target.pipeline_id and pipeline is None:
                raise self._other_pipeline(deal, target)
            if deal.stage_id == target.id:
                if position is None:
                    raise ValidationError(f"deal {deal.id} is already in {target.name}")
                return self._reorder(repo, deal, position, now)
            return self._move_in(repo, deal, target, 0 if position is None else position, now,
                                 reason=reason, note=lost_note, settle=settle_followups)  # fmt: skip

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
            key = self._place(repo, deal, target.id, position)
        kind, fields, details = self._move_plan(deal, source, target, key, now, reason=reason, note=note)
        details.update(self._across(source, target))
        updated = repo.update_deal(deal.id, deal.version, {**fields, "updated_at": now})
        if companions:
            details["with"] = [e.id for e in companions]
        event = self._record(
            repo, updated, kind, now, from_stage_id=source.id, to_stage_id=target.id, **details,
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
                            "after": snapshot(written[deal.id], MOVE_FIELDS)},
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
        now = self.clock()
        with self.db.write() as repo:
            repo.lock_columns()
            deal = repo.deal(deal_id)
            self._check_version(deal, expected_version)
            return self._reorder(repo, deal, position, now)

    def _reorder(self, repo: Repository, deal: Deal, position: int, now: Any) -> Change[None]:
        before, after = repo.keys_around(deal.stage_id, position, exclude=deal.id)
        if (before is None or before < deal.position) and (after is None or deal.position < after):
            return Change(deal, None)  # already at that place
        origin = repo.index_of_key(deal.stage_id, deal.position, exclude=deal.id)
        key = self._place(repo, deal, deal.stage_id, position)
        target = repo.index_of_key(deal.stage_id, key, exclude=deal.id)
        updated = repo.update_deal(deal.id, deal.version, {"position": key, "updated_at": now})
        event = self._record(
            repo, updated, EventKind.REORDERED, now, from_position=origin, to_position=target,
            entity="deal", entity_id=deal.id, before={"position": deal.position}, after={"position": key},
        )  # fmt: skip
        return self._change(repo, updated, event)

    def _place(self, repo: Repository, deal: Deal | None, stage_id: int, position: int) -> int:
        """The ordering key that puts the deal at place `position` of a column (0 is the top; past
        the end is last), among the column's other cards. Nothing else moves, unless the two
        neighbours have no room left between them: then the column is spread out first (rarely)."""
        exclude = -1 if deal is None else deal.id
        key = key_between(*repo.keys_around(stage_id, position, exclude=exclude))
        if key is None:
            repo.spread_column(stage_id, exclude=exclude)
            key = key_between(*repo.keys_around(stage_id, position, exclude=exclude))
            assert key is not None
        return key

    def _places(self, repo: Repository, stage_id: int, position: int, count: int) -> list[int] | None:
        """Ordering keys for `count` deals coming into a column together at place `position` (none of
        them in it yet), in order: one share of the gap each, the column spread out first when
        there is no room; None when even then they do not fit (the caller places them one by one)."""
        keys = keys_between(*repo.keys_around(stage_id, position, exclude=-1), count)
        if keys is None:
            repo.spread_column(stage_id, exclude=-1)
            keys = keys_between(*repo.keys_around(stage_id, position, exclude=-1), count)
        return keys

    def _put_back(self, repo: Repository, deal: Deal, stage_id: int, key: int) -> int:
        """The key a deal had in a column (an undo or a redo puts it back): the same key while it is
        free, which is the same place while no spread renumbered the column; if another card holds
        it now, right after that card."""
        holder = repo.holder_of(stage_id, key, exclude=deal.id)
        if holder is None:
            return key
        return self._place(repo, deal, stage_id, repo.index_of_key(stage_id, key, exclude=deal.id) + 1)

    # closing ------------------------------------------------------------
    def mark_won(
        self, deal_id: int, *, expected_version: int | None = None, settle_followups: bool = True
    ) -> Change[None]:
        won = self.stage_of_kind(StageKind.WON, self._home(deal_id))
        return self.move_deal(deal_id, won, expected_version=expected_version, settle_followups=settle_followups)

    def mark_lost(
        self, deal_id: int, reason: str, note: str = "", *, expected_version: int | None = None,
        settle_followups: bool = True,
    ) -> Change[None]:  # fmt: skip
        return self.move_deal(
            deal_id, self.stage_of_kind(StageKind.LOST, self._home(deal_id)), lost_reason=reason, lost_note=note,
            expected_version=expected_version, settle_followups=settle_followups,
        )  # fmt: skip

    def _home(self, deal_id: int) -> Pipeline:
        """The pipeline a deal is in."""
        with self.db.read() as repo:
            return self.pipeline_of(repo.deal(deal_id).stage_id)

    def reopen(
        self, deal_id: int, stage: int | str | Stage | None = None, *, expected_version: int | None = None
    ) -> Change[None]:
        """Back into an open stage of its pipeline: the one it closed from, unless another is named."""
        with self.db.read() as repo:
            deal = repo.deal(deal_id)
            closes = repo.events(deal_id, kinds=[EventKind.WON, EventKind.LOST])
        current = self.stage(deal.stage_id)
        if current.is_open:
            raise ValidationError(f"deal {deal_id} is not closed, so it cannot be reopened")
        home = self.pipeline_of(current)
        if stage is not None:
            target = self.stage(stage, home)
            if target.is_closed:
                raise ValidationError(f"reopen into an open stage, not {target.name}")
        else:
            closes = sorted(closes, key=lambda e: e.id)  # the order of writes, whatever the reps' clocks said
            available = {s.id for s in self.stages(home) if s.is_open}
            previous = [e.from_stage_id for e in closes if e.from_stage_id in available]
            target = self.stage(previous[-1]) if previous else [s for s in self.stages(home) if s.is_open][-1]
        return self.move_deal(deal_id, target, expected_version=expected_version)

    def record_lookback(
        self, deal_id: int, went_well: str = "", nearly_lost: str = "", *, expected_version: int | None = None
    ) -> Change[None]:
        """The rep's look back at a closed deal: what went well, what nearly lost it."""
        went_well = clean_text("went_well", went_well, what="what went well")
        nearly_lost = clean_text("nearly_lost", nearly_lost, what="what nearly lost it")
        if not went_well and not nearly_lost:
            raise ValidationError("write what went well or what nearly lost it, or skip the look back")
        now = self.clock()
        fields = {"went_well": went_well, "nearly_lost": nearly_lost}
        with self.db.write() as repo:
            deal = repo.deal(deal_id)
            self._check_version(deal, expected_version)
            updated = repo.update_deal(deal.id, deal.version, {**fields, "updated_at": now})
            event = self._record(
                repo, updated, EventKind.LOOKBACK, now, went_well=went_well, nearly_lost=nearly_lost,
                entity="deal", entity_id=deal.id, before=snapshot(deal, fields), after=snapshot(updated, fields),
            )  # fmt: skip
            return self._change(repo, updated, event)


assert set(MOVE_FIELDS) <= set(STATE_FIELDS)
