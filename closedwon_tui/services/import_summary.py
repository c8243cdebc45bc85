"""What an import did, or would do: counts, every problem with its row, and why it was refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import Stage

if TYPE_CHECKING:  # loaded with the import code, when an import runs
    from closedwon_tui.transfer.headers import Source
    from closedwon_tui.transfer.records import RowError

#: How many problems a one-line refusal names before it says "and N more".
SHOWN_ERRORS = 3


@dataclass
class ImportSummary:
    file: str
    source: Source
    encoding: str = ""
    separator: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (row, why) for rows left out on purpose (deleted in the source).
    left_out: list[tuple[int, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unknown_stages: dict[str, list[int]] = field(default_factory=dict)
    unused_columns: tuple[str, ...] = ()
    #: True when deals were matched on title plus company (the file has no id column).
    matched_by_title: bool = False
    notes: list[str] = field(default_factory=list)
    batch: int | None = None
    dry_run: bool = False
    skip_errors: bool = False
    #: The stages the file was mapped onto, for the message naming unknown ones.
    stages: tuple[Stage, ...] = ()

    @property
    def skipped(self) -> int:
        """Rows that were read and not written: unchanged deals and rows left out on purpose."""
        return self.unchanged + len(self.left_out)

    def refusal(self) -> str | None:
        """Why the import cannot go ahead, in one line; None when it can."""
        if self.unknown_stages:
            from closedwon_tui.transfer.stages import unknown_stages_message

            return unknown_stages_message(self.unknown_stages, self.stages)
        if self.errors and not self.skip_errors:
            shown = "; ".join(str(e) for e in self.errors[:SHOWN_ERRORS])
            more = f" and {len(self.errors) - SHOWN_ERRORS} more" if len(self.errors) > SHOWN_ERRORS else ""
            rows = "1 row has a problem" if len(self.errors) == 1 else f"{len(self.errors)} rows have problems"
            return (
                f"{rows}, so nothing was imported: {shown}{more} "
                "(--dry-run lists them all; --skip-errors imports the other rows)"
            )
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "unchanged": self.unchanged,
            "left_out": [{"row": row, "reason": why} for row, why in self.left_out],
            "unknown_stages": self.unknown_stages,
            "source": self.source.value,
            "file": self.file,
            "rows": self.rows,
            "unused_columns": list(self.unused_columns),
            "matched_by": "title and company" if self.matched_by_title else "id",
            "dry_run": self.dry_run,
        }

    def lines(self) -> list[str]:
        """The summary as a rep reads it (text from the file still needs `printable` to be shown)."""
        head = f"{self.source.label} export {self.file}"
        if self.encoding:
            head += f" ({self.encoding}, {self.separator} separated)"
        out = [f"{head}: {self.rows} row{'s' if self.rows != 1 else ''}"]
        verb = "would be " if self.dry_run else ""
        out.append(f"  created   {self.created:>6}" + (f"  ({verb}new deals)" if self.created else ""))
        out.append(
            f"  updated   {self.updated:>6}" + ("  (changes recorded in each deal's history)" if self.updated else "")
        )
        why = []
        if self.unchanged:
            why.append(f"{self.unchanged} unchanged")
        reasons: dict[str, int] = {}
        for _, reason in self.left_out:
            reasons[reason] = reasons.get(reason, 0) + 1
        why += [f"{n} {reason}" for reason, n in reasons.items()]
        out.append(f"  skipped   {self.skipped:>6}" + (f"  ({', '.join(why)})" if why else ""))
        out.append(
            f"  errors    {len(self.errors):>6}"
            + ("  (those rows left out)" if self.errors and self.skip_errors else "")
        )
        for error in self.errors:
            out.append(f"    {error}")
        if self.unknown_stages:
            out.append("  stages that map to no closedwon stage:")
            for name, rows in self.unknown_stages.items():
                out.append(f"    {name!r}: {len(rows)} row{'s' if len(rows) > 1 else ''}")
        if self.unused_columns:
            out.append(f"  columns not imported: {', '.join(self.unused_columns)}")
        if self.matched_by_title:
            out.append("  the file has no id column: deals are matched on title plus company")
        out += [f"  {note}" for note in self.notes]
        return out


class ImportRefused(ValidationError):
    """An import that wrote nothing, with the summary of what it found."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__(summary.refusal() or "the import was refused")
        self.summary = summary


@dataclass(frozen=True)
class UndoneImport:
    batch: int
    removed: int
    restored: int
