"""Reading the pipeline: the board, one deal in full, the agenda."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.forecast import DealTally
from closedwon_tui.domain.models import (
    AgendaDeal,
    CardFacts,
    Deal,
    DealCard,
    DealDetail,
    DealEvent,
    FollowUp,
    Pipeline,
    Stage,
)  # fmt: skip
from closedwon_tui.services.base import ServiceBase

#: A board of more deals than this opens in two steps (`Queries.opening_board`): below it, reading
#: every card costs less than a first frame that Textual and SQLAlchemy take to start.
IN_PART_OVER = 20_000
#: The cards of each column a board read in part shows first: more than a tall terminal shows.
FIRST_CARDS = 100


@dataclass(frozen=True, slots=True)
class Board:
    """Everything the board draws, read in one transaction."""

    stages: list[Stage]
    cards: list[DealCard]
    facts: dict[int, CardFacts] = field(default_factory=dict)
    #: Read with `closed_since`: how many deals each closed stage holds that were closed before
    #: then, left out of `cards`; None when every deal was read.
    older_closed: dict[int, int] | None = None
    #: The pipeline shown (None in a board built by hand, as tests do: the first one).
    pipeline: Pipeline | None = None
    #: Every pipeline, in order: what the filter's `pipeline:` term may name.
    pipelines: tuple[Pipeline, ...] = ()
    #: Read in part (a big board's first frame, see `Queries.opening_board`): `cards` holds only
    #: each column's first cards, and these are every column's exact count and sums (per stage
    #: and currency, counted in SQL); None when `cards` holds every card the columns show.
    tallies: tuple[DealTally, ...] | None = None

    @property
    def in_part(self) -> bool:
        return self.tallies is not None


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """A pending follow-up, with what the agenda shows of its deal and the deal's stage."""

    followup: FollowUp
    deal: AgendaDeal
    stage: Stage
    #: The pipeline the deal is in (the agenda covers them all).
    pipeline: Pipeline | None = None


class Queries(ServiceBase):
    def board(
        self,
        *,
        owner: str | None = None,
        closed_since: datetime | None = None,
        pipeline: int | str | Pipeline | None = None,
    ) -> Board:
        """One pipeline's board (None: the first pipeline): its stages and its deals' cards; with
        `closed_since`, the closed stages' deals only when closed since then (the board's first
        frame shows this quarter's outcomes), the older ones counted."""
        self.forget_stages()  # a colleague may have changed the stages since
        shown = self.pipeline(pipeline)
        stages = self.stages(shown)
        ids = [s.id for s in stages]
        closed = [s.id for s in stages if s.is_closed]
        several = len(self.pipelines()) > 1
        with self.db.read() as repo:
            cards = repo.deal_cards(owner=owner, stage_ids=ids if several else None, closed_stages=closed,
                                    closed_since=closed_since)  # fmt: skip
            # One pipeline of several: only its deals' facts (all of them, when it is the only one).
            facts = repo.card_facts(stage_ids=ids if several else None)
            older = None if closed_since is None else repo.older_closed_counts(closed, closed_since, owner=owner)
        return Board(stages=stages, cards=cards, facts=facts, older_closed=older, pipeline=shown,
                     pipelines=tuple(self.pipelines()))  # fmt: skip

    def opening_board(
        self,
        *,
        closed_since: datetime,
        pipeline: int | str | Pipeline | None = None,
        in_part_over: int | None = None,
        per_column: int | None = None,
    ) -> Board:
        """The board as its first frame needs it, read with `closed_since` like `board`. A board of
        more than `in_part_over` deals (`IN_PART_OVER`) is read in part: each column's first
        `per_column` cards (`FIRST_CARDS`) and their facts, with every column's exact count and sums
        counted in SQL (`Board.tallies`); the caller reads the whole `board` afterwards. A smaller
        one is read whole at once."""
        self.forget_stages()
        shown = self.pipeline(pipeline)
        stages = self.stages(shown)
        with self.db.read() as repo:
            big = repo.deal_count([s.id for s in stages]) > (IN_PART_OVER if in_part_over is None else in_part_over)
        if not big:
            return self.board(pipeline=shown, closed_since=closed_since)
        with self.db.read() as repo:
            tallies = repo.column_tallies(stages, closed_since=closed_since)
            # A closed column leaves out what it holds but does not show: all but this quarter's.
            older = repo.stage_counts([s.id for s in stages if s.is_closed])
            for tally in tallies:
                if tally.stage_id in older:
                    older[tally.stage_id] -= tally.count
            cards = repo.first_cards(stages, per_column or FIRST_CARDS, closed_since=closed_since)
            facts = repo.card_facts([c.id for c in cards])
        return Board(stages=stages, cards=cards, facts=facts, older_closed=older, pipeline=shown,
                     pipelines=tuple(self.pipelines()), tallies=tuple(tallies))  # fmt: skip

    def older_closed_cards(
        self, before: datetime, *, owner: str | None = None, pipeline: int | str | Pipeline | None = None
    ) -> list[DealCard]:
        """The closed stages' deals (of `pipeline`, None: the first) closed before `before` (or with
        no close time): what a board read with `closed_since=before` left out."""
        closed = [s.id for s in self.stages(pipeline) if s.is_closed]
        with self.db.read() as repo:
            return repo.deal_cards(owner=owner, closed_stages=closed, closed_before=before)

    def matching_deal_ids(self, filter_text: str, pipeline: int | str | Pipeline | None = None) -> list[int]:
        """The deals a filter (domain/filters.py) matches, in board order: what the board shows
        with the same filter (and every closed deal, however old). A malformed filter raises
        `ValidationError` before anything is read.

        Each pipeline's deals are matched against its own stages (`stage:demo` names a stage of
        the pipelines that have one), pipeline by pipeline; `pipeline` keeps to one of them. A
        term no pipeline can read is refused. `pipeline:NAME` is read as on the board: the deals of
        that pipeline, none of another's."""
        from closedwon_tui.domain.filters import filter_deals, parse_filter

        self.forget_stages()
        every = self.pipelines()
        chosen = every if pipeline is None else [self.pipeline(pipeline)]
        filters, refused = [], None
        for each in chosen:
            try:
                filters.append((each, parse_filter(filter_text, self.stages(each), self.clock(), pipelines=every)))
            except ValidationError as exc:
                refused = refused or exc
        if not filters:
            assert refused is not None
            raise refused
        matched: list[int] = []
        for each, deal_filter in filters:
            board = self.board(pipeline=each)
            matched += [card.id for card in filter_deals(deal_filter, board.cards, board.facts)]
        return matched

    def card_facts(self, deal_ids: list[int]) -> dict[int, CardFacts]:
        with self.db.read() as repo:
            return repo.card_facts(deal_ids)

    def deal(self, deal_id: int) -> Deal:
        with self.db.read() as repo:
            return repo.deal(deal_id)

    def _listed_stages(
        self, stage: int | str | Stage | None, pipeline: int | str | Pipeline | None
    ) -> list[int] | None:
        """The stage ids a listing covers: one stage (looked up in `pipeline`), a pipeline's, or all."""
        if stage is not None:
            found = self.stage(stage, pipeline)
            if pipeline is not None and found.pipeline_id != self.pipeline(pipeline).id:
                raise ValidationError(f"stage {found.name} is not in pipeline {self.pipeline(pipeline).name}")
            return [found.id]
        if pipeline is not None:
            chosen = self.pipeline(pipeline)
            return [s.id for s in self.all_stages() if s.pipeline_id == chosen.id]
        return None

    def deals(
        self,
        *,
        stage: int | str | Stage | None = None,
        owner: str | None = None,
        pipeline: int | str | Pipeline | None = None,
    ) -> list[Deal]:
        stage_ids = self._listed_stages(stage, pipeline)
        with self.db.read() as repo:
            return repo.deals(stage_ids=stage_ids, owner=owner)

    @contextmanager
    def deal_listing_json(
        self,
        *,
        stage: int | str | Stage | None = None,
        owner: str | None = None,
        pipeline: int | str | Pipeline | None = None,
    ) -> Iterator[Iterator[list[str]]]:
        """Every deal (of a stage, of an owner, of a pipeline) as its JSON object (see
        storage/deal_listing.py), in batches, streamed from one read transaction while the caller
        writes them out."""
        from closedwon_tui.storage.deal_listing import deal_json_batches

        stage_ids = self._listed_stages(stage, pipeline)
        with self.db.read() as repo:
            yield deal_json_batches(repo.connection, self.clock(), stage_ids=stage_ids, owner=owner)

    def place_in_column(self, deal: Deal) -> int:
        """The deal's index in its column (0 is the top)."""
        with self.db.read() as repo:
            return repo.place_in_column(deal)

    def deal_detail(self, deal_id: int) -> DealDetail:
        with self.db.read() as repo:
            deal = repo.deal(deal_id)
            return DealDetail(
                deal=deal,
                stage=self.stage(deal.stage_id),
                objections=tuple(repo.objections(deal_id)),
                followups=tuple(repo.followups(deal_id)),
                notes=tuple(repo.notes(deal_id)),
                history=tuple(repo.events(deal_id)),
            )

    def history(self, deal_id: int) -> list[DealEvent]:
        with self.db.read() as repo:
            repo.deal(deal_id)
            return repo.events(deal_id)

    def all_events(self) -> list[DealEvent]:
        with self.db.read() as repo:
            return repo.events()

    def agenda(self, *, owner: str | None = None, first: int | None = None) -> list[AgendaItem]:
        """Pending follow-ups of the open deals of every pipeline, soonest first (a closed deal's
        follow-ups are no longer on the rep's list); each names its deal's pipeline. With `first`,
        only that many of the soonest (a screenful, read at once however many are pending)."""
        self.forget_stages()
        pipelines = {p.id: p for p in self.pipelines()}
        stages = {s.id: s for s in self.all_stages() if s.is_open and s.pipeline_id in pipelines}
        with self.db.read() as repo:
            rows = repo.pending_followups(stages, owner=owner, first=first)
        return [
            AgendaItem(followup, deal, stages[deal.stage_id], pipelines[stages[deal.stage_id].pipeline_id])
            for followup, deal in rows
        ]

    def last_event_id(self) -> int:
        """The newest history event: a cheap way to see whether anything changed."""
        with self.db.read() as repo:
            return repo.last_event_id()

    def event_ids_since(self, event_id: int) -> list[int]:
        with self.db.read() as repo:
            return repo.event_ids_since(event_id)

    def now(self) -> datetime:
        return self.clock()
