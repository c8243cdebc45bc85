"""Editing a pipeline's stages, and the pipelines themselves: each change one transaction with its
event (who, when, what it was before and after), which undo takes back by its id.

A removed stage or pipeline is archived, never deleted: past events and reports still name it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import (
    Pipeline,
    PipelineEvent,
    PipelineEventKind,
    Stage,
    StageChange,
    StageKind,
)
from closedwon_tui.domain.stage_rules import (
    clean_name,
    clean_probability,
    clean_rotting_days,
    insert_at,
    pipeline_snapshot,
)
from closedwon_tui.services.stage_undo import StageUndoCommands
from closedwon_tui.services.stage_writes import PipelineRef, StageRef, StageScope

#: The closed stages every pipeline gets: (name, probability, kind).
CLOSED_STAGES = (("Closed Won", 100, StageKind.WON), ("Closed Lost", 0, StageKind.LOST))
#: Rotting days of a stage named with `pipeline add --stages`.
NEW_STAGE_ROTTING_DAYS = 14


class StageCommands(StageUndoCommands):
    # stages -----------------------------------------------------------------
    def add_stage(
        self, name: str, *, pipeline: PipelineRef = None, after: StageRef | None = None, first: bool = False,
        probability: Any = None, rotting_days: Any = None,
    ) -> StageChange:  # fmt: skip
        """A new open stage, first or after `after` (by default after the last open stage); its
        probability and rotting days are those of the stage before it unless given."""
        probability = None if probability is None else clean_probability(probability)
        rotting = None if rotting_days is None else clean_rotting_days(rotting_days)

        def change(scope: StageScope) -> tuple[int, str]:
            new_name = clean_name(name, [s.name for s in scope.active], "stage")
            opened = [s for s in scope.active if s.is_open]
            before = None if first else (scope.find(after) if after is not None else opened[-1])
            like = before or opened[0]
            stage = scope.repo.insert_stage(
                pipeline_id=scope.pipeline.id, name=new_name, position=len(scope.every), kind=StageKind.OPEN.value,
                probability=like.probability if probability is None else probability,
                rotting_days=like.rotting_days if rotting_days is None else rotting, archived=False,
            )  # fmt: skip
            scope.order(insert_at([*scope.active, stage], stage.id, after=before, first=before is None))
            place = "first" if before is None else f"after {before.name}"
            return stage.id, f"added stage {new_name} ({place})"

        return self._stage_write(pipeline, PipelineEventKind.STAGE_ADDED, change)

    def rename_stage(self, stage: StageRef, new_name: str, *, pipeline: PipelineRef = None) -> StageChange:
        def change(scope: StageScope) -> tuple[int, str]:
            target = scope.find(stage)
            name = clean_name(new_name, [s.name for s in scope.active if s.id != target.id], "stage")
            if name == target.name:
                raise ValidationError(f"stage {target.name} already has that name")
            scope.repo.update_stage(target.id, name=name)
            return target.id, f"renamed stage {target.name} to {name}"

        return self._stage_write(pipeline, PipelineEventKind.STAGE_RENAMED, change)

    def edit_stage(
        self, stage: StageRef, *, probability: Any = None, rotting_days: Any = None, pipeline: PipelineRef = None
    ) -> StageChange:
        """Set a stage's probability (0-100) and rotting days (0 or empty: never rots)."""
        if probability is None and rotting_days is None:
            raise ValidationError("nothing to change: give a probability or rotting days")
        values: dict[str, Any] = {}
        if probability is not None:
            values["probability"] = clean_probability(probability)
        if rotting_days is not None:
            values["rotting_days"] = clean_rotting_days(rotting_days)

        def change(scope: StageScope) -> tuple[int, str]:
            target = scope.find(stage)
            if target.is_closed and "probability" in values and values["probability"] != target.probability:
                raise ValidationError(f"{target.name}'s probability is fixed at {target.probability}%")
            if target.is_closed and values.get("rotting_days"):
                raise ValidationError(f"closed deals do not rot: {target.name} has no rotting days")
            changed = {k: v for k, v in values.items() if getattr(target, k) != v}
            if not changed:
                raise ValidationError(f"stage {target.name} already has those values")
            scope.repo.update_stage(target.id, **changed)
            said = ", ".join(_describe_value(k, v) for k, v in changed.items())
            return target.id, f"set {target.name}'s {said}"

        return self._stage_write(pipeline, PipelineEventKind.STAGE_EDITED, change)

    def move_stage(
        self, stage: StageRef, *, after: StageRef | None = None, first: bool = False, pipeline: PipelineRef = None
    ) -> StageChange:
        def change(scope: StageScope) -> tuple[int, str]:
            target = scope.find(stage)
            if target.is_closed:
                raise ValidationError(f"{target.name} stays at the end: only open stages move")
            before = None if after is None else scope.find(after)
            order = insert_at(scope.active, target.id, after=before, first=first)
            if order == [s.id for s in scope.active if s.is_open]:
                raise ValidationError(f"stage {target.name} is already there")
            scope.order(order)
            return target.id, f"moved stage {target.name} " + ("first" if before is None else f"after {before.name}")

        return self._stage_write(pipeline, PipelineEventKind.STAGE_MOVED, change)

    def remove_stage(
        self, stage: StageRef, *, move_deals_to: StageRef | None = None, pipeline: PipelineRef = None
    ) -> StageChange:
        """Remove an open stage: refused while it holds deals, unless they are moved to another
        open stage (each move in the deal's history). The stage is archived, not deleted."""

        def change(scope: StageScope) -> tuple[int, str]:
            target = scope.find(stage)
            if target.is_closed:
                raise ValidationError(
                    f"{target.name} cannot be removed: a pipeline always has one won and one lost stage"
                )
            if len([s for s in scope.active if s.is_open]) == 1:
                raise ValidationError(
                    f"{target.name} is the pipeline's only open stage: add another before removing it"
                )
            deal_ids = scope.repo.deal_ids_in(target.id)
            destination = None if move_deals_to is None else scope.find(move_deals_to)
            if destination is not None and (destination.id == target.id or destination.is_closed):
                raise ValidationError(f"move the deals to another open stage, not {destination.name}")
            if deal_ids and destination is None:
                held = f"{len(deal_ids)} deal" + ("" if len(deal_ids) == 1 else "s")
                raise ValidationError(
                    f"stage {target.name} holds {held}: say where they go (--move-deals-to STAGE)", "move_deals_to"
                )
            now = self.clock()
            for deal_id in deal_ids:  # top to bottom, each to the end of the destination's column
                assert destination is not None
                deal = scope.repo.deal(deal_id)
                moved = self._move_in(scope.repo, deal, destination, 10**9, now, reason="", note="", settle=False)
                scope.moves.append(moved)
            scope.repo.update_stage(target.id, archived=True)
            if deal_ids and destination is not None:
                return target.id, f"removed stage {target.name} (its {len(deal_ids)} deals went to {destination.name})"
            return target.id, f"removed stage {target.name}"

        return self._stage_write(pipeline, PipelineEventKind.STAGE_REMOVED, change)

    # pipelines --------------------------------------------------------------
    def add_pipeline(self, name: str, *, stages: Sequence[str] | str | None = None) -> StageChange:
        """A new pipeline with these open stages (without: a copy of the first pipeline's), then
        Closed Won and Closed Lost."""
        if isinstance(stages, str):
            stages = [part for part in stages.split(",")]
        with self.db.write() as repo:
            now = self._locked_now(repo)
            every = repo.pipelines()
            active = [p for p in every if not p.archived]
            clean = clean_name(name, [p.name for p in active], "pipeline")
            if stages is None:
                model = [s for s in repo.stages() if s.pipeline_id == active[0].id and not s.archived and s.is_open]
                opened = [(s.name, s.probability, s.rotting_days) for s in model]
            else:
                names: list[str] = []
                for part in stages:
                    names.append(clean_name(part, [*names, *(c[0] for c in CLOSED_STAGES)], "stage"))
                if not names:
                    raise ValidationError("a pipeline needs at least one open stage")
                step = 100 / (len(names) + 1)
                opened = [(n, round(step * (i + 1)), NEW_STAGE_ROTTING_DAYS) for i, n in enumerate(names)]
            pipeline = repo.insert_pipeline(name=clean, position=max(p.position for p in every) + 1, archived=False)
            made = [
                repo.insert_stage(
                    pipeline_id=pipeline.id,
                    name=n,
                    position=i,
                    probability=p,
                    kind="open",
                    rotting_days=r,
                    archived=False,
                )  # fmt: skip
                for i, (n, p, r) in enumerate(opened)
            ]
            for j, (n, p, kind) in enumerate(CLOSED_STAGES):
                made.append(repo.insert_stage(pipeline_id=pipeline.id, name=n, position=len(opened) + j,
                                              probability=p, kind=kind.value, rotting_days=None, archived=False))  # fmt: skip
            gone = Pipeline(pipeline.id, pipeline.name, pipeline.position, archived=True)
            before = pipeline_snapshot(gone, [_archived(s) for s in made])
            after = pipeline_snapshot(pipeline, made)
            summary = f"added pipeline {clean} ({', '.join(s.name for s in made)})"
            event = self._pipeline_event(repo, pipeline.id, None, PipelineEventKind.PIPELINE_ADDED, now,
                                         summary=summary, before=before, after=after)  # fmt: skip
        self.forget_stages()
        return StageChange(pipeline, tuple(made), event)

    def rename_pipeline(self, pipeline: PipelineRef, new_name: str) -> StageChange:
        def change(scope: StageScope) -> tuple[None, str]:
            others = [p.name for p in scope.repo.pipelines() if not p.archived and p.id != scope.pipeline.id]
            name = clean_name(new_name, others, "pipeline")
            if name == scope.pipeline.name:
                raise ValidationError(f"pipeline {name} already has that name")
            scope.repo.update_pipeline(scope.pipeline.id, name=name)
            return None, f"renamed pipeline {scope.pipeline.name} to {name}"

        return self._stage_write(pipeline, PipelineEventKind.PIPELINE_RENAMED, change)

    def remove_pipeline(self, pipeline: PipelineRef) -> StageChange:
        """Remove a pipeline that holds no deals (it is archived, with its stages)."""
        if pipeline is None:
            raise ValidationError("name the pipeline to remove")

        def change(scope: StageScope) -> tuple[None, str]:
            if len([p for p in scope.repo.pipelines() if not p.archived]) == 1:
                raise ValidationError(f"{scope.pipeline.name} is the only pipeline: closedwon needs one")
            held = sum(scope.repo.deal_counts([s.id for s in scope.every]).values())
            if held:
                raise ValidationError(
                    f"pipeline {scope.pipeline.name} holds {held} deal{'' if held == 1 else 's'}: "
                    "move them to another pipeline first (closedwon deal move ID STAGE --pipeline NAME)"
                )
            scope.repo.update_pipeline(scope.pipeline.id, archived=True)
            return None, f"removed pipeline {scope.pipeline.name}"

        return self._stage_write(pipeline, PipelineEventKind.PIPELINE_REMOVED, change)

    # reading ----------------------------------------------------------------
    def stage_deal_counts(self, pipeline: PipelineRef = None) -> dict[int, int]:
        """How many deals each stage of a pipeline holds (0 for an empty one)."""
        stages = self.stages(pipeline)
        with self.db.read() as repo:
            counts = repo.deal_counts([s.id for s in stages])
        return {s.id: counts.get(s.id, 0) for s in stages}

    def pipeline_deal_counts(self) -> dict[int, int]:
        """How many deals each pipeline holds."""
        with self.db.read() as repo:
            counts = repo.deal_counts()
        totals = {p.id: 0 for p in self.pipelines()}
        for stage in self.all_stages():
            if stage.pipeline_id in totals:
                totals[stage.pipeline_id] += counts.get(stage.id, 0)
        return totals

    def stage_history(self, pipeline: PipelineRef = None) -> list[PipelineEvent]:
        """Every change to a pipeline and its stages, oldest first."""
        pipeline_id = self.pipeline(pipeline).id
        with self.db.read() as repo:
            return repo.pipeline_events(pipeline_id)

    def last_stage_change_id(self) -> int:
        with self.db.read() as repo:
            return repo.last_pipeline_event_id()


def _archived(stage: Stage) -> Stage:
    return Stage(stage.id, stage.name, stage.position, stage.probability, stage.kind, stage.rotting_days,
                 stage.pipeline_id, archived=True)  # fmt: skip


def _describe_value(key: str, value: Any) -> str:
    if key == "probability":
        return f"probability to {value}%"
    return "rotting days to never" if value is None else f"rotting days to {value}"
