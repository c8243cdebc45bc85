"""Working the agenda from the board: `space` marks a follow-up done and offers the next one, `z`
snoozes it, `enter` jumps to the deal; the agenda stays open and is read again. Checked in the
database, and undone from the board like any change."""

from __future__ import annotations

from datetime import timedelta

from closedwon_tui.app.agenda import AgendaScreen
from closedwon_tui.app.agenda.agenda_list import AgendaList
from closedwon_tui.app.agenda.snooze import SnoozeForm
from closedwon_tui.app.panel.followup_form import FollowUpForm
from closedwon_tui.domain.models import EventKind
from closedwon_tui.domain.rules import local_today
from tests.board_helpers import board, make_app, settled
from tests.test_agenda_screen import _plan


def _notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    listed = app.screen.query_one(AgendaList)
    return [listed.rows[i].item.followup.note for i in range(listed.row_count) if not listed.is_heading(i)]


def _highlighted(app) -> str:  # type: ignore[no-untyped-def]
    item = app.screen.query_one(AgendaList).highlighted_item
    return "" if item is None else item.followup.note


async def test_space_marks_the_follow_up_done_offers_the_next_and_the_agenda_stays(sqlite_service, clock):
    ids = _plan(sqlite_service, clock)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert _highlighted(app) == "chase signature"
        await pilot.press("space")
        await settled(pilot)
        await pilot.pause()
        chased = [f for f in sqlite_service.deal_detail(ids["helios"]).followups if f.note == "chase signature"]
        assert chased[0].is_done
        assert isinstance(app.screen, FollowUpForm)  # the next one, as in the panel
        assert "Done: chase signature" in app.screen.heading
        await pilot.press("escape")  # skip it
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert "chase signature" not in _notes(app)
        assert _highlighted(app) == "call at lunch"  # the one now in its place
        # The board took it in: one `u` there takes it back.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("u")
        await settled(pilot)
        chased = [f for f in sqlite_service.deal_detail(ids["helios"]).followups if f.note == "chase signature"]
        assert not chased[0].is_done


async def test_space_then_scheduling_the_next_one_lists_it(sqlite_service, clock):
    ids = _plan(sqlite_service, clock)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("space")
        await settled(pilot)
        await pilot.pause()
        await pilot.press("2", "enter")  # in 3 days
        from tests.board_helpers import enter_text

        await enter_text(pilot, "chase again")
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert "chase again" in _notes(app)
        notes = [f.note for f in sqlite_service.deal_detail(ids["helios"]).followups if not f.is_done]
        assert "chase again" in notes


async def test_z_snoozes_with_a_quick_choice_and_the_agenda_is_read_again(sqlite_service, clock):
    ids = _plan(sqlite_service, clock)
    app = make_app(sqlite_service)
    today = local_today(clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, SnoozeForm)
        await pilot.press("3")  # next week
        await settled(pilot)
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        chased = [f for f in sqlite_service.deal_detail(ids["helios"]).followups if f.note == "chase signature"][0]
        assert chased.due.date() == today + timedelta(days=7) and not chased.is_done
        assert sqlite_service.history(ids["helios"])[-1].kind is EventKind.FOLLOWUP_SNOOZED
        assert _notes(app)[0] == "call at lunch"  # no longer overdue
        assert _highlighted(app) == "call at lunch"  # the one now in its place: the rep works down the list


async def test_a_quick_snooze_keeps_a_timed_follow_ups_time_of_day(sqlite_service, clock):
    deal = sqlite_service.create_deal("Helios rollout").deal
    today = local_today(clock())
    sqlite_service.schedule_followup(deal.id, f"{today - timedelta(days=1)} 14:30", "call at half two")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("1")  # tomorrow
        await settled(pilot)
        [followup] = sqlite_service.deal_detail(deal.id).followups
        assert followup.has_time and f"{followup.due:%Y-%m-%d %H:%M}" == f"{today + timedelta(days=1)} 14:30"


async def test_z_takes_a_typed_date_and_escape_changes_nothing(sqlite_service, clock):
    ids = _plan(sqlite_service, clock)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert sqlite_service.history(ids["helios"])[-1].kind is EventKind.FOLLOWUP_SCHEDULED
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("tab")
        from tests.board_helpers import enter_text

        await enter_text(pilot, "2026-12-10")
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause()
        chased = [f for f in sqlite_service.deal_detail(ids["helios"]).followups if f.note == "chase signature"][0]
        assert chased.due.date().isoformat() == "2026-12-10"


async def test_enter_still_jumps_to_the_deal(sqlite_service, clock):
    ids = _plan(sqlite_service, clock)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert board(app).selected_deal.id == ids["helios"]


async def test_without_the_board_the_agenda_only_reads(sqlite_service, clock):
    from tests.test_panel_harness import PanelApp

    ids = _plan(sqlite_service, clock)
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        pilot.app.push_screen(AgendaScreen())
        await pilot.pause()
        await pilot.press("space", "z")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
        assert not any(f.is_done for f in sqlite_service.deal_detail(ids["helios"]).followups)
