"""How the board's model filters its columns as the rep types: the filter parsed and applied, and
a filter typed further tested only on the cards the one before it showed, for only what it adds
(one free word looked for in each card's kept searchable text), with what each filter on the way
showed kept in the filter trail (filter_trail.py). The filtering half of `BoardModel`. Plain Python.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import compress

from closedwon_tui.app.board.filter_trail import FilterTrail, Shown
from closedwon_tui.app.board.sums import ColumnSums, ColumnTotals
from closedwon_tui.domain.card_order import ColumnOrder
from closedwon_tui.domain.filters import DealFilter, Haystacks, parse_filter
from closedwon_tui.domain.models import CardFacts, DealCard, Pipeline, Stage


class ModelFiltering:
    """The filtering half of `BoardModel` (which sets every attribute below)."""

    columns: dict[int, list[DealCard]]
    stages: list[Stage]
    pipelines: tuple[Pipeline, ...]
    facts: dict[int, CardFacts]
    now: datetime
    filter: DealFilter
    order: Callable[[int], ColumnOrder]
    _haystacks: Haystacks
    _texts_kept: bool
    _visible: dict[int, list[DealCard]]
    _shown_texts: dict[int, tuple[list[DealCard], list[str]]]
    _trail: FilterTrail
    _narrow_from: dict[int, tuple[list[DealCard], Shown]]
    _added: DealFilter
    _narrow_sums: dict[int, tuple[list[DealCard], ColumnSums, ColumnTotals | None]]
    _kept: dict[int, list[bool]]
    _sums: dict[int, ColumnSums]
    _totals: dict[int, ColumnTotals]

    @property
    def filter_text(self) -> str:
        """The filter as applied (its terms, normalised); empty when nothing is filtered."""
        return self.filter.text

    def _narrowed(self, stage_id: int, before: list[DealCard], earlier: Shown) -> list[DealCard]:
        """Of the cards an earlier filter showed (`before`), those the terms it did not have keep.
        A free word typed further is looked for in their texts, kept in the same order."""
        word = self._added.only_word
        if word is None:
            kept = self._tested(before, self._added)
        else:
            made = earlier.texts.get(stage_id)
            if made is not None and made[0] is before:
                texts = made[1]
            else:
                by_id = self._texts()
                texts = [by_id[d.id] for d in before]
                earlier.texts[stage_id] = (before, texts)
            kept = [word in text for text in texts]
        self._kept[stage_id] = kept
        shown = list(compress(before, kept))
        if len(shown) == len(before):  # the same cards (`renew` on to `renewa`): the same list
            shown = before
            if word is not None:
                self._shown_texts[stage_id] = (shown, texts)
        elif word is not None:
            self._shown_texts[stage_id] = (shown, list(compress(texts, kept)))
        return shown

    def _tested(self, cards: list[DealCard], deal_filter: DealFilter) -> list[bool]:
        """For each card, whether the filter matches it. One free word (as the rep types it) is
        looked for in each card's kept text: a dictionary look-up and an `in`, no call per card."""
        word = deal_filter.only_word
        if word is not None:
            texts = self._texts()
            return [word in texts[d.id] for d in cards]
        matches, facts = deal_filter.matches, self.facts.get
        return [matches(d, facts(d.id)) for d in cards]

    def prepare_filtering(self) -> None:
        """Make every card's searchable text now (the filter box opened), rather than at the first
        key, and for each column shown in its own order, its cards' texts in that order: the first
        key looks for its word in those."""
        by_id = self._texts()
        for stage_id, shown in self._visible.items():
            if self.order(stage_id) is not ColumnOrder.MANUAL:
                continue  # a sorted column is filtered afresh, not narrowed
            texts = self._shown_texts.get(stage_id)
            if texts is None or texts[0] is not shown:
                self._shown_texts[stage_id] = (shown, [by_id[d.id] for d in shown])

    def _texts(self) -> dict[int, str]:
        """Every card's searchable text, by deal id (made for every card the first time)."""
        if not self._texts_kept:
            keep = self._haystacks.of
            for column in self.columns.values():
                for card in column:
                    keep(card)
            self._texts_kept = True
        return self._haystacks.texts

    def parse_filter(self, text: str) -> DealFilter:
        """The filter `text` means on this board (a `ValidationError` names a malformed term)."""
        return parse_filter(text, self.stages, self.now, pipelines=self.pipelines, haystacks=self._haystacks)

    def set_filter(self, text: str | DealFilter) -> bool:
        """Show only the deals the filter matches; a malformed filter raises `ValidationError`
        and leaves the board as it was. A filter that can only show fewer deals than one typed
        before it (a word typed further, a term added) tests only the cards that one showed, and
        only for what it adds; a filter typed before (a backspace, no filter again) shows what it
        showed then, with its totals (see filter_trail.py).
        Returns False when the filter is the one already applied (nothing to show again)."""
        new = text if isinstance(text, DealFilter) else self.parse_filter(text)
        if new.text == self.filter.text:
            return False
        self._trail.push(Shown(self.filter, self._visible, self._sums, self._totals, self._shown_texts))
        earlier, same = self._trail.back_to(new)
        self.filter = new
        self._narrow_from, self._narrow_sums, self._kept = {}, {}, {}
        if earlier is not None and same:
            self._visible, self._sums, self._totals = dict(earlier.visible), dict(earlier.sums), dict(earlier.totals)
            self._shown_texts = dict(earlier.texts)
            return True
        self._visible, self._sums, self._totals, self._shown_texts = {}, {}, {}, {}
        if earlier is not None:
            self._added = new.added_since(earlier.filter)
            for stage_id, shown in earlier.visible.items():
                if self.order(stage_id) is ColumnOrder.MANUAL:
                    self._narrow_from[stage_id] = (shown, earlier)
                if (sums := earlier.sums.get(stage_id)) is not None:
                    self._narrow_sums[stage_id] = (shown, sums, earlier.totals.get(stage_id))
        return True
