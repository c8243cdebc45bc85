"""Read and write pipeline records inside one transaction; rows become domain objects in
storage/rows.py. One part per kind of record, all on the same connection."""

from __future__ import annotations

from closedwon_tui.storage.activity_rows import ActivityRows
from closedwon_tui.storage.board_rows import BoardRows
from closedwon_tui.storage.column_keys import ColumnKeys
from closedwon_tui.storage.deal_rows import DealRows
from closedwon_tui.storage.history_rows import HistoryRows
from closedwon_tui.storage.pipeline_rows import PipelineRows
from closedwon_tui.storage.rows import deal_columns

__all__ = ["Repository", "deal_columns"]


class Repository(PipelineRows, DealRows, BoardRows, ColumnKeys, ActivityRows, HistoryRows):
    """Every query closedwon makes, on one connection inside one transaction."""
