"""Editable stages and several pipelines, through the services (both backends): what a rep
notices (the order, the deals where they were, the history) and the database after each change."""

from __future__ import annotations

import pytest

from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.models import EventKind, PipelineEventKind, StageKind
from closedwon_tui.domain.reports import Period


def names(service, pipeline=None) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.name for s in service.stages(pipeline)]


def test_the_existing_pipeline_is_sales_with_the_seven_stages(service):
    assert [p.name for p in service.pipelines()] == ["Sales"]
    assert names(service)[0] == "Outreach" and len(names(service)) == 7


def test_a_stage_is_added_after_another_with_its_neighbours_probability(service):
    change = service.add_stage("Demo", after="qual")
    assert names(service) == ["Outreach", "Qualification", "Demo", "Analysis", "Proposal", "Negotiation",
                              "Closed Won", "Closed Lost"]  # fmt: skip
    demo = service.stage("Demo")
    assert (demo.probability, demo.rotting_days, demo.kind) == (20, 14, StageKind.OPEN)
    assert [s.position for s in service.stages()] == list(range(8))
    assert change.event.kind is PipelineEventKind.STAGE_ADDED and change.event.actor == "dana"
    assert service.stage_history()[-1].summary == "added stage Demo (after Qualification)"


def test_rename_edit_and_move_are_recorded_and_reach_the_deals(service):
    deal = service.create_deal("Helios", stage="Proposal", amount="1000").deal
    service.rename_stage("Proposal", "Quote")
    service.edit_stage("Quote", probability="75", rotting_days="0")
    service.move_stage("Quote", first=True)
    assert names(service)[:2] == ["Quote", "Outreach"]
    quote = service.stage(deal.stage_id)
    assert (quote.name, quote.probability, quote.rotting_days) == ("Quote", 75, None)
    assert service.deal_detail(deal.id).stage.name == "Quote"
    kinds = [e.kind for e in service.stage_history()]
    assert kinds == [PipelineEventKind.STAGE_RENAMED, PipelineEventKind.STAGE_EDITED, PipelineEventKind.STAGE_MOVED]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.add_stage(""), "cannot be empty"),
        (lambda s: s.add_stage("  "), "cannot be empty"),
        (lambda s: s.add_stage("PROPOSAL"), "already a stage named"),
        (lambda s: s.add_stage("42"), "cannot be a number"),
        (lambda s: s.add_stage("Demo", after="Closed Won"), "open stages come before"),
        (lambda s: s.add_stage("Demo", probability="101"), "from 0 to 100"),
        (lambda s: s.add_stage("Demo", probability="-1"), "from 0 to 100"),
        (lambda s: s.add_stage("Demo", rotting_days="-3"), "cannot be negative"),
        (lambda s: s.add_stage("Demo", after="Nowhere"), "unknown stage"),
        (lambda s: s.rename_stage("Analysis", "outreach"), "already a stage named"),
        (lambda s: s.edit_stage("Analysis"), "nothing to change"),
        (lambda s: s.edit_stage("Closed Won", probability=50), "fixed at 100"),
        (lambda s: s.move_stage("Analysis", after="Analysis"), "after itself"),
        (lambda s: s.move_stage("Closed Lost", first=True), "only open stages move"),
        (lambda s: s.remove_stage("Closed Won"), "one won and one lost"),
        (lambda s: s.remove_stage("Closed Lost"), "one won and one lost"),
        (lambda s: s.add_pipeline("sales"), "already a pipeline named"),
        (lambda s: s.add_pipeline(""), "cannot be empty"),
        (lambda s: s.add_pipeline("Renewals", stages=", ,"), "cannot be empty"),
        (lambda s: s.add_pipeline("Renewals", stages="A,a"), "already a stage named"),
        (lambda s: s.remove_pipeline("Sales"), "the only pipeline"),
        (lambda s: s.pipeline("Nope"), "unknown pipeline"),
    ],
)
def test_bad_input_is_refused_with_one_line_and_nothing_changes(service, call, message):
    before = (service.all_stages(), service.all_pipelines())
    with pytest.raises(ValidationError, match=message) as caught:
        call(service)
    assert "\n" not in str(caught.value)
    service.forget_stages()
    assert (service.all_stages(), service.all_pipelines()) == before
    assert service.stage_history() == []


def test_a_stage_holding_deals_is_removed_only_with_its_deals_moved_each_in_its_history(service, clock):
    a = service.create_deal("A", stage="Analysis").deal
    b = service.create_deal("B", stage="Analysis").deal
    with pytest.raises(ValidationError, match="holds 2 deals.*--move-deals-to"):
        service.remove_stage("Analysis")
    assert names(service)[2] == "Analysis"
    clock.advance(days=1)
    change = service.remove_stage("Analysis", move_deals_to="Proposal")
    assert "Analysis" not in names(service)
    assert {service.deal(a.id).stage_id, service.deal(b.id).stage_id} == {service.stage("Proposal").id}
    assert len(change.moved) == 2
    last = service.history(a.id)[-1]
    assert (last.kind, last.details["from_stage"], last.details["to_stage"]) == (
        EventKind.MOVED,
        "Analysis",
        "Proposal",
    )
    # the removed stage's past still reads: by id, in the history and in the report's time in stage
    analysis = service.stage(last.from_stage_id)
    assert (analysis.name, analysis.archived) == ("Analysis", True)
    assert service.report(Period.ALL).deal_count == 2


def test_removing_a_stage_is_undone_with_its_deals_and_redone(service):
    deal = service.create_deal("A", stage="Analysis").deal
    removed = service.remove_stage("Analysis", move_deals_to="Proposal")
    undone = service.undo_stage_change(removed.event.id)
    assert "Analysis" in names(service) and service.stage(service.deal(deal.id).stage_id).name == "Analysis"
    assert undone.event.kind is PipelineEventKind.UNDONE and len(undone.moved) == 1
    service.redo_stage_change(undone.event.id)
    assert "Analysis" not in names(service) and service.stage(service.deal(deal.id).stage_id).name == "Proposal"


def test_an_undo_never_overwrites_a_later_change(service):
    renamed = service.rename_stage("Analysis", "Discovery")
    service.rename_stage("Discovery", "Research")
    with pytest.raises(ConflictError):
        service.undo_stage_change(renamed.event.id)
    assert "Research" in names(service)
    added = service.add_stage("Demo")
    service.create_deal("In demo", stage="Demo")
    with pytest.raises(ConflictError, match="holds deals"):
        service.undo_stage_change(added.event.id)
    assert "Demo" in names(service)


def test_a_new_pipeline_copies_the_sales_stages_or_takes_its_own(service):
    service.add_pipeline("Renewals")
    assert names(service, "Renewals") == names(service, "Sales")
    assert service.stage("Outreach", "Renewals").id != service.stage("Outreach", "Sales").id
    service.add_pipeline("Partners", stages="Intro, Pilot,Signed up")
    assert names(service, "Partners") == ["Intro", "Pilot", "Signed up", "Closed Won", "Closed Lost"]
    assert [s.probability for s in service.stages("Partners")] == [25, 50, 75, 100, 0]
    assert [p.name for p in service.pipelines()] == ["Sales", "Renewals", "Partners"]


def test_deals_stay_in_their_pipeline_unless_moved_across(service):
    service.add_pipeline("Renewals", stages="Due,Talking")
    deal = service.create_deal("Acme renewal", pipeline="Renewals").deal
    assert service.stage(deal.stage_id).name == "Due"
    with pytest.raises(ValidationError, match="Proposal is a stage of pipeline Sales.*--pipeline Sales"):
        service.move_deal(deal.id, "Proposal")
    assert service.deal(deal.id).stage_id == deal.stage_id
    moved = service.move_deal(deal.id, "Proposal", pipeline="Sales")
    assert service.pipeline_of(moved.deal.stage_id).name == "Sales"
    assert (moved.event.details["from_pipeline"], moved.event.details["to_pipeline"]) == ("Renewals", "Sales")
    service.undo_event(moved.event.id)
    assert service.stage(service.deal(deal.id).stage_id).name == "Due"
    # winning, losing and reopening stay in the deal's own pipeline
    won = service.mark_won(deal.id)
    assert service.stage(won.deal.stage_id).pipeline_id == service.pipeline("Renewals").id
    reopened = service.reopen(deal.id)
    assert service.stage(reopened.deal.stage_id).name == "Due"
    lost = service.mark_lost(deal.id, "price")
    assert service.stage(lost.deal.stage_id) == service.stage_of_kind(StageKind.LOST, "Renewals")


def test_listing_by_pipeline_and_removing_an_empty_one(service):
    service.add_pipeline("Renewals", stages="Due")
    service.create_deal("Sales deal")
    renewal = service.create_deal("Renewal", pipeline="Renewals").deal
    assert [d.title for d in service.deals(pipeline="Renewals")] == ["Renewal"]
    assert [d.title for d in service.deals(pipeline="Sales")] == ["Sales deal"]
    assert len(service.deals()) == 2
    with pytest.raises(ValidationError, match="holds 1 deal"):
        service.remove_pipeline("Renewals")
    service.move_deal(renewal.id, "Outreach", pipeline="Sales")
    removed = service.remove_pipeline("Renewals")
    assert [p.name for p in service.pipelines()] == ["Sales"]
    service.undo_stage_change(removed.event.id)
    assert [p.name for p in service.pipelines()] == ["Sales", "Renewals"]


def test_the_board_and_the_agenda_by_pipeline(service):
    service.add_pipeline("Renewals", stages="Due")
    a = service.create_deal("Sales deal").deal
    b = service.create_deal("Renewal", pipeline="Renewals").deal
    service.schedule_followup(a.id, service.now().date(), "call")
    service.schedule_followup(b.id, service.now().date(), "call")
    board = service.board(pipeline="Renewals")
    assert [c.title for c in board.cards] == ["Renewal"] and board.pipeline.name == "Renewals"
    assert set(board.facts) == {b.id}  # its deals' follow-ups only, not the Sales deal's
    assert [c.title for c in service.board().cards] == ["Sales deal"]
    assert {(i.deal.title, i.pipeline.name) for i in service.agenda()} == {("Sales deal", "Sales"),
                                                                          ("Renewal", "Renewals")}  # fmt: skip


def test_a_bulk_win_puts_each_deal_in_its_own_pipelines_won_stage(service):
    service.add_pipeline("Renewals", stages="Due")
    sale = service.create_deal("Sale").deal
    renewal = service.create_deal("Renewal", pipeline="Renewals").deal
    service.win_deals([sale.id, renewal.id])
    assert service.stage(service.deal(sale.id).stage_id) == service.stage_of_kind(StageKind.WON, "Sales")
    assert service.stage(service.deal(renewal.id).stage_id) == service.stage_of_kind(StageKind.WON, "Renewals")


def test_a_move_out_of_a_stage_removed_since_is_not_undone_into_it(service, clock):
    deal = service.create_deal("A", stage="Analysis").deal
    moved = service.move_deal(deal.id, "Proposal")
    clock.advance(days=1)
    service.remove_stage("Analysis")  # empty now: removed without moving anything
    before = service.deal(deal.id)
    with pytest.raises(ConflictError, match=r"stage Analysis was removed since; deal \d+ cannot go back to it"):
        service.undo_event(moved.event.id)
    assert service.deal(deal.id) == before
    assert service.history(deal.id)[-1].id == moved.event.id
