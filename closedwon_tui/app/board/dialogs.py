"""The board's dialogs around a change: the deal form (`n`, `e`), the lost reason a move into
Closed Lost asks first, and what follows a close (the celebration, the look back). Each dialog
only asks; what the rep answers goes to the board's session."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from closedwon_tui.app.app import app_of
from closedwon_tui.app.board.session import BoardSession
from closedwon_tui.app.board.writes import LostReason
from closedwon_tui.app.literal import notify_literal
from closedwon_tui.domain.errors import ClosedwonError
from closedwon_tui.domain.models import Change, Deal, DealCard, EventKind, Stage, StageKind

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen


class BoardDialogs:
    def __init__(self, screen: BoardScreen, session: BoardSession) -> None:
        self.screen = screen
        self.session = session

    def deal_form(
        self, deal: Deal | None, stage: Stage | None, values: dict[str, str] | None = None, error: str = ""
    ) -> None:
        """`n` and `e`; after a refused save, the form again with what was typed and why."""
        from closedwon_tui.app.forms.deal_form import DealForm, as_typed

        def entered(checked: dict[str, Any] | None) -> None:
            if checked is None:
                return

            def failed(why: ClosedwonError) -> None:
                again = deal if deal is None else self.fresh(deal)
                self.deal_form(again, stage, as_typed(checked), str(why))

            if deal is None:
                assert stage is not None
                self.session.create_deal(stage.id, checked, failed=failed)
            else:
                self.session.edit_deal(deal.id, deal.version, checked, failed=failed)

        self.screen.app.push_screen(DealForm(deal, stage=stage, values=values, error=error), entered)

    def fresh(self, deal: Deal) -> Deal:
        """The deal as it is now (after a colleague changed it), or as it was when that cannot be read."""
        try:
            return app_of(self.screen).service.deal(deal.id)
        except ClosedwonError:
            return deal

    def lookback_answered(self, deal: Deal, answer: Any) -> None:  # answer: LookbackAnswer
        """The rep answered the look back after a close: the session saves it."""
        from closedwon_tui.app.closing import ask_lookback

        won = deal.stage_id == next(s.id for s in self.session.model.stages if s.kind is StageKind.WON)

        def failed(why: ClosedwonError) -> None:
            ask_lookback(app_of(self.screen), deal, self.lookback_answered, won=won, answer=answer, error=str(why))

        self.session.record_lookback(
            deal.id, answer.went_well, answer.nearly_lost, failed=failed,
            then=lambda _change: notify_literal(self.screen, f"Saved on {deal.title}.", title="Look back"),
        )  # fmt: skip

    def ask_lost_reason(self, deal: DealCard, position: int | None) -> None:
        from closedwon_tui.app.closing import LostAnswer, LostReasonScreen

        lost = next(s for s in self.session.model.stages if s.kind is StageKind.LOST)

        def answered(answer: LostAnswer | None) -> None:
            if answer is None:
                self.screen.view.say("Not moved: a lost deal needs a reason")
            else:
                self.session.move(deal.id, lost.id, position, lost=LostReason(answer.reason, answer.note))

        self.screen.app.push_screen(LostReasonScreen(deal, app_of(self.screen).settings.lost_reasons), answered)

    def ask_lost_reasons(self, deals: list[DealCard], answered: Callable[[LostReason], None]) -> None:
        """Marked deals going into Closed Lost: one reason for all of them."""
        from closedwon_tui.app.closing import LostAnswer, LostReasonScreen

        def chosen(answer: LostAnswer | None) -> None:
            if answer is None:
                self.screen.view.say("Nothing moved: lost deals need a reason")
            else:
                answered(LostReason(answer.reason, answer.note))

        question = f"Why were these {len(deals)} deals lost?" if len(deals) > 1 else None
        screen = LostReasonScreen(deals[0], app_of(self.screen).settings.lost_reasons, question=question)
        self.screen.app.push_screen(screen, chosen)

    def ask_settle(self, deals: list[DealCard], answered: Callable[[bool], None]) -> None:
        """Closing deals that have pending follow-ups: mark them done (the default: enter or y) or keep them."""
        from closedwon_tui.app.panel.confirm import ConfirmScreen

        if len(deals) == 1:
            question = f"{deals[0].title} has pending follow-ups. Mark them done as it closes?"
        else:
            question = f"{len(deals)} of these deals have pending follow-ups. Mark them done as they close?"
        self.screen.app.push_screen(
            ConfirmScreen(question, yes="Mark them done", no="Keep them"), lambda yes: answered(yes is not False)
        )

    def after_close(self, change: Change[Any]) -> None:
        """A win is celebrated, then the look back offered; a loss offers the look back. Several deals
        won at once are celebrated once, with the total (no look back: it is about one deal)."""
        if change.is_bulk:
            wins = [part.deal for part in change.parts if part.kind is EventKind.WON]
            if wins:
                from closedwon_tui.app.closing import celebrate_many

                celebrate_many(app_of(self.screen), wins)
            return
        if change.kind is EventKind.WON:
            from closedwon_tui.app.closing import celebrate

            celebrate(app_of(self.screen), change, self.lookback_answered)
        elif change.kind is EventKind.LOST:
            from closedwon_tui.app.closing import offer_lookback

            offer_lookback(app_of(self.screen), change, self.lookback_answered)
