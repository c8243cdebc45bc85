"""The report the straightforward way: every deal and every event loaded, the whole history replayed.

This is how the reports were computed before they were counted in SQL (issue 15), kept as
the reference the fast path must match figure for figure: Decimal amounts added deal by
deal, each weighted value rounded with `weighted_value`, each deal's path replayed from all
its events. Only the calendar (periods, months, the rep's zone) and the replay rule are the
product's own: they are the definitions both must follow.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from closedwon_tui.cli.report_commands import report_json
from closedwon_tui.domain.forecast import ForecastMonth, Pipeline, StagePipeline, forecast_months
from closedwon_tui.domain.funnel import FunnelStep, StageTime, funnel_stages
from closedwon_tui.domain.models import Deal, DealEvent, Stage, StageKind
from closedwon_tui.domain.money import quantize
from closedwon_tui.domain.replay import stage_path, stay_seconds, stays
from closedwon_tui.domain.reports import (
    LookBack,
    Outcomes,
    Period,
    Report,
    in_scope,
    percent,
    period_range,
    within,
)
from closedwon_tui.domain.rules import local_today, sales_cycle_days, weighted_value
from closedwon_tui.storage import tables

ONE_DECIMAL = Decimal("0.1")


def _add(totals: dict[str, Decimal], currency: str, amount: Decimal | None) -> None:
    if amount is not None:
        totals[currency] = totals.get(currency, Decimal(0)) + amount


def pipeline(open_deals: list[Deal], stages: list[Stage]) -> Pipeline:
    rows = []
    for stage in (s for s in stages if s.kind is StageKind.OPEN):
        deals = [d for d in open_deals if d.stage_id == stage.id]
        totals: dict[str, Decimal] = {}
        weighted: dict[str, Decimal] = {}
        for deal in deals:
            _add(totals, deal.currency, deal.amount)
            _add(weighted, deal.currency, weighted_value(deal, stage))
        rows.append(StagePipeline(stage, len(deals), totals, weighted, sum(1 for d in deals if d.amount is None)))
    return Pipeline(tuple(rows))


def forecast(open_deals: list[Deal], won: list[Deal], stages: list[Stage], today: date, months: list[date]):  # type: ignore[no-untyped-def]
    by_id = {s.id: s for s in stages}
    keys: list[date | None] = [None, *months]
    rows: dict[date | None, dict] = {k: {"count": 0, "weighted": {}, "best_case": {}, "won": {}, "won_count": 0}
                                     for k in keys}  # fmt: skip
    for deal in open_deals:
        if deal.close_date is None:
            continue
        key = None if deal.close_date < today else deal.close_date.replace(day=1)
        if key not in rows:
            continue
        rows[key]["count"] += 1
        _add(rows[key]["weighted"], deal.currency, weighted_value(deal, by_id[deal.stage_id]))
        _add(rows[key]["best_case"], deal.currency, deal.amount)
    for deal in won:
        assert deal.closed_at is not None
        key = deal.closed_at.astimezone().date().replace(day=1)  # the month in the rep's zone
        if key in rows:
            rows[key]["won_count"] += 1
            _add(rows[key]["won"], deal.currency, deal.amount)
    return tuple(ForecastMonth(label="overdue" if k is None else k.strftime("%b %Y"), month=k, **rows[k]) for k in keys)


def funnel(paths: Iterable[list[tuple[datetime, int]]], stages: list[Stage]) -> tuple[FunnelStep, ...]:
    steps = funnel_stages(stages)
    index = {s.id: i for i, s in enumerate(steps)}
    reached = [0] * len(steps)
    for path in paths:
        furthest = max((index[stage_id] for _, stage_id in path if stage_id in index), default=None)
        if furthest is not None:
            for i in range(furthest + 1):
                reached[i] += 1
    out = []
    for i, stage in enumerate(steps):
        before = reached[i - 1] if i else 0
        conversion = None if not i or not before else (Decimal(100) * reached[i] / before).quantize(ONE_DECIMAL)
        out.append(FunnelStep(stage, reached[i], conversion))
    return tuple(out)


def stage_times(paths: Iterable[list[tuple[datetime, int]]], stages: list[Stage], start, end) -> tuple[StageTime, ...]:  # type: ignore[no-untyped-def]
    open_stages = [s for s in sorted(stages, key=lambda s: s.position) if s.kind is StageKind.OPEN]
    seconds: dict[int, list[Decimal]] = {s.id: [] for s in open_stages}
    for path in paths:
        for (entered, stage_id), (left, _) in zip(path, path[1:]):
            if stage_id in seconds and within(left, start, end):
                seconds[stage_id].append(Decimal(int((left - entered).total_seconds())))
    return tuple(
        StageTime(s, len(seconds[s.id]),
                  (sum(seconds[s.id]) / Decimal(86400) / len(seconds[s.id])).quantize(ONE_DECIMAL) if seconds[s.id] else None)
        for s in open_stages
    )  # fmt: skip


def outcomes(deals: list[Deal], stages: list[Stage], start, end) -> Outcomes:  # type: ignore[no-untyped-def]
    by_id = {s.id: s for s in stages}
    won = [d for d in deals if by_id[d.stage_id].kind is StageKind.WON and within(d.closed_at, start, end)]
    lost = [d for d in deals if by_id[d.stage_id].kind is StageKind.LOST and within(d.closed_at, start, end)]
    open_counts = Counter(d.currency for d in deals if in_scope(d, by_id[d.stage_id], end))
    closed = won + lost
    won_totals: dict[str, Decimal] = {}
    for deal in won:
        _add(won_totals, deal.currency, deal.amount)
    won_counts = Counter(d.currency for d in won if d.amount is not None)
    average_won = {c: quantize(total / won_counts[c], c) for c, total in won_totals.items()}
    cycle_days = sum(sales_cycle_days(d) or 0 for d in closed)
    velocity = {}
    if closed and won:
        average_cycle = max(Decimal(cycle_days) / len(closed), Decimal(1))
        velocity = {c: quantize(open_counts[c] * average_won[c] * len(won) / len(closed) / average_cycle, c)
                    for c in sorted(open_counts) if c in average_won}  # fmt: skip
    reasons = Counter((d.lost_reason or "no reason given") for d in lost)
    return Outcomes(
        won_count=len(won), lost_count=len(lost), won_totals=won_totals,
        won_without_amount=sum(1 for d in won if d.amount is None), win_rate=percent(len(won), len(closed)),
        average_won=average_won,
        average_cycle_days=(Decimal(cycle_days) / len(closed)).quantize(ONE_DECIMAL) if closed else None,
        velocity=velocity, lost_reasons=tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        open_counts=dict(open_counts),
    )  # fmt: skip


def lookback(won: list[Deal]) -> tuple[LookBack, ...]:
    written = sorted((d for d in won if d.went_well or d.nearly_lost), key=lambda d: (d.closed_at, d.id), reverse=True)
    return tuple(LookBack(d.id, d.title, d.company, d.closed_at, d.amount, d.currency, d.went_well, d.nearly_lost)  # type: ignore[arg-type]
                 for d in written[:5])  # fmt: skip


def reference_report(deals: list[Deal], events: list[DealEvent], stages: list[Stage], *, period: Period | str,
                     now: datetime, owner: str | None = None) -> Report:  # fmt: skip
    """Every figure from every deal (already filtered by owner) and the whole history."""
    period = Period(period)
    today = local_today(now)
    start, end = period_range(period, now)
    by_id = {s.id: s for s in stages}
    open_deals = [d for d in deals if in_scope(d, by_id[d.stage_id], end)]
    won = [d for d in deals if by_id[d.stage_id].kind is StageKind.WON and within(d.closed_at, start, end)]
    ids = {d.id for d in deals}
    grouped: dict[int, list[DealEvent]] = defaultdict(list)
    for event in events:
        if event.deal_id in ids:
            grouped[event.deal_id].append(event)
    paths = {deal_id: stage_path(evs) for deal_id, evs in grouped.items()}
    cohort = [paths[d.id] for d in deals if d.id in paths and within(d.created_at, start, end)]
    return Report(
        period=period, start=start, end=end, owner=owner or None, now=now,
        pipeline=pipeline(open_deals, stages),
        forecast=forecast(open_deals, won, stages, today, forecast_months(today, end)),
        funnel=funnel(cohort, stages), outcomes=outcomes(deals, stages, start, end),
        stage_times=stage_times(paths.values(), stages, start, end), lookback=lookback(won),
        currencies=tuple(sorted({d.currency for d in deals if d.amount is not None})), deal_count=len(deals),
    )  # fmt: skip


# The checks the tests make with it. -------------------------------------------------------------
def assert_same_figures(service, now: datetime) -> None:  # type: ignore[no-untyped-def]
    stages = service.stages()
    events = service.all_events()
    for owner in (None, "dana", "MARCUS"):
        deals = service.deals(owner=owner)
        for period in Period:
            fast = service.report(period, owner=owner)
            slow = reference_report(deals, events, stages, period=period, now=now, owner=owner)
            assert fast == slow, (period, owner)
            assert report_json(fast) == report_json(slow), (period, owner)


def assert_stays_replay_the_history(service, *, to_where_deals_are: bool = True) -> None:  # type: ignore[no-untyped-def]
    """The stays kept with each write are those a full replay of each deal's history gives (and that
    replay ends where each deal is, unless the clock was set back past a deal's last move)."""
    with service.db.read() as repo:
        rows = repo.connection.execute(select(tables.deal_stays).order_by(tables.deal_stays.c.deal_id,
                                                                          tables.deal_stays.c.seq)).all()  # fmt: skip
    kept: dict[int, list[tuple]] = {}
    for row in rows:
        kept.setdefault(row.deal_id, []).append((row.stage_id, row.entered_at, row.left_at, row.seconds))
    deals = service.deals()
    for deal in deals:
        replayed = [
            (s.stage_id, s.entered, s.left, stay_seconds(s)) for s in stays(stage_path(service.history(deal.id)))
        ]
        assert kept.get(deal.id, []) == replayed, deal.id
        if to_where_deals_are:
            assert replayed[-1][0] == deal.stage_id  # the history replays to where the deal is
    assert set(kept) <= {deal.id for deal in deals}  # no stays of a deal that is gone
