"""A column's order (`s`), the no-next-step mark, and the filter narrowing card by card."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from closedwon_tui.app.board.model import BoardModel
from closedwon_tui.domain.card_order import ColumnOrder, ordered
from closedwon_tui.domain.models import CardFacts, Deal, DealCard, Stage, StageKind
from tests.board_helpers import board, cards_text, column, make_app, seed, settled, titles_in

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
OPEN = Stage(id=1, name="Proposal", position=0, probability=50)
WON = Stage(id=2, name="Closed Won", position=1, probability=100, kind=StageKind.WON)


def card(deal_id: int, **fields) -> DealCard:
    base = dict(
        id=deal_id, title=f"Deal {deal_id}", stage_id=1, position=deal_id, created_at=NOW - timedelta(days=40),
        updated_at=NOW, stage_entered_at=NOW - timedelta(days=deal_id), last_activity_at=NOW,
    )  # fmt: skip
    base.update(fields)
    if base.get("amount") is not None:
        base["amount"] = Decimal(str(base["amount"]))
    return DealCard.of(Deal(**base))


def titles(cards: list[DealCard]) -> list[int]:
    return [c.id for c in cards]


def test_orders():
    cards = [
        card(1, amount=500, close_date=date(2026, 12, 20)),
        card(2, amount=90_000, close_date=None),
        card(3, amount=None, close_date=date(2026, 12, 1)),
        card(4, amount=12_000, close_date=date(2026, 12, 20)),
        card(5, amount=12_000, currency="EUR"),
    ]
    facts = {
        1: CardFacts(next_followup=datetime(2026, 11, 30)),  # later
        3: CardFacts(next_followup=datetime(2026, 11, 20)),  # overdue by days
        4: CardFacts(next_followup=datetime(2026, 11, 25, 9, 0)),  # overdue this morning
    }
    assert titles(ordered(cards, ColumnOrder.MANUAL, OPEN, facts, NOW)) == [1, 2, 3, 4, 5]
    # overdue (most overdue first), then by due date, then no next step, in manual order
    assert titles(ordered(cards, ColumnOrder.URGENCY, OPEN, facts, NOW)) == [3, 4, 1, 2, 5]
    # largest first (ties in manual order), no amount last
    assert titles(ordered(cards, ColumnOrder.AMOUNT, OPEN, facts, NOW)) == [2, 4, 5, 1, 3]
    # soonest expected close first, none last
    assert titles(ordered(cards, ColumnOrder.CLOSE, OPEN, facts, NOW)) == [3, 1, 4, 2, 5]
    # longest in the stage first (deal n entered n days ago)
    assert titles(ordered(cards, ColumnOrder.DAYS, OPEN, facts, NOW)) == [5, 4, 3, 2, 1]
    assert [o.value for o in ColumnOrder] == ["manual", "urgency", "amount", "expected close", "days in stage"]
    assert ColumnOrder.DAYS.following is ColumnOrder.MANUAL


async def test_s_cycles_the_order_named_in_the_header_and_never_changes_stored_positions(sqlite_service):
    seed(sqlite_service)
    stored = titles_in(sqlite_service, "Analysis")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("right", "right", "down")  # Analysis, on Orbital fleet
        analysis = column(app, "Analysis")
        assert [d.title for d in analysis.deals] == ["Helios rollout", "Orbital fleet", "Granite warehouse"]
        await pilot.press("s", "s")  # urgency, then amount
        assert [d.title for d in analysis.deals] == ["Helios rollout", "Orbital fleet", "Granite warehouse"]
        assert analysis.header_lines[1].endswith("⇅amount")
        assert screen.selected_deal.title == "Orbital fleet"  # the cursor stays on its deal
        await pilot.press("s", "s")  # expected close, days in stage
        assert analysis.header_lines[1].endswith("⇅days")
        await pilot.press("s")
        assert "⇅" not in analysis.header_lines[1]  # manual again: nothing named
        assert titles_in(sqlite_service, "Analysis") == stored
        assert all(c.model.order(c.stage.id) is ColumnOrder.MANUAL for c in screen.columns if c is not analysis)


async def test_amount_order_shows_the_largest_first(sqlite_service):
    seed(sqlite_service)
    sqlite_service.edit_deal(sqlite_service.deals(stage="Analysis")[2].id, {"amount": "100k"})  # Granite
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "right", "s", "s")
        analysis = column(app, "Analysis")
        assert [d.title for d in analysis.deals] == ["Granite warehouse", "Helios rollout", "Orbital fleet"]
        assert titles_in(sqlite_service, "Analysis") == ["Helios rollout", "Orbital fleet", "Granite warehouse"]


async def test_dragging_in_a_sorted_column_goes_back_to_manual_and_says_so(sqlite_service):
    from tests.board_helpers import at

    seed(sqlite_service)
    sqlite_service.edit_deal(sqlite_service.deals(stage="Analysis")[2].id, {"amount": "100k"})  # Granite
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("right", "right", "s", "s")  # amount: Granite, Helios, Orbital
        analysis = column(app, "Analysis")
        # drag Orbital (third as shown) onto Helios (second as shown): before Helios in the manual order
        await pilot.mouse_down(offset=at(app, "Analysis", 11))
        await pilot.hover(offset=at(app, "Analysis", 9))
        await pilot.hover(offset=at(app, "Analysis", 6))
        await pilot.mouse_up(offset=at(app, "Analysis", 6))
        await settled(pilot)
        assert analysis.model.order(analysis.stage.id) is ColumnOrder.MANUAL
        assert any("back in manual order" in n.message for n in app._notifications)
        assert titles_in(sqlite_service, "Analysis") == ["Orbital fleet", "Helios rollout", "Granite warehouse"]
        assert [d.title for d in analysis.deals] == ["Orbital fleet", "Helios rollout", "Granite warehouse"]


async def test_K_in_a_sorted_column_goes_back_to_manual_without_moving(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("right", "right", "s", "s", "down", "K")
        await settled(pilot)
        analysis = column(app, "Analysis")
        assert analysis.model.order(analysis.stage.id) is ColumnOrder.MANUAL
        assert titles_in(sqlite_service, "Analysis") == ["Helios rollout", "Orbital fleet", "Granite warehouse"]


async def test_the_no_next_step_mark_is_on_open_deals_without_a_pending_followup(sqlite_service):
    ids = seed(sqlite_service)
    sqlite_service.schedule_followup(ids["Orbital fleet"], "2026-11-30", "Call")
    sqlite_service.mark_won(ids["Polar routes"])
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        analysis = "\n".join(cards_text(app, "Analysis"))
        assert analysis.count("○ no next step") == 2  # Helios and Granite; Orbital has its follow-up
        assert "» Nov 30" in analysis
        assert "○" not in "\n".join(cards_text(app, "Closed Won"))  # a closed deal needs no next step
        await pilot.press("slash", *"no-next-step", "enter")
        await settled(pilot)
        shown = sorted(d.title for c in board(app).columns for d in c.deals)
        assert shown == ["Atlas renewal", "Granite warehouse", "Helios rollout"]


def test_narrowing_a_filter_shows_what_filtering_from_scratch_shows(sqlite_service):
    """Typing a filter key by key (tested only against the cards still shown) ends where the
    whole filter, applied at once, does; also after a change lands between two keys."""
    rng = random.Random(14)
    words = ["acme", "helios", "granite", "orbital", "polar"]
    for i in range(60):
        sqlite_service.create_deal(
            f"{rng.choice(words)} {rng.choice(words)} {i}", company=rng.choice(words), owner=rng.choice(["Dana", "Sam"]),
            amount=str(rng.randint(1, 100) * 1000), stage=rng.randint(1, 5),
        )  # fmt: skip
    for text in ["acme gran", "owner:dana hel", "amount>50k orb", "polar -acme"]:
        model = BoardModel(sqlite_service.board(), sqlite_service.now())
        for stage in model.stages:
            model.visible(stage.id)
        for end in range(1, len(text) + 1):
            try:
                model.set_filter(text[:end])
            except Exception:
                continue
            if end == len(text) // 2:  # a deal edited before the column is drawn, so that it now matches
                deal = sqlite_service.deals()[0]
                change = sqlite_service.edit_deal(deal.id, {"title": f"{text} edited"})
                model.apply(change.deal)
            for stage in model.stages:
                model.visible(stage.id)
        fresh = BoardModel(sqlite_service.board(), sqlite_service.now())
        fresh.set_filter(text)
        for stage in model.stages:
            assert [d.id for d in model.visible(stage.id)] == [d.id for d in fresh.visible(stage.id)], text


def test_a_board_read_again_keeps_the_filter_the_orders_and_the_closed_scope(sqlite_service):
    ids = seed(sqlite_service)
    old = BoardModel(sqlite_service.board(), sqlite_service.now())
    analysis = sqlite_service.stage("Analysis").id
    old.set_filter("amount>10k -polar")
    old.set_order(analysis, ColumnOrder.AMOUNT)
    old.set_show_all_closed(True)
    sqlite_service.edit_deal(ids["Granite warehouse"], {"amount": "100k"})  # a colleague's change
    new = BoardModel(sqlite_service.board(), sqlite_service.now())
    new.keep_view_of(old)
    assert new.filter_text == "amount>10k -polar" and new.show_all_closed
    assert [d.title for d in new.visible(analysis)] == ["Granite warehouse", "Helios rollout", "Orbital fleet"]
    assert [d.title for c in new.stages for d in new.visible(c.id)] == [
        "Granite warehouse", "Helios rollout", "Orbital fleet",
    ]  # fmt: skip
