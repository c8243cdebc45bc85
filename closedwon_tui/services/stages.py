"""Editing a pipeline's stages, and the pipelines themselves: each change one transaction with its
event (who, when, what it was before and after), which undo takes back by its id.

A removed stage or pipeline is archived, never deleted: past events and reports still name it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.models import (
    Change,
    EventKind,
    Pipeline,
    PipelineEvent,
    PipelineEventKind,
    Stage,
    StageChange,
    StageKind,
)
from closedwon_tui.domain.rules import find_stage
from closedwon_tui.domain.stage_rules import (
    changed_parts,
    clean_name,
    clean_probability,
    clean_rotting_days,
    insert_at,
    pipeline_snapshot,
)
from closedwon_tui.services.deals import DealCommands
from closedwon_tui.services.undo import UndoCommands
from closedwon_tui.storage.repository import Repository

PipelineRef = int | str | Pipeline | None
StageRef = int | str | Stage

#: The closed stages every pipeline gets: (name, probability, kind).
CLOSED_STAGES = (("Closed Won", 100, StageKind.WON), ("Closed Lost", 0, StageKind.LOST))
#: Rotting days of a stage named with `pipeline add --stages`.
NEW_STAGE_ROTTING_DAYS = 14


class _Scope:
    """One pipeline and its stages as the database holds them inside a write transaction."""

    def __init__(self, repo: Repository, pipeline_id: int) -> None:
        self.repo = repo
        self.pipeline = next(p for p in repo.pipelines() if p.id == pipeline_id)
        if self.pipeline.archived:
            raise ValidationError(f"pipeline {self.pipeline.name} was removed")
        self.every = [s for s in repo.stages() if s.pipeline_id == pipeline_id]
        #: The deal moves the change made (a removed stage's deals), each a deal's Change.
        self.moves: list[Change[None]] = []

    @property
    def active(self) -> list[Stage]:
        return [s for s in self.every if not s.archived]

    def find(self, ref: StageRef) -> Stage:
        if isinstance(ref, Stage):
            ref = ref.id
        if isinstance(ref, int):
            found = next((s for s in self.active if s.id == ref), None)
            if found is None:
                raise ValidationError(f"no stage with id {ref} in pipeline {self.pipeline.name}")
            return found
        return find_stage(self.active, str(ref))

    def snapshot(self) -> dict[str, Any]:
        every = [s for s in self.repo.stages() if s.pipeline_id == self.pipeline.id]
        pipeline = next(p for p in self.repo.pipelines() if p.id == self.pipeline.id)
        return pipeline_snapshot(pipeline, every)

    def order(self, open_ids: Sequence[int]) -> None:
        """Give the open stages `open_ids` places 0, 1, ... and the closed ones the places after."""
        closed = [s.id for s in self.active if s.is_closed]
        positions = {s.id: s.position for s in self.every}
        for place, stage_id in enumerate([*open_ids, *closed]):
            if positions.get(stage_id) != place:
                self.repo.update_stage(stage_id, position=place)


class StageCommands(DealCommands, UndoCommands):
    # stages -----------------------------------------------------------------
    def add_stage(
        self, name: str, *, pipeline: PipelineRef = None, after: StageRef | None = None, first: bool = False,
        probability: Any = None, rotting_days: Any = None,
    ) -> StageChange:  # fmt: skip
        """A new open stage, first or after `after` (by default after the last open stage); its
        probability and rotting days are those of the stage before it unless given."""
        probability = None if probability is None else clean_probability(probability)
        rotting = None if rotting_days is None else clean_rotting_days(rotting_days)

        def change(scope: _Scope) -> tuple[int, str]:
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
        def change(scope: _Scope) -> tuple[int, str]:
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

        def change(scope: _Scope) -> tuple[int, str]:
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
        def change(scope: _Scope) -> tuple[int, str]:
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

        def change(scope: _Scope) -> tuple[int, str]:
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
        now = self.clock()
        with self.db.write() as repo:
            repo.lock_columns()
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
        def change(scope: _Scope) -> tuple[None, str]:
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

        def change(scope: _Scope) -> tuple[None, str]:
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

    # undo -------------------------------------------------------------------
    def undo_stage_change(self, event_id: int) -> StageChange:
        """Take back a stage or pipeline change (which may itself be a redo), deal moves included."""
        return self._flip_stage_change(event_id, PipelineEventKind.UNDONE)

    def redo_stage_change(self, undo_event_id: int) -> StageChange:
        return self._flip_stage_change(undo_event_id, PipelineEventKind.REDONE)

    def _flip_stage_change(self, event_id: int, kind: PipelineEventKind) -> StageChange:
        now = self.clock()
        changes: list[Change[None]] = []
        with self.db.write() as repo:
            repo.lock_columns()
            event = repo.pipeline_event(event_id)
            flipped = event.kind in (PipelineEventKind.UNDONE, PipelineEventKind.REDONE)
            if kind is PipelineEventKind.REDONE and event.kind is not PipelineEventKind.UNDONE:
                raise ValidationError("only an undo can be redone")
            details = event.details
            before, after = details.get("before") or {}, details.get("after") or {}
            parts = changed_parts(before, after)
            scope_now = pipeline_snapshot(
                next(p for p in repo.pipelines() if p.id == event.pipeline_id),
                [s for s in repo.stages() if s.pipeline_id == event.pipeline_id],
            )
            current = changed_parts({}, scope_now)
            for key, (_, expected) in parts.items():
                if current.get(key, (None, None))[1] != expected:
                    raise ConflictError(
                        f"the pipeline has changed since ({event.summary}); undoing it would overwrite that"
                    )
            # What the change was before is what undo writes: first everything but the stages it
            # archives, then the deal moves back, then those stages (once they hold no deals).
            archiving = {k: v for k, (v, _) in parts.items() if k.startswith("stage:") and v and v["archived"]}
            for key, (state, _) in parts.items():
                if key == "pipeline":
                    repo.update_pipeline(event.pipeline_id, name=state["name"], archived=state["archived"])
                elif key not in archiving:
                    repo.update_stage(int(key.split(":")[1]), **state)
            moves: list[int] = []
            step = EventKind.UNDONE if kind is PipelineEventKind.UNDONE else EventKind.REDONE
            for deal_event in reversed(details.get("moved", [])):
                change = self._flip_with(repo, deal_event, step, now)
                changes.append(change)
                assert change.event is not None
                moves.append(change.event.id)
            for key, state in archiving.items():
                stage_id = int(key.split(":")[1])
                if repo.deal_ids_in(stage_id):
                    raise ConflictError(f"stage {state['name']} holds deals now; move them before taking this back")
                repo.update_stage(stage_id, **state)
            self._check_names(repo, event.pipeline_id)
            target_key = "undoes" if kind is PipelineEventKind.UNDONE else "redoes"
            original = event.id if kind is PipelineEventKind.UNDONE else details["undoes"]
            original_kind = details.get("undone_kind", event.kind.value) if flipped else event.kind.value
            summary = details.get("original_summary", event.summary) if flipped else event.summary
            word = "undid" if kind is PipelineEventKind.UNDONE else "redid"
            new_event = self._pipeline_event(
                repo, event.pipeline_id, event.stage_id, kind, now, summary=f"{word}: {summary}",
                original_summary=summary, undone_kind=original_kind, before=after, after=before,
                moved=list(reversed(moves)), **{target_key: original},
            )  # fmt: skip
            result = self._result(repo, event.pipeline_id, new_event, changes)
        self.forget_stages()
        return result

    @staticmethod
    def _check_names(repo: Repository, pipeline_id: int) -> None:
        """Bringing a stage or pipeline back must not make two with one name."""
        names = [s.name.lower() for s in repo.stages() if s.pipeline_id == pipeline_id and not s.archived]
        if len(names) != len(set(names)):
            raise ConflictError("a stage with that name was added since; rename it before taking this back")
        pipelines = [p.name.lower() for p in repo.pipelines() if not p.archived]
        if len(pipelines) != len(set(pipelines)):
            raise ConflictError("a pipeline with that name was added since; rename it before taking this back")

    # the one write path ---------------------------------------------------------
    def _stage_write(
        self, pipeline: PipelineRef, kind: PipelineEventKind, change: Callable[[_Scope], tuple[int | None, str]]
    ) -> StageChange:
        """Run `change` on a pipeline in one transaction and record it with its before and after."""
        target = self.pipeline(pipeline)
        now = self.clock()
        with self.db.write() as repo:
            repo.lock_columns()
            scope = _Scope(repo, target.id)
            before = scope.snapshot()
            stage_id, summary = change(scope)
            after = scope.snapshot()
            for key, state in after["stages"].items():  # a stage it added was, before, as if archived
                before["stages"].setdefault(key, {**state, "archived": True})
            moved = [m.event.id for m in scope.moves if m.event is not None]
            event = self._pipeline_event(repo, target.id, stage_id, kind, now, summary=summary, before=before,
                                         after=after, moved=moved)  # fmt: skip
            result = self._result(repo, target.id, event, scope.moves)
        self.forget_stages()
        return result

    def _pipeline_event(
        self, repo: Repository, pipeline_id: int, stage_id: int | None, kind: PipelineEventKind, now: datetime,
        **details: Any,
    ) -> PipelineEvent:  # fmt: skip
        return repo.add_pipeline_event(pipeline_id=pipeline_id, stage_id=stage_id, at=now, actor=self.actor,
                                       kind=kind, details=details)  # fmt: skip

    @staticmethod
    def _result(
        repo: Repository, pipeline_id: int, event: PipelineEvent, moves: Sequence[Change[None]] = ()
    ) -> StageChange:
        pipeline = next(p for p in repo.pipelines() if p.id == pipeline_id)
        stages = tuple(s for s in repo.stages() if s.pipeline_id == pipeline_id and not s.archived)
        return StageChange(pipeline, stages, event, tuple(moves))


def _archived(stage: Stage) -> Stage:
    return Stage(stage.id, stage.name, stage.position, stage.probability, stage.kind, stage.rotting_days,
                 stage.pipeline_id, archived=True)  # fmt: skip


def _describe_value(key: str, value: Any) -> str:
    if key == "probability":
        return f"probability to {value}%"
    return "rotting days to never" if value is None else f"rotting days to {value}"
