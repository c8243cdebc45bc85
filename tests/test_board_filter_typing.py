"""A filter typed key by key on the board's model (backspaces, typos, escape, changes landing in
between) shows the same cards with the same totals as the same filter set at once on a fresh model:
narrowing from what an earlier key showed, and going back to it, change nothing a rep sees."""

from __future__ import annotations

import random

from closedwon_tui.app.board.model import BoardModel
from closedwon_tui.domain.card_order import ColumnOrder
from closedwon_tui.domain.errors import ValidationError

WORDS = ["renewal", "rollout", "renew", "reneging", "expansion", "pilot", "Acme", "acorn", "ÅSTRÖM", "straße"]
OWNERS = ["dana", "Lee Park", "sam", ""]
#: What the rep types (key by key, with typos taken back): free words, negated ones, and terms.
TYPED = [
    "renewal acm",
    "ren ac",
    "renew -acorn",
    "pilot owner:dana",
    "r e n",
    "astr",
    "strasse",
    "amount>500 ren",
    "expansion stale",
    "-re",
    '"acme r"',
    "won",
    "acorn close:this-quarter",
]


def _seed_board(service, clock, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    stages = ["Outreach", "Qualification", "Analysis", "Proposal"]
    for i in range(90):
        deal = service.create_deal(
            f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
            company=rng.choice(["Acme Corp", "Acorn Ltd", "Åström AB", ""]),
            owner=rng.choice(OWNERS),
            stage=rng.choice(stages),
            amount=None if i % 7 == 0 else f"{rng.randint(1, 99_999)}.{rng.randint(0, 99):02d}",
            currency=rng.choice(["USD", "EUR", "GBP"]),
            probability=None if i % 3 else rng.randint(0, 100),
        ).deal
        if i % 5 == 0:  # outcomes, some this quarter and some older (left out unless `C`)
            back = rng.choice([0, 0, 120])
            clock.advance(days=-back)
            service.mark_won(deal.id) if i % 2 else service.mark_lost(deal.id, "price")
            clock.advance(days=back)


def _keys(rng: random.Random, text: str) -> list[str]:
    """The box's text after each key: `text` typed, with a wrong letter taken back now and then,
    a few backspaces at the end, and sometimes cleared (escape)."""
    shown, after = "", []
    for char in text:
        if rng.random() < 0.2:
            shown += rng.choice("xq")
            after.append(shown)
            shown = shown[:-1]
            after.append(shown)
        shown += char
        after.append(shown)
    for _ in range(rng.randint(0, len(text))):
        shown = shown[:-1]
        after.append(shown)
    if rng.random() < 0.3:
        after.append("")
    return after


def _same_view(typed: BoardModel, fresh: BoardModel, what: str) -> None:
    for stage in typed.stages:
        where = (what, typed.filter_text, stage.name)
        assert typed.visible(stage.id) == fresh.visible(stage.id), where
        assert typed.totals(stage.id) == fresh.totals(stage.id), where
        assert typed.hidden_closed(stage.id) == fresh.hidden_closed(stage.id), where


def test_a_filter_typed_key_by_key_with_backspaces_shows_what_it_shows_set_at_once(sqlite_service, clock):
    rng = random.Random(15)
    service = sqlite_service
    _seed_board(service, clock, rng)
    now = service.now()
    typed = BoardModel(service.board(), now)
    analysis = service.stage("Analysis").id
    for round_number, text in enumerate(TYPED * 2):
        if round_number == len(TYPED):  # the second time: one column sorted, every closed deal shown
            typed.set_order(analysis, ColumnOrder.AMOUNT)
            typed.set_show_all_closed(True)
        if round_number % 2:
            typed.prepare_filtering()  # the box opened: every card's text made before the first key
        for step, box in enumerate(_keys(rng, text)):
            try:
                typed.set_filter(box)
            except ValidationError:  # `amount>` on its way: the board keeps the last filter
                pass
            if step in (2, 5):  # a change lands while the filter is typed
                deal = rng.choice(service.deals())
                moved = service.move_deal(deal.id, rng.choice(["Outreach", "Proposal", "Analysis"]), position=0)
                typed.apply(moved.deal)
            fresh = BoardModel(service.board(), now)
            fresh.set_order(analysis, typed.order(analysis))
            fresh.set_show_all_closed(typed.show_all_closed)
            fresh.set_filter(typed.filter_text)
            _same_view(typed, fresh, box)


def test_going_back_to_an_earlier_filter_shows_the_cards_it_showed_without_testing_them(sqlite_service, clock):
    """A backspace (and escape) shows what the filter showed before: the same cards, counted
    the same, as a model that never typed further."""
    rng = random.Random(3)
    _seed_board(sqlite_service, clock, rng)
    model = BoardModel(sqlite_service.board(), sqlite_service.now())
    everything = {s.id: model.visible(s.id) for s in model.stages}
    totals = {s.id: model.totals(s.id) for s in model.stages}
    for box in ["r", "re", "ren"]:
        model.set_filter(box)
        for stage in model.stages:
            model.totals(stage.id)
    ren = {s.id: model.visible(s.id) for s in model.stages}
    model.set_filter("rene")
    model.set_filter("ren")
    assert all(model.visible(s.id) is ren[s.id] for s in model.stages)  # the same lists, not tested again
    model.set_filter("")
    assert all(model.visible(s.id) is everything[s.id] for s in model.stages)
    assert all(model.totals(s.id) == totals[s.id] for s in model.stages)
