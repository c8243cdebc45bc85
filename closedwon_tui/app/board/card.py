"""Draw one deal card as lines of Segments (the Line API), with styles from the theme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from closedwon_tui.app.literal import literal
from closedwon_tui.domain.models import CardFacts, DealCard, Stage
from closedwon_tui.domain.money import format_money
from closedwon_tui.domain.rules import days_in_stage, is_past_due, is_stale, local_today

#: The mark of an open deal with no pending follow-up (Pipedrive's "no next activity").
NO_NEXT_STEP = "○ no next step"

#: What each mark on a card means, for the help screen.
MARKS_HELP: list[tuple[str, str]] = [
    ("» Dec 3", "the next follow-up (» today: due today)"),
    ("! overdue 2d", "the next follow-up is overdue"),
    (NO_NEXT_STEP, "an open deal with no follow-up scheduled (f schedules one)"),
    ("⚑2", "open objections"),
    ("◷ stale", "no activity for longer than the stage allows"),
    ("⇅amount", "in a column header: the order shown (s cycles; the manual order stays stored)"),
]

#: Lines per card: a gap (where a drop marker shows), then four lines of content.
CARD_HEIGHT = 5
#: Before the title of a card marked for a bulk action.
MARK = "✓ "


@dataclass(frozen=True)
class CardStyles:
    """Rich styles resolved from the column's component classes (so themes apply)."""

    base: Style
    card: Style
    selected: Style
    title: Style
    muted: Style
    amount: Style
    overdue: Style
    today: Style
    later: Style
    objections: Style
    stale: Style
    no_next: Style
    marker: Style
    bar: Style


def fit(text: str, width: int) -> str:
    """Cut to `width` cells, with an ellipsis when something was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"


def _line(parts: list[tuple[str, Style]], width: int, fill: Style) -> list[Segment]:
    segments: list[Segment] = []
    used = 0
    for text, style in parts:
        if used >= width:
            break
        text = fit(text, width - used) if cell_len(text) > width - used else text
        segments.append(Segment(text, fill + style))
        used += cell_len(text)
    if used < width:
        segments.append(Segment(" " * (width - used), fill))
    return segments


def followup_badge(due: datetime | None, now: datetime) -> tuple[str, str, str] | None:
    """(kind, label, short label) for the next pending follow-up; kind is overdue, today or later."""
    if due is None:
        return None
    today = local_today(now)
    timed = due.time() != datetime.min.time()  # the card facts keep the time only: midnight means a day
    if is_past_due(due, timed, now):
        late = (today - due.date()).days
        return ("overdue", f"! overdue {late}d", f"! -{late}d") if late else ("overdue", "! overdue", "! late")
    if due.date() == today:
        return "today", "» today", "» today"
    label = f"» {due.strftime('%b')} {due.day}"
    return "later", label, label


def badges(deal: DealCard, stage: Stage, facts: CardFacts | None, now: datetime, width: int, styles: CardStyles
           ) -> list[tuple[str, Style]]:  # fmt: skip
    """The marks line: next follow-up (or none on an open deal), open objections, stale; shortened
    when the card is narrow. A closed deal has nothing left to chase: no follow-up or objection marks."""
    full: list[tuple[str, str, Style]] = []
    if stage.is_closed:
        facts = None
    badge = followup_badge(facts.next_followup if facts else None, now)
    if badge is not None:
        kind, label, short = badge
        full.append((label, short, getattr(styles, kind)))
    elif stage.is_open:
        full.append((NO_NEXT_STEP, NO_NEXT_STEP[0], styles.no_next))
    if facts and facts.open_objections:
        full.append((f"⚑{facts.open_objections}", f"⚑{facts.open_objections}", styles.objections))
    if is_stale(deal, stage, now):
        full.append(("◷ stale", "◷", styles.stale))
    long_form = "  ".join(label for label, _, _ in full)
    use_short = cell_len(long_form) > width
    parts: list[tuple[str, Style]] = []
    for i, (label, short, style) in enumerate(full):
        if i:
            parts.append((" " if use_short else "  ", Style()))
        parts.append((short if use_short else label, style))
    return parts


def card_lines(
    deal: DealCard,
    stage: Stage,
    facts: CardFacts | None,
    now: datetime,
    width: int,
    styles: CardStyles,
    *,
    selected: bool,
    active: bool = True,
    marked: bool = False,
) -> list[list[Segment]]:
    """The CARD_HEIGHT - 1 content lines of a card (the gap line is drawn by the column); a card
    marked for a bulk action (`space`) shows ✓ before its title."""
    fill = styles.selected if selected else styles.card
    cursor = selected and active
    bar = Segment("▌" if cursor else " ", fill + (styles.bar if cursor else Style()))
    inner = max(0, width - 2)
    days = f"{days_in_stage(deal, now)}d"
    amount = format_money(deal.amount, deal.currency, compact=True) if deal.amount is not None else "no amount"
    gap = max(1, inner - cell_len(amount) - cell_len(days))
    title: list[tuple[str, Style]] = [(literal(deal.title), styles.title)]
    if marked:
        title.insert(0, (MARK, styles.marker))
    rows = [
        title,
        [(literal(deal.company) or "—", styles.muted)],
        [(amount, styles.amount), (" " * gap, Style()), (days, styles.muted)],
        badges(deal, stage, facts, now, inner, styles) or [("", Style())],
    ]
    return [[bar, *_line(parts, inner, fill), Segment(" ", fill)] for parts in rows]
