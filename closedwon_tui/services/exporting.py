"""Reading every deal out for `closedwon export`, with where it came from and the database's id."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from closedwon_tui.domain.models import Pipeline
from closedwon_tui.services.base import ServiceBase

if TYPE_CHECKING:  # loaded when deals are exported
    from closedwon_tui.transfer.exporting import ExportedDeal


@dataclass(frozen=True)
class DealExport:
    deals: list[ExportedDeal]
    database_id: str


class ExportQueries(ServiceBase):
    def export_deals(
        self, deal_ids: Collection[int] | None = None, *, pipeline: int | str | Pipeline | None = None
    ) -> DealExport:
        """Every deal (or those of `deal_ids`: the deals a filter matched; of `pipeline` only, when
        given), in board order (pipeline by pipeline, stage by stage, top to bottom), read in one
        transaction. An unknown pipeline is refused before anything is read."""
        from closedwon_tui.storage.imports import ImportStore
        from closedwon_tui.transfer.exporting import ExportedDeal

        self.forget_stages()
        only = None if pipeline is None else self.pipeline(pipeline).id
        stages = {s.id: s for s in self.all_stages()}
        pipelines = {p.id: p for p in self.all_pipelines()}
        with self.db.read() as repo:
            store = ImportStore(repo)
            deals = repo.deals()
            origins = store.all_origins()
            database_id = store.database_id()
        if deal_ids is not None:
            wanted = set(deal_ids)
            deals = [d for d in deals if d.id in wanted]
        if only is not None:
            deals = [d for d in deals if stages[d.stage_id].pipeline_id == only]
        # Pipeline by pipeline, stage by stage, top to bottom: the board's order.
        order = {p.id: (p.position, p.id) for p in pipelines.values()}
        ordered = sorted(deals, key=lambda d: (order[stages[d.stage_id].pipeline_id], stages[d.stage_id].position,
                                               d.position, d.id))  # fmt: skip
        items = [
            ExportedDeal(
                d,
                stages[d.stage_id],
                *origins.get(d.id, (None, None)),
                pipeline=pipelines[stages[d.stage_id].pipeline_id].name,
            )  # fmt: skip
            for d in ordered
        ]
        return DealExport(items, database_id)
