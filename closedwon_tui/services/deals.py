"""Creating, editing and closing deals (moving them: services/moves.py)."""

from __future__ import annotations

from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.fields import clean_fields, clean_lost_reason, clean_text
from closedwon_tui.domain.models import (
    Change,
    Deal,
    EventKind,
    Pipeline,
    Stage,
    StageKind,
)
from closedwon_tui.domain.money import exact_amount
from closedwon_tui.domain.rules import local_today
from closedwon_tui.services.column_places import place
from closedwon_tui.services.moves import MoveCommands
from closedwon_tui.services.snapshots import snapshot
from closedwon_tui.storage.repository import Repository


class DealCommands(MoveCommands):
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
            pos = place(repo, None, target.id, position)
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
