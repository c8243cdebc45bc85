"""What the closed-won celebration counts: wins this month and quarter, and the win-rate change a win made.

The seeded pipeline (frozen clock: Wed 2026-11-25, so the month is November, the quarter Q4):
Dana won A in October, B and C (in euros) in November, lost D in November; E was won
last quarter; G was won then reopened; Marcus won F. H (Orbital fleet analytics) is the deal being celebrated.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import EventKind
from tests.conftest import FROZEN_NOW


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=UTC)


def seed_quarter(service, clock) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The pipeline above, with every deal still open that should be closed by the test; returns ids."""
    plan = {
        # key: (created, closed, outcome, amount, currency, owner)
        "A": (at(10, 1), at(10, 20), "won", "10,000", "USD", "Dana"),
        "B": (at(11, 2), at(11, 10), "won", "5,000", "USD", "Dana"),
        "C": (at(11, 3), at(11, 12), "won", "3,000", "EUR", "Dana"),
        "D": (at(10, 5), at(11, 5), "lost", "7,000", "USD", "Dana"),
        "E": (at(8, 1), at(9, 20), "won", "50,000", "USD", "Dana"),
        "F": (at(10, 2), at(11, 15), "won", "100,000", "USD", "Marcus"),
        "G": (at(10, 3), at(11, 3), "reopened", "20,000", "USD", "Dana"),
        "H": (at(10, 15), None, "open", "48,250", "USD", "Dana"),
    }
    names = {"H": ("Orbital fleet analytics", "Orbital Freight")}
    ids = {}
    for key, (created, closed, outcome, amount, currency, owner) in plan.items():
        clock.now = created
        title, company = names.get(key, (key, f"{key} Corp"))
        deal = service.create_deal(title, company=company, amount=amount, currency=currency, owner=owner,
                                   stage="Negotiation").deal  # fmt: skip
        ids[key] = deal.id
        if closed is None:
            continue
        clock.now = closed
        if outcome == "lost":
            service.mark_lost(deal.id, "price")
        else:
            service.mark_won(deal.id)
        if outcome == "reopened":
            clock.advance(days=1)
            service.reopen(deal.id)
    clock.now = FROZEN_NOW
    return ids


def test_a_win_in_context_of_the_reps_month_and_quarter(service, clock):
    ids = seed_quarter(service, clock)
    service.mark_won(ids["H"])

    context = service.won_context(ids["H"])

    assert context.deal.id == ids["H"] and context.owner == "Dana"
    assert context.cycle_days == 41  # Oct 15 10:00 to Nov 25 15:00
    assert context.month.won_count == 3  # B, C, H: not G (reopened), not F (Marcus's)
    assert context.month.won_totals == {"USD": Decimal("53250.00"), "EUR": Decimal("3000.00")}
    assert context.quarter.won_count == 4  # A, B, C, H: not E (last quarter)
    assert context.quarter.won_totals == {"USD": Decimal("63250.00"), "EUR": Decimal("3000.00")}
    assert (context.win_rate_before, context.win_rate_after) == (Decimal("75.0"), Decimal("80.0"))
    assert context.win_rate_change == Decimal("5.0")


def test_the_celebration_reads_nothing_into_the_database(service, clock):
    ids = seed_quarter(service, clock)
    service.mark_won(ids["H"])
    before = service.all_events()
    service.won_context(ids["H"])
    assert service.all_events() == before


def test_a_deal_won_again_after_reopening_counts_once_and_its_reopening_is_the_before(service, clock):
    ids = seed_quarter(service, clock)
    service.mark_won(ids["H"])
    service.reopen(ids["H"])
    with pytest.raises(ValidationError, match="not closed won"):
        service.won_context(ids["H"])  # reopened: open again, so no celebration figures

    again = service.mark_won(ids["H"])
    assert again.kind is EventKind.WON

    context = service.won_context(ids["H"])
    assert context.quarter.won_count == 4
    assert (context.win_rate_before, context.win_rate_after) == (Decimal("75.0"), Decimal("80.0"))
    assert [e.kind for e in service.history(ids["H"])][-3:] == [EventKind.WON, EventKind.REOPENED, EventKind.WON]


def test_a_lost_deal_won_after_all_moves_the_win_rate_from_its_loss(service, clock):
    ids = seed_quarter(service, clock)
    service.mark_won(ids["D"])  # straight from Closed Lost: it was a loss this quarter until now

    context = service.won_context(ids["D"])

    assert context.quarter.won_count == 4 and context.quarter.lost_count == 0
    assert (context.win_rate_before, context.win_rate_after) == (Decimal("75.0"), Decimal("100.0"))
    assert service.deal(ids["D"]).lost_reason == ""


def test_the_first_close_of_the_quarter_has_no_win_rate_before(service):
    deal = service.create_deal("Solo", amount="1,000", owner="Dana").deal
    service.mark_won(deal.id)

    context = service.won_context(deal.id)

    assert context.win_rate_before is None and context.win_rate_after == Decimal("100.0")
    assert context.win_rate_change is None
    assert context.cycle_days == 0
    assert context.month.won_count == context.quarter.won_count == 1


def test_a_deal_created_as_won_has_no_state_before(service):
    other = service.create_deal("Lost one", owner="Dana").deal
    service.mark_lost(other.id, "timing")
    deal = service.create_deal("Signed already", stage="Closed Won", amount="2,000", owner="Dana").deal

    context = service.won_context(deal.id)

    assert (context.win_rate_before, context.win_rate_after) == (Decimal("0.0"), Decimal("50.0"))


def test_without_an_owner_the_figures_are_the_whole_pipelines(service, clock):
    ids = seed_quarter(service, clock)
    deal = service.create_deal("Unowned", amount="1,000").deal
    service.mark_won(deal.id)

    context = service.won_context(deal.id)

    assert context.owner == ""
    # Everyone's: A, B, C, F, and this one; D lost.
    assert context.quarter.won_count == 5 and context.quarter.lost_count == 1
    assert context.quarter.won_totals == {"USD": Decimal("116000.00"), "EUR": Decimal("3000.00")}
    assert ids  # the seeded deals are there


def test_a_deal_without_an_amount_counts_but_adds_nothing(service):
    deal = service.create_deal("Pilot, price to be agreed", owner="Dana").deal
    service.mark_won(deal.id)

    context = service.won_context(deal.id)

    assert context.month.won_count == 1 and context.month.won_totals == {}


def test_only_a_won_deal_has_won_context(service):
    deal = service.create_deal("Still open").deal
    with pytest.raises(ValidationError, match="not closed won"):
        service.won_context(deal.id)
    service.mark_lost(deal.id, "price")
    with pytest.raises(ValidationError, match="not closed won"):
        service.won_context(deal.id)


def test_look_back_answers_are_stored_on_the_deal_and_in_its_history(service):
    deal = service.create_deal("Helios", amount="48,250").deal
    service.mark_won(deal.id)

    change = service.record_lookback(deal.id, "Champion pushed it through", "Legal review took two weeks")

    stored = service.deal(deal.id)
    assert (stored.went_well, stored.nearly_lost) == ("Champion pushed it through", "Legal review took two weeks")
    last = service.history(deal.id)[-1]
    assert last.id == change.event.id and last.kind is EventKind.LOOKBACK
    assert last.details["went_well"] == "Champion pushed it through"
    assert last.details["nearly_lost"] == "Legal review took two weeks"


# The service checks lost reasons against the configured list: no path stores an unlisted one.
def _reps_service(db, clock):
    from closedwon_tui.services import PipelineService

    return PipelineService(db, clock=clock, actor="dana", lost_reasons=["budget cut", "champion left"])


def test_every_way_of_losing_a_deal_refuses_a_reason_not_in_the_list(db, clock):
    from closedwon_tui.domain.errors import ValidationError
    from tests.dbstate import dump_tables

    service = _reps_service(db, clock)
    deal = service.create_deal("Helios", stage="Proposal").deal
    before = dump_tables(db.engine)
    for attempt in (
        lambda: service.mark_lost(deal.id, "price"),
        lambda: service.move_deal(deal.id, "Closed Lost", lost_reason="price"),
        lambda: service.create_deal("Born lost", stage="Closed Lost", lost_reason="weather"),
        lambda: service.mark_lost(deal.id, "b" * 121),
    ):
        with pytest.raises(ValidationError, match="lost reason"):
            attempt()
    assert dump_tables(db.engine) == before


def test_a_listed_reason_matches_in_any_case_or_by_a_unique_prefix_and_is_stored_as_listed(db, clock):
    service = _reps_service(db, clock)
    first = service.create_deal("Helios", stage="Proposal").deal
    second = service.create_deal("Atlas", stage="Proposal").deal
    assert service.mark_lost(first.id, "BUDGET CUT").deal.lost_reason == "budget cut"
    assert service.move_deal(second.id, "Closed Lost", lost_reason="champ").deal.lost_reason == "champion left"
    assert service.create_deal("Born lost", stage="Closed Lost", lost_reason="Budget").deal.lost_reason == "budget cut"


def test_the_default_list_is_the_domains(service):
    from closedwon_tui.domain.errors import ValidationError
    from closedwon_tui.domain.models import DEFAULT_LOST_REASONS

    assert service.lost_reasons == DEFAULT_LOST_REASONS
    deal = service.create_deal("Helios", stage="Proposal").deal
    with pytest.raises(ValidationError, match="choose from price"):
        service.mark_lost(deal.id, "budget cut")
