"""The panel's own keys: each one changes the deal through the service and tells the board."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import OptionList

from closedwon_tui.app.panel.answer import AnswerForm
from closedwon_tui.app.panel.followup_form import FollowUpForm
from closedwon_tui.app.panel.overview import Overview
from closedwon_tui.domain.models import EventKind, ObjectionStatus
from closedwon_tui.domain.rules import is_stale, local_today
from tests.board_helpers import enter_text, settled
from tests.test_panel_harness import PanelApp


def _kinds(service, deal_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.kind.value for e in service.history(deal_id)]


async def test_o_in_the_panel_records_an_objection_and_shows_it(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o", "1")
        await enter_text(pilot, "CFO says the price is too high")
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause()
        assert pilot.app.panel.active_tab == "objections"
        listed = pilot.app.query_one("#objection-list", OptionList)
        assert "CFO says the price is too high" in str(listed.get_option_at_index(0).prompt)
        assert pilot.app.changed == [deal.id]
    [objection] = sqlite_service.deal_detail(deal.id).objections
    assert objection.text == "CFO says the price is too high"


async def test_N_in_the_panel_adds_a_note(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("N")
        await enter_text(pilot, "Champion is the ops lead")
        await pilot.press("ctrl+s")
        await settled(pilot)
        await pilot.pause()
        assert pilot.app.panel.active_tab == "notes"
        assert pilot.app.changed == [deal.id]
    assert [n.text for n in sqlite_service.deal_detail(deal.id).notes] == ["Champion is the ops lead"]


async def test_answer_then_mark_addressed(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    objection = sqlite_service.add_objection(deal.id, "price", "wants 10% off").item
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter")
        await settled(pilot)
        await pilot.pause()
        assert isinstance(pilot.app.screen, AnswerForm)
        await enter_text(pilot, "offered 5% for a 2-year term")
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause()
        answered = sqlite_service.deal_detail(deal.id).objections[0]
        assert (answered.response, answered.status) == ("offered 5% for a 2-year term", ObjectionStatus.OPEN)
        await pilot.press("space")
        await settled(pilot)
        await pilot.pause()
        assert pilot.app.changed == [deal.id, deal.id]
    addressed = sqlite_service.deal_detail(deal.id).objections[0]
    assert addressed.id == objection.id
    assert (addressed.response, addressed.status) == ("offered 5% for a 2-year term", ObjectionStatus.ADDRESSED)
    assert _kinds(sqlite_service, deal.id)[-2:] == ["objection_answered", "objection_addressed"]


async def test_an_answer_can_close_the_objection_at_once(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    sqlite_service.add_objection(deal.id, "authority", "CFO has to sign off")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter")
        await enter_text(pilot, "CFO signed off on the call")
        await pilot.press("tab", "space", "shift+tab", "enter")
        await settled(pilot)
        await pilot.pause()
    [objection] = sqlite_service.deal_detail(deal.id).objections
    assert objection.status is ObjectionStatus.ADDRESSED
    assert objection.response == "CFO signed off on the call"


async def test_enter_on_the_checkbox_saves_the_answer_ticked_or_not(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    sqlite_service.add_objection(deal.id, "authority", "CFO has to sign off")
    sqlite_service.add_objection(deal.id, "timing", "not before Q2")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter")
        await enter_text(pilot, "CFO signed off on the call")
        await pilot.press("tab", "space", "enter")  # ticked, and saved from the box
        await settled(pilot)
        await pilot.pause()
        assert not isinstance(pilot.app.screen, AnswerForm)
        await pilot.press("down", "enter")
        await enter_text(pilot, "they will come back in April")
        await pilot.press("tab", "enter")  # not ticked, saved from the box
        await settled(pilot)
        await pilot.pause()
        assert not isinstance(pilot.app.screen, AnswerForm)
    first, second = sqlite_service.deal_detail(deal.id).objections
    assert (first.response, first.status) == ("CFO signed off on the call", ObjectionStatus.ADDRESSED)
    assert (second.response, second.status) == ("they will come back in April", ObjectionStatus.OPEN)


async def test_a_ticked_box_shows_a_tick_and_an_empty_one_none(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    sqlite_service.add_objection(deal.id, "authority", "CFO has to sign off")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        box = pilot.app.screen.query_one("#addressed")
        unticked = str(box.render())
        await pilot.press("tab", "space")
        ticked = str(box.render())
    assert "✓" in ticked and "✓" not in unticked  # a different character, not only a different colour
    assert ticked.strip().endswith("Mark it addressed") and unticked.strip().endswith("Mark it addressed")


async def test_after_o_the_new_objection_is_highlighted_and_enter_answers_it(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    old = sqlite_service.add_objection(deal.id, "price", "wants 10% off").item
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert pilot.app.panel.selected_objection().id == old.id
        await pilot.press("o", "4")  # need
        await enter_text(pilot, "not sure they need the analytics")
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause()
        [new] = [o for o in sqlite_service.deal_detail(deal.id).objections if o.id != old.id]
        assert pilot.app.panel.selected_objection().id == new.id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AnswerForm) and pilot.app.screen.objection.id == new.id
        await enter_text(pilot, "walked them through the ops savings")
        await pilot.press("enter")
        await settled(pilot)
    by_id = {o.id: o for o in sqlite_service.deal_detail(deal.id).objections}
    assert (by_id[old.id].response, by_id[new.id].response) == ("", "walked them through the ops savings")


async def test_after_f_the_new_follow_up_is_highlighted_and_space_marks_it_done(sqlite_service, clock):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    old = sqlite_service.schedule_followup(deal.id, local_today(clock()) + timedelta(days=1), "call").item
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("3", "f", "2", "enter")  # in 3 days: after the old one
        await enter_text(pilot, "send the quote")
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause()
        [new] = [f for f in sqlite_service.deal_detail(deal.id).followups if f.id != old.id]
        assert pilot.app.panel.selected_followup().id == new.id
        await pilot.press("space")
        await settled(pilot)
    by_id = {f.id: f for f in sqlite_service.deal_detail(deal.id).followups}
    assert not by_id[old.id].is_done and by_id[new.id].is_done


async def test_an_empty_answer_saves_nothing(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    sqlite_service.add_objection(deal.id, "price", "wants 10% off")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter", "enter")
        await settled(pilot)
        await pilot.pause()
        assert isinstance(pilot.app.screen, AnswerForm)
        await pilot.press("escape")
        await settled(pilot)
        await pilot.pause()
        assert pilot.app.changed == []
    assert _kinds(sqlite_service, deal.id) == ["created", "objection_added"]


async def test_open_objections_are_listed_first(sqlite_service):
    deal = sqlite_service.create_deal("Orbital fleet analytics").deal
    first = sqlite_service.add_objection(deal.id, "price", "too expensive").item
    sqlite_service.address_objection(first.id, "phased rollout")
    sqlite_service.add_objection(deal.id, "trust", "wants references")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listed = pilot.app.query_one("#objection-list", OptionList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert "wants references" in prompts[0] and "open" in prompts[0]
        assert "too expensive" in prompts[1] and "addressed" in prompts[1] and "phased rollout" in prompts[1]


async def test_space_marks_the_followup_done_then_offers_the_next(sqlite_service, clock):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    first = sqlite_service.schedule_followup(deal.id, "tomorrow", "send the quote").item
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("3", "space")
        await settled(pilot)
        await pilot.pause()
        assert sqlite_service.deal_detail(deal.id).followups[0].is_done
        assert isinstance(pilot.app.screen, FollowUpForm)
        assert "Schedule the next one" in pilot.app.screen.heading
        await pilot.press("4", "enter")  # in 2 weeks
        await enter_text(pilot, "check they read it")
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause()
        assert pilot.app.changed == [deal.id, deal.id]
    followups = {f.id: f for f in sqlite_service.deal_detail(deal.id).followups}
    assert followups.pop(first.id).is_done
    [following] = followups.values()
    assert following.due.date() == local_today(clock()) + timedelta(days=14)
    assert following.note == "check they read it" and not following.is_done


async def test_the_next_followup_can_be_skipped(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    sqlite_service.schedule_followup(deal.id, "tomorrow", "send the quote")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("3", "space", "escape")
        await settled(pilot)
        await pilot.pause()
        listed = pilot.app.query_one("#followup-list", OptionList)
        assert listed.get_option_at_index(0).disabled  # done: dimmed, no longer selectable
    assert _kinds(sqlite_service, deal.id) == ["created", "followup_scheduled", "followup_done"]


async def test_item_keys_do_nothing_outside_their_tab(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    sqlite_service.schedule_followup(deal.id, "tomorrow", "send the quote")
    sqlite_service.add_objection(deal.id, "price", "too expensive")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.panel.active_tab == "overview"
        await pilot.press("space", "enter")
        await settled(pilot)
        await pilot.pause()
        assert pilot.app.screen is pilot.app.screen_stack[0]
        assert pilot.app.changed == []
    assert _kinds(sqlite_service, deal.id) == ["created", "followup_scheduled", "objection_added"]


async def test_arrows_and_numbers_switch_tabs_and_focus_follows(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = pilot.app.panel
        await pilot.press("right")
        await settled(pilot)
        await pilot.pause()
        assert panel.active_tab == "objections"
        assert pilot.app.focused is pilot.app.query_one("#objection-list")
        await pilot.press("left", "left")
        await settled(pilot)
        await pilot.pause()
        assert panel.active_tab == "history"
        await pilot.press("3")
        await settled(pilot)
        await pilot.pause()
        assert panel.active_tab == "followups"
        assert panel.has_focus_within


async def test_activity_in_the_panel_clears_the_stale_mark(sqlite_service, clock):
    deal = sqlite_service.create_deal("Helios platform rollout").deal  # Outreach rots after 14 days
    clock.advance(days=20)
    stage = sqlite_service.stage(deal.stage_id)
    assert is_stale(sqlite_service.deal(deal.id), stage, clock())
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "stale" in pilot.app.query_one(Overview).value("stage")
        await pilot.press("N")
        await enter_text(pilot, "called, they are back from holiday")
        await pilot.press("ctrl+s")
        await settled(pilot)
        await pilot.pause()
        assert "stale" not in pilot.app.query_one(Overview).value("stage")
    assert not is_stale(sqlite_service.deal(deal.id), stage, clock())
    assert sqlite_service.history(deal.id)[-1].kind is EventKind.NOTE_ADDED


async def test_panel_actions_are_in_the_command_palette(sqlite_service):
    deal = sqlite_service.create_deal("Helios platform rollout").deal
    sqlite_service.schedule_followup(deal.id, "tomorrow", "send the quote")
    async with PanelApp(sqlite_service, deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await enter_text(pilot, "follow-up done")
        await settled(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause()
        assert isinstance(pilot.app.screen, FollowUpForm)  # done, and offering the next one
        assert pilot.app.panel.active_tab == "followups"
    assert sqlite_service.deal_detail(deal.id).followups[0].is_done
