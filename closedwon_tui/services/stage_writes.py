"""The one write path of stage and pipeline changes: a change runs on a `StageScope` (one pipeline
and its stages inside a write transaction) and is recorded as one event with the pipeline before
and after, which undo (services/stage_undo.py) takes back by its id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import (
    Change,
    Pipeline,
    PipelineEvent,
    PipelineEventKind,
    Stage,
    StageChange,
)
from closedwon_tui.domain.rules import find_stage
from closedwon_tui.domain.stage_rules import pipeline_snapshot
from closedwon_tui.services.deals import DealCommands
from closedwon_tui.services.undo import UndoCommands
from closedwon_tui.storage.repository import Repository

PipelineRef = int | str | Pipeline | None
StageRef = int | str | Stage


class StageScope:
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


class StageWrites(DealCommands, UndoCommands):
    # the one write path ---------------------------------------------------------
    def _stage_write(
        self, pipeline: PipelineRef, kind: PipelineEventKind, change: Callable[[StageScope], tuple[int | None, str]]
    ) -> StageChange:
        """Run `change` on a pipeline in one transaction and record it with its before and after."""
        target = self.pipeline(pipeline)
        with self.db.write() as repo:
            now = self._locked_now(repo)
            scope = StageScope(repo, target.id)
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
