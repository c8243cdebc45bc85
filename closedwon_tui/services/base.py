"""What every service shares: the database, the clock, the actor and the stages."""

from __future__ import annotations

import dataclasses
import getpass
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from closedwon_tui.domain.errors import ConflictError, NotFoundError, ValidationError
from closedwon_tui.domain.fields import clean_text
from closedwon_tui.domain.models import (
    DEFAULT_LOST_REASONS,
    TOUCH_EVENTS,
    CardFacts,
    Change,
    Deal,
    DealEvent,
    EventKind,
    Pipeline,
    Stage,
    StageKind,
)
from closedwon_tui.domain.rules import find_stage
from closedwon_tui.domain.stage_rules import find_pipeline
from closedwon_tui.storage.database import Database
from closedwon_tui.storage.repository import Repository

Clock = Callable[[], datetime]

#: What a card's facts count: a write to one of these (or its undo) changes them.
FACT_ENTITIES = frozenset({"objection", "followup"})

#: The mark of one write to several deals (a bulk action, its undo or redo), on each event it writes
#: (`details["together"]`): its own key, and the newest event id before it, where to look for the
#: others. `deal undo ID` takes such a change back whole, as the board's `u` does.
_TOGETHER: ContextVar[dict[str, Any] | None] = ContextVar("closedwon_together", default=None)


def together_details() -> dict[str, Any]:
    """`{"together": mark}` for each event of a write to several deals under way in this thread,
    else nothing (see `_TOGETHER`)."""
    mark = _TOGETHER.get()
    return {} if mark is None else {"together": mark}


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return ""


class ServiceBase:
    def __init__(
        self,
        db: Database,
        *,
        clock: Clock | None = None,
        actor: str | None = None,
        default_currency: str = "USD",
        lost_reasons: Sequence[str] = DEFAULT_LOST_REASONS,
    ) -> None:
        self.db = db
        #: The reasons a deal may be lost for (the settings' list): every path that loses a deal is checked.
        self.lost_reasons: tuple[str, ...] = tuple(lost_reasons) or DEFAULT_LOST_REASONS
        self.clock: Clock = clock or utc_now
        self.actor = (default_actor() if actor is None else actor)[:120]  # the history's actor column
        self.default_currency = default_currency
        self._stages: list[Stage] | None = None
        self._pipelines: list[Pipeline] | None = None

    # pipelines and stages: the one lookup ---------------------------------
    def forget_stages(self) -> None:
        """Read pipelines and stages again next time (after a stage change, a restore, or a
        colleague's stage change seen by the board)."""
        self._stages = None
        self._pipelines = None

    def _load_stages(self) -> None:
        with self.db.read() as repo:
            self._pipelines = repo.pipelines()
            self._stages = repo.stages()

    def all_pipelines(self) -> list[Pipeline]:
        """Every pipeline, archived (removed) ones too."""
        if self._pipelines is None:
            self._load_stages()
        assert self._pipelines is not None
        return list(self._pipelines)

    def all_stages(self) -> list[Stage]:
        """Every stage of every pipeline, archived (removed) ones too: what past events refer to."""
        if self._stages is None:
            self._load_stages()
        assert self._stages is not None
        return list(self._stages)

    def pipelines(self) -> list[Pipeline]:
        """The pipelines a rep works in, in order (Sales first unless they were reordered)."""
        return [p for p in self.all_pipelines() if not p.archived]

    def pipeline(self, ref: int | str | Pipeline | None = None) -> Pipeline:
        """A pipeline by id, by name (any case, or a unique prefix) or by its 1-based number; None
        is the first one (Sales, in a database that had one pipeline)."""
        if isinstance(ref, Pipeline):
            return ref
        if ref is None:
            return self.pipelines()[0]
        if isinstance(ref, int):
            for fresh in (False, True):
                if fresh:
                    self.forget_stages()
                for pipeline in self.all_pipelines():
                    if pipeline.id == ref:
                        return pipeline
            raise NotFoundError(f"no pipeline with id {ref}")
        return find_pipeline(self.pipelines(), str(ref))

    def stages(self, pipeline: int | str | Pipeline | None = None) -> list[Stage]:
        """A pipeline's stages in board order, the removed ones left out (None: the first pipeline)."""
        pipeline_id = self.pipeline(pipeline).id
        return [s for s in self.all_stages() if s.pipeline_id == pipeline_id and not s.archived]

    def stage(self, ref: int | str | Stage, pipeline: int | str | Pipeline | None = None) -> Stage:
        """A stage by id (of any pipeline, removed ones too), or by name (any case, or a unique
        prefix) or 1-based number within `pipeline` (None: the first pipeline). The one stage
        lookup: the command line, the board and the filter all come here."""
        if isinstance(ref, Stage):
            return ref
        if isinstance(ref, int):
            for fresh in (False, True):
                if fresh:  # a stage added since they were read (by a colleague, say)
                    self.forget_stages()
                for stage in self.all_stages():
                    if stage.id == ref:
                        return stage
            raise NotFoundError(f"no stage with id {ref}")
        return find_stage(self.stages(pipeline), str(ref))

    def stage_of_kind(self, kind: StageKind, pipeline: int | str | Pipeline | None = None) -> Stage:
        for stage in self.stages(pipeline):
            if stage.kind is kind:
                return stage
        raise NotFoundError(f"the pipeline has no {kind.value} stage")  # pragma: no cover

    def stage_name(self, stage_id: int | None) -> str | None:
        return None if stage_id is None else self.stage(stage_id).name

    def pipeline_of(self, stage: int | Stage) -> Pipeline:
        """The pipeline a stage (and so a deal in it) belongs to."""
        return self.pipeline(self.stage(stage).pipeline_id)

    # history ------------------------------------------------------------
    def _record(
        self,
        repo: Repository,
        deal: Deal,
        kind: EventKind,
        now: datetime,
        *,
        from_stage_id: int | None = None,
        to_stage_id: int | None = None,
        touched: bool = False,
        **details: Any,
    ) -> DealEvent:
        """Append the history event, and count it as activity on the deal (`touched`: the caller's
        update of the deal already set its last activity to `now`)."""
        details = {**details, **together_details()}
        event = repo.add_event(
            deal_id=deal.id,
            at=now,
            actor=self.actor,
            kind=kind,
            from_stage_id=from_stage_id,
            to_stage_id=to_stage_id,
            details=details,
        )
        if kind in TOUCH_EVENTS and not touched:
            repo.touch(deal.id, now)
        return event

    @staticmethod
    def _change(
        repo: Repository, deal: Deal, event: DealEvent | None, item: Any = None,
        companions: tuple[DealEvent, ...] = (),
    ) -> Change[Any]:  # fmt: skip
        """The Change a write returns: the deal as the event left it (an activity touched it), and,
        when the write changed them, its card facts (open objections, next follow-up) read in the
        same transaction; None when they are as they were; and the columns a spread of ordering
        keys renumbered in this transaction (see `domain.ordering`)."""
        if event is None:
            return Change(deal, None, item)
        if event.kind in TOUCH_EVENTS:
            deal = dataclasses.replace(deal, last_activity_at=event.at, updated_at=event.at)
        facts = None
        if any(e.details.get("entity") in FACT_ENTITIES for e in (event, *companions)):
            facts = repo.card_facts([deal.id]).get(deal.id, CardFacts())
        return Change(deal, event, item, facts, frozenset(repo.renumbered), companions)

    @staticmethod
    @contextmanager
    def _marked_together(repo: Repository, count: int) -> Iterator[None]:
        """Inside a write to `count` deals: every event written is marked as part of one change
        (nothing when it is one deal)."""
        if count < 2:
            yield
            return
        token = _TOGETHER.set({"key": uuid.uuid4().hex[:16], "after": repo.last_event_id()})
        try:
            yield
        finally:
            _TOGETHER.reset(token)

    @staticmethod
    def _together(repo: Repository, parts: list[Change[Any]]) -> Change[Any]:
        """One Change for a write to several deals in one transaction (a bulk action, its undo)."""
        if not parts:
            raise ValidationError("no deals to change")
        first = parts[0]
        renumbered = frozenset(repo.renumbered)
        return dataclasses.replace(first, renumbered=renumbered, others=tuple(parts[1:]))

    def _locked_now(self, repo: Repository) -> datetime:
        """Lock the columns for this transaction (`Repository.lock_columns`; on SQLite the write
        transaction itself holds the lock) and take the change's time once the lock is held.
        Writers that queue for it then get their times in the order they write, so a deal's
        history, in time order, ends where the deal is: a time taken before waiting could be older
        than a colleague's change that landed meanwhile."""
        repo.lock_columns()
        return self.clock()

    def _check_version(self, deal: Deal, expected_version: int | None) -> None:
        if expected_version is not None and deal.version != expected_version:
            raise ConflictError(
                f"deal {deal.id} ({deal.title}) was changed by someone else since you opened it; reload and try again"
            )

    @staticmethod
    def _require_text(text: str | None, what: str) -> str:
        return clean_text(what, text, required=True)
