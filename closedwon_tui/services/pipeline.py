"""The one service object the CLI and the app share."""

from __future__ import annotations

from closedwon_tui.services.activity import ActivityCommands
from closedwon_tui.services.backup import BackupCommands
from closedwon_tui.services.bulk import BulkCommands
from closedwon_tui.services.calendar import CalendarQueries
from closedwon_tui.services.closing import ClosingQueries
from closedwon_tui.services.deals import DealCommands
from closedwon_tui.services.exporting import ExportQueries
from closedwon_tui.services.importing import ImportCommands
from closedwon_tui.services.queries import Queries
from closedwon_tui.services.reports import ReportQueries
from closedwon_tui.services.stages import StageCommands
from closedwon_tui.services.undo import UndoCommands


class PipelineService(
    StageCommands,
    BulkCommands,
    DealCommands,
    ActivityCommands,
    UndoCommands,
    Queries,
    ReportQueries,
    ClosingQueries,
    ImportCommands,
    ExportQueries,
    BackupCommands,
    CalendarQueries,
):
    """Every use-case a rep performs: each change is one transaction with its history event."""
