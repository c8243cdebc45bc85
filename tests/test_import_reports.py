"""Imports keep the reports exact: the stays an import writes in bulk (and its undo takes back) are
what replaying each deal's history gives, and every report figure counted in SQL is the figure
the straightforward replay of the whole history gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from closedwon_tui.storage import tables
from tests.dbstate import assert_ordered
from tests.import_helpers import by_title, fixture, request, write
from tests.report_reference import assert_same_figures, assert_stays_replay_the_history


def assert_reports_exact(service, clock) -> None:  # type: ignore[no-untyped-def]
    assert_stays_replay_the_history(service)
    assert_same_figures(service, clock())
    assert_ordered(service)


def _stays(service, deal_id: int) -> list[tuple]:  # type: ignore[no-untyped-def]
    stays = tables.deal_stays
    with service.db.read() as repo:
        query = select(stays.c.stage_id, stays.c.entered_at, stays.c.left_at).where(stays.c.deal_id == deal_id)
        return [tuple(row) for row in repo.connection.execute(query.order_by(stays.c.seq))]


def test_an_import_its_update_and_their_undo_keep_the_reports_equal_to_the_replay(tmp_path, service, clock):
    mine = service.create_deal("Mine", stage="Proposal", amount="5000", owner="dana").deal
    clock.advance(hours=2)
    service.move_deal(mine.id, "Negotiation")
    clock.advance(hours=2)
    first = service.import_file(request("pipedrive_deals.csv"))
    assert first.created == 4
    assert_reports_exact(service, clock)
    helios = by_title(service)["Helios platform rollout"]
    proposal, negotiation = service.stage("Proposal").id, service.stage("Negotiation").id
    # its stay in Proposal starts when Pipedrive says it got there, as the card's days in stage do
    assert _stays(service, helios.id) == [(proposal, datetime(2026, 11, 2, 9, 0, tzinfo=UTC), None)]

    # A later export: Helios moved on to negotiation yesterday morning.
    clock.advance(days=1)
    text = Path(fixture("pipedrive_deals.csv")).read_text(encoding="utf-8")
    moved_on = "Proposal Made,Hot,Open,2026-09-01 10:15:00,2026-11-20 16:00:00,2026-11-25 09:00:00"
    text = text.replace("Proposal Made,Hot,Open,2026-09-01 10:15:00,2026-11-20 16:00:00,2026-11-02 09:00:00",
                        moved_on.replace("Proposal Made", "Negotiations Started"))  # fmt: skip
    update = service.import_file(request(write(tmp_path, "later.csv", text)))
    assert update.updated == 1 and service.deal(helios.id).stage_id == negotiation
    assert_reports_exact(service, clock)
    moved_at = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert _stays(service, helios.id) == [
        (proposal, datetime(2026, 11, 2, 9, 0, tzinfo=UTC), moved_at), (negotiation, moved_at, None),
    ]  # fmt: skip

    clock.advance(hours=3)
    service.undo_import(update.batch)  # the update never happened: Helios never left Proposal
    assert _stays(service, helios.id) == [(proposal, datetime(2026, 11, 2, 9, 0, tzinfo=UTC), None)]
    assert_reports_exact(service, clock)


def test_undoing_an_import_takes_its_deals_stays_out_of_the_reports(service, clock):
    mine = service.create_deal("Mine", stage="Analysis", amount="700", owner="marcus").deal
    clock.advance(hours=5)
    batch = service.import_file(request("hubspot_deals.csv")).batch
    imported = [d.id for d in service.deals() if d.id != mine.id]
    assert imported and all(_stays(service, deal_id) for deal_id in imported)
    assert_reports_exact(service, clock)
    clock.advance(days=2)
    service.undo_import(batch)
    assert [d.id for d in service.deals()] == [mine.id]
    assert all(not _stays(service, deal_id) for deal_id in imported)
    assert_reports_exact(service, clock)


def test_imported_deals_take_keys_below_the_cards_already_in_their_columns(service):
    mine = [service.create_deal(f"Mine {n}", stage="Proposal").deal.id for n in range(3)]
    service.import_file(request("pipedrive_deals.csv"))
    proposal = [d for d in service.deals() if d.stage_id == service.stage("Proposal").id]
    ordered = [d.id for d in sorted(proposal, key=lambda d: d.position)]
    assert ordered[:3] == mine[::-1] and ordered[3:] == [by_title(service)["Helios platform rollout"].id]
    assert_ordered(service)
