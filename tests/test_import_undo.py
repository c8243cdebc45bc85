"""Taking a whole import back: created deals removed, updated ones restored, refused when work would be lost."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from closedwon_tui.domain.errors import ConflictError, NotFoundError, ValidationError
from closedwon_tui.domain.models import EventKind
from closedwon_tui.domain.replay import stage_path
from closedwon_tui.domain.timeline import describe_event
from tests.dbstate import assert_ordered, dump_tables
from tests.import_helpers import by_title, fixture, request, write


def without_batches(state: dict) -> dict:
    return {name: rows for name, rows in state.items() if name != "import_batches"}


def test_undo_removes_the_deals_an_import_created_with_everything_recorded_about_them(service):
    service.create_deal("Mine", stage="Proposal")
    before = dump_tables(service.db.engine)
    batch = service.import_file(request("pipedrive_deals.csv")).batch
    service.import_file(request("salesforce_api.csv"))  # another import, untouched by the undo
    assert service.deal_detail(by_title(service)["Helios platform rollout"].id).followups  # a follow-up came in
    done = service.undo_import(batch)
    assert (done.batch, done.removed, done.restored) == (batch, 4, 0)
    titles = sorted(by_title(service))
    assert titles == ["Atlas support renewal", "Crescent booking engine", "Mine", "Riverbend campus licences"]
    service.undo_import(batch + 1)
    after = dump_tables(service.db.engine)
    assert without_batches(after) == without_batches(before)  # deals, events, follow-ups, notes: all gone
    assert [b.undone_at is not None for b in service.import_batches()] == [True, True]
    assert_ordered(service)


def test_undo_restores_the_deals_an_import_updated(tmp_path, service):
    service.import_file(request("pipedrive_plain.csv"))
    granite = by_title(service)["Granite data warehouse"]
    text = Path(fixture("pipedrive_plain.csv")).read_text(encoding="utf-8")
    text = text.replace("Granite data warehouse,65000,USD,Granite Labs,Sam Whitaker,Negotiations Started,Open",
                        "Granite data warehouse,70000,EUR,Granite Labs,Sam Whitaker,Negotiations Started,Lost")  # fmt: skip
    update = service.import_file(request(write(tmp_path, "update.csv", text)))
    assert update.updated == 1
    lost = service.deal(granite.id)
    assert (lost.amount, lost.currency, lost.lost_reason) == (Decimal("70000.00"), "EUR", "other")
    done = service.undo_import(update.batch)
    assert (done.removed, done.restored) == (0, 1)
    back = service.deal(granite.id)
    for name in ("amount", "currency", "stage_id", "stage_entered_at", "closed_at", "lost_reason", "lost_note"):
        assert getattr(back, name) == getattr(granite, name), name
    assert back.version == 3
    history = service.history(granite.id)
    assert [e.kind for e in history] == [EventKind.IMPORTED, EventKind.IMPORTED, EventKind.UNDONE]
    assert history[-1].details["undoes"] == history[1].id
    names = {s.id: s.name for s in service.stages()}
    assert describe_event(history[-1], names, {e.id: e for e in history}).startswith(
        "undid: updated by an import from Pipedrive (update.csv, row 3): Negotiation → Closed Lost"
    )
    assert_ordered(service)
    # for the reports, the undone import never happened: the deal never left Negotiation
    assert [stage_id for _, stage_id in stage_path(history)] == [granite.stage_id]
    assert [stage_id for _, stage_id in stage_path(history[:2])] == [granite.stage_id, lost.stage_id]


@pytest.mark.parametrize("change", ["edit", "note", "move", "later import"])
def test_undo_is_refused_with_a_list_when_a_deal_changed_since(tmp_path, service, change):
    batch = service.import_file(request("pipedrive_plain.csv")).batch
    granite = by_title(service)["Granite data warehouse"]
    if change == "edit":
        service.edit_deal(granite.id, {"amount": "66000"})
    elif change == "note":
        service.add_note(granite.id, "Spoke to Sam")
    elif change == "move":
        service.move_deal(granite.id, "Proposal")
    else:
        text = Path(fixture("pipedrive_plain.csv")).read_text(encoding="utf-8").replace("65000", "66000")
        service.import_file(request(write(tmp_path, "later.csv", text)))
    before = dump_tables(service.db.engine)
    with pytest.raises(ConflictError) as refused:
        service.undo_import(batch)
    message = str(refused.value)
    assert (
        f"import {batch} cannot be undone: 1 of its deals changed since it ran: {granite.id} (Granite data warehouse)"
        in message
    )
    assert dump_tables(service.db.engine) == before


def test_undoing_twice_or_an_unknown_batch_is_refused(service):
    batch = service.import_file(request("zoho_deals.csv")).batch
    service.undo_import(batch)
    with pytest.raises(ValidationError, match=f"import {batch} was already undone"):
        service.undo_import(batch)
    with pytest.raises(NotFoundError, match="no import with batch number 99"):
        service.undo_import(99)


def test_a_deal_created_by_an_import_cannot_be_undone_one_event_at_a_time(service):
    service.import_file(request("zoho_deals.csv"))
    deal = by_title(service)["Quasar player insights"]
    with pytest.raises(ValidationError, match="no change to undo"):
        service.undo_last(deal.id)


def test_bulk_writes_refuse_a_deal_changed_meanwhile_and_write_nothing(service):
    """Imports and their undo write many deals at once, each only at the version it was read at."""
    from closedwon_tui.storage.imports import ImportStore

    first = service.create_deal("First", amount="100").deal
    second = service.create_deal("Second", amount="200").deal
    service.edit_deal(second.id, {"amount": "250"})  # second is now at version 2
    before = dump_tables(service.db.engine)
    with (
        pytest.raises(ConflictError, match="changed by someone else meanwhile; nothing was written"),
        service.db.write() as repo,
    ):
        ImportStore(repo).update_deals([(first.id, 1, {"owner": "Ana"}), (second.id, 1, {"owner": "Ana"})])
    assert dump_tables(service.db.engine) == before
    with service.db.write() as repo:
        ImportStore(repo).update_deals([(first.id, 1, {"owner": "Ana"}), (second.id, 2, {"owner": "Ana"})])
    assert [(d.owner, d.version) for d in (service.deal(first.id), service.deal(second.id))] == [("Ana", 2), ("Ana", 3)]
