"""Importing another CRM's export: one transaction per file, one batch that can be taken back whole.

Rows are read and checked without the database (closedwon_tui.transfer), then matched against
the deals already there: by the source's record id, by closedwon's own id for an export of this
very database, or by title plus company when the file has no id column. A matched row updates
its deal (the change recorded in the deal's history); the others create deals, whose history
starts with an `imported` event naming the file and source.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.services.base import ServiceBase
from closedwon_tui.services.import_summary import ImportRefused, ImportSummary, UndoneImport

if TYPE_CHECKING:  # the import code is loaded when an import runs: the board starts faster
    from closedwon_tui.services.import_plan import Plan
    from closedwon_tui.storage.imports import ImportBatch
    from closedwon_tui.storage.repository import Repository
    from closedwon_tui.transfer.records import ReadResult

#: Called with (rows done, rows in all) while an import runs: reading counts once, writing once more.
Progress = Callable[[int, int], None]
#: Deals written per statement, so a progress bar moves during a long import.
_WRITE_CHUNK = 2000


@dataclass(frozen=True)
class ImportRequest:
    """What the rep asked for: the file, and the options they gave."""

    path: str
    source: str | None = None
    map_stages: tuple[str, ...] = ()
    skip_errors: bool = False
    #: The pipeline the deals go into (stages mapped against its stages); None: the first, or
    #: for closedwon's own export, the pipeline each row names.
    pipeline: str | None = None


@contextmanager
def _no_collector_pauses() -> Iterator[None]:
    """Read and write tens of thousands of rows without the cyclic collector walking them again and
    again (they form no reference cycles; reference counting frees them as before)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_file(path: str) -> bytes:
    file = Path(path).expanduser()
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder, not a file") from None
    except PermissionError:
        raise ValidationError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None


class ImportCommands(ServiceBase):
    # reading ------------------------------------------------------------------
    def _read(self, request: ImportRequest, progress: Progress | None) -> tuple[ReadResult, ImportSummary]:
        from closedwon_tui.storage.imports import ImportStore
        from closedwon_tui.transfer.csvfile import read_table
        from closedwon_tui.transfer.headers import parse_source
        from closedwon_tui.transfer.records import ReadOptions, read_records
        from closedwon_tui.transfer.stages import StageMap, normalize_stage

        source = parse_source(request.source) if request.source else None
        self.forget_stages()
        target = self.pipeline(request.pipeline)
        stages = self.stages(target)
        stage_map = StageMap.with_options(stages, request.map_stages)
        # Without --pipeline, a closedwon export's rows go back to the pipelines they name.
        by_pipeline = None
        if request.pipeline is None:
            by_pipeline = {normalize_stage(p.name): StageMap(self.stages(p)) for p in self.pipelines()}
            by_pipeline[normalize_stage(target.name)] = stage_map
        table = read_table(read_file(request.path))
        with self.db.read() as repo:
            database_id = ImportStore(repo).database_id()
        total = len(table.rows) * 2
        options = ReadOptions(stage_map, self.default_currency, database_id, source, pipeline_maps=by_pipeline)
        tick = (lambda done: progress(done, total)) if progress else None
        result = read_records(table, options, progress=tick)
        summary = ImportSummary(
            file=Path(request.path).name, source=result.source, encoding=table.encoding,
            separator=table.separator_name, rows=result.rows, left_out=list(result.left_out),
            errors=list(result.errors), unknown_stages=dict(result.unknown_stages),
            unused_columns=result.columns.unused, matched_by_title=not result.has_ids,
            notes=list(result.notes), skip_errors=request.skip_errors, stages=tuple(stages),
        )  # fmt: skip
        return result, summary

    def preview_import(self, request: ImportRequest, progress: Progress | None = None) -> ImportSummary:
        """What importing the file would do (`--dry-run`): nothing is written."""
        with _no_collector_pauses():
            return self._preview(request, progress)

    def _preview(self, request: ImportRequest, progress: Progress | None) -> ImportSummary:
        result, summary = self._read(request, progress)
        summary.dry_run = True
        with self.db.read() as repo:
            plan = self._plan(repo, result)
        self._count(summary, plan)
        return summary

    def _plan(self, repo: Repository, result: ReadResult) -> Plan:
        from closedwon_tui.services.import_plan import plan_import

        return plan_import(repo, result, self.default_currency, self.clock())

    def import_file(self, request: ImportRequest, progress: Progress | None = None) -> ImportSummary:
        """Import the file in one transaction, or raise `ImportRefused` having written nothing."""
        with _no_collector_pauses():
            return self._import(request, progress)

    def _import(self, request: ImportRequest, progress: Progress | None) -> ImportSummary:
        from closedwon_tui.services.import_writes import create_deals, update_deals
        from closedwon_tui.storage.imports import ImportStore

        result, summary = self._read(request, progress)
        if summary.refusal():
            raise ImportRefused(summary)
        with self.db.write() as repo:
            now = self._locked_now(repo)
            plan = self._plan(repo, result)
            self._count(summary, plan)
            if summary.refusal():
                raise ImportRefused(summary)
            store = ImportStore(repo)
            batch = store.insert_batch(
                {"at": now, "actor": self.actor, "file": str(Path(request.path).expanduser()),
                 "source": result.source.value, "created": 0, "updated": 0, "skipped": 0, "errors": 0, "details": {}}
            )  # fmt: skip
            summary.batch = batch
            origin = {"batch": batch, "file": summary.file, "source": result.source.value,
                      "source_label": result.source.label}  # fmt: skip
            total, done = result.rows * 2, result.rows
            created: list[list[int]] = []
            for start in range(0, len(plan.creates), _WRITE_CHUNK):
                chunk = plan.creates[start : start + _WRITE_CHUNK]
                created += create_deals(store, chunk, origin, now, actor=self.actor,
                                        default_currency=self.default_currency)  # fmt: skip
                done += len(chunk)
                if progress:
                    progress(min(done, total), total)
            names = {s.id: s.name for s in self.all_stages()}
            updated = update_deals(repo, store, plan.updates, origin, now, actor=self.actor, stage_names=names)
            store.update_batch(
                batch,
                {"created": summary.created, "updated": summary.updated, "skipped": summary.skipped,
                 "errors": len(summary.errors),
                 "details": {"created": created, "updated": updated, "summary": summary.as_json()}},
            )  # fmt: skip
        if progress:
            progress(result.rows * 2, result.rows * 2)
        return summary

    @staticmethod
    def _count(summary: ImportSummary, plan: Plan) -> None:
        summary.created, summary.updated, summary.unchanged = len(plan.creates), len(plan.updates), plan.unchanged
        summary.errors = sorted(summary.errors + plan.errors, key=lambda e: e.row)

    # batches ----------------------------------------------------------------------
    def import_batches(self) -> list[ImportBatch]:
        from closedwon_tui.storage.imports import ImportStore

        with self.db.read() as repo:
            return ImportStore(repo).batches()

    def undo_import(self, batch_id: int) -> UndoneImport:
        """Take a whole import back (see `import_writes.undo_batch`), in one transaction."""
        from closedwon_tui.services.import_writes import undo_batch

        with self.db.write() as repo:
            now = self._locked_now(repo)
            return undo_batch(repo, batch_id, now, actor=self.actor)
