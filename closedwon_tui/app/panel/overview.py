"""The panel's Overview tab: every field of the deal, BANT, and the time it spent in each stage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from closedwon_tui.app.literal import plain
from closedwon_tui.app.panel.entries import FieldTable, PanelText
from closedwon_tui.domain.models import BANT_KEYS, DealDetail, Stage, StageKind
from closedwon_tui.domain.money import format_money
from closedwon_tui.domain.rules import (
    bant_score,
    close_date_passed,
    days_in_stage,
    effective_probability,
    is_stale,
    local_today,
    weighted_value,
)
from closedwon_tui.domain.timeline import absolute_time, duration_text, relative_time, stage_stays, time_per_stage

#: The rows of the field grid, top to bottom: (id, label).
FIELDS: tuple[tuple[str, str], ...] = (
    ("stage", "Stage"),
    ("amount", "Amount"),
    ("probability", "Probability"),
    ("weighted", "Weighted"),
    ("close_date", "Close date"),
    ("owner", "Owner"),
    ("contact", "Contact"),
    ("email", "Email"),
    ("source", "Source"),
    ("next_step", "Next step"),
    ("created", "Created"),
    ("activity", "Last activity"),
    ("closed", "Closed"),
    ("lost_reason", "Lost reason"),
    ("went_well", "Went well"),
    ("nearly_lost", "Nearly lost"),
)

#: Colours of the open stages' segments in the time bar, by the stage's position; won is green, lost red.
SEGMENT_STYLES = ("$primary", "$accent", "$primary-lighten-3", "$accent-darken-3", "$secondary-lighten-2")
CLOSED_STYLES = {StageKind.WON: "$success", StageKind.LOST: "$error"}
EMPTY = Content.styled("—", "$text-muted")


def _text(value: str) -> Content:
    return plain(value) if value else EMPTY


class Overview(VerticalScroll):
    """Scrolls with the arrow keys when the panel has focus."""

    DEFAULT_CSS = """
    Overview { height: 1fr; padding-right: 1; }
    Overview .section { height: auto; }
    Overview .section-title { color: $text-accent; text-style: bold; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        yield FieldTable(id="overview-fields")
        yield Static("Qualification (BANT)", classes="section-title")
        yield PanelText(id="bant", classes="section")
        yield Static("Time in each stage", classes="section-title")
        yield PanelText(id="stage-bar", classes="section")

    def show(self, detail: DealDetail, now: datetime, stages: Sequence[Stage]) -> None:
        deal, stage = detail.deal, detail.stage
        today = local_today(now)
        values: dict[str, Content] = {}
        stale = " · stale" if is_stale(deal, stage, now) else ""
        values["stage"] = Content.assemble(
            plain(stage.name),
            plain(f" · {days_in_stage(deal, now)} days in stage", "$text-muted"),
            plain(stale, "$text-error"),
        )
        values["amount"] = plain(format_money(deal.amount, deal.currency))
        if deal.probability is not None and stage.is_open:
            values["probability"] = Content.assemble(
                plain(f"{effective_probability(deal, stage)}%"),
                plain(f" (deal's own; stage {stage.probability}%)", "$text-muted"),
            )
        else:
            values["probability"] = Content.assemble(plain(f"{stage.probability}%"), (" (stage)", "$text-muted"))
        values["weighted"] = plain(format_money(weighted_value(deal, stage), deal.currency))
        if deal.close_date is None:
            values["close_date"] = EMPTY
        elif close_date_passed(deal, stage, today):
            late = (today - deal.close_date).days
            values["close_date"] = Content.assemble(
                plain(deal.close_date.isoformat(), "$text-error bold"), plain(f" passed {late} days ago", "$text-error")
            )
        else:
            values["close_date"] = plain(deal.close_date.isoformat())
        values["owner"] = _text(deal.owner)
        values["contact"] = _text(deal.contact_name)
        values["email"] = _text(deal.contact_email)
        values["source"] = _text(deal.source)
        values["next_step"] = _text(deal.next_step)
        values["created"] = _when(deal.created_at, now)
        values["activity"] = _when(deal.last_activity_at, now)
        closed = stage.is_closed
        values["closed"] = _when(deal.closed_at, now) if closed and deal.closed_at else EMPTY
        lost_reason = deal.lost_reason + (f" — {deal.lost_note}" if deal.lost_note else "")
        values["lost_reason"] = _text(lost_reason)
        values["went_well"] = _text(deal.went_well)
        values["nearly_lost"] = _text(deal.nearly_lost)
        shown = {
            "closed": closed,
            "lost_reason": stage.kind is StageKind.LOST,
            "went_well": closed and bool(deal.went_well),
            "nearly_lost": closed and bool(deal.nearly_lost),
        }
        self.query_one(FieldTable).set_rows(
            {field_id: (label, values[field_id]) for field_id, label in FIELDS if shown.get(field_id, True)}
        )
        self.query_one("#bant", PanelText).show(bant_content(detail))
        self.query_one("#stage-bar", PanelText).show(stage_bar(detail, now, stages, self.bar_width()))

    def bar_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        return max(10, min(60, width - 1)) if width else 40


def _when(moment: datetime | None, now: datetime) -> Content:
    if moment is None:
        return EMPTY
    return Content.assemble(plain(relative_time(moment, now)), plain(f" · {absolute_time(moment)}", "$text-muted"))


def bant_content(detail: DealDetail) -> Content:
    deal = detail.deal
    score = bant_score(deal)
    style = "$text-success" if score == 4 else "$text-warning" if score >= 2 else "$text-error"
    lines = [Content.assemble(("Score ", "$text-muted"), plain(f"{score}/4 ", f"bold {style}"), plain("■" * score, style),
                              plain("□" * (4 - score), "$text-muted"))]  # fmt: skip
    for key in BANT_KEYS:
        ok = bool(getattr(deal, f"{key}_ok"))
        note = str(getattr(deal, f"{key}_note"))
        mark = ("☑ ", "$text-success") if ok else ("☐ ", "$text-muted")
        line = Content.assemble(mark, plain(key.capitalize(), "" if ok else "$text-muted"))
        if note:
            line = line + Content.assemble("  ", plain(note, "italic"))
        lines.append(line)
    return Content("\n").join(lines)


def stage_bar(detail: DealDetail, now: datetime, stages: Sequence[Stage], width: int) -> Content:
    """One bar, oldest stay on the left, each segment as long as the time spent; then days per stage."""
    stays = stage_stays(detail.history, {stage.id: stage.name for stage in stages}, now)
    if not stays:
        return EMPTY
    colour = _stage_colours(stages)
    total = sum(s.seconds for s in stays) or 1.0
    cells = [max(1, round(width * s.seconds / total)) for s in stays]
    while sum(cells) > width and max(cells) > 1:
        cells[cells.index(max(cells))] -= 1
    # Neighbouring segments alternate between a full and a shaded block, so they stay apart in any theme.
    segments = [plain("█▓"[n % 2] * size, colour(s.stage_id)) for n, (s, size) in enumerate(zip(stays, cells))]
    bar = Content.assemble(*segments)
    legend = []
    current = stays[-1].stage_id
    for stage_id, name, seconds in time_per_stage(stays):
        now_mark = " (now)" if stage_id == current else ""
        legend.append(
            Content.assemble(
                ("■ ", colour(stage_id)), plain(f"{name} "), plain(f"{duration_text(seconds)}{now_mark}", "$text-muted")
            )
        )
    return Content("\n").join([bar, *legend])


def _stage_colours(stages: Sequence[Stage]) -> Callable[[int], str]:
    """A stage id's colour: open stages by position, closed stages by outcome."""
    by_id = {stage.id: (n, stage.kind) for n, stage in enumerate(stages)}

    def colour(stage_id: int) -> str:
        position, kind = by_id.get(stage_id, (0, StageKind.OPEN))
        return CLOSED_STYLES.get(kind, SEGMENT_STYLES[position % len(SEGMENT_STYLES)])

    return colour
