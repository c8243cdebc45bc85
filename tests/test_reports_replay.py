"""The reports counted in SQL match, figure for figure, a straightforward replay of the whole history.

Random pipelines are built through the services (creates in any stage, moves, reorders,
wins, losses with reasons, reopenings, undo, redo and undoing an undo, edits of amounts,
currencies, probabilities, close dates and owners, look backs), in several currencies (with
0, 2 and 3 decimals), with deals without an amount, over more than a year, in time zones
far east and far west. Then every period and owner filter is compared with the reference
(tests/report_reference.py), as objects and as the JSON `closedwon report` prints.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.models import EventKind
from tests.conftest import set_local_zone
from tests.report_reference import assert_same_figures, assert_stays_replay_the_history, reference_report

CURRENCIES = ("USD", "USD", "EUR", "JPY", "KWD")
OWNERS = ("dana", "Dana", "marcus", "priya", "")
REASONS = ("price", "timing", "competitor", "no decision")


def _amount(rng: random.Random, currency: str) -> str | None:
    if rng.random() < 0.2:
        return None
    digits = {"JPY": 0, "KWD": 3}.get(currency, 2)
    return str(Decimal(rng.randint(0, 5_000_000)).scaleb(-digits) if digits else rng.randint(1, 9_000_000))


def build(service, clock, rng: random.Random, *, deals: int = 24, steps: int = 160) -> None:  # type: ignore[no-untyped-def]
    """A random pipeline, written through the services as reps would."""
    stages = service.stages()
    ids: list[int] = []
    for _ in range(steps):
        clock.advance(minutes=rng.randint(1, 60 * 24 * 5))
        local = clock().astimezone()
        first = datetime(local.year + local.month // 12, local.month % 12 + 1, 1).astimezone()
        if first - clock() < timedelta(days=4) and rng.random() < 0.5:  # close to a local month's start
            clock.now = first + timedelta(minutes=rng.choice((-20, -5, 5, 20)))
        roll = rng.random()
        try:
            if not ids or (roll < 0.2 and len(ids) < deals):
                currency = rng.choice(CURRENCIES)
                stage = rng.choice(stages[:5] * 3 + stages[5:])
                close = clock().date() + timedelta(days=rng.randint(-90, 240)) if rng.random() < 0.8 else None
                ids.append(service.create_deal(
                    f"Deal {len(ids)}", stage=stage, currency=currency, amount=_amount(rng, currency),
                    owner=rng.choice(OWNERS), close_date=close, lost_reason=rng.choice(REASONS),
                    probability=rng.choice((None, None, None, 0, 35, 50, 100)),
                ).deal.id)  # fmt: skip
                continue
            deal_id = rng.choice(ids)
            if roll < 0.45:
                target = rng.choice(stages)
                service.move_deal(
                    deal_id, target, position=rng.choice((None, 0, 1, 5)), lost_reason=rng.choice(REASONS)
                )
                if rng.random() < 0.3:  # a mistake, taken back a little later; and maybe that taken back
                    clock.advance(minutes=rng.randint(1, 240))
                    undo = service.undo_last(deal_id).event
                    clock.advance(minutes=rng.randint(1, 240))
                    again = rng.random()
                    if again < 0.3:
                        service.redo_event(undo.id)
                    elif again < 0.5:
                        service.undo_event(undo.id)
            elif roll < 0.52:
                service.mark_won(deal_id)
            elif roll < 0.58:
                service.mark_lost(deal_id, rng.choice(REASONS))
            elif roll < 0.63:
                service.reopen(deal_id)
            elif roll < 0.70:
                service.undo_last(deal_id)
            elif roll < 0.78:
                undos = [e for e in service.history(deal_id) if e.kind is EventKind.UNDONE]
                if undos:
                    undo = undos[-1] if rng.random() < 0.7 else rng.choice(undos)
                    (service.redo_event if rng.random() < 0.6 else service.undo_event)(undo.id)
            elif roll < 0.83:
                service.reorder_deal(deal_id, rng.randint(0, 4))
            elif roll < 0.95:
                currency = rng.choice(CURRENCIES)
                field = rng.choice(("amount", "currency", "probability", "close_date", "owner"))
                value = {"amount": _amount(rng, service.deal(deal_id).currency), "currency": currency,
                         "probability": rng.choice((None, 10, 75)), "owner": rng.choice(OWNERS),
                         "close_date": clock().date() + timedelta(days=rng.randint(-60, 200))}[field]  # fmt: skip
                service.edit_deal(deal_id, {field: value})
            else:
                service.record_lookback(deal_id, "Champion", rng.choice(("", "Budget freeze")))
        except (ValidationError, ConflictError):
            pass  # refused: changes nothing


@pytest.mark.parametrize(
    ("seed", "zone"), [(1, "UTC"), (2, "Pacific/Kiritimati"), (3, "America/Adak"), (4, "Europe/Berlin")]
)
def test_the_counted_report_is_the_replayed_report(service, clock, monkeypatch, seed, zone):
    set_local_zone(monkeypatch, zone)
    rng = random.Random(seed)
    clock.now = datetime(2025, 9, 20, 9, 30, tzinfo=UTC)
    build(service, clock, rng)
    assert_stays_replay_the_history(service)
    end = clock.now
    # Now, and moments either side of the rep's local new year (the calendar's sharpest edges).
    new_year = datetime(end.astimezone().year + 1, 1, 1).astimezone()
    month_start = datetime(end.astimezone().year, end.astimezone().month, 1).astimezone()
    for now in (end, month_start + timedelta(hours=3), new_year - timedelta(minutes=1),
                new_year + timedelta(minutes=1), end + timedelta(days=45)):  # fmt: skip
        clock.now = now
        assert_same_figures(service, now)


def test_an_empty_database_reports_the_same_zeros(service, clock):
    assert_same_figures(service, clock())


def test_huge_amounts_are_added_exactly(service, clock):
    """Sums past 2^63 minor units stay exact (the SQL adds them in two halves)."""
    for i in range(12):
        service.create_deal(f"Big {i}", stage="Proposal", amount="999999999999999.99", probability=33,
                            close_date=date(2026, 12, 1))  # fmt: skip
        service.create_deal(f"Big KWD {i}", stage="Negotiation", currency="KWD", amount="999999999999999.999")
    report = service.report("all")
    assert report.pipeline.totals["USD"] == Decimal("999999999999999.99") * 12
    assert report.pipeline.totals["KWD"] == Decimal("999999999999999.999") * 12
    assert report == reference_report(
        service.deals(), service.all_events(), service.stages(), period="all", now=clock()
    )


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
def test_deals_closing_on_the_forecast_edges_fall_in_the_replayed_months(service, clock, monkeypatch, zone):
    """A close date on an edge of the forecast (today, a month's first day, the period's end) or a
    day either side: the buckets added up in SQL put it in the month the replay puts it in."""
    from closedwon_tui.domain.forecast import close_bounds, forecast_months
    from closedwon_tui.domain.reports import Period, period_range
    from closedwon_tui.domain.rules import local_today

    set_local_zone(monkeypatch, zone)
    clock.now = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # a quarter's last day somewhere, its first elsewhere
    today = local_today(clock())
    edges: set[date] = set()
    for period in Period:
        _, end = period_range(period, clock())
        edges.update(close_bounds(today, forecast_months(today, end), end))
    stages = service.stages()[:5]
    for n, edge in enumerate(sorted(edges)):
        for offset in (-1, 0, 1):
            service.create_deal(f"Edge {n} {offset}", stage=stages[(n + offset) % 5], amount=str(100 + n),
                                close_date=edge + timedelta(days=offset), probability=(None, 35)[n % 2])  # fmt: skip
    assert_same_figures(service, clock())
