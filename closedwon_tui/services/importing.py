"""Importing another CRM's export: one transaction per file, one batch that can be taken back whole.

Rows are read and checked without the database (closedwon_tui.transfer), then matched against
the deals already there: by the source's record id, by closedwon's own id for an export of this
very database, or by title plus company when the file has no id column. A matched row updates
its deal (the change recorded in the deal's history); the others create deals, whose history
starts with an `imported` event naming the file and source.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.models import EDITABLE_FIELDS, Deal, EventKind, Stage, StageKind
from closedwon_tui.services.base import ServiceBase
from closedwon_tui.services.import_summary import ImportRefused, ImportSummary, UndoneImport
from closedwon_tui.services.snapshots import restore, snapshot
from closedwon_tui.storage.imports import DealKey, ImportBatch, ImportStore
from closedwon_tui.storage.repository import Repository
from closedwon_tui.transfer.csvfile import read_table
from closedwon_tui.transfer.headers import Source, parse_source
from closedwon_tui.transfer.records import ImportRecord, ReadOptions, ReadResult, RowError, read_records
from closedwon_tui.transfer.stages import StageMap
from closedwon_tui.transfer.values import exact_amount

#: Called with (rows done, rows in all) while an import runs: reading counts once, writing once more.
Progress = Callable[[int, int], None]
#: Deals written per statement, so a progress bar moves during a long import.
_WRITE_CHUNK = 2000
_CLEARED: dict[str, Any] = {
    **{name: "" for name in EDITABLE_FIELDS},
    "amount": None, "probability": None, "close_date": None,
    "budget_ok": False, "authority_ok": False, "need_ok": False, "timing_ok": False,
}  # fmt: skip
_CLEARED.pop("title")
_CLEARED.pop("currency")


@dataclass(frozen=True)
class ImportRequest:
    """What the rep asked for: the file, and the options they gave."""

    path: str
    source: str | None = None
    map_stages: tuple[str, ...] = ()
    skip_errors: bool = False


@dataclass
class _Plan:
    creates: list[ImportRecord]
    #: (record, the deal it updates, the changed fields with their new values)
    updates: list[tuple[ImportRecord, Deal, dict[str, Any]]]
    unchanged: int
    errors: list[RowError]


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
        source = parse_source(request.source) if request.source else None
        stages = self.stages()
        stage_map = StageMap.with_options(stages, request.map_stages)
        table = read_table(read_file(request.path))
        with self.db.read() as repo:
            database_id = ImportStore(repo).database_id()
        total = len(table.rows) * 2
        options = ReadOptions(stage_map, self.default_currency, database_id, source)
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

    def import_file(self, request: ImportRequest, progress: Progress | None = None) -> ImportSummary:
        """Import the file in one transaction, or raise `ImportRefused` having written nothing."""
        with _no_collector_pauses():
            return self._import(request, progress)

    def _import(self, request: ImportRequest, progress: Progress | None) -> ImportSummary:
        result, summary = self._read(request, progress)
        if summary.refusal():
            raise ImportRefused(summary)
        now = self.clock()
        with self.db.write() as repo:
            repo.lock_columns()
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
                created += self._create(store, chunk, origin, now)
                done += len(chunk)
                if progress:
                    progress(min(done, total), total)
            updated = [self._update(repo, store, record, deal, changes, origin, now) for record, deal, changes in plan.updates]
            moved_from = [deal.stage_id for _, deal, changes in plan.updates if "stage_id" in changes]
            repo.close_gaps(moved_from)
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
    def _count(summary: ImportSummary, plan: _Plan) -> None:
        summary.created, summary.updated, summary.unchanged = len(plan.creates), len(plan.updates), plan.unchanged
        summary.errors = sorted(summary.errors + plan.errors, key=lambda e: e.row)

    # matching -------------------------------------------------------------------
    def _plan(self, repo: Repository, result: ReadResult) -> _Plan:
        keys = ImportStore(repo).deal_keys()
        by_origin = {(k.origin_source, k.origin_id): k.id for k in keys if k.origin_source and k.origin_id}
        ids = {k.id for k in keys}
        by_title: dict[tuple[str, str], list[int]] = {}
        for key in keys:
            by_title.setdefault(_title_key(key), []).append(key.id)
        plan = _Plan([], [], 0, [])
        matched: dict[int, ImportRecord] = {}
        pending: list[tuple[ImportRecord, int]] = []
        id_column = result.columns.header("record_id") if result.columns.has("record_id") else ""
        for record in result.records:
            deal_id: int | None = None
            if record.own_id is not None:
                if record.own_id not in ids:
                    plan.errors.append(RowError(record.row, id_column, f"no deal {record.own_id} in this database"))
                    continue
                deal_id = record.own_id
            elif record.key is not None:
                deal_id = by_origin.get(record.key)
            else:
                found = by_title.get(record.match_key, [])
                if len(found) > 1:
                    shown = " and ".join(str(i) for i in found[:2]) + (" and more" if len(found) > 2 else "")
                    plan.errors.append(RowError(record.row, result.columns.header("title"),
                                                f"the same title and company as deals {shown}; cannot tell which"))  # fmt: skip
                    continue
                deal_id = found[0] if found else None
            if deal_id is None:
                plan.creates.append(record)
                continue
            if deal_id in matched:
                plan.errors.append(RowError(record.row, id_column, f"the same deal ({deal_id}) as row {matched[deal_id].row}"))
                continue
            matched[deal_id] = record
            pending.append((record, deal_id))
        deals = ImportStore(repo).deals([d for _, d in pending])
        clear = result.source is Source.CLOSEDWON
        present = {name for name in _CLEARED if result.columns.has(name)}
        for record, deal_id in pending:
            try:
                changes = self._changes(record, deals[deal_id], clear_absent=present if clear else set())
            except ValidationError as exc:
                plan.errors.append(RowError(record.row, result.columns.header("amount"), str(exc)))
                continue
            if changes:
                plan.updates.append((record, deals[deal_id], changes))
            else:
                plan.unchanged += 1
        for record in plan.creates:
            if record.amount_text:
                try:
                    self._settle_amount(record, self.default_currency)
                except ValidationError as exc:
                    plan.errors.append(RowError(record.row, result.columns.header("amount"), str(exc)))
        if plan.errors:
            bad = {e.row for e in plan.errors}
            plan.creates = [r for r in plan.creates if r.row not in bad]
        return plan

    @staticmethod
    def _settle_amount(record: ImportRecord, currency: str) -> None:
        """An amount that named no currency takes the deal's, and must fit its minor units."""
        record.fields["amount"] = exact_amount(record.fields["amount"], currency, record.amount_text)
        record.fields["currency"] = currency
        record.amount_text = ""

    def _changes(self, record: ImportRecord, deal: Deal, *, clear_absent: set[str]) -> dict[str, Any]:
        """The fields of `deal` the row changes, with their new values (empty when it changes none)."""
        if record.amount_text:
            self._settle_amount(record, record.fields.get("currency", deal.currency))
        wanted = {name: _CLEARED[name] for name in clear_absent if name not in record.fields}
        wanted.update(record.fields)
        wanted["title"] = record.title
        if record.went_well is not None:
            wanted["went_well"] = record.went_well
        if record.nearly_lost is not None:
            wanted["nearly_lost"] = record.nearly_lost
        changes = {name: value for name, value in wanted.items() if getattr(deal, name) != value}
        if "amount" in changes or "currency" in changes:  # minor units depend on both
            changes["amount"] = wanted.get("amount", deal.amount)
            changes["currency"] = wanted.get("currency", deal.currency)
        stage = record.stage
        if stage.id != deal.stage_id:
            changes["stage_id"] = stage.id
            now = self.clock()
            changes["stage_entered_at"] = record.stage_entered_at or now
            changes["closed_at"] = (record.closed_at or now) if stage.is_closed else None
            changes["lost_reason"] = record.lost_reason if stage.kind is StageKind.LOST else ""
            changes["lost_note"] = record.lost_note if stage.kind is StageKind.LOST else ""
        elif stage.is_closed:
            if record.closed_at is not None and record.closed_at != deal.closed_at:
                changes["closed_at"] = record.closed_at
            if stage.kind is StageKind.LOST and record.reason_given:
                for name in ("lost_reason", "lost_note"):
                    if getattr(record, name) != getattr(deal, name):
                        changes[name] = getattr(record, name)
        return changes

    # writing ---------------------------------------------------------------------
    def _create(self, store: ImportStore, records: Sequence[ImportRecord], origin: dict[str, Any], now: datetime) -> list[list[int]]:
        deal_ids = store.reserve_deal_ids(len(records))
        event_ids = store.reserve_event_ids(len(records))
        positions: dict[int, list[int]] = {}
        for record in records:
            positions.setdefault(record.stage.id, [])
        for stage_id in positions:
            count = sum(1 for r in records if r.stage.id == stage_id)
            positions[stage_id] = store.repo.end_positions(stage_id, count)[::-1]
        deals, events, followups, notes = [], [], [], []
        for record, deal_id, event_id in zip(records, deal_ids, event_ids):
            deals.append(self._deal_row(record, deal_id, positions[record.stage.id].pop(), now))
            details = {**origin, "action": "created", "row": record.row, "to_stage": record.stage.name}
            if record.key is not None:
                details["record_id"] = record.key[1]
            if record.source_stage and record.source_stage != record.stage.name:
                details["source_stage"] = record.source_stage
            events.append({"id": event_id, "deal_id": deal_id, "at": now, "actor": self.actor, "kind": EventKind.IMPORTED.value,
                           "from_stage_id": None, "to_stage_id": record.stage.id, "details": details})  # fmt: skip
            if record.next_activity is not None and record.stage.is_open:
                due = datetime(record.next_activity.year, record.next_activity.month, record.next_activity.day)
                followups.append({"deal_id": deal_id, "due": due, "has_time": False, "created_at": now, "done_at": None,
                                  "note": f"Next activity (from {origin['source_label']})"})  # fmt: skip
            if record.description:
                notes.append({"deal_id": deal_id, "text": record.description, "created_at": now})
        store.insert_deals(deals)
        store.insert_events(events)
        store.insert_followups(followups)
        store.insert_notes(notes)
        return [[deal_id, event_id] for deal_id, event_id in zip(deal_ids, event_ids)]

    def _deal_row(self, record: ImportRecord, deal_id: int, position: int, now: datetime) -> dict[str, Any]:
        fields = record.fields
        closed = record.stage.is_closed
        created = record.created_at or now
        closed_at = (record.closed_at or now) if closed else None
        row = {
            "title": record.title, "company": "", "contact_name": "", "contact_email": "", "amount": None,
            "currency": self.default_currency, "probability": None, "close_date": None, "owner": "", "source": "",
            "budget_note": "", "budget_ok": False, "authority_note": "", "authority_ok": False, "need_note": "",
            "need_ok": False, "timing_note": "", "timing_ok": False, "next_step": "",
        }  # fmt: skip
        row.update(fields)
        row.update(
            id=deal_id, created_at=created, updated_at=now, last_activity_at=record.last_activity_at or now,
            stage_id=record.stage.id, stage_entered_at=record.stage_entered_at or closed_at or now,
            position=position, closed_at=closed_at, lost_reason=record.lost_reason, lost_note=record.lost_note,
            went_well=record.went_well or "", nearly_lost=record.nearly_lost or "", version=1,
            origin_source=record.key[0] if record.key else None, origin_id=record.key[1] if record.key else None,
        )  # fmt: skip
        return row

    def _update(
        self, repo: Repository, store: ImportStore, record: ImportRecord, deal: Deal, changes: dict[str, Any],
        origin: dict[str, Any], now: datetime,
    ) -> list[int]:  # fmt: skip
        values = dict(changes)
        if "stage_id" in changes:
            values["position"] = repo.end_positions(changes["stage_id"], 1)[0]
        if record.last_activity_at is not None and record.last_activity_at > deal.last_activity_at:
            values["last_activity_at"] = record.last_activity_at
        updated = repo.update_deal(deal.id, deal.version, {**values, "updated_at": now})
        names = list(changes)
        before, after = snapshot(deal, names), snapshot(updated, names)
        details: dict[str, Any] = {
            **origin, "action": "updated", "row": record.row, "entity": "deal", "entity_id": deal.id,
            "changes": {k: [before[k], after[k]] for k in names if k in EDITABLE_FIELDS and before[k] != after[k]},
            "before": before, "after": after,
        }  # fmt: skip
        if record.key is not None:
            details["record_id"] = record.key[1]
        stages = {s.id: s.name for s in self.stages()}
        if "stage_id" in changes:
            details.update(from_stage=stages[deal.stage_id], to_stage=stages[updated.stage_id])
        event = repo.add_event(
            deal_id=deal.id, at=now, actor=self.actor, kind=EventKind.IMPORTED,
            from_stage_id=deal.stage_id if "stage_id" in changes else None,
            to_stage_id=updated.stage_id if "stage_id" in changes else None, details=details,
        )  # fmt: skip
        return [deal.id, event.id, updated.version]

    # batches ----------------------------------------------------------------------
    def import_batches(self) -> list[ImportBatch]:
        with self.db.read() as repo:
            return ImportStore(repo).batches()

    def undo_import(self, batch_id: int) -> UndoneImport:
        """Take a whole import back: the deals it created are removed, those it updated restored.

        Refused, with every deal concerned, when any of them changed after the import (a later
        edit, move, note or import): undoing would throw that work away.
        """
        now = self.clock()
        with self.db.write() as repo:
            repo.lock_columns()
            store = ImportStore(repo)
            batch = store.batch(batch_id)
            if batch.undone_at is not None:
                raise ValidationError(f"import {batch_id} was already undone ({batch.undone_at:%Y-%m-%d %H:%M} UTC)")
            created = [(d, e, 1) for d, e in batch.details.get("created", [])]
            updated = [tuple(item) for item in batch.details.get("updated", [])]
            items = created + updated
            deal_ids = [item[0] for item in items]
            versions, latest = store.versions(deal_ids), store.latest_events(deal_ids)
            changed = [d for d, e, v in items if versions.get(d) != v or latest.get(d) != e]
            if changed:
                raise ConflictError(_changed_message(batch_id, changed, repo))
            stages_touched = {d.stage_id for d in store.deals([d for d, _, _ in created]).values()}
            store.delete_deals([d for d, _, _ in created])
            events = store.events_by_id([e for _, e, _ in updated])
            for deal_id, event_id, _ in updated:
                stages_touched |= self._restore(repo, deal_id, event_id, events[event_id], now)
            repo.close_gaps(stages_touched)
            store.update_batch(batch_id, {"undone_at": now})
        return UndoneImport(batch=batch_id, removed=len(created), restored=len(updated))

    def _restore(self, repo: Repository, deal_id: int, event_id: int, details: dict[str, Any], now: datetime) -> set[int]:
        deal = repo.deal(deal_id)
        values = restore(details.get("before") or {})
        touched = {deal.stage_id}
        if "stage_id" in values and values["stage_id"] != deal.stage_id:
            values["position"] = repo.end_positions(values["stage_id"], 1)[0]
        restored = repo.update_deal(deal.id, deal.version, {**values, "updated_at": now})
        names = list(details.get("before") or {})
        moved = deal.stage_id != restored.stage_id
        repo.add_event(
            deal_id=deal.id, at=now, actor=self.actor, kind=EventKind.UNDONE,
            from_stage_id=deal.stage_id if moved else None, to_stage_id=restored.stage_id if moved else None,
            details={"undoes": event_id, "undone_kind": EventKind.IMPORTED.value, "entity": "deal", "entity_id": deal.id,
                     "before": snapshot(deal, names), "after": snapshot(restored, names), "batch": details.get("batch")},
        )  # fmt: skip
        return touched


def _title_key(key: DealKey) -> tuple[str, str]:
    return (" ".join(key.title.lower().split()), " ".join(key.company.lower().split()))


def _changed_message(batch_id: int, changed: Iterable[int], repo: Repository) -> str:
    changed = list(changed)
    titles = {d.id: d.title for d in repo.deals(ids=changed[:10])}
    shown = ", ".join(f"{d} ({titles[d]})" if d in titles else f"{d} (removed since)" for d in changed[:10])
    more = f" and {len(changed) - 10} more" if len(changed) > 10 else ""
    return (
        f"import {batch_id} cannot be undone: {len(changed)} of its deals changed since it ran: {shown}{more}; "
        "undo those changes (or the later imports) first"
    )
