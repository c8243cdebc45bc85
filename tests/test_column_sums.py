"""A column's sums added up many cards at once equal the same cards added one by one."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from closedwon_tui.app.board.sums import ColumnSums
from closedwon_tui.domain.models import DealCard, Stage, StageKind
from closedwon_tui.domain.rules import weighted_of, weighted_total

NOW = datetime(2026, 12, 3, tzinfo=UTC)


def _card(rng: random.Random, n: int, currencies: list[str]) -> DealCard:
    amount = rng.choice([None, rng.randint(0, 10**12), rng.randint(-(10**6), 10**6), 50 + 200 * rng.randint(0, 99)])
    own = rng.choice([None, None, rng.randint(0, 100), 50, 25])
    return DealCard(n, f"deal {n}", "", "", "", amount, rng.choice(currencies), own, 1, n, NOW, NOW, None, 1, None)


def _as_tuple(sums: ColumnSums) -> tuple[object, ...]:
    held = {c for c, n in sums.priced.items() if n}
    return (
        sums.count,
        {c: sums.total[c] for c in held},
        {c: sums.weighted[c] for c in held},
    )


@pytest.mark.parametrize("kind", [StageKind.OPEN, StageKind.WON, StageKind.LOST])
@pytest.mark.parametrize("currencies", [["USD"], ["USD", "EUR", "JPY"]])
def test_adding_a_columns_cards_at_once_is_adding_them_one_by_one(kind, currencies):
    rng = random.Random(f"{kind}{currencies}")
    for probability in (0, 10, 35, 50, 100):
        stage = Stage(1, "Stage", 1, probability, kind)
        for size in (0, 1, 2, 7, 300):
            cards = [_card(rng, n, currencies) for n in range(size)]
            one_by_one, at_once = ColumnSums(), ColumnSums()
            for card in cards:
                one_by_one.add(card, stage)
            at_once.add_all(iter(cards), stage)  # any iterable, as the filter hands a generator
            assert _as_tuple(at_once) == _as_tuple(one_by_one)
            left = cards[: size // 2]
            for card in left:
                one_by_one.add(card, stage, sign=-1)
            at_once.add_all(left, stage, sign=-1)
            assert _as_tuple(at_once) == _as_tuple(one_by_one)


def test_a_weighted_total_rounds_each_amount_half_to_even_as_weighted_of_does():
    rng = random.Random(11)
    halves = [50, 150, 250, -50, -150, -250, 0, 49, 51, -49, -51]  # x 1 at 100%: products on every edge
    assert weighted_total(halves, [1] * len(halves)) == sum(weighted_of(a, 1) for a in halves)
    for _ in range(2000):
        amounts = [rng.randint(-(10**9), 10**9) for _ in range(rng.randint(0, 8))]
        probabilities = [rng.randint(0, 100) for _ in amounts]
        assert weighted_total(amounts, probabilities) == sum(map(weighted_of, amounts, probabilities))
