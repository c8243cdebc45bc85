"""Pure pipeline rules: what a rep sees on a card (weighted value, days, rotting, follow-ups)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closedwon_tui.domain.models import Deal, DealCard, FollowUp, Stage, StageKind
from closedwon_tui.domain.money import from_minor, to_minor
from closedwon_tui.domain.rules import (
    Due,
    bant_score,
    close_date_passed,
    days_in_stage,
    due_bucket,
    effective_probability,
    is_overdue,
    is_stale,
    next_followup,
    sales_cycle_days,
    weighted_minor,
    weighted_value,
)

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
PROPOSAL = Stage(id=4, name="Proposal", position=3, probability=60, rotting_days=14)
WON = Stage(id=6, name="Closed Won", position=5, probability=100, kind=StageKind.WON)
LOST = Stage(id=7, name="Closed Lost", position=6, probability=0, kind=StageKind.LOST)
NO_ROT = Stage(id=8, name="Parking", position=7, probability=5, rotting_days=None)


def make_deal(**fields) -> Deal:
    base = dict(
        id=1, title="Helios rollout", stage_id=PROPOSAL.id, position=0, created_at=NOW - timedelta(days=30),
        updated_at=NOW, stage_entered_at=NOW - timedelta(days=5), last_activity_at=NOW - timedelta(days=2),
        amount=Decimal("48250.00"), currency="USD",
    )  # fmt: skip
    base.update(fields)
    return Deal(**base)


def followup(due: datetime, *, has_time: bool = False, done: bool = False, fid: int = 1) -> FollowUp:
    return FollowUp(id=fid, deal_id=1, due=due, note="call", created_at=NOW, has_time=has_time,
                    done_at=NOW if done else None)  # fmt: skip


# weighted value -----------------------------------------------------------
def test_weighted_value_uses_the_stage_probability_without_an_override():
    assert weighted_value(make_deal(), PROPOSAL) == Decimal("28950.00")


def test_a_probability_override_beats_the_stage_probability():
    deal = make_deal(probability=35)
    assert effective_probability(deal, PROPOSAL) == 35
    assert weighted_value(deal, PROPOSAL) == Decimal("16887.50")


def test_an_override_of_zero_is_still_an_override():
    assert weighted_value(make_deal(probability=0), PROPOSAL) == Decimal("0.00")


@pytest.mark.parametrize(("stage", "expected"), [(WON, Decimal("48250.00")), (LOST, Decimal("0.00"))])
def test_closed_stages_are_final_whatever_the_override(stage, expected):
    deal = make_deal(probability=35, stage_id=stage.id)
    assert effective_probability(deal, stage) == stage.probability
    assert weighted_value(deal, stage) == expected


def test_weighted_value_of_a_deal_without_amount_is_none():
    assert weighted_value(make_deal(amount=None), PROPOSAL) is None


def test_weighted_value_is_exact_and_rounded_to_the_currency():
    assert weighted_value(make_deal(amount=Decimal("1001"), currency="JPY", probability=33), PROPOSAL) == Decimal("330")
    value = weighted_value(make_deal(amount=Decimal("0.105"), currency="KWD", probability=50), PROPOSAL)
    assert value == Decimal("0.052") and isinstance(value, Decimal)  # half-even, three decimals


# days in stage and rotting --------------------------------------------------
def test_days_in_stage_counts_whole_days():
    assert days_in_stage(make_deal(), NOW) == 5
    assert days_in_stage(make_deal(stage_entered_at=NOW - timedelta(hours=23)), NOW) == 0
    assert days_in_stage(make_deal(stage_entered_at=NOW + timedelta(days=1)), NOW) == 0  # clock skew is not negative


def test_a_deal_is_stale_only_after_the_stages_rotting_days_without_activity():
    fresh = make_deal(last_activity_at=NOW - timedelta(days=14))
    rotten = make_deal(last_activity_at=NOW - timedelta(days=14, minutes=1))
    assert not is_stale(fresh, PROPOSAL, NOW)
    assert is_stale(rotten, PROPOSAL, NOW)


def test_closed_deals_and_stages_without_rotting_days_never_rot():
    old = make_deal(last_activity_at=NOW - timedelta(days=400))
    assert not is_stale(old, WON, NOW)
    assert not is_stale(old, LOST, NOW)
    assert not is_stale(old, NO_ROT, NOW)


def test_time_in_stage_alone_does_not_make_a_touched_deal_stale():
    deal = make_deal(stage_entered_at=NOW - timedelta(days=60), last_activity_at=NOW - timedelta(days=1))
    assert days_in_stage(deal, NOW) == 60
    assert not is_stale(deal, PROPOSAL, NOW)


# follow-ups -----------------------------------------------------------------
NAIVE_NOW = datetime(2026, 11, 25, 15, 0)  # a Wednesday, wall clock


def test_next_followup_is_the_soonest_pending_one():
    items = [
        followup(datetime(2026, 11, 20), done=True, fid=1),
        followup(datetime(2026, 12, 3), fid=2),
        followup(datetime(2026, 11, 27, 9, 30), has_time=True, fid=3),
    ]
    assert next_followup(items).id == 3
    assert next_followup([items[0]]) is None
    assert next_followup([]) is None


def test_a_dated_followup_is_overdue_only_from_the_next_day():
    assert not is_overdue(followup(datetime(2026, 11, 25)), NAIVE_NOW)
    assert is_overdue(followup(datetime(2026, 11, 24)), NAIVE_NOW)


def test_a_timed_followup_is_overdue_once_its_time_passed():
    assert is_overdue(followup(datetime(2026, 11, 25, 14, 59), has_time=True), NAIVE_NOW)
    assert not is_overdue(followup(datetime(2026, 11, 25, 15, 1), has_time=True), NAIVE_NOW)


def test_a_done_followup_is_never_overdue():
    assert not is_overdue(followup(datetime(2020, 1, 1), done=True), NAIVE_NOW)


@pytest.mark.parametrize(
    ("due", "has_time", "bucket"),
    [
        (datetime(2026, 11, 24), False, Due.OVERDUE),
        (datetime(2026, 11, 25, 9, 0), True, Due.OVERDUE),
        (datetime(2026, 11, 25), False, Due.TODAY),
        (datetime(2026, 11, 25, 17, 0), True, Due.TODAY),
        (datetime(2026, 11, 26), False, Due.THIS_WEEK),
        (datetime(2026, 11, 29), False, Due.THIS_WEEK),  # Sunday ends the week
        (datetime(2026, 11, 30), False, Due.LATER),  # next Monday
        (datetime(2027, 3, 1), False, Due.LATER),
    ],
)
def test_due_buckets_for_a_reps_agenda(due, has_time, bucket):
    assert due_bucket(due, NAIVE_NOW, has_time=has_time) is bucket


def test_due_bucket_reads_an_aware_now_in_local_wall_clock(monkeypatch):
    aware = NAIVE_NOW.astimezone()  # the same instant, aware
    assert due_bucket(datetime(2026, 11, 25), aware) is Due.TODAY


# other card facts ----------------------------------------------------------------
def test_close_date_passed_only_for_open_deals():
    late = make_deal(close_date=date(2026, 11, 1))
    assert close_date_passed(late, PROPOSAL, NOW.date())
    assert not close_date_passed(late, WON, NOW.date())
    assert not close_date_passed(make_deal(close_date=None), PROPOSAL, NOW.date())
    assert not close_date_passed(make_deal(close_date=NOW.date()), PROPOSAL, NOW.date())


def test_bant_score_counts_confirmed_letters():
    assert bant_score(make_deal()) == 0
    assert bant_score(make_deal(budget_ok=True, need_ok=True, timing_ok=True)) == 3


def test_sales_cycle_days():
    deal = make_deal()
    assert sales_cycle_days(deal) is None
    assert sales_cycle_days(replace(deal, closed_at=NOW)) == 30


# the board's integer weighted value rounds exactly as the Decimal one --------------
@settings(max_examples=400, deadline=None)
@given(
    minor=st.integers(min_value=-(10**15), max_value=10**15),
    currency=st.sampled_from(["USD", "JPY", "KWD", "EUR"]),
    probability=st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
    stage=st.sampled_from([PROPOSAL, WON, LOST, NO_ROT]),
)
def test_weighted_minor_is_weighted_value_in_minor_units(minor, currency, probability, stage):
    deal = make_deal(amount=from_minor(minor, currency), currency=currency, probability=probability)
    card = DealCard.of(deal)
    assert weighted_minor(card, stage) == to_minor(weighted_value(deal, stage), currency)


@pytest.mark.parametrize(("minor", "probability", "expected"), [
    (125, 10, 12),  # 12.5 -> 12 (half to even)
    (135, 10, 14),  # 13.5 -> 14
    (-125, 10, -12),
    (-135, 10, -14),
    (101, 50, 50),  # 50.5 -> 50
    (99, 99, 98),  # 98.01
])  # fmt: skip
def test_weighted_minor_rounds_half_to_even(minor, probability, expected):
    card = DealCard.of(make_deal(amount=from_minor(minor, "USD"), probability=probability))
    assert weighted_minor(card, PROPOSAL) == expected
    assert weighted_minor(DealCard.of(make_deal(amount=None)), PROPOSAL) is None


def test_a_stage_is_found_by_its_number_or_its_name_in_one_place():
    from closedwon_tui.domain.errors import ValidationError
    from closedwon_tui.domain.models import DEFAULT_STAGES, Stage
    from closedwon_tui.domain.rules import find_stage

    stages = [Stage(i + 1, name, i, p, kind, rot) for i, (name, p, kind, rot) in enumerate(DEFAULT_STAGES)]
    assert find_stage(stages, "4").name == "Proposal"
    assert find_stage(stages, " closed WON ").name == "Closed Won"
    assert find_stage(stages, "neg").name == "Negotiation"
    for unknown in ("closed", "9", "0", ""):
        with pytest.raises(ValidationError, match="unknown stage"):
            find_stage(stages, unknown)


def test_the_overdue_rule_is_one_rule_for_a_day_and_for_a_time():
    from closedwon_tui.domain.rules import Due, due_bucket, is_past_due

    now = datetime(2026, 11, 25, 15, 0)  # naive: wall-clock time
    assert is_past_due(datetime(2026, 11, 24), False, now)
    assert not is_past_due(datetime(2026, 11, 25), False, now)  # today, no time: not yet
    assert is_past_due(datetime(2026, 11, 25, 14, 59), True, now)
    assert not is_past_due(datetime(2026, 11, 25, 15, 1), True, now)
    for due, timed in [
        (datetime(2026, 11, 24), False),
        (datetime(2026, 11, 25, 9), True),
        (datetime(2026, 11, 25), False),
    ]:
        assert (due_bucket(due, now, has_time=timed) is Due.OVERDUE) == is_past_due(due, timed, now)
