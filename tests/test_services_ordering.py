"""A column's order lives in gapped keys: an add, a move or a reorder writes only the deal it places.

`closedwon deal add` costs the same on a column of fifty cards as on one of fifty thousand,
because nothing else is renumbered; only when ten or so cards have been dropped into the
same gap is the column spread out again, once, keeping its order.
"""

from __future__ import annotations

from sqlalchemy import event, select, update

from closedwon_tui.domain.ordering import GAP, LOWEST
from closedwon_tui.storage import tables
from tests.dbstate import assert_ordered, columns


def _rows(service) -> dict[int, tuple]:  # type: ignore[no-untyped-def]
    with service.db.read() as repo:
        rows = repo.connection.execute(select(tables.deals.c.id, tables.deals.c.stage_id, tables.deals.c.position,
                                              tables.deals.c.version, tables.deals.c.updated_at))  # fmt: skip
        return {row[0]: tuple(row[1:]) for row in rows}


def _stage(service, name: str) -> int:  # type: ignore[no-untyped-def]
    return service.stage(name).id


def test_an_add_a_move_and_a_reorder_write_no_other_deal(service, clock):
    deals = [service.create_deal(f"Deal {n}").deal for n in range(40)]
    others = _rows(service)
    added = service.create_deal("On top").deal
    assert {i: row for i, row in _rows(service).items() if i != added.id} == others
    moved = service.move_deal(deals[10].id, "Proposal", position=0).deal
    placed = service.create_deal("Third from the top", position=2).deal
    service.reorder_deal(deals[20].id, 5)
    after = _rows(service)
    changed = {i for i in after if after[i] != others.get(i)}
    assert changed == {added.id, moved.id, placed.id, deals[20].id}
    outreach = columns(service)[_stage(service, "Outreach")]
    assert outreach[:3] == [added.id, deals[39].id, placed.id] and outreach[5] == deals[20].id
    assert_ordered(service)


def test_cards_dropped_into_one_gap_spread_the_column_once_and_keep_its_order(service, clock):
    top = service.create_deal("Top", stage="Proposal").deal
    service.create_deal("Bottom", stage="Proposal", position=1)
    expected = [top.id]
    renumbered = []
    for n in range(14):  # each lands second from the top: the gap under Top halves every time
        deal = service.create_deal(f"Dropped {n}", stage="Analysis").deal
        change = service.move_deal(deal.id, "Proposal", position=1)
        renumbered.append(bool(change.renumbered))
        expected.insert(1, deal.id)
    proposal = columns(service)[_stage(service, "Proposal")]
    assert proposal[:-1] == expected
    assert renumbered.count(True) == 1 and renumbered.index(True) >= 8  # once, after about log2(GAP) drops
    assert_ordered(service)
    keys = [service.deal(i).position for i in proposal]
    assert min(b - a for a, b in zip(keys, keys[1:])) >= 2  # room again between every two cards


def test_a_column_at_the_end_of_its_key_range_is_spread_out(service, clock):
    first = service.create_deal("First").deal
    with service.db.write() as repo:  # a column that has had two million cards put on top
        repo.connection.execute(update(tables.deals).where(tables.deals.c.id == first.id).values(position=LOWEST + 5))
    change = service.move_deal(service.create_deal("Other", stage="Analysis").deal.id, "Outreach")
    assert change.renumbered == {_stage(service, "Outreach")}
    assert columns(service)[_stage(service, "Outreach")] == [change.deal.id, first.id]
    assert service.deal(first.id).position - change.deal.position == GAP


def test_undo_puts_a_moved_deal_back_at_its_own_place(service, clock):
    deals = [service.create_deal(f"Deal {n}", stage="Analysis").deal for n in range(6)]
    before = columns(service)[_stage(service, "Analysis")]
    moved = service.move_deal(deals[3].id, "Proposal")
    service.create_deal("Added meanwhile", stage="Analysis", position=4)
    service.undo_event(moved.event.id)
    after = columns(service)[_stage(service, "Analysis")]
    assert [d for d in after if d in before] == before  # back between the same two cards
    assert_ordered(service)


def test_undo_when_another_card_took_the_key_goes_right_after_that_card(service, clock):
    a, b = service.create_deal("A").deal, service.create_deal("B").deal  # B A
    moved = service.move_deal(b.id, "Proposal")  # B's key at the top of Outreach is free again ...
    c = service.create_deal("C").deal  # ... and C takes it (a new top card: one gap above A)
    assert service.deal(c.id).position == moved.event.details["before"]["position"]
    service.undo_event(moved.event.id)
    assert columns(service)[_stage(service, "Outreach")] == [c.id, b.id, a.id]
    assert_ordered(service)


def test_a_move_to_the_top_reads_the_deal_and_the_columns_top_card_in_one_statement(service, clock):
    deals = [service.create_deal(f"Deal {n}", stage="Analysis").deal for n in range(3)]
    top = service.create_deal("Top of Proposal", stage="Proposal").deal
    proposal = service.stage("Proposal")  # as the board moves: by stage, not by a name to look up
    reads: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "FROM deals" in statement:
            reads.append(statement)

    event.listen(service.db.engine, "before_cursor_execute", seen)
    try:
        moved = service.move_deal(deals[1].id, proposal)
    finally:
        event.remove(service.db.engine, "before_cursor_execute", seen)
    assert len(reads) == 1, "\n".join(r.replace("\n", " ")[-200:] for r in reads)
    assert columns(service)[_stage(service, "Proposal")] == [deals[1].id, top.id]
    assert service.deal(top.id).position - moved.deal.position == GAP
    assert_ordered(service)
