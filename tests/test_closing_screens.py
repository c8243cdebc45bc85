"""The closing screens on the real app: the celebration after a win, the look back, the lost reason.

The board's own keys (w, x, drag, picker) are wired and tested with the board; here each screen
is driven directly, and what it stored is checked through the service.
"""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input, OptionList, Static

from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.app.closing import (
    CelebrationScreen,
    LookbackScreen,
    LostAnswer,
    LostReasonScreen,
    celebrate,
    offer_lookback,
)
from closedwon_tui.app.closing.confetti import ConfettiSky
from closedwon_tui.domain.models import DEFAULT_LOST_REASONS, EventKind
from closedwon_tui.settings import Settings
from tests.board_helpers import board, enter_text, settled
from tests.test_closing_service import seed_quarter


def make_app(service, *, celebrate: bool = True, **settings: object) -> ClosedwonApp:  # type: ignore[no-untyped-def]
    return ClosedwonApp(service, settings=Settings(**settings), celebrate=celebrate)  # type: ignore[arg-type]


def text(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return screen.query_one(selector, Static).render().plain


async def counted(pilot) -> None:  # type: ignore[no-untyped-def]
    """The celebration counts the month's wins in a worker: wait for it."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_win_is_celebrated_with_the_deal_and_the_reps_month_and_quarter(sqlite_service, clock):
    service = sqlite_service
    ids = seed_quarter(service, clock)
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        celebrate(app, service.mark_won(ids["H"]), board(app).dialogs.lookback_answered)
        await counted(pilot)
        screen = app.screen
        assert isinstance(screen, CelebrationScreen)
        assert text(screen, "#celebration-banner") == "★  CLOSED WON  ★"
        assert text(screen, "#celebration-title") == "Orbital fleet analytics"
        assert text(screen, "#celebration-company") == "Orbital Freight"
        assert text(screen, "#celebration-amount") == "$48,250.00"
        assert text(screen, "#celebration-cycle") == "41 days from first touch to close"
        assert text(screen, "#celebration-whose") == "Dana's month and quarter"
        figures = text(screen, "#celebration-figures").splitlines()
        assert [" ".join(line.split()) for line in figures] == [
            "This month 3 deals won €3,000.00 + $53,250.00",
            "This quarter 4 deals won €3,000.00 + $63,250.00",
            "Quarter win rate 75.0% → 80.0% ▲ 5.0 pts",
        ]


async def test_any_key_dismisses_the_celebration_and_offers_the_look_back(sqlite_service):
    deal = sqlite_service.create_deal("Helios [b]rollout[/b]", company="\x1b[31mHelios", amount="48,250").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        celebrate(app, sqlite_service.mark_won(deal.id), board(app).dialogs.lookback_answered)
        await pilot.pause()
        assert isinstance(app.screen, CelebrationScreen)
        assert text(app.screen, "#celebration-title") == "Helios [b]rollout[/b]"  # literally, never markup
        assert text(app.screen, "#celebration-company") == "\\x1b[31mHelios"  # a visible escape, no terminal control
        await pilot.press("z")
        assert isinstance(app.screen, LookbackScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, (CelebrationScreen, LookbackScreen))


async def test_a_click_dismisses_the_celebration_too(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", amount="48,250").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        celebrate(app, sqlite_service.mark_won(deal.id), board(app).dialogs.lookback_answered)
        await pilot.pause()
        await pilot.click(offset=(3, 3))
        assert isinstance(app.screen, LookbackScreen)


async def test_without_celebration_a_win_goes_straight_to_the_look_back(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", amount="48,250").deal
    app = make_app(sqlite_service, celebrate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        celebrate(app, sqlite_service.mark_won(deal.id), board(app).dialogs.lookback_answered)
        await pilot.pause()
        assert not app.screen_stack or not any(isinstance(s, CelebrationScreen) for s in app.screen_stack)
        assert isinstance(app.screen, LookbackScreen)


async def test_only_a_win_is_celebrated(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", amount="48,250").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        first = app.screen
        celebrate(app, sqlite_service.move_deal(deal.id, "Proposal"), board(app).dialogs.lookback_answered)
        celebrate(app, sqlite_service.mark_lost(deal.id, "price"), board(app).dialogs.lookback_answered)
        await pilot.pause()
        assert app.screen is first


async def test_the_look_back_is_stored_on_the_deal_and_in_its_history(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", amount="48,250").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        origin = app.screen
        celebrate(app, sqlite_service.mark_won(deal.id), board(app).dialogs.lookback_answered)
        await pilot.pause()
        await pilot.press("space")
        assert isinstance(app.screen, LookbackScreen)
        app.screen.query_one("#lookback-went-well", Input).value = "Champion [b]pushed[/b]"
        await pilot.press("enter")  # enter goes on to the second answer
        app.screen.query_one("#lookback-nearly-lost", Input).value = "Legal review took two weeks"
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is origin
        # The board (the screen showing when the deal closed) took the saved deal in.
        assert board(app).model.deal(deal.id).version == sqlite_service.deal(deal.id).version

    stored = sqlite_service.deal(deal.id)
    assert stored.went_well == "Champion [b]pushed[/b]"
    assert stored.nearly_lost == "Legal review took two weeks"
    last = sqlite_service.history(deal.id)[-1]
    assert last.kind is EventKind.LOOKBACK and last.details["nearly_lost"] == "Legal review took two weeks"


async def test_escape_skips_the_look_back_and_stores_nothing(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", amount="48,250").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        celebrate(app, sqlite_service.mark_won(deal.id), board(app).dialogs.lookback_answered)
        history = sqlite_service.history(deal.id)
        await pilot.pause()
        await pilot.press("enter")
        await enter_text(pilot, "half typed")
        await pilot.press("escape")
        assert not isinstance(app.screen, LookbackScreen)
    assert sqlite_service.history(deal.id) == history
    assert sqlite_service.deal(deal.id).went_well == ""


async def test_an_empty_look_back_is_not_saved_and_says_why(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", amount="48,250").deal
    app = make_app(sqlite_service, celebrate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        change = sqlite_service.mark_won(deal.id)
        history = sqlite_service.history(deal.id)
        celebrate(app, change, board(app).dialogs.lookback_answered)
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, LookbackScreen)
        assert "write what went well or what nearly lost it" in text(app.screen, "#lookback-message")
    assert sqlite_service.history(deal.id) == history


async def test_a_lost_deal_is_offered_the_look_back_with_its_own_question(sqlite_service):
    deal = sqlite_service.create_deal("Orbital [bold red]fleet", amount="12k").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        offer_lookback(
            app,
            sqlite_service.mark_lost(deal.id, "competitor", "Went with the incumbent"),
            board(app).dialogs.lookback_answered,
        )
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LookbackScreen)
        assert text(screen, "#lookback-title") == "Look back at Orbital [bold red]fleet (lost)"
        assert "What lost it?" in str(screen.query("Label").last().render())
        screen.query_one("#lookback-nearly-lost", Input).focus()
        screen.query_one("#lookback-nearly-lost", Input).value = "Security review started too late"
        await pilot.press("enter")
        await settled(pilot)
    stored = sqlite_service.deal(deal.id)
    assert (stored.went_well, stored.nearly_lost) == ("", "Security review started too late")
    assert stored.lost_reason == "competitor"


async def test_the_lost_reason_cannot_be_confirmed_without_a_reason(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet", amount="12k").deal
    answers: list[LostAnswer | None] = []
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(LostReasonScreen(deal, DEFAULT_LOST_REASONS), answers.append)
        await pilot.press("enter")  # nothing highlighted yet: nothing chosen
        await pilot.press("ctrl+s")
        screen = app.screen
        assert isinstance(screen, LostReasonScreen)
        assert text(screen, "#lost-message") == "Pick a reason first: a lost deal always says why."
        screen.query_one("#lost-note", Input).focus()
        await enter_text(pilot, "cheaper elsewhere")
        await pilot.press("enter")
        assert app.screen is screen and answers == []
    assert answers == []
    assert sqlite_service.deal(deal.id).stage_id == deal.stage_id  # the screen never writes


async def test_the_lost_reason_returns_the_chosen_reason_and_note(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet", amount="12k").deal
    answers: list[LostAnswer | None] = []
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(LostReasonScreen(deal, DEFAULT_LOST_REASONS), answers.append)
        await pilot.press("down", "down", "enter")  # price, timing: choose timing
        screen = app.screen
        assert text(screen, "#lost-chosen") == "Reason: timing"
        assert app.focused is screen.query_one("#lost-note", Input)
        await enter_text(pilot, "Budget frozen until April")
        await pilot.press("enter")
        await pilot.pause()
    assert answers == [LostAnswer(reason="timing", note="Budget frozen until April")]


async def test_a_reason_can_be_picked_with_the_mouse_and_confirmed_with_the_button(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet", amount="12k").deal
    answers: list[LostAnswer | None] = []
    reasons = ("budget cut", "champion [b]left[/b]", "other")  # from the settings file: shown literally
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(LostReasonScreen(deal, reasons), answers.append)
        options = app.screen.query_one("#lost-reasons", OptionList)
        await pilot.click("#lost-reasons", offset=(4, options.styles.gutter.top + 1))  # the second line
        assert text(app.screen, "#lost-chosen") == "Reason: champion [b]left[/b]"
        await pilot.click("#lost-confirm")
        await pilot.pause()
    assert answers == [LostAnswer(reason="champion [b]left[/b]", note="")]


async def test_escape_cancels_the_lost_reason(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet", amount="12k").deal
    answers: list[LostAnswer | None] = []
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(LostReasonScreen(deal, DEFAULT_LOST_REASONS), answers.append)
        await pilot.press("down", "enter", "escape")
        await pilot.pause()
    assert answers == [None]
    assert sqlite_service.deal(deal.id).lost_reason == ""


async def test_the_confetti_plays_then_holds_its_still_frame(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", amount="48,250").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        app.animation_level = "full"
        celebrate(app, sqlite_service.mark_won(deal.id), board(app).dialogs.lookback_answered)
        await pilot.pause(0.3)
        sky = app.screen.query_one(ConfettiSky)
        assert sky.playing and 0 < sky.frame < sky.last_frame
        sky.stop()
        assert not sky.playing and sky.frame == sky.last_frame


async def test_with_animations_off_the_still_frame_shows_at_once(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", amount="48,250").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        app.animation_level = "none"
        celebrate(app, sqlite_service.mark_won(deal.id), board(app).dialogs.lookback_answered)
        await pilot.pause()
        sky = app.screen.query_one(ConfettiSky)
        assert not sky.playing and sky.frame == sky.last_frame
        assert sky.render().plain.strip()  # confetti is drawn


async def test_amounts_in_two_currencies_are_never_added(sqlite_service):
    euro = sqlite_service.create_deal("Bonn", amount="3,000", currency="EUR", owner="Dana").deal
    sqlite_service.mark_won(euro.id)
    deal = sqlite_service.create_deal("Boston", amount="1,000.50", owner="Dana").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        celebrate(app, sqlite_service.mark_won(deal.id), board(app).dialogs.lookback_answered)
        await counted(pilot)
        month = text(app.screen, "#celebration-figures").splitlines()[0]
        assert "€3,000.00 + $1,000.50" in month and "4,000" not in month
        assert Decimal("1000.50") == sqlite_service.deal(deal.id).amount


async def test_a_deal_reopened_before_its_figures_are_counted_says_so_instead(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", amount="48,250").deal
    won = sqlite_service.mark_won(deal.id)
    sqlite_service.reopen(deal.id)  # someone else took it back at once
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        celebrate(app, won, board(app).dialogs.lookback_answered)
        await counted(pilot)
        assert isinstance(app.screen, CelebrationScreen)
        assert text(app.screen, "#celebration-figures") == f"deal {deal.id} is not closed won"
        await pilot.press("space")
        assert isinstance(app.screen, LookbackScreen)
