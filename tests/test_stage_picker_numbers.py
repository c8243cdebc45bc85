"""`m` then a number, in a pipeline of ten stages or more: `1` `0` is stage 10, not stage 1 at
the first key; a digit that cannot start a longer number still moves at once."""

from __future__ import annotations

import pytest

from closedwon_tui.app.forms.stage_picker import StagePicker
from tests.board_helpers import make_app, seed, settled
from tests.screen_text import drawn


@pytest.fixture(autouse=True)
def _no_team_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("closedwon_tui.app.board.sync.POLL_SECONDS", 3600)


def twelve_stages(service) -> list[str]:  # type: ignore[no-untyped-def]
    for n in range(5):
        service.add_stage(f"Extra {n + 1}", after="Negotiation" if n == 0 else f"Extra {n}")
    return [s.name for s in service.stages()]


async def test_m_1_0_moves_to_stage_ten(sqlite_service):
    ids = seed(sqlite_service)
    names = twelve_stages(sqlite_service)
    assert len(names) == 12
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "right", "m")  # Analysis, Helios rollout
        assert isinstance(app.screen, StagePicker)
        assert "press 1-12" in drawn(app)
        await pilot.press("1")
        assert isinstance(app.screen, StagePicker)  # 1 may be the start of 10, 11 or 12
        await pilot.press("0")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Helios rollout"]).stage_id).name == names[9]


async def test_m_1_enter_moves_to_stage_one_and_a_digit_past_the_tens_moves_at_once(sqlite_service):
    ids = seed(sqlite_service)
    names = twelve_stages(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "right", "m", "1", "enter")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Helios rollout"]).stage_id).name == names[0]
        await pilot.press("m", "4")  # no stage 40: Proposal at once
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Helios rollout"]).stage_id).name == names[3]
