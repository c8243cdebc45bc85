"""The things a sales pipeline is made of, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from closedwon_tui.domain.changes import Change as Change
from closedwon_tui.domain.changes import ItemT as ItemT
from closedwon_tui.domain.changes import StageChange as StageChange
from closedwon_tui.domain.money import from_minor, to_minor


class StageKind(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ObjectionKind(StrEnum):
    PRICE = "price"
    TIMING = "timing"
    AUTHORITY = "authority"
    NEED = "need"
    COMPETITOR = "competitor"
    TRUST = "trust"
    OTHER = "other"


class ObjectionStatus(StrEnum):
    OPEN = "open"
    ADDRESSED = "addressed"


class EventKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    MOVED = "moved"
    REORDERED = "reordered"
    WON = "won"
    LOST = "lost"
    REOPENED = "reopened"
    OBJECTION_ADDED = "objection_added"
    OBJECTION_ANSWERED = "objection_answered"
    OBJECTION_ADDRESSED = "objection_addressed"
    FOLLOWUP_SCHEDULED = "followup_scheduled"
    FOLLOWUP_DONE = "followup_done"
    FOLLOWUP_SNOOZED = "followup_snoozed"
    NOTE_ADDED = "note_added"
    LOOKBACK = "lookback"
    UNDONE = "undone"
    REDONE = "redone"
    #: Brought in (created or updated) by an import; taken back only with the whole import.
    IMPORTED = "imported"


#: Events a rep can take back with undo.
UNDOABLE_EVENTS = frozenset(
    {
        EventKind.EDITED,
        EventKind.MOVED,
        EventKind.REORDERED,
        EventKind.WON,
        EventKind.LOST,
        EventKind.REOPENED,
        EventKind.OBJECTION_ADDED,
        EventKind.OBJECTION_ANSWERED,
        EventKind.OBJECTION_ADDRESSED,
        EventKind.FOLLOWUP_SCHEDULED,
        EventKind.FOLLOWUP_DONE,
        EventKind.FOLLOWUP_SNOOZED,
        EventKind.NOTE_ADDED,
        EventKind.LOOKBACK,
    }
)

#: Events that count as activity on a deal (they restart its rotting timer).
TOUCH_EVENTS = frozenset(set(EventKind) - {EventKind.REORDERED})


@dataclass(frozen=True, slots=True)
class Stage:
    id: int
    name: str
    position: int
    probability: int
    kind: StageKind = StageKind.OPEN
    rotting_days: int | None = None
    #: The pipeline the stage belongs to.
    pipeline_id: int = 0
    #: A removed stage is kept, archived, so that past events and reports still name it.
    archived: bool = False

    @property
    def is_open(self) -> bool:
        return self.kind is StageKind.OPEN

    @property
    def is_closed(self) -> bool:
        return self.kind is not StageKind.OPEN


@dataclass(frozen=True, slots=True)
class Pipeline:
    """A sales process of its own (Sales, Renewals...): its stages, its deals."""

    id: int
    name: str
    position: int
    #: A removed pipeline is kept, archived, so that its stages' past events still read.
    archived: bool = False


#: The pipeline every database starts with (and the one existing deals were brought into).
DEFAULT_PIPELINE = "Sales"


class PipelineEventKind(StrEnum):
    STAGE_ADDED = "stage_added"
    STAGE_RENAMED = "stage_renamed"
    STAGE_EDITED = "stage_edited"
    STAGE_MOVED = "stage_moved"
    STAGE_REMOVED = "stage_removed"
    PIPELINE_ADDED = "pipeline_added"
    PIPELINE_RENAMED = "pipeline_renamed"
    PIPELINE_REMOVED = "pipeline_removed"
    UNDONE = "undone"
    REDONE = "redone"


@dataclass(frozen=True, slots=True)
class PipelineEvent:
    """A change to a pipeline or its stages: who, when, what (`details` keeps before and after)."""

    id: int
    pipeline_id: int
    at: datetime
    actor: str
    kind: PipelineEventKind
    stage_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return str(self.details.get("summary", self.kind.value.replace("_", " ")))


#: The default pipeline: (name, probability, kind, rotting days).
DEFAULT_STAGES: tuple[tuple[str, int, StageKind, int | None], ...] = (
    ("Outreach", 10, StageKind.OPEN, 14),
    ("Qualification", 20, StageKind.OPEN, 14),
    ("Analysis", 40, StageKind.OPEN, 21),
    ("Proposal", 60, StageKind.OPEN, 14),
    ("Negotiation", 80, StageKind.OPEN, 10),
    ("Closed Won", 100, StageKind.WON, None),
    ("Closed Lost", 0, StageKind.LOST, None),
)

#: Why deals are lost, as reps pick them.
DEFAULT_LOST_REASONS: tuple[str, ...] = (
    "price",
    "timing",
    "competitor",
    "no decision",
    "need/fit",
    "went silent",
    "other",
)

BANT_KEYS: tuple[str, ...] = ("budget", "authority", "need", "timing")


@dataclass(frozen=True, slots=True)
class Deal:
    id: int
    title: str
    stage_id: int
    position: int
    created_at: datetime
    updated_at: datetime
    stage_entered_at: datetime
    last_activity_at: datetime
    company: str = ""
    contact_name: str = ""
    contact_email: str = ""
    amount: Decimal | None = None
    currency: str = "USD"
    probability: int | None = None
    close_date: date | None = None
    owner: str = ""
    source: str = ""
    budget_note: str = ""
    budget_ok: bool = False
    authority_note: str = ""
    authority_ok: bool = False
    need_note: str = ""
    need_ok: bool = False
    timing_note: str = ""
    timing_ok: bool = False
    next_step: str = ""
    closed_at: datetime | None = None
    lost_reason: str = ""
    lost_note: str = ""
    went_well: str = ""
    nearly_lost: str = ""
    version: int = 1


class DealCard(NamedTuple):
    """What the board holds of a deal: the fields its card, its column's totals and the filter need.

    The board keeps one per deal, ten thousand and more, so it is a named tuple built straight
    from a database row (several times cheaper than a Deal), with the amount in minor units
    for exact integer sums. Anything that needs the whole deal (the edit form, the panel)
    reads it by id.
    """

    id: int
    title: str
    company: str
    contact_name: str
    owner: str
    amount_minor: int | None
    currency: str
    probability: int | None
    stage_id: int
    position: int
    stage_entered_at: datetime
    last_activity_at: datetime
    closed_at: datetime | None
    version: int
    close_date: date | None  # the expected close, for the filter's close: terms and the column's order

    @property
    def amount(self) -> Decimal | None:
        return None if self.amount_minor is None else from_minor(self.amount_minor, self.currency)

    @classmethod
    def of(cls, deal: Deal) -> DealCard:
        """The card of a deal a service just returned."""
        minor = None if deal.amount is None else to_minor(deal.amount, deal.currency)
        return cls(
            deal.id, deal.title, deal.company, deal.contact_name, deal.owner, minor, deal.currency,
            deal.probability, deal.stage_id, deal.position, deal.stage_entered_at, deal.last_activity_at,
            deal.closed_at, deal.version, deal.close_date,
        )  # fmt: skip


class AgendaDeal(NamedTuple):
    """What the agenda shows of a follow-up's deal (read with the follow-up, one row each)."""

    id: int
    title: str
    company: str
    owner: str
    stage_id: int


#: Deal fields a rep may edit directly (the rest follow from moves and time).
EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "company",
    "contact_name",
    "contact_email",
    "amount",
    "currency",
    "probability",
    "close_date",
    "owner",
    "source",
    "budget_note",
    "budget_ok",
    "authority_note",
    "authority_ok",
    "need_note",
    "need_ok",
    "timing_note",
    "timing_ok",
    "next_step",
)

#: Fields restored by undo, beyond the editable ones.
STATE_FIELDS: tuple[str, ...] = EDITABLE_FIELDS + (
    "stage_id",
    "position",
    "stage_entered_at",
    "closed_at",
    "lost_reason",
    "lost_note",
    "went_well",
    "nearly_lost",
)


@dataclass(frozen=True, slots=True)
class Objection:
    id: int
    deal_id: int
    kind: ObjectionKind
    text: str
    created_at: datetime
    updated_at: datetime
    response: str = ""
    status: ObjectionStatus = ObjectionStatus.OPEN


@dataclass(frozen=True, slots=True)
class FollowUp:
    id: int
    deal_id: int
    due: datetime
    note: str
    created_at: datetime
    has_time: bool = False
    done_at: datetime | None = None

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    deal_id: int
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DealEvent:
    id: int
    deal_id: int
    at: datetime
    actor: str
    kind: EventKind
    from_stage_id: int | None = None
    to_stage_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DealDetail:
    """A deal with everything recorded about it."""

    deal: Deal
    stage: Stage
    objections: tuple[Objection, ...] = ()
    followups: tuple[FollowUp, ...] = ()
    notes: tuple[Note, ...] = ()
    history: tuple[DealEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class CardFacts:
    """What a board card shows beyond the deal itself."""

    open_objections: int = 0
    next_followup: datetime | None = None
