"""The report's figures counted where the data lives: GROUP BY stage, close date, reason, month and stay.

Each query reads only the columns its figure needs and never an event's details. Money is
added in integer minor units, in two halves (above and below 10^9) so that no sum can overflow
a 64-bit integer however many deals there are, and put together exactly in Python; a weighted
amount is rounded per deal, half to even, as `rules.weighted_value` rounds it; days from
creation to close are whole days as `rules.days_between` counts them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, bindparam, case, func, literal_column, or_, select

from closedwon_tui.domain.forecast import DealTally, WonTally
from closedwon_tui.domain.funnel import StayTally
from closedwon_tui.domain.models import Stage
from closedwon_tui.domain.money import from_minor
from closedwon_tui.domain.reports import ClosedTally, LookBack
from closedwon_tui.domain.rules import effective_probability_of, weighted_sum
from closedwon_tui.storage import tables
from closedwon_tui.storage.sql_rules import whole_days

_D = tables.deals
_STAYS = tables.deal_stays
_HALF = 10**9


def _halves(expression: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """SUM of a non-negative integer in two overflow-free halves; `_whole` joins them again."""
    return [func.sum(expression // _HALF), func.sum(expression % _HALF)]


def _whole(high: Any, low: Any) -> int:
    return 0 if high is None else int(high) * _HALF + int(low)


class ReportScope:
    """Which deals a report reads: one owner's or everyone's, only `deal_ids` when given (the
    deals a filter matched), and the period's bounds."""

    def __init__(
        self, start: datetime | None, end: datetime | None, owner: str | None, deal_ids: Sequence[int] | None = None
    ) -> None:
        self.start, self.end, self.owner = start, end, owner
        self.deal_ids = None if deal_ids is None else list(deal_ids)

    @property
    def narrowed(self) -> bool:
        """Only some deals (an owner's, a filter's): the queries must join the deals to pick them."""
        return bool(self.owner) or self.deal_ids is not None

    def owned(self, query: Select[Any]) -> Select[Any]:
        if self.owner:
            query = query.where(func.lower(_D.c.owner) == self.owner.lower())
        if self.deal_ids is not None:
            # Inlined, not bound one by one: a filter may match more deals than SQLite takes parameters.
            ids = bindparam("deal_ids", self.deal_ids, expanding=True, literal_execute=True)
            query = query.where(_D.c.id.in_(ids))
        return query

    def within(self, column: ColumnElement[Any], query: Select[Any]) -> Select[Any]:
        """Only rows whose `column` falls in [start, end) (all of them for all time)."""
        if self.start is not None:
            query = query.where(column >= self.start)
        if self.end is not None:
            query = query.where(column < self.end)
        return query

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None


class ReportCounts:
    """Every count a report is made of, on one connection (one read transaction)."""

    def __init__(self, connection: Connection, scope: ReportScope, stages: Sequence[Stage]) -> None:
        self.connection = connection
        self.scope = scope
        self.stages = list(stages)
        #: The report's deals are those in these stages (one pipeline's, or every pipeline's).
        self.stage_ids = [s.id for s in self.stages]

    def deal_tallies(self, bounds: Sequence[date]) -> list[DealTally]:
        """Every deal, in one pass: per stage and currency, and for open deals per close bucket
        (how many of `bounds` are on or before the close date; see `forecast.close_bounds`).

        Counted by what a deal's bucket and weighted amount depend on: its close date, its own
        probability and its amount modulo 200 (the weighted sum of a group of amounts that leave
        the same remainder is exact, see `rules.weighted_sum`), so no row is weighted in SQL. The
        index `ix_deals_forecast` holds exactly these, in this order: the deals' rows are not read
        at all, nor sorted. Those groups (one per close date: 30,000 at 200,000 deals) are then
        added up per close bucket in SQL too, so that Python gets a row per stage, currency,
        bucket, probability and remainder (about 1,500). The weighted amount uses the deal's own
        probability, or its stage's (closed stages' weighted amounts are not used).
        """
        by_id = {s.id: s for s in self.stages}
        remainder = _D.c.amount_minor % literal_column("200")  # as the index has it, not a parameter
        keys = (_D.c.stage_id, _D.c.currency, _D.c.close_date, _D.c.probability, remainder.label("rest"))
        by_date = select(*keys, func.count().label("deals"), func.count(_D.c.amount_minor).label("priced"),
                         *(half.label(name) for half, name in zip(_halves(_D.c.amount_minor), ("high", "low"))))  # fmt: skip
        by_date = self.scope.owned(by_date.where(_D.c.stage_id.in_(self.stage_ids))).group_by(*keys).subquery()
        # The bucket in a query of its own, so that the outer one groups by a column (PostgreSQL
        # would not see a CASE with parameters in GROUP BY as the one in the select list).
        bucket = case((by_date.c.close_date.is_(None), None),
                      *((by_date.c.close_date < edge, n) for n, edge in enumerate(bounds)), else_=len(bounds))  # fmt: skip
        rows = select(by_date, bucket.label("bucket")).subquery()
        groups = (rows.c.stage_id, rows.c.currency, rows.c.bucket, rows.c.probability, rows.c.rest)
        query = select(*groups, func.sum(rows.c.deals), func.sum(rows.c.priced), func.sum(rows.c.high),
                       func.sum(rows.c.low)).group_by(*groups)  # fmt: skip
        tallies: dict[tuple[int, str, int | None], list[int]] = {}
        for stage_id, currency, bucket_of_date, own, rest, count, priced, high, low in self.connection.execute(query):
            stage = by_id[stage_id]
            kept = tallies.setdefault((stage_id, currency, bucket_of_date if stage.is_open else None), [0, 0, 0, 0])
            kept[0] += int(count)
            if rest is None:
                continue  # no amount
            total = _whole(high, low)
            kept[1] += int(priced)
            kept[2] += total
            kept[3] += weighted_sum(int(priced), total, rest, effective_probability_of(own, stage))
        return [DealTally(stage_id, currency, bucket, *kept) for (stage_id, currency, bucket), kept in tallies.items()]

    def closed_tallies(self, won_ids: Sequence[int], lost_ids: Sequence[int]) -> list[ClosedTally]:
        """The deals closed in the period (by their close time), per outcome, currency and reason."""
        query = select(_D.c.stage_id, _D.c.currency, _D.c.lost_reason, func.count(), func.count(_D.c.amount_minor),
                       *_halves(_D.c.amount_minor), func.sum(whole_days(_D.c.created_at, _D.c.closed_at)))  # fmt: skip
        query = query.where(_D.c.stage_id.in_([*won_ids, *lost_ids]), _D.c.closed_at.is_not(None))
        query = self.scope.owned(self.scope.within(_D.c.closed_at, query))
        query = query.group_by(_D.c.stage_id, _D.c.currency, _D.c.lost_reason)
        return [
            ClosedTally(
                stage_id in won_ids,
                currency,
                reason,
                count,
                priced,
                from_minor(_whole(th, tl), currency) if priced else Decimal(0),
                int(days),
            )  # fmt: skip
            for stage_id, currency, reason, count, priced, th, tl, days in self.connection.execute(query)
        ]

    def won_tallies(self, won_ids: Sequence[int], bounds: Sequence[datetime]) -> list[WonTally]:
        """Deals won in the period, per forecast month: month n runs from bounds[n] to bounds[n + 1]."""
        month = case(*((_D.c.closed_at < bound, n) for n, bound in enumerate(bounds[1:])), else_=None)
        won = select(month.label("month"), _D.c.currency, _D.c.amount_minor)
        won = won.where(_D.c.stage_id.in_(won_ids), _D.c.closed_at >= bounds[0], _D.c.closed_at < bounds[-1])
        rows = self.scope.owned(self.scope.within(_D.c.closed_at, won)).subquery()
        query = select(rows.c.month, rows.c.currency, func.count(), func.count(rows.c.amount_minor),
                       *_halves(rows.c.amount_minor)).group_by(rows.c.month, rows.c.currency)  # fmt: skip
        return [
            WonTally(n, currency, count, priced, _whole(th, tl))
            for n, currency, count, priced, th, tl in self.connection.execute(query)
        ]

    def lookbacks(self, won_ids: Sequence[int], limit: int = 5) -> list[LookBack]:
        """The latest retrospectives written for deals won in the period, newest first."""
        query = select(_D.c.id, _D.c.title, _D.c.company, _D.c.closed_at, _D.c.amount_minor, _D.c.currency,
                       _D.c.went_well, _D.c.nearly_lost)  # fmt: skip
        query = query.where(_D.c.stage_id.in_(won_ids), _D.c.closed_at.is_not(None),
                            or_(_D.c.went_well != "", _D.c.nearly_lost != ""))  # fmt: skip
        query = self.scope.owned(self.scope.within(_D.c.closed_at, query))
        query = query.order_by(_D.c.closed_at.desc(), _D.c.id.desc()).limit(limit)
        return [
            LookBack(
                i,
                title,
                company,
                closed,
                None if minor is None else from_minor(minor, currency),
                currency,
                well,
                nearly,
            )  # fmt: skip
            for i, title, company, closed, minor, currency, well, nearly in self.connection.execute(query)
        ]

    def furthest_steps(self, steps: Mapping[int, int]) -> dict[int, int]:
        """step -> how many deals created in the period got that far through the funnel and no further."""
        step = case(steps, value=_STAYS.c.stage_id, else_=None)
        per_deal = select(func.max(step).label("furthest"))
        if self.scope.bounded or self.scope.narrowed:
            per_deal = per_deal.select_from(_D.join(_STAYS, _STAYS.c.deal_id == _D.c.id))
            per_deal = self.scope.owned(self.scope.within(_D.c.created_at, per_deal))
        inner = per_deal.group_by(_STAYS.c.deal_id).subquery()
        query = select(inner.c.furthest, func.count()).where(inner.c.furthest.is_not(None)).group_by(inner.c.furthest)
        return {int(furthest): count for furthest, count in self.connection.execute(query)}

    def stay_tallies(self) -> list[StayTally]:
        """Per stage, the stays that ended in the period: how many, and their seconds added up."""
        query = select(_STAYS.c.stage_id, func.count(), func.sum(_STAYS.c.seconds)).where(_STAYS.c.left_at.is_not(None))
        query = query.where(_STAYS.c.stage_id.in_(self.stage_ids))
        if self.scope.narrowed:
            query = self.scope.owned(query.select_from(_STAYS.join(_D, _D.c.id == _STAYS.c.deal_id)))
        query = self.scope.within(_STAYS.c.left_at, query).group_by(_STAYS.c.stage_id)
        return [
            StayTally(stage_id, count, int(seconds or 0)) for stage_id, count, seconds in self.connection.execute(query)
        ]
