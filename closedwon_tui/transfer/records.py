"""An export's rows as deals to bring in: each row checked whole, or one error naming its row and column.

`read_records` needs no database: it turns a table of strings into `ImportRecord`s (typed deal
fields, target stage, outcome, close time, the source's record id), `RowError`s, rows left out
(deleted in the source, blank) and the stages that map to nothing. Matching the records against
the deals already there is the service's job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.fields import clean_field
from closedwon_tui.domain.models import StageKind
from closedwon_tui.domain.money import exact_amount
from closedwon_tui.domain.parsing import parse_title
from closedwon_tui.domain.text import LOST_REASON_LIMIT, TEXT_LIMIT
from closedwon_tui.transfer.amounts import (
    NumberStyle,
    number_style,
    parse_currency_cell,
    parse_money,
    settle_currency,
)
from closedwon_tui.transfer.csvfile import CsvTable
from closedwon_tui.transfer.dates import DateOrder, date_order, parse_day, parse_moment
from closedwon_tui.transfer.headers import ColumnMap, Source, detect_source, map_columns, no_title_message
from closedwon_tui.transfer.record_types import ImportRecord as ImportRecord
from closedwon_tui.transfer.record_types import ReadOptions as ReadOptions
from closedwon_tui.transfer.record_types import ReadResult as ReadResult
from closedwon_tui.transfer.record_types import RecordKey as RecordKey
from closedwon_tui.transfer.record_types import RowError as RowError
from closedwon_tui.transfer.stages import DELETED_STATUS, StageMap, normalize_stage, outcome_of, parse_status
from closedwon_tui.transfer.values import fraction_probabilities, parse_flag, parse_percent

#: Plain text fields, checked by the deal's own rules (lengths, email).
TEXT_FIELDS = (
    "company", "contact_name", "contact_email", "owner", "source", "next_step",
    "budget_note", "authority_note", "need_note", "timing_note",
)  # fmt: skip
FLAG_FIELDS = ("budget_ok", "authority_ok", "need_ok", "timing_ok")
_MOMENT_FIELDS = ("created_at", "closed_at", "won_at", "lost_at", "last_activity_at", "stage_entered_at")
_DAY_FIELDS = ("close_date", "next_activity")
#: What a lost deal's reason is when the file gives none.
DEFAULT_LOST_REASON = "other"
ORIGIN_ID_LIMIT = 120

#: Sources whose close date is, on a closed deal, the day it closed (Pipedrive's is only expected).
CLOSE_DATE_IS_ACTUAL = frozenset({Source.HUBSPOT, Source.SALESFORCE, Source.ZOHO})


def choose_columns(table: CsvTable, source: Source | None) -> ColumnMap:
    """The source (detected from the headers unless given) and its columns; refused without a title column."""
    chosen = source or detect_source(table.headers)
    columns = map_columns(table.headers, chosen)
    if not columns.has("title"):
        raise ValidationError(no_title_message(table.headers, source))
    return columns


class _Row:
    """One row: the non-empty values of the columns the import reads, by field."""

    __slots__ = ("cells", "number", "values")

    def __init__(self, number: int, cells: list[str], columns: Sequence[tuple[str, int]]) -> None:
        self.number, self.cells = number, cells
        width = len(cells)
        values = {}
        for name, position in columns:
            if position < width:
                text = cells[position].strip()
                if text:
                    values[name] = text
        self.values = values

    def get(self, name: str) -> str:
        return self.values.get(name, "")


class _Failed(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _column_values(table: CsvTable, columns: ColumnMap, names: Sequence[str]) -> Iterator[str]:
    """The non-empty values of some columns, row by row (read lazily: the styles stop early)."""
    indexes = [columns.columns[n] for n in names if n in columns.columns]
    for _, row in table.rows:
        for i in indexes:
            if i < len(row) and row[i].strip():
                yield row[i].strip()


class _RowReader:
    """Reads the rows of one file with the styles decided for its columns."""

    def __init__(self, table: CsvTable, columns: ColumnMap, options: ReadOptions) -> None:
        self.columns, self.options = columns, options
        self.source = columns.source
        self.stages = options.stage_map
        self.numbers: NumberStyle = number_style(_column_values(table, columns, ["amount"]), table.separator)
        self.dates: DateOrder = date_order(
            _column_values(table, columns, [*_MOMENT_FIELDS, *_DAY_FIELDS]), table.separator
        )
        self.fractions = fraction_probabilities(_column_values(table, columns, ["probability"]))
        self.width = len(columns.headers)
        self.first_open = next(s for s in self.stages.stages if s.is_open)
        # Only the fields the file has are read, row after row.
        self.text_fields = [name for name in TEXT_FIELDS if columns.has(name)]
        self.flag_fields = [name for name in FLAG_FIELDS if columns.has(name)]
        self.moment_fields = [name for name in _MOMENT_FIELDS if columns.has(name)]
        self.parse_moment: Callable[[str], Any] = lambda text: parse_moment(text, self.dates)
        self.parse_day: Callable[[str], Any] = lambda text: parse_day(text, self.dates)
        self.parse_percent: Callable[[str], Any] = lambda text: parse_percent(text, fraction=self.fractions)
        self.cleaners: dict[str, Callable[[str], Any]] = {
            name: (lambda text, n=name: clean_field(n, text)) for name in self.text_fields
        }

    def header(self, name: str) -> str:
        return self.columns.header(name) if self.columns.has(name) else name

    def _check(self, name: str, parse: Callable[[str], Any], row: _Row) -> Any:
        text = row.values.get(name)
        if text is None:
            return None
        try:
            return parse(text)
        except ValidationError as exc:
            raise _Failed(self.header(name), str(exc)) from None

    def read(self, row: _Row, result: ReadResult) -> ImportRecord | None:
        extra = row.cells[self.width :]
        if extra and any(cell.strip() for cell in extra):
            raise _Failed(
                "", f"{len(row.cells)} values for {self.width} columns (a separator inside an unquoted value?)"
            )
        status_text = row.get("status")
        if status_text.lower() == DELETED_STATUS:
            result.left_out.append((row.number, f"deleted in {self.source.label}"))
            return None
        title = self._check("title", parse_title, row)
        if title is None:
            raise _Failed(self.header("title"), "a deal needs a title")
        fields: dict[str, Any] = {}
        for name in self.text_fields:
            value = self._check(name, self.cleaners[name], row)
            if value is not None:
                fields[name] = value
        for name in self.flag_fields:
            value = self._check(name, parse_flag, row)
            if value is not None:
                fields[name] = value
        amount_text = self._money(row, fields)
        probability = self._check("probability", self.parse_percent, row)
        if probability is not None:
            fields["probability"] = probability
        close_date = self._check("close_date", self.parse_day, row)
        if close_date is not None:
            fields["close_date"] = close_date
        moments = dict.fromkeys(_MOMENT_FIELDS)
        for name in self.moment_fields:
            moments[name] = self._check(name, self.parse_moment, row)
        record = ImportRecord(
            row=row.number, title=title, fields=fields, stage=self.first_open,
            created_at=moments["created_at"], stage_entered_at=moments["stage_entered_at"],
            last_activity_at=moments["last_activity_at"],
            went_well=self._text(row, "went_well"), nearly_lost=self._text(row, "nearly_lost"),
            description=self._text(row, "description") or "",
            next_activity=self._check("next_activity", self.parse_day, row),
            amount_text=amount_text,
        )  # fmt: skip
        stages = self._pipeline_stages(row)
        record.stage = next(s for s in stages.stages if s.is_open)
        if not self._stage(row, record, moments, result, stages):
            return None
        self._identity(row, record)
        return record

    def _text(self, row: _Row, name: str) -> str | None:
        text = row.get(name)
        if not text and not self.columns.has(name):
            return None
        if len(text) > TEXT_LIMIT:
            raise _Failed(self.header(name), f"too long (at most {TEXT_LIMIT} characters)")
        return text

    def _money(self, row: _Row, fields: dict[str, Any]) -> str:
        """The amount and currency into `fields`; returns the amount's text when no currency is named."""
        currency = self._check("currency", parse_currency_cell, row)
        if currency is not None:
            fields["currency"] = currency
        text = row.get("amount")
        if not text:
            return ""
        try:
            money = parse_money(text, self.numbers)
            assert money is not None
            settled = settle_currency(money, currency, None, text)
            if settled is None:
                fields["amount"] = money.amount
                return text
            fields["amount"] = exact_amount(money.amount, settled)
        except ValidationError as exc:
            raise _Failed(self.header("amount"), str(exc)) from None
        fields["currency"] = settled
        return ""

    def _pipeline_stages(self, row: _Row) -> StageMap:
        """The stages a row's deal goes into: those of the pipeline it names (closedwon's own export,
        no pipeline chosen), else the import's."""
        maps = self.options.pipeline_maps
        if maps is None or self.source is not Source.CLOSEDWON or not self.columns.has("pipeline"):
            return self.stages
        name = row.get("pipeline")
        if not name:
            return self.stages
        found = maps.get(normalize_stage(name))
        if found is None:
            raise _Failed(self.header("pipeline"),
                          f"no pipeline named {name!r} here: add it (closedwon pipeline add) or choose one with --pipeline")  # fmt: skip
        return found

    def _stage(
        self, row: _Row, record: ImportRecord, moments: dict[str, Any], result: ReadResult, stages: StageMap
    ) -> bool:
        """Where the deal goes and how it ended; False when its stage maps to nothing."""
        status = self._check("status", parse_status, row)
        is_won = self._check("is_won", parse_flag, row)
        is_closed = self._check("is_closed", parse_flag, row)
        outcome = outcome_of(status, is_won, is_closed)
        stage_text = row.get("stage")
        record.source_stage = stage_text
        match = stages.resolve(stage_text) if stage_text else None
        if outcome in (StageKind.WON, StageKind.LOST):
            record.stage = stages.of_kind(outcome)
        elif match is None and stage_text:
            result.unknown_stages.setdefault(stage_text, []).append(row.number)
            return False
        elif match is not None:
            if outcome is StageKind.OPEN and match.stage.is_closed:
                said = f"{self.header('status')} {status.value}" if status else "not closed"
                raise _Failed(self.header("stage"), f"stage {stage_text!r} is closed but the deal is open ({said})")
            record.stage = match.stage
        if record.stage.kind is StageKind.OPEN:
            return True
        closed = moments["won_at"] if record.outcome is StageKind.WON else moments["lost_at"]
        closed = closed or moments["closed_at"]
        if closed is None and self.source in CLOSE_DATE_IS_ACTUAL and record.fields.get("close_date") is not None:
            closed = parse_moment(record.fields["close_date"].isoformat())
        record.closed_at = closed
        if record.outcome is StageKind.LOST:
            given = row.get("lost_reason") or (match.reason if match else "")
            record.reason_given = bool(given)
            reason = given or DEFAULT_LOST_REASON
            note = self._text(row, "lost_note") or ""
            if len(reason) > LOST_REASON_LIMIT:
                reason, note = DEFAULT_LOST_REASON, "\n".join(t for t in (reason, note) if t)
            if len(note) > TEXT_LIMIT:
                raise _Failed(self.header("lost_reason"), f"too long (at most {TEXT_LIMIT} characters)")
            record.lost_reason, record.lost_note = reason, note
        return True

    def _identity(self, row: _Row, record: ImportRecord) -> None:
        record_id = row.get("record_id")
        if len(record_id) > ORIGIN_ID_LIMIT:
            raise _Failed(
                self.header("record_id"), f"an id of at most {ORIGIN_ID_LIMIT} characters, not {len(record_id)}"
            )
        if self.source is not Source.CLOSEDWON:
            record.key = (self.source.value, record_id) if record_id else None
            return
        origin = (row.get("origin_source").lower(), row.get("origin_id"))
        own_prefix = f"{self.options.database_id}/"
        if (
            origin[0] == Source.CLOSEDWON.value
            and origin[1].startswith(own_prefix)
            and origin[1][len(own_prefix) :].isdigit()
        ):
            record.own_id = int(origin[1][len(own_prefix) :])  # a deal of this database, back from another one
            return
        if all(origin):
            record.key = origin
        if not record_id:
            return
        if not record_id.isdigit():
            raise _Failed(self.header("record_id"), f"not a closedwon deal id: {record_id!r}")
        database = row.get("database_id")
        if not database or database == self.options.database_id:
            record.own_id = int(record_id)
        elif record.key is None:
            record.key = (Source.CLOSEDWON.value, f"{database}/{record_id}")


def read_records(table: CsvTable, options: ReadOptions, *, progress: Callable[[int], None] | None = None) -> ReadResult:
    """Every row of the file as a record, an error, or a row left out."""
    columns = choose_columns(table, options.source)
    if columns.has("pipeline") and (options.pipeline_maps is None or columns.source is not Source.CLOSEDWON):
        # Another CRM's pipelines are not ours, and a pipeline the rep chose wins: one pipeline for all.
        columns = replace(columns, unused=(*columns.unused, columns.header("pipeline")))
    result = ReadResult(source=columns.source, columns=columns, rows=len(table.rows))
    result.has_ids = columns.has("record_id")
    if not columns.has("stage") and not columns.has("status") and not columns.has("is_closed"):
        first = next(s for s in options.stage_map.stages if s.is_open)
        result.notes.append(f"the file has no stage column: its deals go to {first.name}")
    reader = _RowReader(table, columns, options)
    read_columns = list(columns.columns.items())
    seen: dict[Any, int] = {}
    for done, (number, cells) in enumerate(table.rows, start=1):
        if progress is not None and done % 1000 == 0:
            progress(done)
        try:
            record = reader.read(_Row(number, cells, read_columns), result)
        except _Failed as failed:
            result.errors.append(RowError(number, failed.column, failed.message))
            continue
        if record is None:
            continue
        identity = record.own_id or record.key or ("title", record.match_key)
        if identity in seen:
            what = (
                "id" if record.own_id or record.key else "title and company (and the file has no id to tell them apart)"
            )
            column = reader.header("record_id") if record.own_id or record.key else reader.header("title")
            result.errors.append(RowError(number, column, f"the same {what} as row {seen[identity]}"))
            continue
        seen[identity] = number
        result.records.append(record)
    if progress is not None:
        progress(len(table.rows))
    return result
