"""Helpers for the board's pilot tests: a seeded pipeline and the app on it."""

from __future__ import annotations

from textual.geometry import Offset

from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.app.board.column import TOP, StageColumn
from closedwon_tui.app.board.screen import BoardScreen
from closedwon_tui.app.board.view import BoardView
from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings

#: (title, company, stage, amount)
DEALS = [
    ("Helios rollout", "Helios Energy", "Analysis", "48,250"),
    ("Orbital fleet", "Orbital Freight", "Analysis", "12k"),
    ("Granite warehouse", "Granite Labs", "Analysis", "9,500"),
    ("Atlas renewal", "Atlas Robotics", "Outreach", "4,800"),
    ("Polar routes", "Polar Logistics", "Negotiation", "90k"),
]


def seed(service: PipelineService) -> dict[str, int]:
    """Deals created bottom-up so each column reads in the order of DEALS; returns ids by title."""
    ids = {}
    for title, company, stage, amount in reversed(DEALS):
        ids[title] = service.create_deal(title, company=company, stage=stage, amount=amount).deal.id
    return ids


def make_app(service: PipelineService, **settings: object) -> ClosedwonApp:
    return ClosedwonApp(service, settings=Settings(**settings), celebrate=False)  # type: ignore[arg-type]


def board(app: ClosedwonApp) -> BoardScreen:
    screen = app.screen
    assert isinstance(screen, BoardScreen), screen
    return screen


def column(app: ClosedwonApp, stage_name: str) -> StageColumn:
    return next(c for c in board(app).columns if c.stage.name == stage_name)


def column_text(view: BoardView, stage_column: StageColumn) -> list[str]:
    """A column's card area as plain lines, as the view draws them."""
    styles = view.column_styles()
    return ["".join(s.text for s in stage_column.card_line(row, styles)) for row in range(stage_column.area_height)]


def cards_text(app: ClosedwonApp, stage_name: str) -> list[str]:
    """The lines of a column's cards, as drawn."""
    return column_text(board(app).board_view, column(app, stage_name))


def at(app: ClosedwonApp, stage_name: str, line: int, x: int = 3) -> Offset:
    """A screen point on line `line` of a column's cards (line 0 is right under its header)."""
    origin = board(app).board_view.column_origin(column(app, stage_name))
    assert origin is not None, f"{stage_name} is not shown"
    return Offset(origin.x + 1 + x, origin.y + TOP + line)


def titles_in(service: PipelineService, stage_name: str) -> list[str]:
    """A column as the database has it, top to bottom."""
    return [d.title for d in service.deals(stage=stage_name)]


async def settled(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until every write the board (or the panel's host) asked for has landed and been drawn:
    writes run in a worker thread, so a key returns before its change is saved."""
    session = pilot.app.screen_stack[0].session
    for _ in range(500):
        if not session.busy:
            return
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    raise AssertionError("the board's writes did not finish")


async def enter_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Put `text` into the focused field at once, where typing it key by key is not what a test checks
    (each simulated key waits for the app to go idle)."""
    from textual.widgets import Input, TextArea

    await pilot.pause()
    field = pilot.app.focused
    if isinstance(field, TextArea):
        field.insert(text)
    else:
        assert isinstance(field, Input), field
        field.insert_text_at_cursor(text)
    await pilot.pause()
