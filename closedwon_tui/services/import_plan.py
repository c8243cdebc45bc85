"""Matching an export's records against the deals already there, and what each one would change.

A record matches by closedwon's own id (an export of this database), by the source's record id,
or, in a file without ids, by title plus company. A matched record updates its deal with the
fields the file gives; the rest create deals. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import EDITABLE_FIELDS, Deal, StageKind
from closedwon_tui.domain.money import exact_amount
from closedwon_tui.storage.imports import DealKey, ImportStore
from closedwon_tui.storage.repository import Repository
from closedwon_tui.transfer.headers import Source
from closedwon_tui.transfer.records import ImportRecord, ReadResult, RowError

#: A field's value when closedwon's own export leaves its cell empty.
CLEARED: dict[str, Any] = {
    **{name: "" for name in EDITABLE_FIELDS if name not in ("title", "currency")},
    "amount": None, "probability": None, "close_date": None,
    "budget_ok": False, "authority_ok": False, "need_ok": False, "timing_ok": False,
}  # fmt: skip


@dataclass
class Plan:
    creates: list[ImportRecord]
    #: (record, the deal it updates, the changed fields with their new values)
    updates: list[tuple[ImportRecord, Deal, dict[str, Any]]]
    unchanged: int
    errors: list[RowError]


def plan_import(repo: Repository, result: ReadResult, default_currency: str, now: datetime) -> Plan:
    """Which records create deals, which update one (and how), which change nothing, which cannot be placed."""
    keys = ImportStore(repo).deal_keys()
    by_origin = {(k.origin_source, k.origin_id): k.id for k in keys if k.origin_source and k.origin_id}
    ids = {k.id for k in keys}
    by_title: dict[tuple[str, str], list[int]] = {}
    for key in keys:
        by_title.setdefault(_title_key(key), []).append(key.id)
    plan = Plan([], [], 0, [])
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
            plan.errors.append(
                RowError(record.row, id_column, f"the same deal ({deal_id}) as row {matched[deal_id].row}")
            )
            continue
        matched[deal_id] = record
        pending.append((record, deal_id))
    deals = ImportStore(repo).deals([d for _, d in pending])
    clear = result.source is Source.CLOSEDWON
    present = {name for name in CLEARED if result.columns.has(name)}
    for record, deal_id in pending:
        try:
            changes = changes_for(record, deals[deal_id], clear_absent=present if clear else set(), now=now)
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
                settle_amount(record, default_currency)
            except ValidationError as exc:
                plan.errors.append(RowError(record.row, result.columns.header("amount"), str(exc)))
    if plan.errors:
        bad = {e.row for e in plan.errors}
        plan.creates = [r for r in plan.creates if r.row not in bad]
    return plan


def settle_amount(record: ImportRecord, currency: str) -> None:
    """An amount that named no currency takes the deal's, and must fit its minor units."""
    record.fields["amount"] = exact_amount(record.fields["amount"], currency)
    record.fields["currency"] = currency
    record.amount_text = ""


def changes_for(record: ImportRecord, deal: Deal, *, clear_absent: set[str], now: datetime) -> dict[str, Any]:
    """The fields of `deal` the row changes, with their new values (empty when it changes none)."""
    if record.amount_text:
        settle_amount(record, record.fields.get("currency", deal.currency))
    wanted = {name: CLEARED[name] for name in clear_absent if name not in record.fields}
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


def _title_key(key: DealKey) -> tuple[str, str]:
    return (" ".join(key.title.lower().split()), " ".join(key.company.lower().split()))
