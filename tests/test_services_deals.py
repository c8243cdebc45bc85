"""Creating, editing, moving and closing deals, on every backend."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from closedwon_tui.domain.errors import NotFoundError, ValidationError
from closedwon_tui.domain.models import EventKind, StageKind
from closedwon_tui.domain.rules import weighted_value
from tests.conftest import FROZEN_NOW
from tests.dbstate import assert_ordered, columns, dump_tables


def stage_id(service, name: str) -> int:
    return service.stage(name).id


# create ----------------------------------------------------------------------
def test_a_new_deal_has_its_fields_and_a_created_event(service):
    deal = service.create_deal(
        "Helios rollout", company="Helios", contact_name="Ana Ruiz", contact_email="ana@helios.example",
        amount="48,250.50", currency="eur", close_date="2026-12-31", owner="Dana", probability="35",
        source="referral", budget_ok="yes", next_step="Send proposal",
    ).deal  # fmt: skip
    stored = service.deal(deal.id)
    assert stored == deal
    assert stored.amount == Decimal("48250.50") and stored.currency == "EUR"
    assert stored.close_date == date(2026, 12, 31)
    assert stored.probability == 35 and stored.budget_ok is True
    assert service.stage(stored.stage_id).name == "Outreach"  # the first stage by default
    assert stored.created_at == stored.stage_entered_at == stored.last_activity_at == FROZEN_NOW
    assert stored.closed_at is None and stored.version == 1
    (event,) = service.history(deal.id)
    assert event.kind is EventKind.CREATED and event.actor == "dana" and event.at == FROZEN_NOW
    assert event.to_stage_id == stored.stage_id
    assert event.details["fields"]["amount"] == "48250.50"


def test_new_deals_go_on_top_of_their_column_or_at_the_place_asked(service):
    first = service.create_deal("A", stage="proposal").deal
    second = service.create_deal("B", stage="Proposal").deal
    third = service.create_deal("C", stage="PROPOSAL", position=1).deal
    assert columns(service)[stage_id(service, "Proposal")] == [second.id, third.id, first.id]
    assert_ordered(service)


def test_the_default_currency_comes_from_the_service(db, clock):
    from closedwon_tui.services import PipelineService

    euro = PipelineService(db, clock=clock, actor="dana", default_currency="EUR")
    assert euro.create_deal("Euro deal", amount="1k").deal.currency == "EUR"


def test_amounts_are_stored_exactly_in_each_currencys_minor_unit(service):
    yen = service.create_deal("Yen", amount="1.5m", currency="JPY").deal
    dinar = service.create_deal("Dinar", amount="12.345", currency="KWD").deal
    assert service.deal(yen.id).amount == Decimal("1500000")
    assert service.deal(dinar.id).amount == Decimal("12.345")


@pytest.mark.parametrize(
    ("amount", "currency"), [("12.345", "USD"), ("0.4", "JPY"), ("0.0005", "KWD"), ("999999999999999.995", "USD")]
)
def test_an_amount_finer_than_its_currency_is_refused_and_nothing_is_saved(service, amount, currency):
    deal = service.create_deal("Kept", amount="10", currency=currency).deal
    before = dump_tables(service.db.engine)
    with pytest.raises(ValidationError, match=f"more decimals than {currency}"):
        service.create_deal("Rounded", amount=amount, currency=currency)
    with pytest.raises(ValidationError, match=f"more decimals than {currency}"):
        service.edit_deal(deal.id, {"amount": amount})
    assert dump_tables(service.db.engine) == before


def test_changing_the_currency_never_rounds_the_amount(service):
    deal = service.create_deal("Cents", amount="12.50", currency="USD").deal
    with pytest.raises(ValidationError, match="JPY"):
        service.edit_deal(deal.id, {"currency": "JPY"})
    assert service.deal(deal.id).amount == Decimal("12.50") and service.deal(deal.id).currency == "USD"
    whole = service.create_deal("Whole", amount="12", currency="USD").deal
    assert service.edit_deal(whole.id, {"currency": "JPY"}).deal.amount == Decimal("12")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "title"),
        ({"title": "X", "amount": "-5"}, "negative"),
        ({"title": "X", "amount": "lots"}, "not an amount"),
        ({"title": "X", "close_date": "someday"}, "not a date"),
        ({"title": "X", "stage": "Nowhere"}, "unknown stage"),
        ({"title": "X", "stage": "Closed Lost"}, "lost reason"),
        ({"title": "X", "colour": "red"}, "unknown field"),
        ({"title": "X", "owner": "o" * 121}, "at most 120"),  # SQLite stored it, PostgreSQL refused it
        ({"title": "X", "company": "c" * 201}, "at most 200"),
        ({"title": "X", "stage": "Closed Lost", "lost_reason": "r" * 121}, "at most 120"),
    ],
)
def test_bad_input_creates_nothing(service, fields, message):
    before = dump_tables(service.db.engine)
    fields = dict(fields)
    title = fields.pop("title")
    with pytest.raises(ValidationError, match=message):
        service.create_deal(title, **fields)
    assert dump_tables(service.db.engine) == before


def test_a_deal_created_closed_has_its_closed_time(service):
    lost = service.create_deal("Gone", stage="closed lost", lost_reason="price").deal
    won = service.create_deal("Done", stage="closed won").deal
    assert service.deal(lost.id).closed_at == FROZEN_NOW and service.deal(lost.id).lost_reason == "price"
    assert service.deal(won.id).closed_at == FROZEN_NOW


# edit ------------------------------------------------------------------------
def test_an_edit_keeps_each_fields_old_and_new_value(service, clock):
    deal = service.create_deal("Helios", amount="10k", owner="Dana").deal
    clock.advance(hours=2)
    change = service.edit_deal(deal.id, {"amount": "12,500", "owner": "Sam", "company": "Helios"})
    assert change.deal.amount == Decimal("12500.00") and change.deal.owner == "Sam"
    assert change.deal.version == 2 and change.deal.updated_at == clock.now
    assert change.event.kind is EventKind.EDITED
    assert change.event.details["changes"] == {
        "amount": ["10000.00", "12500.00"],
        "owner": ["Dana", "Sam"],
        "company": ["", "Helios"],
    }
    assert [e.kind for e in service.history(deal.id)] == [EventKind.CREATED, EventKind.EDITED]


def test_an_edit_that_changes_nothing_writes_nothing(service):
    deal = service.create_deal("Helios", amount="10k").deal
    before = dump_tables(service.db.engine)
    change = service.edit_deal(deal.id, {"amount": "10,000", "title": " Helios "})
    assert change.event is None and change.deal.version == 1
    assert dump_tables(service.db.engine) == before


def test_a_bad_edit_changes_nothing(service):
    deal = service.create_deal("Helios", amount="10k").deal
    before = dump_tables(service.db.engine)
    for changes in ({"amount": "-1"}, {"title": ""}, {"close_date": "nope"}, {"probability": "150"}, {}):
        with pytest.raises(ValidationError):
            service.edit_deal(deal.id, changes)
    with pytest.raises(NotFoundError):
        service.edit_deal(999, {"title": "x"})
    assert dump_tables(service.db.engine) == before


# moves -----------------------------------------------------------------------
def test_a_move_lands_at_the_position_asked_and_closes_the_gap_behind_it(service, clock):
    a, b, c = (service.create_deal(t, stage="Analysis").deal for t in "ABC")  # column: C B A
    x, y = (service.create_deal(t, stage="Proposal").deal for t in "XY")  # column: Y X
    clock.advance(days=3)
    change = service.move_deal(b.id, "proposal", position=1)
    assert change.event.kind is EventKind.MOVED
    assert change.deal.stage_entered_at == clock.now
    assert columns(service)[stage_id(service, "Analysis")] == [c.id, a.id]
    assert columns(service)[stage_id(service, "Proposal")] == [y.id, b.id, x.id]
    assert_ordered(service)
    event = change.event
    assert (event.from_stage_id, event.to_stage_id) == (stage_id(service, "Analysis"), stage_id(service, "Proposal"))
    assert event.details["days_in_stage"] == 3


def test_a_move_without_a_position_goes_on_top_and_past_the_end_goes_last(service):
    a = service.create_deal("A", stage="Analysis").deal
    x = service.create_deal("X", stage="Proposal").deal
    service.move_deal(a.id, "Proposal")
    assert columns(service)[stage_id(service, "Proposal")] == [a.id, x.id]
    service.move_deal(a.id, "Negotiation")
    service.move_deal(a.id, "Proposal", position=99)
    assert columns(service)[stage_id(service, "Proposal")] == [x.id, a.id]
    assert_ordered(service)


def test_moving_to_the_same_stage_without_a_position_is_refused(service):
    deal = service.create_deal("A", stage="Analysis").deal
    with pytest.raises(ValidationError, match="already in Analysis"):
        service.move_deal(deal.id, "analysis")


def test_reorder_within_a_column(service):
    a, b, c, d = (service.create_deal(t, stage="Analysis").deal for t in "ABCD")  # D C B A
    change = service.reorder_deal(d.id, 2)
    assert change.event.kind is EventKind.REORDERED
    assert change.event.details["from_position"] == 0 and change.event.details["to_position"] == 2
    assert columns(service)[stage_id(service, "Analysis")] == [c.id, b.id, d.id, a.id]
    service.reorder_deal(a.id, 0)
    assert columns(service)[stage_id(service, "Analysis")] == [a.id, c.id, b.id, d.id]
    assert service.reorder_deal(a.id, 0).event is None  # already there: nothing written
    assert_ordered(service)


def test_a_reorder_does_not_count_as_activity(service, clock):
    a, b = (service.create_deal(t, stage="Analysis").deal for t in "AB")
    clock.advance(days=20)
    service.reorder_deal(a.id, 0)
    assert service.deal(a.id).last_activity_at == FROZEN_NOW


def test_activity_restarts_the_rotting_timer(service, clock):
    deal = service.create_deal("A", stage="Analysis").deal
    clock.advance(days=5)
    service.add_note(deal.id, "Called them")
    assert service.deal(deal.id).last_activity_at == clock.now


@pytest.mark.parametrize(
    "act",
    [
        lambda s, d: s.move_deal(d.id, "Proposal"),
        lambda s, d: s.mark_won(d.id),
        lambda s, d: s.mark_lost(d.id, "price"),
        lambda s, d: s.undo_event(s.move_deal(d.id, "Proposal").event.id),
    ],
    ids=["move", "won", "lost", "undo"],
)
def test_a_stage_change_is_activity_and_hands_back_the_deal_as_stored(service, clock, act):
    """The board draws the deal a change hands back (its rotting timer, its version): it is the deal
    as stored, with its last activity at the change's time."""
    deal = service.create_deal("A", stage="Analysis", amount="10k").deal
    service.schedule_followup(deal.id, "friday", "Call")  # a close settles it, in the same write
    clock.advance(days=20)
    change = act(service, deal)
    stored = service.deal(deal.id)
    assert change.deal == stored
    assert stored.last_activity_at == stored.updated_at == clock.now
    assert stored.version > deal.version


# closing and reopening ---------------------------------------------------------
def test_won_closes_the_deal(service, clock):
    deal = service.create_deal("A", stage="Negotiation", amount="10k", probability=35).deal
    clock.advance(days=2)
    change = service.mark_won(deal.id)
    assert change.event.kind is EventKind.WON
    assert service.stage(change.deal.stage_id).kind is StageKind.WON
    assert change.deal.closed_at == clock.now
    assert weighted_value(change.deal, service.stage(change.deal.stage_id)) == Decimal("10000.00")


def test_lost_needs_a_reason_and_nothing_changes_without_one(service):
    deal = service.create_deal("A", stage="Negotiation").deal
    before = dump_tables(service.db.engine)
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError, match="reason"):
            service.mark_lost(deal.id, reason)
    with pytest.raises(ValidationError, match="reason"):
        service.move_deal(deal.id, "Closed Lost")
    with pytest.raises(ValidationError, match="at most 120"):
        service.mark_lost(deal.id, "r" * 121)
    assert dump_tables(service.db.engine) == before


def test_a_long_actor_name_does_not_break_writes(db, clock):
    from closedwon_tui.services import PipelineService

    verbose = PipelineService(db, clock=clock, actor="A" * 300)
    deal = verbose.create_deal("X").deal
    assert verbose.history(deal.id)[0].actor == "A" * 120


def test_lost_keeps_the_reason_and_note(service):
    deal = service.create_deal("A", stage="Negotiation").deal
    change = service.mark_lost(deal.id, "price", "Went with the cheaper vendor")
    assert change.event.kind is EventKind.LOST
    assert change.deal.lost_reason == "price" and change.deal.lost_note == "Went with the cheaper vendor"
    assert change.deal.closed_at == FROZEN_NOW
    assert change.event.details["reason"] == "price"


def test_moving_into_closed_stages_wins_or_loses(service):
    a = service.create_deal("A", stage="Proposal").deal
    b = service.create_deal("B", stage="Proposal").deal
    assert service.move_deal(a.id, "closed won").event.kind is EventKind.WON
    assert service.move_deal(b.id, "Closed Lost", lost_reason="timing").event.kind is EventKind.LOST


def test_reopen_clears_the_closed_time_and_keeps_the_outcome_in_history(service, clock):
    deal = service.create_deal("A", stage="Negotiation").deal
    service.mark_lost(deal.id, "price", "too dear")
    clock.advance(days=10)
    change = service.reopen(deal.id)
    assert change.event.kind is EventKind.REOPENED
    reopened = service.deal(deal.id)
    assert service.stage(reopened.stage_id).name == "Negotiation"  # where it closed from
    assert reopened.closed_at is None and reopened.lost_reason == "" and reopened.lost_note == ""
    assert reopened.stage_entered_at == clock.now
    history = service.history(deal.id)
    assert [e.kind for e in history] == [EventKind.CREATED, EventKind.LOST, EventKind.REOPENED]
    assert history[1].details["reason"] == "price"
    assert history[2].details["previous_outcome"] == "lost: price"


def test_reopen_into_a_named_stage_and_the_refusals(service):
    deal = service.create_deal("A", stage="Proposal").deal
    with pytest.raises(ValidationError, match="not closed"):
        service.reopen(deal.id)
    service.mark_won(deal.id)
    with pytest.raises(ValidationError, match="open stage"):
        service.reopen(deal.id, "Closed Lost")
    change = service.reopen(deal.id, "qualification")
    assert service.stage(change.deal.stage_id).name == "Qualification"
    assert service.history(deal.id)[-1].details["previous_outcome"] == "won"


def test_a_deal_created_closed_reopens_into_the_last_open_stage(service):
    deal = service.create_deal("A", stage="Closed Won").deal
    assert service.stage(service.reopen(deal.id).deal.stage_id).name == "Negotiation"


def test_a_probability_override_survives_stage_changes(service):
    deal = service.create_deal("A", stage="Outreach", probability=70).deal
    service.move_deal(deal.id, "Proposal")
    service.mark_won(deal.id)
    service.reopen(deal.id)
    service.move_deal(deal.id, "Analysis")
    assert service.deal(deal.id).probability == 70


def test_closed_deals_can_move_between_won_and_lost(service):
    deal = service.create_deal("A", stage="Proposal").deal
    service.mark_won(deal.id)
    change = service.mark_lost(deal.id, "competitor")
    assert change.event.kind is EventKind.LOST and change.deal.lost_reason == "competitor"
    change = service.mark_won(deal.id)
    assert change.deal.lost_reason == ""


def test_a_lookback_on_a_closed_deal(service):
    deal = service.create_deal("A", stage="Proposal").deal
    service.mark_won(deal.id)
    change = service.record_lookback(deal.id, "Champion pushed it", "Legal took weeks")
    assert change.event.kind is EventKind.LOOKBACK
    assert change.deal.went_well == "Champion pushed it" and change.deal.nearly_lost == "Legal took weeks"
    with pytest.raises(ValidationError):
        service.record_lookback(deal.id, " ", "")


# unknown records -----------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.move_deal(404, "Proposal"),
        lambda s: s.reorder_deal(404, 0),
        lambda s: s.mark_won(404),
        lambda s: s.mark_lost(404, "price"),
        lambda s: s.reopen(404),
        lambda s: s.add_note(404, "x").item,
        lambda s: s.add_objection(404, "price", "x").item,
        lambda s: s.schedule_followup(404, "tomorrow", "x").item,
        lambda s: s.complete_followup(404).item,
        lambda s: s.address_objection(404).item,
        lambda s: s.history(404),
        lambda s: s.deal_detail(404),
        lambda s: s.undo_last(404),
        lambda s: s.undo_event(404),
    ],
)
def test_unknown_ids_are_a_clear_not_found(service, call):
    service.create_deal("Exists")
    before = dump_tables(service.db.engine)
    with pytest.raises(NotFoundError, match="404"):
        call(service)
    assert dump_tables(service.db.engine) == before


# reading ---------------------------------------------------------------------
def test_listing_by_stage_and_owner(service):
    a = service.create_deal("A", stage="Proposal", owner="Dana").deal
    b = service.create_deal("B", stage="Proposal", owner="Sam").deal
    c = service.create_deal("C", stage="Analysis", owner="dana").deal
    assert [d.id for d in service.deals(stage="proposal")] == [b.id, a.id]
    assert {d.id for d in service.deals(owner="DANA")} == {a.id, c.id}
    assert [d.id for d in service.deals(stage="Proposal", owner="Sam")] == [b.id]


def test_the_board_carries_card_facts(service, clock):
    deal = service.create_deal("A", stage="Proposal").deal
    other = service.create_deal("B", stage="Proposal").deal
    service.add_objection(deal.id, "price", "Too dear")
    service.schedule_followup(deal.id, "2026-12-01", "Call")
    service.schedule_followup(deal.id, "2026-11-30", "Earlier")
    board = service.board()
    assert board.facts[deal.id].open_objections == 1
    assert board.facts[deal.id].next_followup.date() == date(2026, 11, 30)
    assert other.id not in board.facts
    assert service.now() == clock.now
    assert [item.deal.id for item in service.agenda()] == [deal.id, deal.id]


def test_stage_lookup_by_name_number_and_id(service):
    proposal = service.stage("Proposal")
    assert service.stage("4") == proposal == service.stage(proposal.id) == service.stage("PROP")
    with pytest.raises(ValidationError):
        service.stage("closed")  # ambiguous between Closed Won and Closed Lost
    with pytest.raises(NotFoundError):
        service.stage(9999)


def test_time_moves_on_for_days_in_stage(service, clock):
    from closedwon_tui.domain.rules import days_in_stage

    deal = service.create_deal("A").deal
    clock.advance(days=4, hours=1)
    assert days_in_stage(service.deal(deal.id), service.now()) == 4
    assert service.deal(deal.id).stage_entered_at == clock.now - timedelta(days=4, hours=1)


def test_clearing_the_override_returns_to_the_stage_probability_and_clearing_the_amount(service):
    deal = service.create_deal("A", stage="Proposal", amount="10k", probability="35").deal
    change = service.edit_deal(deal.id, {"probability": "", "amount": ""})
    assert change.deal.probability is None and change.deal.amount is None
    assert change.event.details["changes"] == {"probability": [35, None], "amount": ["10000.00", None]}
    assert weighted_value(change.deal, service.stage("Proposal")) is None
    service.edit_deal(deal.id, {"amount": "10k"})
    assert weighted_value(service.deal(deal.id), service.stage("Proposal")) == Decimal("6000.00")
