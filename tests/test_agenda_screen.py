"""The agenda: follow-ups across all deals grouped overdue / today / this week / later, and enter to jump."""

from __future__ import annotations

from datetime import timedelta

from closedwon_tui.app.agenda import AgendaScreen
from closedwon_tui.app.agenda.agenda_list import AgendaList
from closedwon_tui.domain.rules import Due, local_today, wall_clock
from closedwon_tui.domain.timeline import group_by_due
from tests.test_panel_harness import PanelApp


def _plan(service, clock) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Follow-ups around the frozen Wednesday 25 November: one per bucket, and a done one."""
    today = local_today(clock())
    helios = service.create_deal("Helios rollout", company="Helios Energy", stage="Proposal").deal
    orbital = service.create_deal("Orbital analytics", company="Orbital Freight", stage="Negotiation").deal
    polar = service.create_deal("Polar routes", company="Polar Logistics").deal
    service.schedule_followup(helios.id, today - timedelta(days=2), "chase signature")
    service.schedule_followup(orbital.id, wall_clock(clock()) - timedelta(hours=2), "call at lunch")  # today, passed
    service.schedule_followup(polar.id, today, "send deck")
    service.schedule_followup(helios.id, today + timedelta(days=2), "check in")  # Friday
    service.schedule_followup(orbital.id, today + timedelta(days=5), "next Monday")
    done = service.schedule_followup(polar.id, today + timedelta(days=1), "already done").item
    service.complete_followup(done.id)
    return {"helios": helios.id, "orbital": orbital.id, "polar": polar.id}


def test_followups_fall_into_the_buckets_a_rep_expects(service, clock):
    _plan(service, clock)
    groups = group_by_due(service.agenda(), lambda item: item.followup, clock())
    notes = {bucket: [item.followup.note for item in items] for bucket, items in groups.items()}
    assert notes == {
        Due.OVERDUE: ["chase signature", "call at lunch"],
        Due.TODAY: ["send deck"],
        Due.THIS_WEEK: ["check in"],
        Due.LATER: ["next Monday"],
    }


def test_the_buckets_move_on_with_the_clock(service, clock):
    _plan(service, clock)
    clock.advance(days=2)  # Friday: "send deck" is now overdue, "check in" due today
    groups = group_by_due(service.agenda(), lambda item: item.followup, clock())
    assert [i.followup.note for i in groups[Due.TODAY]] == ["check in"]
    assert [i.followup.note for i in groups[Due.THIS_WEEK]] == []
    assert "send deck" in [i.followup.note for i in groups[Due.OVERDUE]]


async def test_the_agenda_lists_groups_and_enter_jumps_to_the_deal(sqlite_service, clock):
    ids = _plan(sqlite_service, clock)
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results: list = []
        pilot.app.push_screen(AgendaScreen(), results.append)
        await pilot.pause()
        listed = pilot.app.screen.query_one(AgendaList)
        prompts = [listed.row_text(i) for i in range(listed.row_count)]
        headings = [p for n, p in enumerate(prompts) if listed.is_heading(n)]
        assert [h.split()[0] for h in headings] == ["Overdue", "Today", "This", "Later"]
        assert "Helios rollout" in prompts[1] and "Helios Energy" in prompts[1] and "Proposal" in prompts[1]
        assert "chase signature" in prompts[1] and "(2 days ago)" in prompts[1]
        assert not any("already done" in p for p in prompts)
        await pilot.press("down", "enter")  # the second overdue one: Orbital
        await pilot.pause()
        assert results == [ids["orbital"]]


async def test_escape_closes_the_agenda_without_a_deal(sqlite_service, clock):
    _plan(sqlite_service, clock)
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results: list = []
        pilot.app.push_screen(AgendaScreen(), results.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert results == [None]


async def test_an_empty_agenda_says_so(sqlite_service):
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results: list = []
        pilot.app.push_screen(AgendaScreen(), results.append)
        await pilot.pause()
        assert "Nothing to follow up" in str(pilot.app.screen.query_one("#agenda-title").render())
        await pilot.press("enter")
        await pilot.pause()
        assert results == []  # nothing to jump to: the agenda stays open


def test_a_closed_deals_kept_followups_leave_the_agenda_and_come_back_when_it_reopens(service, clock):
    ids = _plan(service, clock)
    service.mark_won(ids["helios"], settle_followups=False)
    assert not any(item.deal.id == ids["helios"] for item in service.agenda())
    service.reopen(ids["helios"])
    assert [i.followup.note for i in service.agenda() if i.deal.id == ids["helios"]] == ["chase signature", "check in"]


def test_a_close_marks_the_followups_done_and_its_undo_puts_them_back_on_the_agenda(service, clock):
    ids = _plan(service, clock)
    service.mark_won(ids["helios"])
    service.reopen(ids["helios"])
    assert not any(item.deal.id == ids["helios"] for item in service.agenda())  # done with the close
    service.undo_last(ids["helios"])  # the reopening
    service.undo_last(ids["helios"])  # the win, with the follow-ups it marked done
    assert [i.followup.note for i in service.agenda() if i.deal.id == ids["helios"]] == ["chase signature", "check in"]


async def test_a_long_agenda_draws_only_the_follow_ups_in_view(sqlite_service, clock, monkeypatch):
    today = local_today(clock())
    deals = [sqlite_service.create_deal(f"Deal {n}", company=f"Company {n}").deal for n in range(30)]
    for day in range(20):
        for deal in deals:
            sqlite_service.schedule_followup(deal.id, today + timedelta(days=day - 3), f"call {day}")
    drawn: list[int] = []
    draw = AgendaList._draw

    def counted(self, row, highlighted, width):  # type: ignore[no-untyped-def]
        drawn.append(1)
        return draw(self, row, highlighted, width)

    monkeypatch.setattr(AgendaList, "_draw", counted)
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results: list = []
        pilot.app.push_screen(AgendaScreen(), results.append)
        await pilot.pause()
        listed = pilot.app.screen.query_one(AgendaList)
        assert listed.row_count == 600 + 4
        assert len(drawn) <= 40  # a screenful of rows, not six hundred
        first = listed.highlighted_item
        assert first is not None and first.followup.note == "call 0"
        await pilot.press("end")
        await pilot.pause()
        last = listed.highlighted_item
        assert last is not None and last.followup.note == "call 19"
        assert listed.scroll_offset.y > 0 and len(drawn) <= 80
        await pilot.press("up", "enter")
        await pilot.pause()
        assert results == [listed.rows[listed.row_count - 2].item.deal.id]


async def test_keys_move_the_highlight_past_headings_and_a_click_jumps(sqlite_service, clock):
    ids = _plan(sqlite_service, clock)
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        results: list = []
        pilot.app.push_screen(AgendaScreen(), results.append)
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, AgendaScreen)
        notes = []
        for _ in range(5):
            notes.append(screen.highlighted.followup.note)  # type: ignore[union-attr]
            await pilot.press("down")
        assert notes == ["chase signature", "call at lunch", "send deck", "check in", "next Monday"]
        await pilot.press("home")
        assert screen.highlighted.followup.note == "chase signature"  # type: ignore[union-attr]
        listed = screen.query_one(AgendaList)
        assert listed.scroll_offset.y == 0
        await pilot.click(AgendaList, offset=(5, 9))  # lines 8-10: "send deck", the one due today
        await pilot.pause()
        assert results == [ids["polar"]]
