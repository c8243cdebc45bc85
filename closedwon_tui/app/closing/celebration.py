"""Closed won: confetti, the deal, and where it leaves the rep's month and quarter. Any key goes on."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from closedwon_tui.app.app import app_of
from closedwon_tui.app.closing.confetti import ConfettiSky
from closedwon_tui.app.literal import plain
from closedwon_tui.domain.errors import ClosedwonError
from closedwon_tui.domain.models import Deal
from closedwon_tui.domain.money import format_money, format_totals
from closedwon_tui.domain.reports import Outcomes
from closedwon_tui.domain.rules import sales_cycle_days
from closedwon_tui.services.closing import WonContext


def cycle_text(days: int) -> str:
    if days == 0:
        return "Closed the day it was created"
    return f"{days} day{'s' if days != 1 else ''} from first touch to close"


def wins_line(label: str, outcomes: Outcomes) -> Content:
    count = outcomes.won_count
    deals = f"{count} deal{'s' if count != 1 else ''} won"
    amount = format_totals(outcomes.won_totals, empty="—")
    return Content.assemble(
        plain(f"{label:<18}", "$text-muted"), plain(f"{deals:<14}", "bold"), plain(amount, "bold $success")
    )


def win_rate_line(context: WonContext) -> Content:
    label = plain(f"{'Quarter win rate':<18}", "$text-muted")
    after = context.win_rate_after
    if after is None:  # pragma: no cover - a won deal always closes in this quarter
        return Content.assemble(label, "—")
    if context.win_rate_before is None:
        return Content.assemble(label, plain(f"{after}%", "bold"), ("  the quarter's first close", "$text-muted"))
    change = context.win_rate_change or Decimal(0)
    if change > 0:
        moved = plain(f"  ▲ {change} pts", "bold $success")
    elif change < 0:  # pragma: no cover - a win never lowers the win rate
        moved = plain(f"  ▼ {-change} pts", "bold $warning")
    else:
        moved = Content.styled("  unchanged", "$text-muted")
    return Content.assemble(label, plain(f"{context.win_rate_before}% → "), plain(f"{after}%", "bold"), moved)


def _titles(deals: Sequence[Deal], shown: int = 3) -> str:
    """`Helios, Quasar, Nimbus and 4 more`."""
    names = [d.title for d in deals[:shown]]
    rest = len(deals) - len(names)
    return ", ".join(names) + (f" and {rest} more" if rest else "")


class CelebrationScreen(Screen[None]):
    """Plays the confetti for about two seconds, then holds still until a key or a click.

    The deal shows at once; the month and quarter figures are counted in a worker, so a
    big history or a remote database never holds up the confetti.
    """

    CSS_PATH = "closing.tcss"

    def __init__(self, deal: Deal, *, animate: bool = True, more: Sequence[Deal] = ()) -> None:
        super().__init__()
        self.deal = deal
        #: Other deals won with this one (a bulk win): one celebration, with the total.
        self.more = tuple(more)
        self.animate = animate
        self.context: WonContext | None = None

    def compose(self) -> ComposeResult:
        deal = self.deal
        yield ConfettiSky(seed=deal.id, animate=self.animate, id="celebration-sky")
        with Vertical(id="celebration-card"):
            yield Static("★  CLOSED WON  ★", id="celebration-banner")
            if self.more:
                yield from self._compose_many()
            else:
                yield from self._compose_one()
            whose = f"{deal.owner}'s" if deal.owner and all(d.owner == deal.owner for d in self.more) else "Your"
            yield Static(plain(f"{whose} month and quarter"), id="celebration-whose")
            yield Static(Content.styled("Counting the wins…\n\n", "$text-muted"), id="celebration-figures")
            yield Static("press any key to continue", id="celebration-hint")

    def _compose_one(self) -> ComposeResult:
        deal = self.deal
        yield Static(plain(deal.title), id="celebration-title")
        if deal.company:
            yield Static(plain(deal.company), id="celebration-company")
        yield Static(plain(format_money(deal.amount, deal.currency)), id="celebration-amount")
        yield Static(plain(cycle_text(sales_cycle_days(deal) or 0)), id="celebration-cycle")

    def _compose_many(self) -> ComposeResult:
        deals = (self.deal, *self.more)
        totals: dict[str, Decimal] = {}
        for deal in deals:
            if deal.amount is not None:
                totals[deal.currency] = totals.get(deal.currency, Decimal(0)) + deal.amount
        yield Static(plain(f"{len(deals)} deals won"), id="celebration-title")
        yield Static(plain(_titles(deals)), id="celebration-company")
        yield Static(plain(format_totals(totals, empty="no amounts")), id="celebration-amount")

    def on_mount(self) -> None:
        self._count_wins()

    @work(thread=True, exit_on_error=False, group="celebration")
    def _count_wins(self) -> None:
        try:
            context = app_of(self).service.won_context(self.deal.id, also=[d.id for d in self.more])
        except ClosedwonError as exc:
            self.app.call_from_thread(self._show_problem, str(exc))
        else:
            self.app.call_from_thread(self._show_figures, context)

    def _show_figures(self, context: WonContext) -> None:
        if not self.is_attached:
            return
        self.context = context
        lines = [wins_line("This month", context.month), wins_line("This quarter", context.quarter),
                 win_rate_line(context)]  # fmt: skip
        self.query_one("#celebration-figures", Static).update(Content("\n").join(lines))

    def _show_problem(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#celebration-figures", Static).update(plain(message, "$warning"))

    @property
    def sky(self) -> ConfettiSky:
        return self.query_one(ConfettiSky)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(None)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.dismiss(None)
