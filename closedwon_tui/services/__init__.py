"""The use-cases a rep performs; the only way data changes."""

from closedwon_tui.services.pipeline import PipelineService

__all__ = ["PipelineService"]
