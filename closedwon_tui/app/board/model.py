"""What the board shows, kept in memory: columns in order, the filter, and column totals.

Pure Python (no Textual), so the rules of the board are tested on their own, and a move
updates two columns instead of rebuilding the board.
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import compress, count
from operator import not_

from closedwon_tui.app.board.filter_trail import FilterTrail, Shown
from closedwon_tui.app.board.model_filtering import ModelFiltering
from closedwon_tui.app.board.sums import ColumnSums, ColumnTotals
from closedwon_tui.domain.card_order import ColumnOrder, ordered
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.filters import DealFilter, Haystacks
from closedwon_tui.domain.models import CardFacts, Deal, DealCard, Stage
from closedwon_tui.domain.rules import quarter_start
from closedwon_tui.services.queries import Board


@contextmanager
def long_lived() -> Iterator[None]:
    """Build objects that live all session (the board's deals) without collector pauses.

    Cards form no reference cycles, so the cyclic collector is paused while ten thousand
    are built, and then moved out of its way (gc.freeze) so that later collections do not
    walk them again. Reference counting still frees them when the board reloads.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _position(deal: DealCard) -> int:
    return deal.position


def _place(deal: DealCard) -> tuple[int, int]:
    """A card's place in its column: the database orders by position, then id."""
    return deal.position, deal.id


def _index(column: list[DealCard], deal_id: int) -> int:
    return next(i for i, d in enumerate(column) if d.id == deal_id)


class BoardModel(ModelFiltering):
    """Every deal's card by column, in position order; what is visible follows the filter
    (domain/filters.py) and each column's order (domain/card_order.py, never stored)."""

    _serials = count(1)

    def __init__(self, board: Board, now: datetime) -> None:
        #: Tells this model from the one before it (the board read again).
        self.serial = next(self._serials)
        #: How many changed deals it has taken in (see `apply`).
        self.applied = 0
        #: The pipeline shown (None on a board built by hand: the first).
        self.pipeline = board.pipeline
        #: What the filter's `pipeline:` term may name (a board built by hand: the one it shows, if any).
        self.pipelines = board.pipelines or ((board.pipeline,) if board.pipeline is not None else ())
        self.stages: list[Stage] = board.stages
        self.stage_by_id = {s.id: s for s in board.stages}
        self.columns: dict[int, list[DealCard]] = {s.id: [] for s in board.stages}
        self.stage_of: dict[int, int] = {}
        for deal in board.cards:  # already ordered by stage and position
            self.columns.setdefault(deal.stage_id, []).append(deal)
            self.stage_of[deal.id] = deal.stage_id
        self.facts: dict[int, CardFacts] = dict(board.facts)
        self.now = now
        self.filter = DealFilter()
        self.show_all_closed = False
        self.orders: dict[int, ColumnOrder] = {}
        self._closed_stages = frozenset(s.id for s in board.stages if s.is_closed)
        self._quarter = quarter_start(now)
        #: Closed columns show the deals closed since (this quarter, in the rep's zone).
        self.closed_since = self._quarter
        #: When the board was read without the older closed deals: how many each closed column
        #: leaves out (None: every deal is here). `C` and a drop into a closed column read them.
        self.older_closed: dict[int, int] | None = board.older_closed
        self._hidden: dict[int, int] = {}  # closed deals older than this quarter, per closed column
        self._haystacks = Haystacks()
        #: Every card's searchable text is in `_haystacks.texts` (made at the first free word, then
        #: kept up by `apply`).
        self._texts_kept = False
        self._visible: dict[int, list[DealCard]] = {}
        #: Per column, how many changes it has taken (see `changes_to`).
        self._changes: dict[int, int] = {}
        #: Per column, the cards shown and their searchable texts in the same order (when a word was
        #: looked for in them).
        self._shown_texts: dict[int, tuple[list[DealCard], list[str]]] = {}
        #: The filters typed on the way to this one, with what each showed (see filter_trail.py).
        self._trail = FilterTrail()
        #: Per column, the cards an earlier filter showed (and what it showed), when the new one can
        #: only show fewer: only `_added` (the terms the earlier one did not have) is tested on them.
        self._narrow_from: dict[int, tuple[list[DealCard], Shown]] = {}
        self._added = DealFilter()
        #: Per column, the cards an earlier filter showed and their sums: the new totals take away
        #: the cards no longer shown, when they are fewer than those still shown. With them, once the
        #: column is shown, which of those cards the new filter kept (True) when `visible` tested them.
        self._narrow_sums: dict[int, tuple[list[DealCard], ColumnSums, ColumnTotals | None]] = {}
        self._kept: dict[int, list[bool]] = {}
        self._sums: dict[int, ColumnSums] = {}
        self._totals: dict[int, ColumnTotals] = {}
        #: Every card the columns show is here. False on a big board's first frame (read in part:
        #: each column's first cards), until the whole board is read (`BoardLoading`); meanwhile
        #: each column's count and sums are its exact ones, counted in SQL, and kept up by `apply`.
        self.loaded = board.tallies is None
        if board.tallies is not None:
            for stage in board.stages:
                self._sums[stage.id] = ColumnSums()
            for tally in board.tallies:
                if tally.stage_id in self._sums:
                    self._sums[tally.stage_id].add_tally(tally)

    # what is shown ------------------------------------------------------
    def visible(self, stage_id: int) -> list[DealCard]:
        cached = self._visible.get(stage_id)
        if cached is None:
            stage = self.stage_by_id[stage_id]
            narrowed = self._narrow_from.pop(stage_id, None)
            if narrowed is not None:  # an earlier filter's cards: only the terms it did not have
                cached = self._narrowed(stage_id, *narrowed)
            else:
                column = self.columns[stage_id]
                if stage.is_closed:
                    column = [d for d in column if self._in_scope(d)]
                if self.filter.is_empty:
                    # nothing to leave out: an open column shows its own list, not a copy (a copy of
                    # thousands of cards costs about as much as the rest of a move's repaint); a
                    # change to it is counted by `changes_to`
                    cached = column
                else:
                    cached = list(compress(column, self._tested(column, self.filter)))
                order = self.orders.get(stage_id, ColumnOrder.MANUAL)
                if order is not ColumnOrder.MANUAL:
                    cached = ordered(cached, order, stage, self.facts, self.now)
            self._visible[stage_id] = cached
        return cached

    def order(self, stage_id: int) -> ColumnOrder:
        return self.orders.get(stage_id, ColumnOrder.MANUAL)

    def set_order(self, stage_id: int, order: ColumnOrder) -> None:
        """Show a column in another order (the stored positions stay as they are)."""
        self.orders[stage_id] = order
        self._invalidate([stage_id])

    def _in_scope(self, deal: DealCard) -> bool:
        """False for a deal closed before this quarter, unless every closed deal is shown (`C`)."""
        if deal.stage_id not in self._closed_stages or self.show_all_closed:
            return True
        return deal.closed_at is not None and deal.closed_at >= self._quarter

    def _shows(self, deal: DealCard) -> bool:
        if not self._in_scope(deal):
            return False
        return self.filter.is_empty or self.filter.matches(deal, self.facts.get(deal.id))

    def totals(self, stage_id: int) -> ColumnTotals:
        """Count, amount and weighted amount per currency of the cards shown (exact: added in
        integer minor units, each weighted value rounded as `weighted_value` rounds it)."""
        cached = self._totals.get(stage_id)
        if cached is None:
            sums = self._sums.get(stage_id)
            if sums is None:
                sums = self._sums[stage_id] = self._sum(stage_id)
            cached = self._totals.get(stage_id)  # the earlier filter's, when it kept every card
            if cached is None:
                cached = self._totals[stage_id] = sums.totals()
        return cached

    def _sum(self, stage_id: int) -> ColumnSums:
        """The sums of the cards a column shows: added up, or, when a filter typed further left out
        fewer cards than it kept, the earlier filter's sums less the cards it left out (the same
        sums when it left out none)."""
        stage = self.stage_by_id[stage_id]
        shown = self.visible(stage_id)
        narrowed = self._narrow_sums.pop(stage_id, None)
        kept = self._kept.pop(stage_id, None)
        if narrowed is not None and len(narrowed[0]) == len(shown):
            if narrowed[2] is not None:
                self._totals[stage_id] = narrowed[2]
            return narrowed[1]  # every card still shown (kept as they are: a change forgets them)
        sums = ColumnSums()
        if narrowed is not None and len(narrowed[0]) - len(shown) < len(shown):
            before, earlier, _ = narrowed
            sums.count, sums.priced = earlier.count, dict(earlier.priced)
            sums.total, sums.weighted = dict(earlier.total), dict(earlier.weighted)
            if kept is not None and len(kept) == len(before):  # `visible` tested exactly these cards
                left_out: Iterable[DealCard] = compress(before, map(not_, kept))
            else:
                shown_ids = {id(card) for card in shown}
                left_out = (card for card in before if id(card) not in shown_ids)
            sums.add_all(left_out, stage, sign=-1)
        else:
            sums.add_all(shown, stage)
        return sums

    def hidden_closed(self, stage_id: int) -> int:
        """How many closed deals the column leaves out (older than this quarter)."""
        stage = self.stage_by_id[stage_id]
        if stage.is_open or self.show_all_closed:
            return 0
        hidden = self._hidden.get(stage_id)
        if hidden is None:  # the filter does not change it: counted again only when the column changes
            column = self.columns[stage_id]
            hidden = len(column) - sum(1 for d in column if self._in_scope(d))
            hidden = self._hidden[stage_id] = hidden + (self.older_closed or {}).get(stage_id, 0)
        return hidden

    @property
    def complete(self) -> bool:
        """Every deal is here (the board was not read without the older closed ones, or has them since)."""
        return self.older_closed is None

    def add_older_closed(self, cards: Iterable[DealCard]) -> None:
        """The older closed deals a board read without them left out: each column holds all its deals again."""
        added: dict[int, list[DealCard]] = {}
        for card in cards:
            if card.id not in self.stage_of:
                added.setdefault(card.stage_id, []).append(card)
                self.stage_of[card.id] = card.stage_id
                if self._texts_kept:
                    self._haystacks.keep(card)
        for stage_id, older in added.items():  # two runs in order: the sort merges them
            self.columns[stage_id] = sorted([*self.columns.get(stage_id, ()), *older], key=_place)
        self.older_closed = None
        self._hidden.clear()
        self._invalidate(added)

    def keep_view_of(self, old: BoardModel) -> None:
        """After the board was read again: the same filter, closed deals and column orders."""
        self.orders = {s: o for s, o in old.orders.items() if s in self.stage_by_id}
        self._invalidate(self.orders)
        if old.show_all_closed != self.show_all_closed:
            self.set_show_all_closed(old.show_all_closed)
        if old.filter.text == self.filter.text:
            return  # the same view: the columns and sums already worked out stay
        try:
            self.set_filter(old.filter.text)
        except ValidationError:  # it named a stage that is gone: show everything rather than guess
            self.set_filter("")

    def set_show_all_closed(self, show: bool) -> None:
        self.show_all_closed = show
        self._hidden.clear()
        self._invalidate(s.id for s in self.stages if s.is_closed)

    def changes_to(self, stage_id: int) -> int:
        """How many changes the column has taken: `visible` can give the same list again after a
        change (an open column's own list, changed in place), so the same list is not the same cards."""
        return self._changes.get(stage_id, 0)

    def _invalidate(self, stage_ids: Iterable[int]) -> None:
        stage_ids = list(stage_ids)
        self._trail.forget(stage_ids)
        for stage_id in stage_ids:
            self._changes[stage_id] = self._changes.get(stage_id, 0) + 1
            self._forget_narrowing(stage_id)
            self._visible.pop(stage_id, None)
            self._shown_texts.pop(stage_id, None)
            self._sums.pop(stage_id, None)
            self._totals.pop(stage_id, None)

    def _forget_narrowing(self, stage_id: int) -> None:
        self._narrow_from.pop(stage_id, None)
        self._narrow_sums.pop(stage_id, None)
        self._kept.pop(stage_id, None)

    def _count(self, card: DealCard, sign: int) -> None:
        """Add a card to (or take it from) its column's running sums, if it is shown there."""
        sums = self._sums.get(card.stage_id)
        if sums is not None and self._shows(card):
            sums.add(card, self.stage_by_id[card.stage_id], sign)
        self._changes[card.stage_id] = self._changes.get(card.stage_id, 0) + 1
        self._trail.forget([card.stage_id])
        self._forget_narrowing(card.stage_id)
        self._hidden.pop(card.stage_id, None)
        self._visible.pop(card.stage_id, None)
        self._shown_texts.pop(card.stage_id, None)
        self._totals.pop(card.stage_id, None)

    # changes ------------------------------------------------------------
    def apply(self, changed_deal: Deal | DealCard, facts: CardFacts | None = None) -> set[int]:
        """Put a changed deal where the database now has it; returns the columns that changed.

        A deal's position is its ordering key in its column (domain/ordering.py), and each
        column here holds every deal of its stage in key order, so the card goes where its key
        sorts among the others.
        """
        deal = changed_deal if isinstance(changed_deal, DealCard) else DealCard.of(changed_deal)
        self.applied += 1
        changed = {deal.stage_id}
        old_stage = self.stage_of.get(deal.id)
        if old_stage is not None:
            column = self.columns[old_stage]
            old = column.pop(_index(column, deal.id))
            self._count(old, -1)  # with the facts it was counted with
            changed.add(old_stage)
        if facts is not None:
            self.facts[deal.id] = facts
        if self._texts_kept:
            self._haystacks.keep(deal)
        if deal.stage_id not in self.stage_by_id:  # into another pipeline (an undo, say): off this board
            self.stage_of.pop(deal.id, None)
            changed.discard(deal.stage_id)
            return changed
        target = self.columns[deal.stage_id]
        target.insert(bisect_left(target, deal.position, key=_position), deal)
        self.stage_of[deal.id] = deal.stage_id
        self._count(deal, +1)
        return changed

    def deal(self, deal_id: int) -> DealCard | None:
        stage_id = self.stage_of.get(deal_id)
        if stage_id is None:
            return None
        return next((d for d in self.columns[stage_id] if d.id == deal_id), None)

    def index_of(self, deal_id: int) -> tuple[int, int] | None:
        """(stage id, visible index) of a deal, if it is shown."""
        stage_id = self.stage_of.get(deal_id)
        if stage_id is None:
            return None
        for i, d in enumerate(self.visible(stage_id)):
            if d.id == deal_id:
                return stage_id, i
        return None

    def drop_position(self, stage_id: int, visible_index: int, moving: DealCard) -> int:
        """The database position for a card dropped before visible card `visible_index`.

        Hidden cards (filtered out, older closed deals) keep their places: the deal lands
        right before the card it was dropped on, or right after the last visible card.
        """
        shown = self.visible(stage_id)
        column = self.columns[stage_id]
        if visible_index < len(shown):
            anchor = _index(column, shown[visible_index].id)
        elif shown:
            anchor = _index(column, shown[-1].id) + 1
        else:
            anchor = 0
        if moving.stage_id == stage_id:
            current = _index(column, moving.id)
            if anchor > current:
                anchor -= 1  # the card leaves its old place first
        return anchor
