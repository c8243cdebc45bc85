"""What a use-case did, returned to its caller (`Change` for deals, `StageChange` for a pipeline's
stages), so that the board, the panel and the CLI show it without reading anything again, and
undo takes it back by its event id. Re-exported by domain/models.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from closedwon_tui.domain.models import (
        CardFacts,
        Deal,
        DealEvent,
        EventKind,
        FollowUp,
        Note,
        Objection,
        Pipeline,
        PipelineEvent,
        Stage,
    )

#: What a use-case created or updated besides the deal: an objection, a follow-up, a note (or nothing).
ItemT = TypeVar("ItemT", "Objection", "FollowUp", "Note", None)


@dataclass(frozen=True, slots=True)
class Change(Generic[ItemT]):
    """What one use-case did, so that its caller can show it without reading anything again.

    `deal` is the deal as it now is; `event` the history event written (None when there was
    nothing to change), which undo takes back by its id; `item` the objection, follow-up or note
    created or updated (so the CLI can print its id); `facts` what the deal's card shows after
    the change (open objections, next follow-up), read in the same transaction.

    `renumbered` names the columns whose cards all got new ordering keys (a rare spread, see
    `domain.ordering`): a board holding their old keys reads them again.
    """

    deal: Deal
    event: DealEvent | None
    item: ItemT = None  # type: ignore[assignment]
    facts: CardFacts | None = None
    renumbered: frozenset[int] = frozenset()
    #: Events written on the same deal with `event`, and undone and redone with it (a close marking
    #: the deal's pending follow-ups done); their ids are in `event.details["with"]`.
    companions: tuple[DealEvent, ...] = ()
    #: A change to several deals in one transaction (a bulk action, or its undo): the changes to the
    #: other deals, each with its own event; this one is the first deal's.
    others: tuple[Change[Any], ...] = ()

    @property
    def kind(self) -> EventKind | None:
        return None if self.event is None else self.event.kind

    @property
    def parts(self) -> tuple[Change[Any], ...]:
        """One change per deal: this one, then the others (a bulk action's)."""
        return (self, *self.others)

    @property
    def deals(self) -> tuple[Deal, ...]:
        return tuple(part.deal for part in self.parts)

    @property
    def leads(self) -> tuple[int, ...]:
        """The event of each deal that changed: what one undo takes back (with their companions)."""
        return tuple(part.event.id for part in self.parts if part.event is not None)

    @property
    def events(self) -> tuple[DealEvent, ...]:
        """Every history event written, companions first (they are written before their event)."""
        return tuple(e for part in self.parts for e in (*part.companions, *((part.event,) if part.event else ())))

    @property
    def is_bulk(self) -> bool:
        return bool(self.others)


@dataclass(frozen=True, slots=True)
class StageChange:
    """What a stage or pipeline use-case did: the pipeline and its stages as they now are, the
    event written (undo takes it back by its id), and the deal moves it made (a removed stage's
    deals moved to another stage), each a deal's Change."""

    pipeline: Pipeline
    stages: tuple[Stage, ...]
    event: PipelineEvent | None
    moved: tuple[Change[Any], ...] = ()
