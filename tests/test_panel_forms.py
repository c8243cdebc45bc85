"""The panel's forms, as the board opens them: each saves through the service or saves nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import Input, Static

from closedwon_tui.app.panel.confirm import ConfirmScreen
from closedwon_tui.app.panel.followup_form import FollowUpForm
from closedwon_tui.app.panel.forms import ObjectionForm
from closedwon_tui.domain.models import ObjectionKind, ObjectionStatus
from closedwon_tui.domain.rules import local_today
from tests.board_helpers import enter_text, make_app, seed, settled
from tests.test_panel_harness import PanelApp


async def _open(pilot, what: str, deal_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Open a form the way the board does (what the rep enters goes to the board's session); returns the
    deals whose change landed, which grows once the form is saved."""
    getattr(pilot.app.screen_stack[0].forms, what)(deal_id, "Helios platform rollout")
    await pilot.pause()
    return pilot.app.changed


def _error(screen, widget_id: str) -> str:  # type: ignore[no-untyped-def]
    error = screen.query_one(f"#{widget_id}", Static)
    return "" if error.has_class("-empty") else str(error.render())


async def test_objection_form_saves_the_picked_kind_and_text(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics", company="Orbital Freight").deal
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results = await _open(pilot, "objection", deal.id)
        await pilot.press("enter")  # price is highlighted first
        await enter_text(pilot, "wants 10% off for a 2-year term")
        await pilot.press("enter")
        await pilot.pause()
        await settled(pilot)
        assert results == [deal.id]
    [objection] = sqlite_service.deal_detail(deal.id).objections
    assert (objection.kind, objection.text, objection.status) == (
        ObjectionKind.PRICE, "wants 10% off for a 2-year term", ObjectionStatus.OPEN)  # fmt: skip


async def test_objection_kind_can_be_picked_by_its_number(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        await _open(pilot, "objection", deal.id)
        await pilot.press("5")
        await enter_text(pilot, "talking to [b]Acme[/b]")
        await pilot.press("enter")
        await pilot.pause()
    [objection] = sqlite_service.deal_detail(deal.id).objections
    assert objection.kind is ObjectionKind.COMPETITOR
    assert objection.text == "talking to [b]Acme[/b]"


async def test_an_empty_objection_says_so_and_saves_nothing(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results = await _open(pilot, "objection", deal.id)
        await pilot.press("enter", "space", "space", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ObjectionForm)
        assert "nothing was saved" in _error(pilot.app.screen, "text-error")
        await pilot.press("escape")
        await pilot.pause()
        assert results == []
    assert sqlite_service.deal_detail(deal.id).objections == ()
    assert [e.kind.value for e in sqlite_service.history(deal.id)] == ["created"]


async def test_followup_journey_takes_just_the_keys_a_rep_expects(sqlite_service, clock):
    """f, 2 for 'in 3 days', enter, type 'send revised quote', enter."""
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f", "2", "enter", *"send revised quote", "enter")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FollowUpForm)
    [followup] = sqlite_service.deal_detail(deal.id).followups
    assert followup.due.date() == local_today(clock()) + timedelta(days=3)
    assert (followup.note, followup.has_time, followup.is_done) == ("send revised quote", False, False)


async def test_followup_with_a_typed_date_and_time(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results = await _open(pilot, "followup", deal.id)
        await enter_text(pilot, "2026-12-01 14:30")
        await pilot.pause()
        assert "Tue 1 Dec 2026 14:30" in str(pilot.app.screen.query_one("#due-preview", Static).render())
        await pilot.press("enter")
        await enter_text(pilot, "demo with the CFO")
        await pilot.press("enter")
        await pilot.pause()
        await settled(pilot)
        assert results == [deal.id]
    [followup] = sqlite_service.deal_detail(deal.id).followups
    assert followup.due == datetime(2026, 12, 1, 14, 30) and followup.has_time


async def test_a_date_that_does_not_parse_is_refused_inline(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        await _open(pilot, "followup", deal.id)
        await enter_text(pilot, "someday")
        await pilot.press("tab")  # leaving the field says what is wrong, and stays
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, FollowUpForm)
        assert "not a date" in _error(screen, "due-error")
        assert screen.focused is screen.query_one("#due", Input)
        screen.query_one("#note", Input).focus()
        await enter_text(pilot, "call back")
        await pilot.press("enter")  # saving says it again, and goes back to the date
        await pilot.pause()
        assert "not a date" in _error(screen, "due-error")
        assert screen.focused is screen.query_one("#due", Input)
    assert sqlite_service.deal_detail(deal.id).followups == ()


async def test_a_followup_needs_a_date(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        await _open(pilot, "followup", deal.id)
        await pilot.press("tab")  # nothing in When yet: on to the note
        await enter_text(pilot, "call back")
        await pilot.press("enter")
        await pilot.pause()
        assert "Type when" in _error(pilot.app.screen, "due-error")
    assert sqlite_service.deal_detail(deal.id).followups == ()


async def test_a_followup_in_the_past_asks_first(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results = await _open(pilot, "followup", deal.id)
        await enter_text(pilot, "2026-11-20")
        await pilot.press("enter")
        await enter_text(pilot, "chase the signature")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FollowUpForm)
        assert sqlite_service.deal_detail(deal.id).followups == ()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await settled(pilot)
        assert results == [deal.id]
    [followup] = sqlite_service.deal_detail(deal.id).followups
    assert followup.due == datetime(2026, 11, 20)


async def test_note_form_keeps_several_lines_and_refuses_an_empty_note(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results = await _open(pilot, "note", deal.id)
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        assert "empty" in _error(pilot.app.screen, "text-error")
        assert sqlite_service.deal_detail(deal.id).notes == ()
        await pilot.press("backspace", *"Legal review started", "enter", *"expect two weeks", "ctrl+s")
        await pilot.pause()
        await settled(pilot)
        assert results == [deal.id]
    [note] = sqlite_service.deal_detail(deal.id).notes
    assert note.text == "Legal review started\nexpect two weeks"


async def test_a_refused_save_opens_the_form_again_with_the_text_and_why(tmp_path, sqlite_template, clock, monkeypatch):
    """Another program holds the database's write lock: the save waits, is refused as busy, and the
    form opens again with what the rep typed; once the lock is gone, enter saves it."""
    from closedwon_tui.services import PipelineService
    from closedwon_tui.storage import engine as engine_module
    from tests.conftest import open_migrated
    from tests.dbstate import write_lock

    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 200)  # give up sooner than the real 5 s
    db = open_migrated(sqlite_template, tmp_path / "locked.db")
    service = PipelineService(db, clock=clock, actor="dana")
    deal = service.create_deal("Helios platform rollout").deal
    async with PanelApp(service).run_test(size=(120, 40)) as pilot:
        await _open(pilot, "objection", deal.id)
        await pilot.press("enter")  # price
        pilot.app.screen.query_one("#text", Input).value = "too expensive"
        with write_lock(tmp_path / "locked.db"):
            await pilot.press("enter")
            await settled(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ObjectionForm)
        assert screen.query_one("#text", Input).value == "too expensive"
        assert "busy" in _error(screen, "text-error")
        assert service.deal_detail(deal.id).objections == ()
        await pilot.press("enter")
        await settled(pilot)
        assert not isinstance(pilot.app.screen, ObjectionForm)
    assert [(o.kind, o.text) for o in service.deal_detail(deal.id).objections] == [
        (ObjectionKind.PRICE, "too expensive")
    ]
    db.close()


async def test_typing_right_away_fills_in_when_and_the_objection_text(sqlite_service, clock):
    """No need to tab: a date typed as the form opens lands in When; text typed over the objection kinds
    lands in what they said."""
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        await _open(pilot, "followup", deal.id)
        await pilot.press(*"friday")
        await pilot.press("enter")
        await enter_text(pilot, "call back")
        await pilot.press("enter")
        await pilot.pause()
        await _open(pilot, "objection", deal.id)
        await pilot.press(*"too expensive", "enter")  # the kind stays the highlighted one, price
        await pilot.pause()
    [followup] = sqlite_service.deal_detail(deal.id).followups
    assert followup.due.date() == local_today(clock()) + timedelta(days=2)  # Wednesday → Friday
    assert followup.note == "call back"
    [objection] = sqlite_service.deal_detail(deal.id).objections
    assert (objection.kind, objection.text) == (ObjectionKind.PRICE, "too expensive")


@pytest.mark.parametrize(
    ("typed", "due", "timed"),
    [
        ("2026-12-01 14:30", datetime(2026, 12, 1, 14, 30), True),  # the README's own example
        ("friday", datetime(2026, 11, 27), False),  # today is Wednesday 25 November 2026
        ("+10d", datetime(2026, 12, 5), False),
        ("12/31/2026", datetime(2026, 12, 31), False),
        ("2026-12-01", datetime(2026, 12, 1), False),  # starts with a 2: not the quick choice 2
    ],
)
async def test_a_date_typed_key_by_key_on_the_board_is_the_date_saved(sqlite_service, typed, due, timed):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *typed, "enter", *"call back", "enter")
        await settled(pilot)
        assert not isinstance(app.screen, FollowUpForm)
    [followup] = sqlite_service.deal_detail(ids["Atlas renewal"]).followups
    assert (followup.due, followup.has_time, followup.note) == (due, timed, "call back")


async def test_a_past_date_typed_key_by_key_is_saved_once_confirmed(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"2026-11-01", "tab", *"chase", "enter")
        await settled(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settled(pilot)
    [followup] = sqlite_service.deal_detail(ids["Atlas renewal"]).followups
    assert (followup.due, followup.note) == (datetime(2026, 11, 1), "chase")


@pytest.mark.parametrize(("digit", "leave", "days"), [("1", "enter", 1), ("2", "tab", 3), ("4", "enter", 14)])
async def test_a_digit_alone_as_the_rep_leaves_when_is_its_quick_choice(sqlite_service, clock, digit, leave, days):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", digit)
        assert "leave the field to take it" in str(app.screen.query_one("#due-preview", Static).render())
        await pilot.press(leave, *"call", "enter")
        await settled(pilot)
    [followup] = sqlite_service.deal_detail(ids["Atlas renewal"]).followups
    assert (followup.due.date(), followup.note) == (local_today(clock()) + timedelta(days=days), "call")


async def test_the_quick_choices_can_be_picked_from_their_list(sqlite_service, clock):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "down", "down", "down", "enter", *"call", "enter")  # the third: next week
        await settled(pilot)
    [followup] = sqlite_service.deal_detail(ids["Atlas renewal"]).followups
    assert (followup.due.date(), followup.note) == (local_today(clock()) + timedelta(days=7), "call")
