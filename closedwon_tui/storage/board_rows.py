"""A big board's first frame: how many deals it holds, each column's first cards, and each
column's exact count and sums counted in SQL (the rest of the cards are read afterwards)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal_column, select

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


def _in_scope(stage: Stage, closed_since: datetime | None) -> ColumnElement[bool]:
    """The deals a column shows at first: every one of an open stage, a closed stage's closed since then."""
    if stage.is_open or closed_since is None:
        return DEALS.c.stage_id == stage.id
    return (DEALS.c.stage_id == stage.id) & (DEALS.c.closed_at >= closed_since)


class BoardRows(RowAccess):
    """The reads that let a big board draw its first frame before every card is read."""

    def deal_count(self, stage_ids: Sequence[int], *, owner: str | None = None) -> int:
        """How many deals these stages hold (what decides whether a board opens in two steps)."""
        query = _owned(select(func.count()).select_from(DEALS).where(DEALS.c.stage_id.in_(list(stage_ids))), owner)
        return int(self.connection.execute(query).scalar_one())

    def stage_counts(self, stage_ids: Sequence[int], *, owner: str | None = None) -> dict[int, int]:
        """How many deals each of these stages holds (from the (stage, position) index alone)."""
        query = _owned(select(DEALS.c.stage_id, func.count()).where(DEALS.c.stage_id.in_(list(stage_ids))), owner)
        counts = dict(self.connection.execute(query.group_by(DEALS.c.stage_id)).all())
        return {stage_id: counts.get(stage_id, 0) for stage_id in stage_ids}

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
    ) -> list[DealTally]:
        """Per stage and currency: how many deals the column shows (a closed stage's: closed since
        `closed_since`), how many have an amount, their amounts and weighted amounts in minor units
        (each card weighted as `rules.weighted_minor` weighs it, with `rules.effective_probability`).

        SQL counts and adds up the amounts per stage, currency, the deal's own probability and the
        amount's remainder divided by 200, with no arithmetic per row; each group's weighted sum is
        then exact (`rules.weighted_sum`). The index `ix_deals_board_sums` holds exactly these, in
        this order: the deals' rows are not read at all, nor sorted.
        """
        by_id = {s.id: s for s in stages}
        opened = [s.id for s in stages if s.is_open]
        closed = [s.id for s in stages if s.is_closed]
        remainder = DEALS.c.amount_minor % literal_column("200")  # as the index has it, not a parameter
        keys = (DEALS.c.currency, DEALS.c.stage_id, DEALS.c.probability, remainder)
        query = select(*keys, func.count(), func.count(DEALS.c.amount_minor), *_halves(DEALS.c.amount_minor))
        # `+ 0`: no lookups through the (stage, position) index, which SQLite takes for a stage's deals
        # when it has no statistics (a rep's database): it would then sort every row to group them.
        stage = DEALS.c.stage_id + 0
        shown = [stage.in_(opened)] if opened else []
        if closed:
            recent = [] if closed_since is None else [DEALS.c.closed_at >= closed_since]
            shown.append(and_(stage.in_(closed), *recent))
        sums: dict[tuple[int, str], list[int]] = {}
        for where in shown:  # one each: the open stages, and the closed stages' recent deals
            for currency, stage_id, own, rest, count, priced, high, low in self.connection.execute(
                _owned(query.where(where), owner).group_by(*keys)
            ):
                kept = sums.setdefault((stage_id, currency), [0, 0, 0, 0])
                kept[0] += count
                if rest is None:
                    continue
                total = _whole(high, low)
                kept[1] += priced
                kept[2] += total
                kept[3] += weighted_sum(priced, total, rest, effective_probability_of(own, by_id[stage_id]))
        return [DealTally(stage_id, currency, None, *kept) for (stage_id, currency), kept in sums.items()]
