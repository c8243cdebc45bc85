"""The board's requests that move one deal: a stage on or back (`L`, `H`), into a stage (`m`, `w`,
`x`), a drop, up or down its column (`K`, `J`). Each is resolved when its turn in the session's
queue comes, against the board as it is then; a move into Closed Lost asks the reason first, and
one that closes a deal with pending follow-ups asks what becomes of them. Plain Python."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closedwon_tui.app.board.writes import LostReason, Write
from closedwon_tui.domain.models import DealCard, Stage, StageKind

if TYPE_CHECKING:
    from closedwon_tui.app.board.session import BoardSession


class MoveRequests:
    def __init__(self, session: BoardSession) -> None:
        self.session = session

    def card(self, deal_id: int) -> DealCard | None:
        """The deal as the board has it now (None: not on the board any more)."""
        return self.session.model.deal(deal_id)

    def move_by(self, deal_id: int, delta: int) -> None:
        """One stage on (`L`) or back (`H`) from wherever the deal is when the move's turn comes."""

        def resolve() -> Write | None:
            card = self.card(deal_id)
            if card is None:
                return None
            stages = self.session.model.stages
            index = next(i for i, s in enumerate(stages) if s.id == card.stage_id) + delta
            if not 0 <= index < len(stages):
                self.session.view.say("No stage that way")
                return None
            return self._move(card, stages[index], None, None)

        self.session.submit(resolve)

    def move(
        self, deal_id: int, stage_id: int, position: int | None = None, *, lost: LostReason | None = None,
        settle: bool | None = None,
    ) -> None:  # fmt: skip
        """Into a stage (the stage picker, a lost reason given, the follow-ups question answered), at
        `position` (None: the top)."""

        def resolve() -> Write | None:
            card = self.card(deal_id)
            if card is None:
                return None
            model = self.session.model
            if card.stage_id == stage_id:
                if position is None:
                    self.session.view.say(f"{card.title} is already in {model.stage_by_id[stage_id].name}")
                    return None
                return self._reorder(card, position)
            return self._move(card, model.stage_by_id[stage_id], position, lost, settle)

        self.session.submit(resolve)

    def drop(self, deal_id: int, stage_id: int, index: int) -> None:
        """A card dropped before visible card `index` of a column: a reorder or a move."""

        def resolve() -> Write | None:
            card = self.card(deal_id)
            if card is None:
                return None
            model = self.session.model
            position = model.drop_position(stage_id, index, card)
            if card.stage_id == stage_id:
                return self._reorder(card, position)
            return self._move(card, model.stage_by_id[stage_id], position, None)

        self.session.submit(resolve)

    def reorder_by(self, deal_id: int, delta: int) -> None:
        """Up (`K`) or down (`J`) past the next card the rep can see."""

        def resolve() -> Write | None:
            card = self.card(deal_id)
            if card is None:
                return None
            model = self.session.model
            shown = model.visible(card.stage_id)
            here = next((i for i, d in enumerate(shown) if d.id == deal_id), None)
            if here is None or not 0 <= here + delta < len(shown):
                return None
            column = model.columns[card.stage_id]
            position = next(i for i, d in enumerate(column) if d.id == shown[here + delta].id)
            return self._reorder(card, position)

        self.session.submit(resolve)

    def mark_won(self, deal_id: int) -> None:
        won = next(s for s in self.session.model.stages if s.kind is StageKind.WON)
        self.move(deal_id, won.id)

    def _move(
        self, card: DealCard, stage: Stage, position: int | None, lost: LostReason | None, settle: bool | None = None
    ) -> Write | None:
        view = self.session.view
        if stage.kind is StageKind.LOST and lost is None:
            view.ask_lost_reason(card, position)
            return None
        if settle is None and self.settles(card, stage):
            view.ask_settle([card], lambda answer: self.move(card.id, stage.id, position, lost=lost, settle=answer))
            return None
        reason, note = (lost.reason, lost.note) if lost is not None else (None, "")
        return Write(
            lambda s: s.move_deal(
                card.id,
                stage.id,
                position=position,
                expected_version=card.version,
                lost_reason=reason,
                lost_note=note,
                settle_followups=settle is not False,
            ),  # fmt: skip
            f"Moving {card.title} to {stage.name}",
        )

    def settles(self, card: DealCard, stage: Stage) -> bool:
        """Whether the move closes a deal that has pending follow-ups (the rep is asked what becomes of them)."""
        model = self.session.model
        facts = model.facts.get(card.id)
        open_now = model.stage_by_id[card.stage_id].is_open
        return stage.is_closed and open_now and facts is not None and facts.next_followup is not None

    def _reorder(self, card: DealCard, position: int) -> Write | None:
        model = self.session.model
        if position == model.columns[card.stage_id].index(card):
            return None
        return Write(
            lambda s: s.reorder_deal(card.id, position, expected_version=card.version),
            f"Moving {card.title} within {model.stage_by_id[card.stage_id].name}",
        )
