"""Undo and redo of a stage or pipeline change, by its event id: the pipeline put back as it was
(refused when it changed since), the deals a removed stage moved moved back."""

from __future__ import annotations

from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.models import (
    Change,
    EventKind,
    PipelineEventKind,
    StageChange,
)
from closedwon_tui.domain.stage_rules import changed_parts, pipeline_snapshot
from closedwon_tui.services.stage_writes import StageWrites
from closedwon_tui.storage.repository import Repository


class StageUndoCommands(StageWrites):
    def undo_stage_change(self, event_id: int) -> StageChange:
        """Take back a stage or pipeline change (which may itself be a redo), deal moves included."""
        return self._flip_stage_change(event_id, PipelineEventKind.UNDONE)

    def redo_stage_change(self, undo_event_id: int) -> StageChange:
        return self._flip_stage_change(undo_event_id, PipelineEventKind.REDONE)

    def _flip_stage_change(self, event_id: int, kind: PipelineEventKind) -> StageChange:
        changes: list[Change[None]] = []
        with self.db.write() as repo:
            now = self._locked_now(repo)
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
