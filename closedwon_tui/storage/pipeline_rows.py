"""Pipelines, their stages and the stage changes (pipeline events), as rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from closedwon_tui.domain.models import (
    Pipeline,
    PipelineEvent,
    PipelineEventKind,
    Stage,
)
from closedwon_tui.storage.rows import (
    DEALS,
    PIPELINE_EVENTS,
    PIPELINES,
    STAGES,
    RowAccess,
    pipeline_event_from_row,
    pipeline_from_row,
    stage_from_row,
)


class PipelineRows(RowAccess):
    """Pipelines, stages, how many deals each stage holds, and the stage changes."""

    def pipelines(self) -> list[Pipeline]:
        """Every pipeline, archived ones too, in the order the rep gave them."""
        query = select(PIPELINES).order_by(PIPELINES.c.position, PIPELINES.c.id)
        return [pipeline_from_row(r) for r in self.connection.execute(query)]

    def stages(self) -> list[Stage]:
        """Every stage of every pipeline, archived ones too: by pipeline, then in board order."""
        query = select(STAGES).order_by(STAGES.c.pipeline_id, STAGES.c.position, STAGES.c.id)
        return [stage_from_row(r) for r in self.connection.execute(query)]

    def stage(self, stage_id: int) -> Stage:
        """One stage as the database holds it now (in this transaction)."""
        return stage_from_row(self._get(STAGES, stage_id, "stage"))

    def insert_pipeline(self, **values: Any) -> Pipeline:
        return pipeline_from_row(self._insert(PIPELINES, values))

    def update_pipeline(self, pipeline_id: int, **values: Any) -> Pipeline:
        return pipeline_from_row(self._update(PIPELINES, pipeline_id, values, "pipeline"))

    def insert_stage(self, **values: Any) -> Stage:
        return stage_from_row(self._insert(STAGES, values))

    def update_stage(self, stage_id: int, **values: Any) -> Stage:
        return stage_from_row(self._update(STAGES, stage_id, values, "stage"))

    def deal_counts(self, stage_ids: Iterable[int] | None = None) -> dict[int, int]:
        """How many deals each stage holds (stages without deals are left out)."""
        query = select(DEALS.c.stage_id, func.count()).group_by(DEALS.c.stage_id)
        if stage_ids is not None:
            query = query.where(DEALS.c.stage_id.in_(list(stage_ids)))
        return {stage_id: count for stage_id, count in self.connection.execute(query)}

    def deal_ids_in(self, stage_id: int) -> list[int]:
        """A column's deals, top to bottom."""
        query = select(DEALS.c.id).where(DEALS.c.stage_id == stage_id).order_by(DEALS.c.position, DEALS.c.id)
        return list(self.connection.scalars(query))

    def add_pipeline_event(self, **values: Any) -> PipelineEvent:
        values["kind"] = PipelineEventKind(values["kind"]).value
        return pipeline_event_from_row(self._insert(PIPELINE_EVENTS, values))

    def pipeline_event(self, event_id: int) -> PipelineEvent:
        return pipeline_event_from_row(self._get(PIPELINE_EVENTS, event_id, "stage change"))

    def pipeline_events(self, pipeline_id: int | None = None) -> list[PipelineEvent]:
        query = select(PIPELINE_EVENTS).order_by(PIPELINE_EVENTS.c.id)
        if pipeline_id is not None:
            query = query.where(PIPELINE_EVENTS.c.pipeline_id == pipeline_id)
        return [pipeline_event_from_row(r) for r in self.connection.execute(query)]

    def last_pipeline_event_id(self) -> int:
        return self.connection.scalar(select(func.max(PIPELINE_EVENTS.c.id))) or 0
