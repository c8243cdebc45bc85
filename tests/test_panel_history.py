"""The History tab and the overview's time per stage, after a scripted series of changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual.content import Content

from closedwon_tui.app.panel.entries import EntryList
from closedwon_tui.app.panel.overview import Overview
from closedwon_tui.domain.timeline import absolute_time
from tests.screen_text import drawn_lines
from tests.test_panel_harness import PanelApp


def _script(service, clock) -> tuple[int, list]:  # type: ignore[no-untyped-def]
    """A deal's life: each step a few hours or days after the one before."""
    deal = service.create_deal("Helios platform rollout", company="Helios Energy", amount="12k").deal
    clock.advance(days=3)
    service.move_deal(deal.id, "Qualification")
    clock.advance(hours=5)
    service.edit_deal(deal.id, {"amount": "15k", "next_step": "Book demo"})
    clock.advance(days=4)
    service.move_deal(deal.id, "Proposal")
    objection = service.add_objection(deal.id, "price", "wants 10% off").item
    clock.advance(hours=1)
    service.answer_objection(objection.id, "offered a 2-year term", addressed=True)
    followup = service.schedule_followup(deal.id, "tomorrow", "send revised quote").item
    clock.advance(days=1)
    service.complete_followup(followup.id)
    service.add_note(deal.id, "Legal review started")
    clock.advance(days=2)
    service.mark_lost(deal.id, "price", "went with the cheaper offer")
    clock.advance(minutes=30)
    service.reopen(deal.id)
    clock.advance(minutes=5)
    service.undo_last(deal.id)
    return deal.id, service.history(deal.id)


async def test_history_shows_every_event_newest_first_in_words(sqlite_service, clock):
    deal_id, history = _script(sqlite_service, clock)
    clock.advance(hours=2)
    async with PanelApp(sqlite_service, deal_id).run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        entries = pilot.app.query_one("#history-text", EntryList).entries
    lines = [body.plain for _heading, body in entries]
    assert lines == [
        "undid: reopened into Proposal, was lost: price after 30 minutes in Closed Lost",
        "reopened into Proposal, was lost: price after 30 minutes in Closed Lost",
        "closed lost: price — went with the cheaper offer (from Proposal after 3 days in Proposal)",
        "note: Legal review started",
        "follow-up done (due 2026-12-03): send revised quote",
        "follow-up scheduled for 2026-12-03: send revised quote",
        "objection addressed (wants 10% off): offered a 2-year term",
        "objection (price): wants 10% off",
        "moved Qualification → Proposal after 4 days in Qualification",
        "edited amount: 12,000.00 → 15,000.00; next step: — → Book demo",
        "moved Outreach → Qualification after 3 days in Outreach",
        "created in Outreach",
    ]
    headings = [heading.plain for heading, _body in entries]
    newest, oldest = history[-1], history[0]
    assert headings[0] == f"● 2 hours ago · {absolute_time(newest.at)} · dana"
    assert headings[-1] == f"● 10 days ago · {absolute_time(oldest.at)} · dana"


async def test_overview_shows_the_days_spent_in_each_stage(sqlite_service, clock):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    clock.advance(days=3)
    sqlite_service.move_deal(deal.id, "Qualification")
    clock.advance(days=5)
    sqlite_service.move_deal(deal.id, "Analysis")
    clock.advance(days=2)
    sqlite_service.move_deal(deal.id, "Qualification")  # back again: the stays add up
    clock.advance(days=1)
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bar = pilot.app.query_one(Overview).section("stage-bar")
    assert isinstance(bar, Content)
    lines = bar.plain.splitlines()
    assert set(lines[0]) <= {"█", "▓"} and len(lines[0]) >= 4
    assert lines[1:] == ["■ Outreach 3 days", "■ Qualification 6 days (now)", "■ Analysis 2 days"]


async def test_the_time_bar_leaves_out_an_undone_move_as_the_reports_do(sqlite_service, clock):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    clock.advance(days=3)
    sqlite_service.move_deal(deal.id, "Negotiation")  # the wrong column
    clock.advance(hours=1)
    sqlite_service.undo_last(deal.id)
    clock.advance(days=2)
    sqlite_service.move_deal(deal.id, "Qualification")
    clock.advance(days=1)
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bar = pilot.app.query_one(Overview).section("stage-bar")
    assert isinstance(bar, Content)
    assert bar.plain.splitlines()[1:] == ["■ Outreach 5 days", "■ Qualification 1 day (now)"]
    times = {t.stage.name: (t.stays, t.average_days) for t in sqlite_service.report("all").stage_times}
    assert times["Outreach"] == (1, Decimal("5.0")) and times["Negotiation"] == (0, None)


async def test_the_time_bar_fills_the_tab_on_one_line_at_any_size(sqlite_service, clock):
    deal = sqlite_service.create_deal("Helios platform rollout", next_step="a next step long enough to wrap " * 3).deal
    clock.advance(days=3)
    sqlite_service.move_deal(deal.id, "Qualification")
    for size in ((120, 40), (80, 24)):
        async with PanelApp(sqlite_service, deal.id).run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("end")  # the overview scrolls to its last lines
            await pilot.pause()
            lines = [line.split("▊")[-1] for line in drawn_lines(pilot.app)]
            title = next(n for n, line in enumerate(lines) if "Time in each stage" in line)
            bar, legend = lines[title + 1].strip(), lines[title + 2].strip()
            width = pilot.app.query_one(Overview).scrollable_content_region.width
            assert set(bar) <= {"█", "▓"} and len(bar) == width - 1, (size, bar, width)
            assert legend.startswith("■ Outreach"), (size, legend)


async def test_overview_shows_every_field_and_marks_a_passed_close_date(sqlite_service, clock):
    deal = sqlite_service.create_deal(
        "Helios platform rollout", company="Helios Energy", contact_name="Mara Lindqvist",
        contact_email="mara@helios.example", amount="48,250", probability=70, close_date=date(2026, 11, 20),
        owner="Dana", source="referral", next_step="Send proposal", budget_ok=True,
        budget_note="Approved for Q1", need_ok=True, stage="Proposal",
    ).deal  # fmt: skip
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()

        def value(name: str) -> str | None:
            return pilot.app.query_one(Overview).value(name)

        assert value("amount") == "$48,250.00"
        assert value("probability") == "70% (deal's own; stage 60%)"
        assert value("weighted") == "$33,775.00"
        assert value("close_date") == "2026-11-20 passed 5 days ago"
        assert (value("owner"), value("contact"), value("email")) == ("Dana", "Mara Lindqvist", "mara@helios.example")
        assert (value("source"), value("next_step")) == ("referral", "Send proposal")
        assert value("lost_reason") is None  # only for lost deals
        bant = pilot.app.query_one(Overview).section("bant").plain
        assert "2/4" in bant and "☑ Budget  Approved for Q1" in bant and "☐ Authority" in bant


async def test_a_lost_deal_shows_its_reason(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    sqlite_service.mark_lost(deal.id, "competitor", "chose Acme")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.query_one(Overview).value("lost_reason") == "competitor — chose Acme"


async def test_text_from_the_database_is_shown_literally(sqlite_service):
    deal = sqlite_service.create_deal("[bold]Acme[/bold] $var", company="[red]x").deal
    sqlite_service.add_note(deal.id, "[link=http://evil]click[/link]")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "[bold]Acme[/bold] $var" in str(pilot.app.query_one("#panel-title").render())
        await pilot.press("4")
        await pilot.pause()
        notes = pilot.app.query_one("#notes-text", EntryList).entries
        assert notes[0][1].plain == "[link=http://evil]click[/link]"
