"""A big board's first frame: how many deals it holds, each column's first cards, and each
column's exact count and sums counted in SQL (the rest of the cards are read afterwards)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, or_, select

from closedwon_tui.domain.forecast import DealTally
from closedwon_tui.domain.models import DealCard, Stage
from closedwon_tui.domain.rules import effective_probability_of, weighted_sum
from closedwon_tui.storage.rows import CARD_SELECT, DEALS, RowAccess

_HALF = 10**9


def _halves(expression: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """SUM of a non-negative integer in two overflow-free halves; `_whole` joins them again."""
    return [func.sum(expression // _HALF), func.sum(expression % _HALF)]


def _whole(high: Any, low: Any) -> int:
    return 0 if high is None else int(high) * _HALF + int(low)


def _owned(query: Any, owner: str | None) -> Any:
    return query.where(func.lower(DEALS.c.owner) == owner.lower()) if owner else query


def _in_scope(stage: Stage, closed_since: datetime | None, stage_id: Any = DEALS.c.stage_id) -> ColumnElement[bool]:
    """The deals a column shows at first: every one of an open stage, a closed stage's closed since then."""
    if stage.is_open or closed_since is None:
        return stage_id == stage.id
    return (stage_id == stage.id) & (DEALS.c.closed_at >= closed_since)


class BoardRows(RowAccess):
    """The reads that let a big board draw its first frame before every card is read."""

    def deal_count(self, stage_ids: Sequence[int], *, owner: str | None = None) -> int:
        """How many deals these stages hold (what decides whether a board opens in two steps)."""
        query = _owned(select(func.count()).select_from(DEALS).where(DEALS.c.stage_id.in_(list(stage_ids))), owner)
        return int(self.connection.execute(query).scalar_one())

    def first_cards(
        self, stages: Sequence[Stage], per_column: int, *, closed_since: datetime | None = None,
        owner: str | None = None,
    ) -> list[DealCard]:  # fmt: skip
        """The first `per_column` cards of each stage, by position (then id), as `deal_cards` reads
        them (a closed stage's: closed since `closed_since`); by stage, then position."""
        make = tuple.__new__
        cards: list[DealCard] = []
        for stage in stages:
            query = select(*CARD_SELECT).where(_in_scope(stage, closed_since))
            query = _owned(query, owner).order_by(DEALS.c.position, DEALS.c.id).limit(per_column)
            cards += [make(DealCard, row) for row in self.connection.execute(query)]
        return cards

    def column_tallies(
        self, stages: Sequence[Stage], *, closed_since: datetime | None = None, owner: str | None = None
    ) -> tuple[list[DealTally], dict[int, int]]:
        """Per stage and currency: how many deals the column shows (a closed stage's: closed since
        `closed_since`), how many have an amount, their amounts and weighted amounts in minor units
        (each card weighted as `rules.weighted_minor` weighs it, with `rules.effective_probability`);
        and how many each closed stage leaves out (closed before then, or with no close time), as
        `older_closed_counts` counts them.

        SQL counts and adds up the amounts per stage, currency, the deal's own probability and the
        amount's remainder divided by 200, with no arithmetic per row; each group's weighted sum is
        then exact (`rules.weighted_sum`). The deals are scanned once rather than looked up through
        the (stage, position) index: nearly all of them are counted, and a scan reads each page once.
        """
        by_id = {s.id: s for s in stages}
        closed = [s.id for s in stages if s.is_closed]
        older: dict[int, int] = dict.fromkeys(closed, 0)
        if not by_id:
            return [], older
        stage = (DEALS.c.stage_id + 0).label("stage")  # + 0: no index lookups (see above)
        remainder = (DEALS.c.amount_minor % 200).label("remainder")
        left_out = literal(0)
        if closed_since is not None and closed:
            left_out = case((stage.in_(closed) & or_(DEALS.c.closed_at.is_(None), DEALS.c.closed_at < closed_since),
                             1), else_=0)  # fmt: skip
        left_out = left_out.label("left_out")
        query = select(stage, DEALS.c.currency, DEALS.c.probability, remainder, left_out, func.count(),
                       func.count(DEALS.c.amount_minor), *_halves(DEALS.c.amount_minor))  # fmt: skip
        query = _owned(query.where(stage.in_(list(by_id))), owner)
        query = query.group_by(stage, DEALS.c.currency, DEALS.c.probability, remainder, left_out)
        sums: dict[tuple[int, str], list[int]] = {}
        for stage_id, currency, own, rest, out, count, priced, high, low in self.connection.execute(query):
            if out:
                older[stage_id] += count
                continue
            kept = sums.setdefault((stage_id, currency), [0, 0, 0, 0])
            kept[0] += count
            if rest is None:
                continue
            total = _whole(high, low)
            kept[1] += priced
            kept[2] += total
            kept[3] += weighted_sum(priced, total, rest, effective_probability_of(own, by_id[stage_id]))
        return [DealTally(stage_id, currency, None, *kept) for (stage_id, currency), kept in sums.items()], older
