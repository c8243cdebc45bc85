"""The board's keys and drops that change deals, each turned into one request to the session: on
the selected card, or on every marked card at once (`space`, `*`). The forms they open only ask."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closedwon_tui.app.activity import deal_line
from closedwon_tui.app.app import app_of
from closedwon_tui.app.board.bulk_words import bulk_said
from closedwon_tui.app.board.session import BoardSession
from closedwon_tui.app.board.view import BoardView
from closedwon_tui.app.literal import notify_literal
from closedwon_tui.domain.errors import ClosedwonError
from closedwon_tui.domain.models import Change, Stage, StageKind

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen


class DealActions:
    def __init__(self, screen: BoardScreen, session: BoardSession) -> None:
        self.screen = screen
        self.session = session

    # marks: what a bulk action acts on -------------------------------------
    def toggle_mark(self) -> None:
        if (deal := self.screen.selected_deal) is not None:
            self.screen.marks.toggle(deal.id)

    def mark_column(self) -> None:
        column, marks = self.screen.column, self.screen.marks
        added = marks.add(d.id for d in column.deals)
        name = column.stage.name
        notify_literal(self.screen, f"Marked {added} more in {name} ({len(marks)} marked)" if added
                       else f"Every card shown in {name} is already marked", timeout=2)  # fmt: skip

    def marked(self) -> list[int]:
        """The marked deals, in the board's order (empty: the keys act on the selected card)."""
        return self.screen.marks.in_board_order(self.session.model)

    def bulk_done(self, change: Change[Any]) -> None:
        """A bulk action landed: the marks have done their job."""
        self.screen.marks.clear()
        names = {stage.id: stage.name for stage in self.session.model.stages}
        notify_literal(self.screen, bulk_said(change, names), timeout=4)

    # moves -------------------------------------------------------------------
    def move_stage(self, delta: int) -> None:
        if marked := self.marked():
            self.session.move_many(marked, delta=delta, then=self.bulk_done)
        elif (deal := self.screen.selected_deal) is not None:
            self.session.move_by(deal.id, delta)

    def reorder(self, delta: int) -> None:
        if (deal := self.screen.selected_deal) is not None:
            display = self.screen.column_display
            if display.back_to_manual(deal.stage_id, "K and J move cards in the manual order"):
                return
            display.complete_column(deal.stage_id)
            self.session.reorder_by(deal.id, delta)

    def mark_won(self) -> None:
        if marked := self.marked():
            self.session.move_many(marked, stage_id=self._stage(StageKind.WON).id, then=self.bulk_done)
        elif (deal := self.screen.selected_deal) is not None:
            self.session.mark_won(deal.id)

    def mark_lost(self) -> None:
        lost = self._stage(StageKind.LOST)
        if marked := self.marked():
            self.session.move_many(marked, stage_id=lost.id, then=self.bulk_done)  # one reason for all, asked first
        elif (deal := self.screen.selected_deal) is not None:
            self.session.move(deal.id, lost.id)  # asks for the reason first

    def _stage(self, kind: StageKind) -> Stage:
        return next(s for s in self.session.model.stages if s.kind is kind)

    def pick_stage(self) -> None:
        from closedwon_tui.app.forms.stage_picker import StagePicker

        marked = self.marked()
        deal = self.screen.selected_deal
        if deal is None and not marked:
            return

        def picked(stage: Stage | None) -> None:
            if stage is None:
                return
            if marked:
                self.session.move_many(marked, stage_id=stage.id, then=self.bulk_done)
            elif deal is not None:
                self.session.move(deal.id, stage.id)

        current = None if marked or deal is None else deal.stage_id
        self.screen.app.push_screen(StagePicker(self.session.model.stages, current=current), picked)

    def dropped(self, event: BoardView.DealDropped) -> None:
        """A card dropped on a column: a move or a reorder (of every marked card, when it is marked)."""
        model, display = self.session.model, self.screen.column_display
        index = event.index
        shown = model.visible(event.stage_id)
        anchor = shown[index].id if index < len(shown) else None  # dropped before this card, as seen
        if display.back_to_manual(event.stage_id, "dragging sets the manual order"):
            manual = model.visible(event.stage_id)
            index = next((i for i, d in enumerate(manual) if d.id == anchor), len(manual))
        display.complete_column(event.stage_id)  # after the order is back to manual: a place counts every card
        card = model.deal(event.deal_id)
        if event.deal_id in self.screen.marks and card is not None:  # a marked card takes every marked one along
            position = model.drop_position(event.stage_id, index, card)
            self.session.move_many(self.marked(), stage_id=event.stage_id, position=position, then=self.bulk_done)
        else:
            self.session.drop(event.deal_id, event.stage_id, index)

    # deals -------------------------------------------------------------------
    def change_owner(self) -> None:
        from closedwon_tui.app.board.owner_form import OwnerForm

        marked = self.marked()
        card = self.screen.selected_deal
        if not marked and card is None:
            return
        about = f"{len(marked)} marked deals" if marked else deal_line(card.title, card.company) if card else ""

        def entered(owner: str | None) -> None:
            if owner is None:
                return
            if marked:
                self.session.edit_many(marked, {"owner": owner}, then=self.bulk_done)
            elif card is not None:
                self.session.edit_deal(card.id, card.version, {"owner": owner})

        self.screen.app.push_screen(OwnerForm(about, owner="" if marked or card is None else card.owner), entered)

    def new_deal(self) -> None:
        column = self.screen.column
        stage = column.stage if column.stage.is_open else self.session.model.stages[0]
        self.screen.dialogs.deal_form(None, stage)

    def edit_deal(self) -> None:
        card = self.screen.selected_deal
        if card is None:
            return
        try:
            deal = app_of(self.screen).service.deal(card.id)  # the whole deal, as it is now
        except ClosedwonError as exc:
            self.screen.view.show_error(str(exc), conflict=False)
            return
        self.screen.dialogs.deal_form(deal, None)

    # activity ----------------------------------------------------------------
    def _about_selected(self) -> tuple[int, str] | None:
        deal = self.screen.selected_deal
        return None if deal is None else (deal.id, deal_line(deal.title, deal.company))

    def add_objection(self) -> None:
        if (selected := self._about_selected()) is not None:
            self.screen.forms.objection(*selected)

    def schedule_followup(self) -> None:
        if marked := self.marked():
            self.screen.forms.followups(marked, then=self.bulk_done)
        elif (selected := self._about_selected()) is not None:
            self.screen.forms.followup(*selected)

    def add_note(self) -> None:
        if (selected := self._about_selected()) is not None:
            self.screen.forms.note(*selected)
