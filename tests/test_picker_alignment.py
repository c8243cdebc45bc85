"""Pickers that line names up in columns (the stage editor, the saved views) keep their columns
straight whatever the names hold: wide CJK characters and emoji, control characters shown as
their escapes, names longer than the column. Found by trying the board by hand."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from closedwon_tui.app.forms.stage_editor import StageEditor
from closedwon_tui.app.forms.views import ViewPicker
from tests.board_helpers import make_app, seed
from tests.screen_text import drawn_lines

HOSTILE_NAMES = ["营销阶段🎉非常长的名字名字名字名字名字名字", "E\x1b]0;pwned\x07", "Clr\x1b[2Jz\x9b1m", "[b]x[/b]"]


@pytest.fixture(autouse=True)
def _no_team_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("closedwon_tui.app.board.sync.POLL_SECONDS", 3600)


def cell_of(line: str, marker: str) -> int:
    """The terminal cell where `marker` starts in a drawn line."""
    return cell_len(line[: line.index(marker)])


async def test_the_stage_editor_lines_up_every_stage_whatever_its_name(sqlite_service):
    seed(sqlite_service)
    for name in HOSTILE_NAMES:
        sqlite_service.add_stage(name, after="Analysis", probability=33)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, StageEditor)
        rows = [line for line in drawn_lines(app) if "rots after" in line]
        assert len(rows) == 5 + len(HOSTILE_NAMES)  # one line each, none wrapped (five open stages)
        assert len({cell_of(row, "%  rots") for row in rows}) == 1, "\n".join(rows)
        assert any("E\\x1b]0;pwned\\x07" in row for row in rows)
        assert any("营销阶段🎉" in row and "…" in row for row in rows)  # cut, not wrapped


async def test_the_saved_views_picker_lines_up_the_filters_whatever_the_names(sqlite_service):
    seed(sqlite_service)
    views = {name: f"amount>{n}k" for n, name in enumerate(["hot", *HOSTILE_NAMES], start=1)}
    app = make_app(sqlite_service, views=views)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ViewPicker)
        rows = [line for line in drawn_lines(app) if "amount>" in line]
        assert len(rows) == len(views)
        assert len({cell_of(row, "amount>") for row in rows}) == 1, "\n".join(rows)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_key_bar_always_shows_where_help_is_on_a_small_terminal(sqlite_service, size):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        bar = drawn_lines(app)[-1]
        assert "? Help" in bar, bar
        assert "m Move to" in bar  # the first keys are still there
        await pilot.press("space")  # a mark takes room in the bar too
        await pilot.pause()
        bar = drawn_lines(app)[-1]
        assert "1 marked" in bar and "? Help" in bar, bar


async def test_a_sorted_column_still_shows_its_whole_total(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "right", "s")  # Analysis, by urgency
        await pilot.pause()
        header = next(line for line in drawn_lines(app) if "Σ $69.8k" in line)  # 48,250 + 12k + 9,500
        assert "⇅" in header  # and the order is still named
