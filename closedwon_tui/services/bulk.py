"""Acting on many deals at once: each use-case is ONE transaction that changes every deal or none.

A bulk action writes one history event per deal (each deal's history reads as if it had been
changed alone) and returns one `Change` whose parts are the deals' changes, so the board applies
it once and one undo (`undo_events` with the parts' events) takes it all back. When a rule or a
conflict stops the action for one deal, nothing is written and the error names that deal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from closedwon_tui.domain.errors import ClosedwonError, ValidationError
from closedwon_tui.domain.fields import clean_fields, clean_text
from closedwon_tui.domain.models import Change, Deal, FollowUp, Pipeline, Stage, StageKind
from closedwon_tui.domain.rules import local_today
from closedwon_tui.services.activity import ActivityCommands
from closedwon_tui.services.column_places import places
from closedwon_tui.services.deals import DealCommands
from closedwon_tui.storage.repository import Repository

StageRef = int | str | Stage


def _unique(deal_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(deal_ids))
    if not ids:
        raise ValidationError("name at least one deal")
    return ids


def _about(deal: Deal, error: ClosedwonError) -> ClosedwonError:
    """The error, naming the deal it stopped at (unless it already does), as the same kind of error."""
    message = str(error)
    if message.startswith(f"deal {deal.id} ") or message.startswith(f"deal {deal.id}:"):
        return error
    return type(error)(f"deal {deal.id} ({deal.title}): {message}")


class BulkCommands(DealCommands, ActivityCommands):
    # moves and closes ------------------------------------------------------
    def move_deals(
        self,
        deal_ids: Sequence[int],
        stage: StageRef,
        *,
        position: int | None = None,
        expected_versions: Mapping[int, int] | None = None,
        lost_reason: str | None = None,
        lost_note: str = "",
        settle_followups: bool = True,
        pipeline: int | str | Pipeline | None = None,
    ) -> Change[None]:
        """Every deal into one stage, in the order given, from `position` on (the top when None); a
        stage by name in the first deal's pipeline (deals marked on one board share it), or in
        `pipeline` when one is named: then deals of other pipelines move across into it, as
        `move_deal` does with one."""
        ids = _unique(deal_ids)
        target = self._move_target(ids[0], stage, pipeline)
        return self.move_each(
            [(deal_id, target) for deal_id in ids], position=position, expected_versions=expected_versions,
            lost_reason=lost_reason, lost_note=lost_note, settle_followups=settle_followups, pipeline=pipeline,
        )  # fmt: skip

    def move_each(
        self,
        moves: Sequence[tuple[int, StageRef]],
        *,
        position: int | None = None,
        expected_versions: Mapping[int, int] | None = None,
        lost_reason: str | None = None,
        lost_note: str = "",
        settle_followups: bool = True,
        pipeline: int | str | Pipeline | None = None,
    ) -> Change[None]:
        """Each deal into its own stage (`L` on cards marked in several columns), in one transaction.

        A deal already in its stage is refused (naming it) unless a `position` is given, where it is
        put. Deals going to the same stage keep the order given, from `position` (the top) down;
        a lost reason, when given, is each lost deal's. A stage of another pipeline than the deal's
        is refused unless `pipeline` names it (every stage must then be one of its): then the deal
        moves across, its history naming both pipelines.
        """
        targets = [(deal_id, self._move_target(deal_id, stage, pipeline)) for deal_id, stage in dict(moves).items()]
        if not targets:
            raise ValidationError("name at least one deal")
        reason, note = self._loss(any(t.kind is StageKind.LOST for _, t in targets), lost_reason, lost_note)
        versions = expected_versions or {}
        base = 0 if position is None else position
        with self.db.write() as repo, self._marked_together(repo, len(targets)):
            now = self._locked_now(repo)
            deals = self._deals(repo, [deal_id for deal_id, _ in targets], versions)
            for (_, target), deal in zip(targets, deals, strict=True):
                if deal.stage_id == target.id and position is None:
                    raise ValidationError(f"deal {deal.id} ({deal.title}) is already in {target.name}")
                if pipeline is None and self.stage(deal.stage_id).pipeline_id != target.pipeline_id:
                    raise _about(deal, self._other_pipeline(deal, target))
            keys = self._keys_for(repo, [(d, t) for (_, t), d in zip(targets, deals, strict=True)], base)
            closing = [d.id for (_, t), d in zip(targets, deals, strict=True) if t.is_closed]
            pending = repo.pending_followups_of(closing) if settle_followups and closing else {}
            # Deals with an ordering key and no follow-up to settle move together (one statement each
            # for the deals, their events and their stays); the rest one by one, in the order given.
            together = [(d, t, keys[d.id]) for (_, t), d in zip(targets, deals, strict=True)
                        if d.id in keys and not pending.get(d.id)]  # fmt: skip
            reason_of = reason if any(t.kind is StageKind.LOST for _, t, _ in together) else ""
            moved = {part.deal.id: part for part in self._move_all_in(repo, together, now, reason=reason_of, note=note)}
            placed: dict[int, int] = {}
            parts = []
            for (_, target), deal in zip(targets, deals, strict=True):
                at = base + placed.get(target.id, 0)
                placed[target.id] = placed.get(target.id, 0) + 1
                if deal.id in moved:
                    parts.append(moved[deal.id])
                    continue
                try:
                    if deal.stage_id == target.id:
                        parts.append(self._reorder(repo, deal, at, now))
                        continue
                    lost = target.kind is StageKind.LOST
                    parts.append(self._move_in(
                        repo, deal, target, at, now, reason=reason if lost else "", note=note if lost else "",
                        settle=settle_followups, key=keys.get(deal.id), pending=pending.get(deal.id, []),
                    ))  # fmt: skip
                except ClosedwonError as exc:
                    raise _about(deal, exc) from exc
            return self._together(repo, parts)

    def _keys_for(self, repo: Repository, moves: list[tuple[Deal, Stage]], base: int) -> dict[int, int]:
        """The ordering key of each deal coming into another column, the deals going to one column
        sharing the gap at place `base` in the order given (none: placed one by one as they move)."""
        incoming: dict[int, list[int]] = {}
        for deal, target in moves:
            if deal.stage_id != target.id:
                incoming.setdefault(target.id, []).append(deal.id)
        keys: dict[int, int] = {}
        for stage_id, ids in incoming.items():
            if len(ids) == 1 or any(d.stage_id == stage_id for d, _ in moves):
                continue  # one card, or a reorder among them: one by one
            shares = places(repo, stage_id, base, len(ids))
            if shares is not None:
                keys.update(zip(ids, shares, strict=True))
        return keys

    def win_deals(
        self, deal_ids: Sequence[int], *, expected_versions: Mapping[int, int] | None = None,
        settle_followups: bool = True,
    ) -> Change[None]:  # fmt: skip
        return self._close_each(deal_ids, StageKind.WON, expected_versions=expected_versions,
                                settle_followups=settle_followups)  # fmt: skip

    def lose_deals(
        self, deal_ids: Sequence[int], reason: str, note: str = "", *,
        expected_versions: Mapping[int, int] | None = None, settle_followups: bool = True,
    ) -> Change[None]:  # fmt: skip
        return self._close_each(
            deal_ids, StageKind.LOST, lost_reason=reason, lost_note=note,
            expected_versions=expected_versions, settle_followups=settle_followups,
        )  # fmt: skip

    def _close_each(self, deal_ids: Sequence[int], kind: StageKind, **options: Any) -> Change[None]:
        """Deals into the won (or lost) stage of each one's own pipeline: one stage for all when they
        share a pipeline (the usual case: marked on one board), else each its own."""
        ids = _unique(deal_ids)
        with self.db.read() as repo:
            stage_of = {d.id: d.stage_id for d in repo.deals(ids=ids)}
        closing = {i: self.stage_of_kind(kind, self.pipeline_of(stage_of[i])) for i in ids if i in stage_of}
        targets = set(closing.values())
        if len(targets) <= 1:
            target = next(iter(targets), None) or self.stage_of_kind(kind)
            return self.move_deals(deal_ids, target, **options)
        return self.move_each([(i, closing.get(i) or self.stage_of_kind(kind)) for i in ids], **options)

    # fields ----------------------------------------------------------------
    def edit_deals(
        self, deal_ids: Sequence[int], changes: dict[str, Any], *, expected_versions: Mapping[int, int] | None = None
    ) -> Change[None]:
        """The same fields on every deal (a new owner, say); deals that already have them are left as they are."""
        ids = _unique(deal_ids)
        now = self.clock()
        cleaned = clean_fields(changes, local_today(now))
        if not cleaned:
            raise ValidationError("nothing to change")
        with self.db.write() as repo, self._marked_together(repo, len(ids)):
            parts = []
            for deal in self._deals(repo, ids, expected_versions or {}):
                try:
                    parts.append(self._edit_in(repo, deal, cleaned, now))
                except ClosedwonError as exc:
                    raise _about(deal, exc) from exc
            return self._together(repo, parts)

    # follow-ups ------------------------------------------------------------
    def schedule_followups(
        self, deal_ids: Sequence[int], due: str | date | datetime, note: str = ""
    ) -> Change[FollowUp]:
        """One follow-up (the same day and note) on each deal."""
        ids = _unique(deal_ids)
        now = self.clock()
        due_at, timed = self._due(due, now)
        note = clean_text("note", note, what="the note")
        with self.db.write() as repo, self._marked_together(repo, len(ids)):
            parts = [self._schedule_in(repo, deal, due_at, timed, note, now) for deal in self._deals(repo, ids, {})]
            return self._together(repo, parts)

    # ------------------------------------------------------------------------
    def _deals(self, repo: Repository, ids: list[int], versions: Mapping[int, int]) -> list[Deal]:
        """The deals, in the order given, each checked against the version the rep saw (if given)."""
        found = {deal.id: deal for deal in repo.deals(ids=ids)}
        deals = []
        for deal_id in ids:
            deal = found.get(deal_id)
            if deal is None:
                repo.deal(deal_id)  # raises: no deal with that id
                raise AssertionError("unreachable")  # pragma: no cover
            self._check_version(deal, versions.get(deal_id))
            deals.append(deal)
        return deals
