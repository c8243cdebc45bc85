"""A big board's first frame (`opening_board` read in part): each column's first cards, and counts,
totals and weighted totals identical to those of the whole board read card by card, on each backend."""

from __future__ import annotations

import random
from datetime import timedelta

from closedwon_tui.app.board.model import BoardModel
from closedwon_tui.domain.rules import quarter_start
from closedwon_tui.services import PipelineService

CURRENCIES = ("USD", "EUR", "JPY", "GBP")


def _random_pipeline(service: PipelineService, clock, count: int = 90, seed: int = 15) -> None:  # type: ignore[no-untyped-def]
    """Deals of every open stage with awkward amounts (odd cents, halves after weighting, none at
    all), own probabilities or none, and won and lost deals closed before and after this quarter began."""
    rng = random.Random(seed)
    stages = [s for s in service.stages() if s.is_open]
    start = clock.now
    clock.now = quarter_start(start) - timedelta(days=60)  # the first ones close last quarter
    for n in range(count):
        currency = rng.choice(CURRENCIES)
        cents = rng.choice([None, rng.randint(0, 10**7), rng.randint(0, 400) * 50, 199, 1, 10**12 + 37])
        amount = None if cents is None else (str(cents) if currency == "JPY" else f"{cents // 100}.{cents % 100:02d}")
        probability = rng.choice([None, None, 0, 5, 33, 50, 67, 99, 100])
        deal = service.create_deal(f"Deal {n}", stage=rng.choice(stages).id, amount=amount, currency=currency,
                                   probability=probability).deal  # fmt: skip
        fate = rng.random()
        if fate < 0.2:
            service.mark_won(deal.id)
        elif fate < 0.35:
            service.mark_lost(deal.id, "price")
        clock.advance(days=1)
    clock.now = start


def test_a_board_read_in_part_counts_and_sums_exactly_what_the_whole_board_does(service, clock):
    _random_pipeline(service, clock)
    since = quarter_start(service.now())
    whole = BoardModel(service.board(closed_since=since), service.now())
    part = service.opening_board(closed_since=since, in_part_over=0, per_column=3)
    first = BoardModel(part, service.now())
    assert part.in_part and not first.loaded and whole.loaded
    assert first.older_closed == whole.older_closed
    assert any(first.older_closed.values())  # some deals did close before this quarter
    for stage in whole.stages:
        assert first.totals(stage.id) == whole.totals(stage.id), stage.name
        assert first.hidden_closed(stage.id) == whole.hidden_closed(stage.id), stage.name
        shown = whole.visible(stage.id)
        assert first.visible(stage.id) == shown[:3], stage.name
        for card in shown[:3]:
            assert first.facts.get(card.id) == whole.facts.get(card.id)
    assert sum(whole.totals(s.id).count for s in whole.stages) > 3 * len(whole.stages)


def test_a_small_board_is_read_whole_at_once(service, clock):
    _random_pipeline(service, clock, count=12)
    since = quarter_start(service.now())
    board = service.opening_board(closed_since=since, in_part_over=12)
    assert not board.in_part
    assert board.cards == service.board(closed_since=since).cards


def test_a_change_on_a_board_read_in_part_keeps_its_sums_exact(service, clock):
    """A change applied before the rest is read (the session holds writes, but a change may come
    from a colleague's reload racing it): the column sums stay those of the whole board."""
    _random_pipeline(service, clock, count=40)
    since = quarter_start(service.now())
    first = BoardModel(service.opening_board(closed_since=since, in_part_over=0, per_column=2), service.now())
    card = first.visible(first.stages[0].id)[0]
    moved = service.move_deal(card.id, first.stages[1].id).deal
    first.apply(moved)
    whole = BoardModel(service.board(closed_since=since), service.now())
    for stage in whole.stages:
        assert first.totals(stage.id) == whole.totals(stage.id), stage.name


def test_a_groups_weighted_sum_is_the_sum_of_its_cards_weighted_amounts():
    from closedwon_tui.domain.rules import weighted_of, weighted_sum

    rng = random.Random(7)
    for _ in range(3000):
        probability, remainder = rng.randint(0, 100), rng.randint(0, 199)
        amounts = [remainder + 200 * rng.randint(0, 10**9) for _ in range(rng.randint(1, 6))]
        assert weighted_sum(len(amounts), sum(amounts), remainder, probability) == sum(
            weighted_of(a, probability) for a in amounts
        )
