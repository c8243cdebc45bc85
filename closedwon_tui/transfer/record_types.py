"""What reading an export gives (an `ImportRecord` per row, a `RowError` per refused row, the
`ReadResult` of the whole file) and what it is read with (`ReadOptions`). Re-exported by
transfer/records.py, which reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from closedwon_tui.domain.models import Stage, StageKind
from closedwon_tui.transfer.headers import ColumnMap, Source
from closedwon_tui.transfer.stages import StageMap

#: (origin source, origin record id): how a deal brought in from elsewhere is found again.
RecordKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column!r}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ImportRecord:
    """One row as a deal: only what the file says (a field the file leaves empty is not in `fields`)."""

    row: int
    title: str
    #: Editable deal fields the row gives, in their domain types (amount exact, currency settled).
    fields: dict[str, Any]
    stage: Stage
    #: The stage as the source named it ("" when the file has no stage).
    source_stage: str = ""
    #: The source's key for this deal, or None when the row has no id.
    key: RecordKey | None = None
    #: closedwon's own id, for a row exported from this very database.
    own_id: int | None = None
    closed_at: datetime | None = None
    lost_reason: str = ""
    lost_note: str = ""
    created_at: datetime | None = None
    stage_entered_at: datetime | None = None
    last_activity_at: datetime | None = None
    went_well: str | None = None
    nearly_lost: str | None = None
    description: str = ""
    next_activity: date | None = None
    #: The amount as written, when neither it nor the row names a currency: the deal's currency
    #: (or the default one, for a new deal) decides, and its precision is checked then.
    amount_text: str = ""
    #: Whether the file gave the lost reason (rather than closedwon's default one).
    reason_given: bool = False

    @property
    def outcome(self) -> StageKind:
        return self.stage.kind

    @property
    def match_key(self) -> tuple[str, str]:
        """Title plus company, as a rep would compare them, for files without an id column."""
        return (" ".join(self.title.lower().split()), " ".join(str(self.fields.get("company", "")).lower().split()))


@dataclass(slots=True)
class ReadResult:
    source: Source
    columns: ColumnMap
    records: list[ImportRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: (row, why) for rows deliberately left out: deleted in the source.
    left_out: list[tuple[int, str]] = field(default_factory=list)
    #: Source stage name -> rows that use it, for names that map to no stage.
    unknown_stages: dict[str, list[int]] = field(default_factory=dict)
    #: True when rows carry the source's record id; otherwise deals match on title plus company.
    has_ids: bool = True
    notes: list[str] = field(default_factory=list)
    rows: int = 0


@dataclass(frozen=True, slots=True)
class ReadOptions:
    stage_map: StageMap
    default_currency: str
    #: This database's id: a closedwon export from it matches deals by their own id.
    database_id: str
    source: Source | None = None
    #: Pipeline name (normalised) -> its stages, for a closedwon export's pipeline column; None
    #: when the rep chose the pipeline (every row goes to `stage_map`'s).
    pipeline_maps: Mapping[str, StageMap] | None = None
