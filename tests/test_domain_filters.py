"""The filter language, pure: every term, negation, the messages for malformed terms, narrowing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.filters import DealFilter, filter_deals, parse_filter, unfinished_term
from closedwon_tui.domain.models import CardFacts, Deal, DealCard, Pipeline, Stage, StageKind
from tests.conftest import set_local_zone

#: Wednesday 2026-11-25 15:00 UTC: November, the fourth quarter.
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
STAGES = [
    Stage(id=1, name="Lead", position=0, probability=10, rotting_days=30),
    Stage(id=2, name="Needs Analysis", position=1, probability=30, rotting_days=14),
    Stage(id=3, name="Negotiation", position=2, probability=70, rotting_days=7),
    Stage(id=4, name="Closed Won", position=3, probability=100, kind=StageKind.WON),
    Stage(id=5, name="Closed Lost", position=4, probability=0, kind=StageKind.LOST),
]


def card(deal_id: int, **fields) -> DealCard:
    base = dict(
        id=deal_id, title=f"Deal {deal_id}", stage_id=1, position=deal_id, created_at=NOW - timedelta(days=40),
        updated_at=NOW, stage_entered_at=NOW - timedelta(days=3), last_activity_at=NOW - timedelta(days=1),
    )  # fmt: skip
    base.update(fields)
    if base.get("amount") is not None:
        base["amount"] = Decimal(str(base["amount"]))
    return DealCard.of(Deal(**base))


def ids(text: str, cards: list[DealCard], facts: dict[int, CardFacts] | None = None, now: datetime = NOW) -> list[int]:
    return [c.id for c in filter_deals(parse_filter(text, STAGES, now), cards, facts or {})]


def test_free_words_all_must_appear_in_title_company_contact_or_owner():
    cards = [
        card(1, title="Helios rollout", company="Acme"),
        card(2, title="Acme renewal", owner="Dana"),
        card(3, title="Renewal", contact_name="Ravi Acme-Patel"),
        card(4, title="Something else", company="Globex"),
    ]
    assert ids("acme", cards) == [1, 2, 3]
    assert ids("ACME renewal", cards) == [2, 3]
    assert ids("dana", cards) == [2]
    assert ids("", cards) == [1, 2, 3, 4]
    assert ids('"acme renewal"', cards) == [2]  # quotes keep a phrase together


def test_owner_matches_the_name_or_the_start_of_it_or_of_one_of_its_words():
    cards = [card(1, owner="Dana Smith"), card(2, owner="Daniel"), card(3, owner="Sam"), card(4, owner="")]
    assert ids("owner:dana", cards) == [1]
    assert ids("owner:smith", cards) == [1]
    assert ids("owner:dan", cards) == [1, 2]
    assert ids('owner:"dana smith"', cards) == [1]
    assert ids("-owner:dan", cards) == [3, 4]


def test_stage_by_name_prefix_or_number():
    cards = [card(1, stage_id=1), card(2, stage_id=2), card(3, stage_id=3)]
    assert ids("stage:lead", cards) == [1]
    assert ids("stage:needs", cards) == [2]
    assert ids('stage:"needs analysis"', cards) == [2]
    assert ids("stage:3", cards) == [3]
    assert ids("-stage:lead", cards) == [2, 3]


#: Two pipelines; STAGES are Sales's (pipeline_id 0, the default), RENEWAL_STAGES Renewals's.
PIPELINES = [Pipeline(id=0, name="Sales", position=0), Pipeline(id=7, name="Renewals", position=1),
             Pipeline(id=8, name="New Business", position=2)]  # fmt: skip
RENEWAL_STAGES = [
    Stage(id=11, name="Due", position=0, probability=50, pipeline_id=7),
    Stage(id=14, name="Closed Won", position=1, probability=100, kind=StageKind.WON, pipeline_id=7),
    Stage(id=15, name="Closed Lost", position=2, probability=0, kind=StageKind.LOST, pipeline_id=7),
]


def in_pipelines(text: str, cards: list[DealCard]) -> list[int]:
    stages = STAGES + RENEWAL_STAGES
    return [c.id for c in filter_deals(parse_filter(text, stages, NOW, pipelines=PIPELINES), cards, {})]


def test_pipeline_by_name_prefix_or_number_and_negated():
    cards = [card(1, stage_id=1), card(2, stage_id=11), card(3, stage_id=4), card(4, stage_id=14)]
    assert in_pipelines("pipeline:renewals", cards) == [2, 4]
    assert in_pipelines("pipeline:REN", cards) == [2, 4]
    assert in_pipelines("pipeline:1", cards) == [1, 3]
    assert in_pipelines("-pipeline:renewals", cards) == [1, 3]
    assert in_pipelines("pipeline:renewals won", cards) == [4]
    assert in_pipelines('pipeline:"new business"', cards) == []  # a pipeline with no deals


def test_pipeline_read_against_one_pipelines_stages_matches_none_of_another():
    """The board reads a filter against the stages of the pipeline it shows: `pipeline:` of
    another pipeline matches no card on it, and `-pipeline:` of it every card."""
    cards = [card(1, stage_id=1), card(2, stage_id=3)]

    def on_sales_board(text: str) -> list[int]:
        return [c.id for c in filter_deals(parse_filter(text, STAGES, NOW, pipelines=PIPELINES), cards, {})]

    assert on_sales_board("pipeline:renewals") == []
    assert on_sales_board("-pipeline:renewals") == [1, 2]
    assert on_sales_board("pipeline:sales") == [1, 2]


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("pipeline:nowhere", "pipelines: Sales, Renewals, New Business"),
        ("-pipeline:nowhere", "pipelines: Sales, Renewals, New Business"),
        ("pipeline:4", "no such pipeline"),
        ("pipeline:", "a pipeline name or number"),
    ],
)
def test_an_unknown_pipeline_is_one_line_naming_the_term_and_the_pipelines(text, allowed):
    with pytest.raises(ValidationError) as caught:
        parse_filter(text, STAGES, NOW, pipelines=PIPELINES)
    message = str(caught.value)
    assert repr(text) in message and allowed in message
    assert "\n" not in message


def test_a_pipeline_prefix_that_fits_two_pipelines_is_refused():
    two = [*PIPELINES, Pipeline(id=9, name="Renewals EMEA", position=3)]
    with pytest.raises(ValidationError, match="'pipeline:ren'"):
        parse_filter("pipeline:ren", STAGES, NOW, pipelines=two)
    assert parse_filter("pipeline:renewals", STAGES, NOW, pipelines=two).terms  # the whole name is exact


def test_amounts_compare_as_typed_in_each_deals_own_currency():
    cards = [
        card(1, amount=10_000), card(2, amount=10_000.01), card(3, amount=1_500_000),
        card(4, amount=None), card(5, amount=20_000, currency="JPY"), card(6, amount=9_999.99),
    ]  # fmt: skip
    assert ids("amount>10k", cards) == [2, 3, 5]
    assert ids("amount<10k", cards) == [6]
    assert ids("amount>1.5m", cards) == []
    assert ids("amount>1,499,999.99", cards) == [3]
    assert ids("amount>10k amount<1.5m", cards) == [2, 5]
    # A deal without an amount matches neither side, and is the only one -amount>0 keeps.
    assert ids("-amount>0", cards) == [4]


def test_currency():
    cards = [card(1, currency="EUR"), card(2, currency="USD")]
    assert ids("currency:eur", cards) == [1]
    assert ids("-currency:EUR", cards) == [2]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("close:overdue", [1, 2]),  # open, close date before today (the 25th)
        ("close:this-month", [2, 3, 7]),
        ("close:next-month", [4]),
        ("close:this-quarter", [2, 3, 4, 7]),  # October to December
        ("close:next-quarter", [5]),
        ("-close:this-quarter", [1, 5, 6, 8]),
    ],
)
def test_close_periods(term, expected):
    cards = [
        card(1, close_date=date(2026, 9, 30)), card(2, close_date=date(2026, 11, 1)),
        card(3, close_date=date(2026, 11, 30)), card(4, close_date=date(2026, 12, 31)),
        card(5, close_date=date(2027, 1, 1)), card(6, close_date=None),
        card(7, close_date=date(2026, 11, 2), stage_id=4),  # won: never overdue
        card(8, close_date=date(2027, 4, 1)),
    ]  # fmt: skip
    assert ids(term, cards) == expected


def test_close_periods_are_the_reps_calendar(monkeypatch):
    """At 23:30 UTC on 30 November it is already December in Berlin."""
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    cards = [card(1, close_date=date(2026, 11, 30)), card(2, close_date=date(2026, 12, 15))]
    assert ids("close:this-month", cards, now=late) == [1]
    set_local_zone(monkeypatch, "Europe/Berlin")
    assert ids("close:this-month", cards, now=late) == [2]
    assert ids("close:overdue", cards, now=late) == [1]


def test_flags_stale_no_next_step_objections_won_lost_open():
    cards = [
        card(1, stage_id=3, last_activity_at=NOW - timedelta(days=8)),  # Negotiation rots after 7 days
        card(2, stage_id=3),
        card(3, stage_id=4, last_activity_at=NOW - timedelta(days=90)),  # won: never stale
        card(4, stage_id=5),
    ]
    facts = {2: CardFacts(open_objections=2, next_followup=datetime(2026, 11, 26)), 4: CardFacts(open_objections=1)}
    assert ids("stale", cards, facts) == [1]
    assert ids("no-next-step", cards, facts) == [1]  # open deals only: closed ones need none
    assert ids("-no-next-step", cards, facts) == [2, 3, 4]
    assert ids("objections", cards, facts) == [2, 4]
    assert ids("won", cards, facts) == [3]
    assert ids("lost", cards, facts) == [4]
    assert ids("open", cards, facts) == [1, 2]
    assert ids("-won -lost", cards, facts) == [1, 2]
    assert ids('"stale"', [card(9, title="Stale leads cleanup"), *cards], facts) == [9]  # quoted: a word


def test_negated_words_and_combinations():
    cards = [card(1, title="Acme renewal", amount=50_000), card(2, title="Acme pilot", amount=5_000)]
    assert ids("acme -pilot", cards) == [1]
    assert ids("-acme", cards) == []
    assert ids("acme -amount<10k", cards) == [1]


@pytest.mark.parametrize(
    ("text", "named", "allowed"),
    [
        ("amount>lots", "'amount>lots'", "10k"),
        ("amount<", "'amount<'", "1.5m"),
        ("stage:nowhere", "'stage:nowhere'", "Needs Analysis"),
        ("currency:euro", "'currency:euro'", "three letters"),
        ("close:someday", "'close:someday'", "this-quarter"),
        ("colour:red", "'colour:red'", "owner:"),
        ("owner:", "'owner:'", "needs a value"),
        ("acme -", "'-'", "negates nothing"),
        ('stage:"needs', '"needs', "never closed"),
    ],
)
def test_a_malformed_term_is_named_with_what_is_allowed(text, named, allowed):
    with pytest.raises(ValidationError) as caught:
        parse_filter(text, STAGES, NOW)
    message = str(caught.value)
    assert named in message and allowed in message
    assert "\n" not in message


def test_a_stage_prefix_that_fits_two_stages_is_refused():
    with pytest.raises(ValidationError, match="stage:closed"):
        parse_filter("stage:closed", STAGES, NOW)


def test_narrowing_when_a_word_is_typed_further_or_a_term_added():
    def parsed(text: str) -> DealFilter:
        return parse_filter(text, STAGES, NOW)

    assert parsed("acme").narrows(parsed("acm"))
    assert parsed("acme stale").narrows(parsed("acme"))
    assert parsed("stale acme").narrows(parsed("stale ac"))
    assert parsed("anything").narrows(parsed(""))
    assert not parsed("acm").narrows(parsed("acme"))  # deleting widens
    assert not parsed("-acme").narrows(parsed("-acm"))  # a negated word typed further widens
    assert not parsed("amount>10").narrows(parsed("amount>1"))
    assert not parsed("ac stale").narrows(parsed("acme stale"))


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("acme sta", 5),  # stage: or stale, on its way
        ("acme -", 5),
        ("acme -no", 5),
        ("amou", 0),
        ("amount", 0),  # amount> or amount<
        ("acme pipe", 5),  # pipeline:, on its way
        ("acme stale", None),  # a whole flag: a term already
        ("acme star", None),  # no term starts so: a word (Stark Industries)
        ("acme ", None),  # the last word is done
        ("owner:", None),  # a term with no value yet: malformed, named as such
        ("", None),
    ],
)
def test_a_last_word_that_is_only_the_start_of_a_term_is_not_filtered_on_yet(typed, start):
    assert unfinished_term(typed) == start
