"""The board's in-memory model: drop positions, filters and totals, without Textual."""

from __future__ import annotations

from decimal import Decimal

from closedwon_tui.app.board.model import BoardModel
from tests.board_helpers import seed


def _model(service) -> BoardModel:  # type: ignore[no-untyped-def]
    return BoardModel(service.board(), service.now())


def test_drop_position_counts_hidden_cards_and_the_card_leaving(sqlite_service):
    seed(sqlite_service)
    model = _model(sqlite_service)
    analysis = sqlite_service.stage("Analysis")
    helios, orbital, granite = model.visible(analysis.id)
    assert model.drop_position(analysis.id, 0, granite) == 0
    assert model.drop_position(analysis.id, 3, helios) == 2  # after the last card, once it has left
    assert model.drop_position(analysis.id, 2, helios) == 1  # before Granite
    model.set_filter("granite")
    assert model.drop_position(analysis.id, 0, helios) == 1  # before Granite, past hidden Orbital
    outreach = sqlite_service.stage("Outreach")
    assert model.drop_position(outreach.id, 5, granite) == 0  # Atlas is filtered out: the top
    model.set_filter("")
    assert model.drop_position(outreach.id, 5, granite) == 1  # past the end: after the last card


def test_apply_moves_a_deal_between_columns_and_totals_follow(sqlite_service):
    ids = seed(sqlite_service)
    model = _model(sqlite_service)
    change = sqlite_service.move_deal(ids["Orbital fleet"], "Proposal", position=0)
    changed = model.apply(change.deal)
    analysis, proposal = sqlite_service.stage("Analysis"), sqlite_service.stage("Proposal")
    assert changed == {analysis.id, proposal.id}
    assert [d.title for d in model.visible(analysis.id)] == ["Helios rollout", "Granite warehouse"]
    assert model.totals(proposal.id).total == {"USD": Decimal("12000.00")}
    assert model.totals(proposal.id).weighted == {"USD": Decimal("7200.00")}
    # the model agrees with a fresh read of the database
    fresh = _model(sqlite_service)
    for stage in fresh.stages:
        assert [d.id for d in fresh.visible(stage.id)] == [d.id for d in model.visible(stage.id)]


def test_totals_keep_currencies_apart_and_skip_deals_without_amounts(sqlite_service):
    sqlite_service.create_deal("Dollars", amount="1000")
    sqlite_service.create_deal("Euros", amount="500", currency="EUR")
    sqlite_service.create_deal("Unknown")
    model = _model(sqlite_service)
    totals = model.totals(sqlite_service.stage("Outreach").id)
    assert totals.count == 3
    assert totals.total == {"USD": Decimal("1000.00"), "EUR": Decimal("500.00")}


def test_column_totals_equal_the_full_computation_deal_by_deal(sqlite_service):
    """Weighted per deal is amount x probability rounded to the currency's minor unit, summed per currency."""
    import random

    from closedwon_tui.domain.money import minor_digits, sum_by_currency
    from closedwon_tui.domain.rules import weighted_value

    rng = random.Random(7)
    for i in range(60):
        stage = rng.choice(["Outreach", "Qualification", "Analysis", "Proposal"])
        currency = rng.choice(["USD", "EUR", "JPY", "KWD"])
        digits = minor_digits(currency)  # amounts as exact as the currency: finer ones are refused
        cents = f".{rng.randint(0, 10**digits - 1):0{digits}d}" if digits else ""
        amount = None if i % 9 == 0 else f"{rng.randint(1, 99_999)}{cents}"
        probability = None if i % 3 else rng.randint(0, 100)
        sqlite_service.create_deal(f"Deal {i}", stage=stage, amount=amount, currency=currency, probability=probability)
    model = _model(sqlite_service)
    for stage in model.stages:
        deals = sqlite_service.deals(stage=stage.id)  # whole deals, summed the plain Decimal way
        totals = model.totals(stage.id)
        assert totals.count == len(deals)
        assert totals.total == sum_by_currency((d.amount, d.currency) for d in deals)
        assert totals.weighted == sum_by_currency((weighted_value(d, stage), d.currency) for d in deals)


def test_the_boards_cards_agree_with_the_deals_they_show(service):
    """The board reads a lean row per deal; every field it keeps matches the whole deal."""
    from closedwon_tui.domain.models import DealCard

    service.create_deal("Yen", amount="1.5m", currency="JPY", owner="dana", probability=35)
    service.create_deal("Dinar", amount="12.345", currency="KWD", company="Gulf", contact_name="Sara")
    service.create_deal("No amount", stage="Proposal")
    won = service.create_deal("Won", amount="900", stage="Negotiation").deal
    service.mark_won(won.id)
    board = service.board()
    deals = {d.id: d for d in service.deals()}
    assert [c.id for c in board.cards] == [d.id for d in service.deals()]  # by column and position
    for card in board.cards:
        deal = deals[card.id]
        assert card == DealCard.of(deal)
        assert card.amount == deal.amount and card.closed_at == deal.closed_at
        assert card.stage_entered_at.tzinfo is not None


def test_running_totals_after_many_changes_equal_a_fresh_count(sqlite_service, clock):
    """Moves, edits of amount and currency, wins and losses adjust two columns' sums in
    place; after each change every column agrees with a model built from the database."""
    import random

    rng = random.Random(11)
    service = sqlite_service
    stages = [s.name for s in service.stages() if s.is_open]
    for i in range(40):
        currency = rng.choice(["USD", "EUR", "JPY"])
        cents = "" if currency == "JPY" else f".{rng.randint(0, 99):02d}"
        amount = None if i % 7 == 0 else f"{rng.randint(1, 9_999)}{cents}"
        service.create_deal(f"Deal {i} {rng.choice(['alpha', 'beta'])}", stage=rng.choice(stages), amount=amount,
                            currency=currency, probability=rng.choice([None, 15, 55]))  # fmt: skip
    model = _model(service)
    for settings in [("", False), ("alpha", False), ("", True)]:
        model.set_filter(settings[0])
        model.set_show_all_closed(settings[1])
        for _ in range(25):
            deal = rng.choice(service.deals())
            clock.advance(minutes=5)
            kind = rng.randrange(5)
            if kind == 0:
                change = service.edit_deal(
                    deal.id, {"amount": str(rng.randint(0, 5_000)), "currency": rng.choice(["USD", "EUR"])}
                )
            elif kind == 1 and service.stage(deal.stage_id).is_open:
                change = service.mark_won(deal.id)
            elif kind == 2 and service.stage(deal.stage_id).is_open:
                change = service.mark_lost(deal.id, "price")
            else:
                change = service.move_deal(deal.id, rng.choice(stages), position=0)
            model.apply(change.deal)
            fresh = _model(service)
            fresh.set_filter(settings[0])
            fresh.set_show_all_closed(settings[1])
            for stage in model.stages:
                assert model.totals(stage.id) == fresh.totals(stage.id), stage.name


def test_a_board_read_without_older_outcomes_shows_and_counts_what_a_complete_one_does(sqlite_service, clock):
    """The board opens with this quarter's outcomes only; its columns, totals and `+N older` are
    those of a board read whole, and once the older deals are added every column is the whole one."""
    from closedwon_tui.domain.rules import quarter_start

    service = sqlite_service
    for i in range(12):
        deal = service.create_deal(f"Deal {i}", amount=f"{i + 1}k", stage="Proposal").deal
        if i % 3 == 0:
            continue
        clock.advance(days=-40 * (i % 4))  # some this quarter, some one to three quarters back
        service.mark_won(deal.id) if i % 2 else service.mark_lost(deal.id, "price")
        clock.advance(days=40 * (i % 4))
    now = service.now()
    partial = BoardModel(service.board(closed_since=quarter_start(now)), now)
    whole = _model(service)
    assert not partial.complete and whole.complete
    assert sum(partial.hidden_closed(s.id) for s in whole.stages) > 0
    for stage in whole.stages:
        assert partial.visible(stage.id) == whole.visible(stage.id), stage.name
        assert partial.totals(stage.id) == whole.totals(stage.id), stage.name
        assert partial.hidden_closed(stage.id) == whole.hidden_closed(stage.id), stage.name
    partial.add_older_closed(service.older_closed_cards(partial.closed_since))
    assert partial.complete
    for stage in whole.stages:
        assert partial.columns[stage.id] == whole.columns[stage.id], stage.name
    partial.set_show_all_closed(True)
    whole.set_show_all_closed(True)
    for stage in whole.stages:
        assert partial.totals(stage.id) == whole.totals(stage.id), stage.name


def test_a_filter_typed_on_to_the_same_terms_keeps_what_is_shown_and_narrowing_keeps_totals_exact(sqlite_service):
    seed(sqlite_service)
    model = _model(sqlite_service)
    analysis = sqlite_service.stage("Analysis").id
    assert model.set_filter("o") is True
    shown = model.visible(analysis)
    assert [d.title for d in shown] == ["Helios rollout", "Orbital fleet", "Granite warehouse"]
    # `o clos` on its way to `close:`: the box filters by the words before it, the same filter
    assert model.set_filter("o ") is False and model.visible(analysis) is shown
    assert model.set_filter("or") is True  # typed further: tests only the cards still shown
    assert [d.title for d in model.visible(analysis)] == ["Orbital fleet"]
    assert model.totals(analysis).total == {"USD": Decimal("12000.00")}
    assert model.set_filter("") is True and model.totals(analysis).count == 3


def test_totals_while_a_filter_is_typed_key_by_key_equal_those_of_the_filter_set_at_once(sqlite_service):
    """Typing further takes the cards left out away from the earlier totals: the same figures as
    counting the shown cards afresh, with moves in between."""
    import random

    rng = random.Random(11)
    words = ["renewal", "rollout", "renew", "reneging", "expansion"]
    for i in range(80):
        sqlite_service.create_deal(
            f"{rng.choice(words)} {rng.choice(['acme', 'acorn', 'atlas'])} {i}",
            stage=rng.choice(["Outreach", "Qualification", "Analysis", "Proposal"]),
            amount=None if i % 7 == 0 else f"{rng.randint(1, 99_999)}.{rng.randint(0, 99):02d}",
            currency=rng.choice(["USD", "EUR"]),
            probability=None if i % 3 else rng.randint(0, 100),
        )
    typed = _model(sqlite_service)
    text = ""
    for step, char in enumerate("renewal acm"):
        text += char
        if not text.strip():
            continue
        typed.set_filter(text)
        if step == 5:  # a change lands while the filter is typed
            deal = typed.visible(sqlite_service.stage("Analysis").id)[0]
            typed.apply(sqlite_service.move_deal(deal.id, "Proposal").deal)
        fresh = _model(sqlite_service)
        fresh.set_filter(text)
        for stage in typed.stages:
            assert typed.totals(stage.id) == fresh.totals(stage.id), (text, stage.name)
            assert typed.visible(stage.id) == fresh.visible(stage.id), (text, stage.name)
