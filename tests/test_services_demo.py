"""The demo pipeline: realistic, consistent, and the same every time for a fixed clock."""

from __future__ import annotations

from closedwon_tui.domain.models import StageKind
from closedwon_tui.domain.rules import Due, due_bucket
from closedwon_tui.services import PipelineService
from closedwon_tui.services.demo import seed_demo
from tests.conftest import FROZEN_NOW, FrozenClock, open_migrated
from tests.dbstate import assert_ordered


def _seeded(tmp_path, template, name: str) -> PipelineService:  # type: ignore[no-untyped-def]
    db = open_migrated(template, tmp_path / name)
    seed_demo(db, now=FROZEN_NOW)
    return PipelineService(db, clock=FrozenClock())


def test_the_demo_is_realistic_and_consistent(tmp_path, sqlite_template):
    service = _seeded(tmp_path, sqlite_template, "demo.db")
    deals = service.deals()
    assert len(deals) >= 30
    kinds = {service.stage(d.stage_id).kind for d in deals}
    assert kinds == {StageKind.OPEN, StageKind.WON, StageKind.LOST}
    assert len({d.stage_id for d in deals}) == 7  # every column has cards
    assert_ordered(service)
    for deal in deals:
        stage = service.stage(deal.stage_id)
        assert deal.amount is not None and deal.amount > 0
        assert (deal.closed_at is not None) == stage.is_closed
        assert bool(deal.lost_reason) == (stage.kind is StageKind.LOST)
        history = service.history(deal.id)
        assert history[0].kind.value == "created"
        assert [e.to_stage_id for e in history if e.to_stage_id][-1] == deal.stage_id
        assert all(e.at <= FROZEN_NOW for e in history)
    buckets = {due_bucket(i.followup.due, FROZEN_NOW, has_time=i.followup.has_time) for i in service.agenda()}
    assert {Due.OVERDUE, Due.TODAY} <= buckets  # a newcomer sees what needs doing
    service.db.close()


def test_the_demo_is_the_same_every_time(tmp_path, sqlite_template):
    first, second = _seeded(tmp_path, sqlite_template, "a.db"), _seeded(tmp_path, sqlite_template, "b.db")

    def facts(service):
        return [(d.title, d.stage_id, d.position, d.amount, d.close_date, d.owner) for d in service.deals()]

    assert facts(first) == facts(second)
    first.db.close()
    second.db.close()
