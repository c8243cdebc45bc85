"""Whatever a rep does to the board, each column keeps one order and the history tells where each deal is."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.replay import stage_path
from closedwon_tui.domain.timeline import stage_stays
from closedwon_tui.services import PipelineService
from tests.conftest import FrozenClock, memory_database

DEALS = 4
STAGES = 7  # the default pipeline, Closed Won and Closed Lost included

deal_index = st.integers(0, DEALS - 1)
position = st.integers(0, DEALS + 1)
operation = st.one_of(
    st.tuples(st.just("move"), deal_index, st.integers(0, STAGES - 1), st.none() | position),
    st.tuples(st.just("reorder"), deal_index, position),
    st.tuples(st.just("undo"), deal_index),
    st.tuples(st.just("won"), deal_index),
    st.tuples(st.just("lost"), deal_index),
    st.tuples(st.just("reopen"), deal_index),
    st.tuples(st.just("redo"), deal_index),
)


def apply(service: PipelineService, ids: list[int], op: tuple) -> None:
    kind, deal_id = op[0], ids[op[1]]
    stages = service.stages()
    if kind == "move":
        service.move_deal(deal_id, stages[op[2]], position=op[3], lost_reason="price")
    elif kind == "reorder":
        service.reorder_deal(deal_id, op[2])
    elif kind == "undo":
        service.undo_last(deal_id)
    elif kind == "won":
        service.mark_won(deal_id)
    elif kind == "lost":
        service.mark_lost(deal_id, "timing")
    elif kind == "reopen":
        service.reopen(deal_id)
    elif kind == "redo":
        undos = [e for e in service.history(deal_id) if e.kind.value == "undone"]
        if undos:
            service.redo_event(undos[-1].id)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.lists(st.integers(0, STAGES - 3), min_size=DEALS, max_size=DEALS),
    ops=st.lists(operation, max_size=25),
)
def test_any_sequence_of_moves_keeps_one_order_per_column_and_history_replays_to_the_stage(sqlite_template, start, ops):
    clock = FrozenClock()
    db = memory_database(sqlite_template)
    try:
        service = PipelineService(db, clock=clock, actor="prop")
        stages = service.stages()
        names = {s.id: s.name for s in stages}
        ids = [service.create_deal(f"Deal {i}", stage=stages[s]).deal.id for i, s in enumerate(start)]
        for op in ops:
            clock.advance(minutes=7)
            try:
                apply(service, ids, op)
            except (ValidationError, ConflictError):
                pass  # refused, and a refusal changes nothing: the checks below still hold
            # After every single step, not only at the end: ordering keys unique in each column, and
            # a column read by key is the order the board shows (and a move or an undo wrote).
            deals = service.deals()
            for stage in stages:
                positions = [d.position for d in deals if d.stage_id == stage.id]
                assert len(set(positions)) == len(positions) and positions == sorted(positions), (stage.name, positions)
        for deal in service.deals():
            history = service.history(deal.id)
            placed = [e.to_stage_id for e in history if e.to_stage_id is not None]
            assert placed and placed[-1] == deal.stage_id, (deal.id, [(e.kind.value, e.to_stage_id) for e in history])
            # The one replay rule (the reports and the panel use it) ends where the deal is.
            path = stage_path(history)
            assert path and path[-1][1] == deal.stage_id, (deal.id, path)
            stays = stage_stays(history, names, clock())
            assert stays and stays[-1].stage_id == deal.stage_id and stays[-1].current, (deal.id, stays)
            stage = service.stage(deal.stage_id)
            assert (deal.closed_at is not None) == stage.is_closed
            assert (deal.lost_reason != "") == (stage.kind.value == "lost")
            assert all(b.at - a.at >= timedelta(0) for a, b in zip(history, history[1:]))
    finally:
        db.close()
