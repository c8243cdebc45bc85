"""The board's requests on many deals at once (marked cards): each one request, one transaction, one
Change and one undo. `BoardSession` owns one; plain Python, like the session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from closedwon_tui.app.board.move_requests import MoveRequests
from closedwon_tui.app.board.writes import Failed, Follow, LostReason, Write
from closedwon_tui.domain.models import Change, DealCard, Stage, StageKind

if TYPE_CHECKING:
    from closedwon_tui.app.board.session import BoardSession


class BulkRequests:
    """`move_many`, `edit_many`, `schedule_many`: what the session does with the marked cards."""

    def __init__(self, session: BoardSession, moves: MoveRequests) -> None:
        self.session = session
        self.moves = moves

    def _cards(self, deal_ids: list[int]) -> list[DealCard]:
        return [card for deal_id in deal_ids if (card := self.moves.card(deal_id)) is not None]

    def move_many(
        self, deal_ids: list[int], *, stage_id: int | None = None, delta: int = 0, position: int | None = None,
        lost: LostReason | None = None, settle: bool | None = None, then: Callable[[Change[Any]], None] | None = None,
    ) -> None:  # fmt: skip
        """Marked deals into one stage (`m`, `w`, `x`, a drop), or each one stage on or back (`L`, `H`)."""

        def again(**answer: Any) -> None:
            options = {"lost": lost, "settle": settle, **answer}
            self.move_many(deal_ids, stage_id=stage_id, delta=delta, position=position, then=then, **options)

        def resolve() -> Write | None:
            cards = self._cards(deal_ids)
            if not cards:
                return None
            model, view = self.session.model, self.session.view
            stages = model.stages
            moves: list[tuple[DealCard, Stage]] = []
            for card in cards:
                if stage_id is not None:
                    moves.append((card, model.stage_by_id[stage_id]))
                    continue
                index = next(i for i, s in enumerate(stages) if s.id == card.stage_id) + delta
                if not 0 <= index < len(stages):
                    view.say(f"No stage that way for {card.title}: nothing moved")
                    return None
                moves.append((card, stages[index]))
            if lost is None and any(stage.kind is StageKind.LOST for _, stage in moves):
                losing = [card for card, stage in moves if stage.kind is StageKind.LOST]
                view.ask_lost_reasons(losing, lambda reason: again(lost=reason))
                return None
            pending = [card for card, stage in moves if self.moves.settles(card, stage)]
            if settle is None and pending:
                view.ask_settle(pending, lambda answer: again(settle=answer))
                return None
            versions = {card.id: card.version for card in cards}
            pairs = [(card.id, stage.id) for card, stage in moves]
            reason, note = (lost.reason, lost.note) if lost is not None else (None, "")
            where = model.stage_by_id[stage_id].name if stage_id is not None else "their next stages"
            if stage_id is None and delta < 0:
                where = "their previous stages"
            return Write(
                lambda s: s.move_each(pairs, position=position, expected_versions=versions, lost_reason=reason,
                                      lost_note=note, settle_followups=settle is not False),
                f"Moving {_count(cards)} to {where}", follow=Follow.STAY, then=then,
            )  # fmt: skip

        self.session.submit(resolve)

    def edit_many(
        self, deal_ids: list[int], values: dict[str, Any], *, then: Callable[[Change[Any]], None] | None = None
    ) -> None:
        """The same fields on every marked deal (`O`: a new owner)."""

        def resolve() -> Write | None:
            cards = self._cards(deal_ids)
            if not cards:
                return None
            versions = {card.id: card.version for card in cards}
            ids = [card.id for card in cards]
            return Write(lambda s: s.edit_deals(ids, values, expected_versions=versions), f"Saving {_count(cards)}",
                         follow=Follow.STAY, then=then)  # fmt: skip

        self.session.submit(resolve)

    def schedule_many(
        self, deal_ids: list[int], due: date | datetime, note: str, *, failed: Failed | None = None,
        then: Callable[[Change[Any]], None] | None = None,
    ) -> None:  # fmt: skip
        """One follow-up on each marked deal (`f`)."""
        self.session.submit(lambda: Write(lambda s: s.schedule_followups(deal_ids, due, note),
                                  f"Scheduling {len(deal_ids)} follow-ups", follow=Follow.STAY, failed=failed,
                                  then=then))  # fmt: skip


def _count(cards: list[DealCard]) -> str:
    """`Helios rollout`, or `12 deals`."""
    return cards[0].title if len(cards) == 1 else f"{len(cards)} deals"
