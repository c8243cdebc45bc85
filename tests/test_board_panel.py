"""The board with its side panel, activity keys and the agenda, checked in the database."""

from __future__ import annotations

from datetime import date, timedelta

from closedwon_tui.app.agenda import AgendaScreen
from closedwon_tui.domain.models import ObjectionKind
from tests.board_helpers import at, board, enter_text, make_app, seed, settled
from tests.screen_text import drawn_lines


async def test_enter_opens_the_panel_which_follows_the_selection_and_escape_closes_it(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("l", "l", "enter")
        await settled(pilot)
        assert screen.panel_open and screen.panel.deal_id == ids["Helios rollout"]
        await pilot.press("j")
        await settled(pilot)
        assert screen.panel.deal_id == ids["Orbital fleet"]
        await pilot.press("tab")
        await settled(pilot)
        assert screen.focused is not None and screen.panel in screen.focused.ancestors_with_self
        await pilot.press("tab")
        await settled(pilot)
        assert screen.focused is screen.query_one("BoardView")
        await pilot.press("escape")
        await settled(pilot)
        assert not screen.panel_open


async def test_clicking_the_selected_card_opens_its_panel(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click(offset=at(app, "Analysis", 7))
        await settled(pilot)
        assert not board(app).panel_open
        await pilot.click(offset=at(app, "Analysis", 7))
        await settled(pilot)
        assert board(app).panel_open and board(app).panel.deal_id == ids["Orbital fleet"]


async def test_o_on_the_board_records_an_objection_and_the_card_counts_it(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await settled(pilot)
        await pilot.press("1")  # price
        await settled(pilot)
        await enter_text(pilot, "wants 10% off")
        await pilot.press("enter")
        await settled(pilot)
        objections = sqlite_service.deal_detail(ids["Atlas renewal"]).objections
        assert [(o.kind, o.text) for o in objections] == [(ObjectionKind.PRICE, "wants 10% off")]
        assert board(app).model.facts[ids["Atlas renewal"]].open_objections == 1
        await pilot.press("u")  # the objection joins this session's undo
        await settled(pilot)
        assert sqlite_service.deal_detail(ids["Atlas renewal"]).objections == ()


async def test_the_follow_up_journey_takes_f_a_digit_enter_and_a_sentence(sqlite_service, clock):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "2", "enter", *"send revised quote", "enter")  # 2 = in 3 days
        await settled(pilot)
        followups = sqlite_service.deal_detail(ids["Atlas renewal"]).followups
        assert [(f.due.date(), f.note) for f in followups] == [(date(2026, 11, 28), "send revised quote")]
        assert board(app).model.facts[ids["Atlas renewal"]].next_followup is not None


async def test_agenda_enter_jumps_to_the_deal_with_its_panel_open(sqlite_service, clock):
    ids = seed(sqlite_service)
    sqlite_service.schedule_followup(ids["Polar routes"], clock.now.date() - timedelta(days=1), "chase")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await settled(pilot)
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("enter")
        await settled(pilot)
        screen = board(app)
        assert screen.selected_deal.id == ids["Polar routes"]
        assert screen.column.stage.name == "Negotiation"
        assert screen.panel_open and screen.panel.deal_id == ids["Polar routes"]


async def test_the_open_panels_actions_are_in_the_command_palette(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "ctrl+p")
        await enter_text(pilot, "add a note")
        await settled(pilot)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause(0.2)
        await enter_text(pilot, "met the CFO")
        await pilot.press("ctrl+s")
        await settled(pilot)
        await pilot.pause(0.2)
        assert [n.text for n in sqlite_service.deal_detail(ids["Atlas renewal"]).notes] == ["met the CFO"]


async def test_opening_the_panel_on_a_small_terminal_keeps_the_focused_column_in_view(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l", "l", "l", "l")  # Negotiation: the board narrows when the panel opens
        await settled(pilot)
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause()
        screen = board(app)
        assert screen.panel_open
        assert screen.column in screen.board_view.shown
        await pilot.press("escape")
        await settled(pilot)
        await pilot.pause()
        assert screen.column in screen.board_view.shown


async def _drawn_after(service, keys: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in keys:
            await pilot.press(key)
            await settled(pilot)
            await pilot.pause()
        return drawn_lines(app)


async def test_the_board_shows_what_changed_while_the_panel_was_open_once_it_closes(sqlite_service):
    """The board keeps its lines at both widths (with and without the panel): the selection moved
    while the panel was open, or while it was closed, shows at the other width too."""
    seed(sqlite_service)
    assert await _drawn_after(sqlite_service, ["enter", "escape", "l", "l", "enter", "j", "escape"]) == (
        await _drawn_after(sqlite_service, ["l", "l", "j"])
    )
    assert await _drawn_after(sqlite_service, ["l", "l", "enter", "escape", "j", "enter"]) == (
        await _drawn_after(sqlite_service, ["l", "l", "j", "enter"])
    )


async def test_the_panel_grows_and_shrinks_with_the_deal_it_follows(sqlite_service):
    """The time-in-stage legend has a line per stage the deal was in: following the cursor from a
    deal that stayed in one stage to one that passed three, and back, shows every line, and no more."""
    ids = seed(sqlite_service)
    for stage in ("Proposal", "Negotiation"):
        sqlite_service.move_deal(ids["Helios rollout"], stage)  # on top of Negotiation, above Polar routes
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("l", "l", "l", "l", "j", "enter"):
            await pilot.press(key)
            await settled(pilot)
        assert board(app).panel.deal_id == ids["Polar routes"]
        legend = [line.split("■ ")[-1].split(" ")[0] for line in drawn_lines(app) if "■ " in line]
        assert legend == ["Negotiation"]
        await pilot.press("k")
        await settled(pilot)
        await pilot.pause()
        assert board(app).panel.deal_id == ids["Helios rollout"]
        legend = [line.split("■ ")[-1].split(" ")[0] for line in drawn_lines(app) if "■ " in line]
        assert legend == ["Analysis", "Proposal", "Negotiation"]
        await pilot.press("j")
        await settled(pilot)
        await pilot.pause()
        legend = [line.split("■ ")[-1].split(" ")[0] for line in drawn_lines(app) if "■ " in line]
        assert legend == ["Negotiation"]


async def test_clicking_a_tab_of_the_panel_shows_it(sqlite_service):
    ids = seed(sqlite_service)
    sqlite_service.add_note(ids["Atlas renewal"], "met the CFO")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await settled(pilot)
        panel = board(app).panel
        await pilot.click(offset=_drawn_at(app, "Notes"))
        await pilot.pause()
        assert panel.active_tab == "notes"
        assert any("met the CFO" in line for line in drawn_lines(app))
        x, y = _drawn_at(app, "Overview")
        await pilot.click(offset=(x, y + 1))  # on the bar beneath the label
        await pilot.pause()
        assert panel.active_tab == "overview"
        assert not any("met the CFO" in line for line in drawn_lines(app))
        assert app.screen.focused is board(app).board_view  # a click on a tab leaves the focus where it was


async def test_the_panels_tabs_scroll_to_the_one_shown_when_they_do_not_fit(sqlite_service):
    ids = seed(sqlite_service)
    for n in range(12):  # "Objections 12" and "Follow-ups 12": wider than the panel at 80 columns
        sqlite_service.add_objection(ids["Atlas renewal"], "price", f"too pricey {n}")
        sqlite_service.schedule_followup(ids["Atlas renewal"], "2099-01-01", f"call {n}")
    app = make_app(sqlite_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settled(pilot)
        assert _drawn_at(app, "Overview")
        assert not _drawn_at(app, "History", missing_ok=True)
        await pilot.press("tab", "5")
        await settled(pilot)
        assert board(app).panel.active_tab == "history"
        assert _drawn_at(app, "History")
        assert not _drawn_at(app, "Overview", missing_ok=True)
        await pilot.click(offset=_drawn_at(app, "Notes"))
        await pilot.pause()
        assert board(app).panel.active_tab == "notes"


def _drawn_at(app, label: str, *, missing_ok: bool = False) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    """Where a tab's label is drawn whole on the screen (its tab bar is the line with the notes' tab)."""
    for y, line in enumerate(drawn_lines(app)):
        if " Notes" in line and f" {label}" in line:
            return line.rindex(f" {label}") + 1, y
    assert missing_ok, f"{label!r} is not drawn in the panel's tabs"
    return None


async def test_the_tab_bar_counts_the_deal_shown_as_the_panel_follows_the_selection(sqlite_service):
    ids = seed(sqlite_service)
    for n in range(2):
        sqlite_service.add_objection(ids["Helios rollout"], "price", f"too pricey {n}")
    sqlite_service.schedule_followup(ids["Orbital fleet"], "2099-01-01", "call")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l", "l", "enter")
        await settled(pilot)
        seen = []
        for key in ("j", "k", "j", "j", "k", "k"):  # Helios, Orbital, Helios, Orbital, Granite, Orbital, Helios
            seen.append((board(app).panel.deal_id, _tab_bar(app)))
            await pilot.press(key)
            await settled(pilot)
        seen.append((board(app).panel.deal_id, _tab_bar(app)))
    helios = (ids["Helios rollout"], "Overview Objections 2 Follow-ups Notes History")
    orbital = (ids["Orbital fleet"], "Overview Objections Follow-ups 1 Notes History")
    granite = (ids["Granite warehouse"], "Overview Objections Follow-ups Notes History")
    assert seen == [helios, orbital, helios, orbital, granite, orbital, helios]


def _tab_bar(app) -> str:  # type: ignore[no-untyped-def]
    """The panel's tab labels as drawn, spaces between them squeezed."""
    line = next(line for line in drawn_lines(app) if " Notes" in line and " History" in line)
    return " ".join(line[line.index("Overview") : line.index("History") + len("History")].split())
