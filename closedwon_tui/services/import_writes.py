"""Writing an import, and taking one back: the one place imports change the database.

Every function works inside the caller's transaction. New deals go in with a few statements for
thousands (their ids reserved first, so their events can name them); updated deals are written
one by one, each checked against the version it was read at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.models import EDITABLE_FIELDS, Deal, EventKind
from closedwon_tui.domain.text import printable
from closedwon_tui.services.import_summary import UndoneImport
from closedwon_tui.services.snapshots import restore, snapshot
from closedwon_tui.storage.imports import ImportStore
from closedwon_tui.storage.repository import Repository
from closedwon_tui.transfer.records import ImportRecord


def create_deals(
    store: ImportStore, records: Sequence[ImportRecord], origin: dict[str, Any], now: datetime, *, actor: str,
    default_currency: str,
) -> list[list[int]]:  # fmt: skip
    """New deals with their `imported` events (and follow-ups, notes), in a few statements for them all.

    Returns [deal id, event id] per deal, for the batch's record.
    """
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
        deals.append(_deal_row(record, deal_id, positions[record.stage.id].pop(), now, default_currency))
        details = {**origin, "action": "created", "row": record.row, "to_stage": record.stage.name}
        entered = deals[-1]["stage_entered_at"]
        if entered != now:  # the file says when it entered its stage: the history's stays start there
            details["entered_at"] = entered.isoformat()
        if record.key is not None:
            details["record_id"] = record.key[1]
        if record.source_stage and record.source_stage != record.stage.name:
            details["source_stage"] = record.source_stage
        events.append({"id": event_id, "deal_id": deal_id, "at": now, "actor": actor, "kind": EventKind.IMPORTED.value,
                       "from_stage_id": None, "to_stage_id": record.stage.id, "details": details})  # fmt: skip
        if record.next_activity is not None and record.stage.is_open:
            due = datetime(record.next_activity.year, record.next_activity.month, record.next_activity.day)
            followups.append({"deal_id": deal_id, "due": due, "has_time": False, "created_at": now, "done_at": None,
                              "note": f"Next activity (from {origin['source_label']})"})  # fmt: skip
        if record.description:
            notes.append({"deal_id": deal_id, "text": record.description, "created_at": now})
    store.insert_deals(deals)
    store.insert_events(events, new_deals=True)
    store.insert_followups(followups)
    store.insert_notes(notes)
    return [[deal_id, event_id] for deal_id, event_id in zip(deal_ids, event_ids)]


def _deal_row(
    record: ImportRecord, deal_id: int, position: int, now: datetime, default_currency: str
) -> dict[str, Any]:
    fields = record.fields
    closed = record.stage.is_closed
    created = record.created_at or now
    closed_at = (record.closed_at or now) if closed else None
    row = {
        "title": record.title, "company": "", "contact_name": "", "contact_email": "", "amount": None,
        "currency": default_currency, "probability": None, "close_date": None, "owner": "", "source": "",
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


def _positions(repo: Repository, targets: Sequence[int | None]) -> list[int | None]:
    """Bottom-of-column ordering keys for deals moving into the given stages (None: not moving), in order."""
    wanted: dict[int, int] = {}
    for stage_id in targets:
        if stage_id is not None:
            wanted[stage_id] = wanted.get(stage_id, 0) + 1
    free = {stage_id: repo.end_positions(stage_id, count)[::-1] for stage_id, count in wanted.items()}
    return [None if stage_id is None else free[stage_id].pop() for stage_id in targets]


def update_deals(
    repo: Repository, store: ImportStore, updates: Sequence[tuple[ImportRecord, Deal, dict[str, Any]]],
    origin: dict[str, Any], now: datetime, *, actor: str, stage_names: dict[int, str],
) -> list[list[int]]:  # fmt: skip
    """Write records' changes to their deals (each checked against the version it was read at), each
    with an `imported` event that undo can take back. Returns [deal id, event id, version after] each."""
    positions = _positions(repo, [changes.get("stage_id") for _, _, changes in updates])
    writes, events = [], []
    event_ids = store.reserve_event_ids(len(updates))
    for (record, deal, changes), position, event_id in zip(updates, positions, event_ids):
        values = {**changes, "updated_at": now}
        if position is not None:
            values["position"] = position
        if record.last_activity_at is not None and record.last_activity_at > deal.last_activity_at:
            values["last_activity_at"] = record.last_activity_at
        writes.append((deal.id, deal.version, values))
        names = list(changes)
        before, after = snapshot(deal, names), snapshot(replace(deal, **changes), names)
        details: dict[str, Any] = {
            **origin, "action": "updated", "row": record.row, "entity": "deal", "entity_id": deal.id,
            "changes": {k: [before[k], after[k]] for k in names if k in EDITABLE_FIELDS and before[k] != after[k]},
            "before": before, "after": after,
        }  # fmt: skip
        if record.key is not None:
            details["record_id"] = record.key[1]
        moved = "stage_id" in changes
        if moved:
            details.update(from_stage=stage_names[deal.stage_id], to_stage=stage_names[changes["stage_id"]])
            if changes["stage_entered_at"] != now:  # the file says when: the history's stays start there
                details["entered_at"] = changes["stage_entered_at"].isoformat()
        events.append({"id": event_id, "deal_id": deal.id, "at": now, "actor": actor, "kind": EventKind.IMPORTED.value,
                       "from_stage_id": deal.stage_id if moved else None,
                       "to_stage_id": changes["stage_id"] if moved else None, "details": details})  # fmt: skip
    store.update_deals(writes)
    store.insert_events(events)
    return [[deal.id, event_id, deal.version + 1] for (_, deal, _), event_id in zip(updates, event_ids)]


def undo_batch(repo: Repository, batch_id: int, now: datetime, *, actor: str) -> UndoneImport:
    """Take a whole import back: the deals it created are removed, those it updated restored.

    Refused, with every deal concerned, when any of them changed after the import (a later
    edit, move, note or import): undoing would throw that work away.
    """
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
    store.delete_deals([d for d, _, _ in created])  # gapped keys: the cards left keep their places
    _restore(repo, store, [(d, e) for d, e, _ in updated], now, actor)
    store.update_batch(batch_id, {"undone_at": now})
    return UndoneImport(batch=batch_id, removed=len(created), restored=len(updated))


def _restore(repo: Repository, store: ImportStore, items: Sequence[tuple[int, int]], now: datetime, actor: str) -> None:
    """Put updated deals back as their `imported` events found them, each with an `undone` event
    (a deal the import had moved goes to the bottom of its old column)."""
    deals = store.deals([deal_id for deal_id, _ in items])
    imported = store.events_by_id([event_id for _, event_id in items])
    states = [restore(imported[event_id].get("before") or {}) for _, event_id in items]
    targets = [s["stage_id"] if s.get("stage_id", deals[d].stage_id) != deals[d].stage_id else None
               for (d, _), s in zip(items, states)]  # fmt: skip
    positions = _positions(repo, targets)
    writes, events = [], []
    for (deal_id, event_id), state, position, undo_id in zip(
        items, states, positions, store.reserve_event_ids(len(items))
    ):
        deal = deals[deal_id]
        values = {**state, "updated_at": now}
        if position is not None:
            values["position"] = position
        writes.append((deal.id, deal.version, values))
        names = list(state)
        moved = position is not None
        events.append({"id": undo_id, "deal_id": deal.id, "at": now, "actor": actor, "kind": EventKind.UNDONE.value,
                       "from_stage_id": deal.stage_id if moved else None, "to_stage_id": state["stage_id"] if moved else None,
                       "details": {"undoes": event_id, "undone_kind": EventKind.IMPORTED.value, "entity": "deal",
                                   "entity_id": deal.id, "before": snapshot(deal, names),
                                   "after": snapshot(replace(deal, **state), names),
                                   "batch": imported[event_id].get("batch")}})  # fmt: skip
    store.update_deals(writes)
    store.insert_events(events)


def _changed_message(batch_id: int, changed: Iterable[int], repo: Repository) -> str:
    changed = list(changed)
    titles = {d.id: d.title for d in repo.deals(ids=changed[:10])}
    shown = ", ".join(f"{d} ({printable(titles[d])})" if d in titles else f"{d} (removed since)" for d in changed[:10])
    more = f" and {len(changed) - 10} more" if len(changed) > 10 else ""
    return (
        f"import {batch_id} cannot be undone: {len(changed)} of its deals changed since it ran: {shown}{more}; "
        "undo those changes (or the later imports) first"
    )
