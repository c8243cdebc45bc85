"""The panel's Overview tab: every field of the deal, BANT, and the time it spent in each stage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from closedwon_tui.app.literal import plain
from closedwon_tui.app.panel.entries import same_content
from closedwon_tui.app.panel.padded_lines import PaddedLines, plainly_styled
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

#: Lines kept drawn (see `Overview._line_strips`) before they are all forgotten: a few deals' worth.
MOST_LINES_KEPT = 400
#: Colours of the open stages' segments in the time bar, by the stage's position; won is green, lost red.
SEGMENT_STYLES = ("$primary", "$accent", "$primary-lighten-3", "$accent-darken-3", "$secondary-lighten-2")
CLOSED_STYLES = {StageKind.WON: "$success", StageKind.LOST: "$error"}
EMPTY = Content.styled("—", "$text-muted")
EMPTY_TEXT = Content("")
#: The sections beneath the fields, each after a blank line: (title, section id).
SECTIONS = (
    (Content.styled("Qualification (BANT)", "bold $text-accent"), "bant"),
    (Content.styled("Time in each stage", "bold $text-accent"), "stage-bar"),
)


def _text(value: str) -> Content:
    return plain(value) if value else EMPTY


class Overview(ScrollView, can_focus=True):
    """Every field of the deal, its BANT and its time per stage, drawn as ONE Line-API widget: the
    lines of the whole tab are kept for the width they were wrapped at, so showing the panel again
    draws one widget from kept lines rather than laying out and drawing a widget per section.
    Scrolls with the arrow keys and the wheel when the panel has focus."""

    DEFAULT_CSS = """
    Overview { height: 1fr; padding-right: 1; overflow-x: hidden; }
    """
    #: Label column of the fields: a long value wraps under itself, never under its label.
    LABEL_WIDTH = 14

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: dict[str, tuple[str, Content]] = {}
        self._sections: dict[str, Content] = {"bant": EMPTY_TEXT, "stage-bar": EMPTY_TEXT}
        #: The time bar at a given width: drawn at the width its lines are wrapped at.
        self._bar_at: Callable[[int], Content] = lambda _width: EMPTY_TEXT
        self._bar_cells = 0
        self._wrapped_at: tuple[int, list[Content]] | None = None
        self._strips: tuple[int, list[Strip]] | None = None
        #: Each line as drawn, by what it shows, at the width of `_strips`: a deal shown again after a
        #: change (or another deal) draws only the lines that differ.
        self._line_strips: dict[tuple[str, tuple[object, ...]], Strip] = {}
        self._line_strips_width = 0
        #: Each field's and section's lines as wrapped, by what they are made of (see `_kept_wrap`).
        self._wrapped_kept: dict[tuple[str, str, tuple[object, ...], int], list[Content]] = {}
        self._frame: tuple[list[Strip], int, Strip] | None = None
        #: Its lines as shown on the screen (padded, filtered), drawn by itself rather than by Textual.
        self._padded = PaddedLines(MOST_LINES_KEPT)

    # what it shows ---------------------------------------------------------
    def value(self, row_id: str) -> str | None:
        """A field's value as plain text, or None when the field is not shown."""
        row = self._rows.get(row_id)
        return None if row is None else row[1].plain

    def section(self, section_id: str) -> Content:
        """What a section shows: "bant" or "stage-bar"."""
        return self._sections[section_id]

    def _set(self, rows: dict[str, tuple[str, Content]], bant: Content, bar_at: Callable[[int], Content]) -> None:
        """The same rows and sections again (the panel opened again on the same deal) keep what is drawn."""
        self._bar_cells = bar_width(self._width())
        sections = {"bant": bant, "stage-bar": bar_at(self._bar_cells)}
        self._bar_at = bar_at
        if _same_rows(rows, self._rows) and all(same_content(sections[k], self._sections[k]) for k in sections):
            return
        self._rows, self._sections = dict(rows), sections
        before = self._wrapped_at
        self._wrapped_at = self._strips = None
        self._update_virtual_size()
        after = self._wrapped_at
        if before is None or after is None or before[0] != after[0] or len(before[1]) != len(after[1]):
            self.refresh()
            return
        changed = [y for y, (old, new) in enumerate(zip(before[1], after[1])) if not same_content(old, new)]
        for first, last in _runs(changed):  # as many lines: repaint those that differ
            self.refresh_lines(first, last - first + 1)

    # drawing ---------------------------------------------------------------
    def _width(self) -> int:
        """The width the lines are wrapped at: the tab's own width less its padding and scrollbar. From
        its size as last laid out, which a hidden panel keeps (its region on the screen it has not):
        shown again, the lines are wrapped before the layout at the width the layout gives them."""
        return max(0, self.outer_size.width - self.styles.gutter.width - self.scrollbar_gutter.width)

    def _lines(self, width: int) -> list[Content]:
        width = max(self.LABEL_WIDTH + 10, width)
        if len(self._wrapped_kept) > MOST_LINES_KEPT:
            self._wrapped_kept.clear()
        lines: list[Content] = []
        for label, value in self._rows.values():
            lines += self._kept_wrap(label, value, width, self._field_lines)
        sections = dict(self._sections)
        if bar_width(width) != self._bar_cells:  # drawn at another width than it was shown at
            sections["stage-bar"] = self._bar_at(bar_width(width))
        for title, section_id in SECTIONS:
            lines += [EMPTY_TEXT, title, *self._kept_wrap("", sections[section_id], width, Content.wrap)]
        return lines

    def _kept_wrap(self, label: str, value: Content, width: int, wrap: Callable[..., list[Content]]) -> list[Content]:
        """`wrap(label, value, width)` (or `wrap(value, width)` with no label), kept by what it is made
        of: the fields a deal shares with the one shown before (or with itself, shown again after a
        change) are not wrapped again."""
        key = (label, value.plain, tuple(value.spans), width)
        lines = self._wrapped_kept.get(key)
        if lines is None:
            lines = self._wrapped_kept[key] = wrap(label, value, width) if label else wrap(value, width)
        return lines

    def _field_lines(self, label: str, value: Content, width: int) -> list[Content]:
        """A field's lines: its label, then its value wrapped under itself."""
        wrapped = value.wrap(width - self.LABEL_WIDTH) or [EMPTY_TEXT]
        first = plain(label, "$text-muted").pad_right(self.LABEL_WIDTH - len(label)) + wrapped[0]
        return [first, *(line.pad_left(self.LABEL_WIDTH) for line in wrapped[1:])]

    def _wrapped(self, width: int) -> list[Content]:
        """The tab's lines wrapped at `width`, kept for that width."""
        if self._wrapped_at is None or self._wrapped_at[0] != width:
            self._wrapped_at = (width, self._lines(width) if width else [])
        return self._wrapped_at[1]

    def _drawn(self) -> list[Strip]:
        width = self._width()
        if self._strips is None or self._strips[0] != width:
            if self._line_strips_width != width or len(self._line_strips) > MOST_LINES_KEPT:
                self._line_strips.clear()
                self._line_strips_width = width
            style = self.visual_style
            pad = (style + Style(reverse=False)).rich_style
            self._strips = (width, [self._line_strip(line, width, style, pad) for line in self._wrapped(width)])
        return self._strips[1]

    def _line_strip(self, line: Content, width: int, style: Style, pad: RichStyle) -> Strip:
        """One line, wrapped already, drawn as Textual draws text on `style` (each line on its own: the
        lines are not joined to be wrapped again), padded to `width`."""
        key = (line.plain, tuple(line.spans))
        strip = self._line_strips.get(key)
        if strip is None:
            segments = [
                Segment(text, (style + text_style).rich_style)
                for text, text_style in line.render(style, end="", parse_style=self._get_style)
                if text
            ]
            strip = Strip(segments, line.cell_length).simplify().extend_cell_length(width, pad)
            self._line_strips[key] = strip
        return strip

    def draw_ahead(self) -> None:
        """Its lines drawn now, at the width it was last shown at (the panel is closed)."""
        if self._width():
            self._drawn()

    def _update_virtual_size(self) -> None:
        width = self._width()
        size = Size(width, len(self._wrapped(width)))
        if size != self.virtual_size:
            self.virtual_size = size

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self._lines_in_view()  # looked up once for all the lines asked
        try:
            if not plainly_styled(self):
                return super().render_lines(crop)
            return self._padded.lines(self, crop)
        finally:
            self._frame = None

    def _lines_in_view(self) -> tuple[list[Strip], int, Strip]:
        """The drawn lines, the first one in view, and the blank line beneath the last."""
        return self._drawn(), self.scroll_offset.y, Strip.blank(self._width(), self.rich_style)

    def render_line(self, y: int) -> Strip:
        strips, top, blank = self._frame or self._lines_in_view()
        index = top + y
        return strips[index] if index < len(strips) else blank

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None
        self._line_strips.clear()

    # Shown again at the same width (Textual sends a shown widget Resize), the kept lines stay.
    def _on_resize(self) -> None:
        self._update_virtual_size()

    def _watch_show_vertical_scrollbar(self) -> None:
        self._update_virtual_size()

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
        self._set(
            {field_id: (label, values[field_id]) for field_id, label in FIELDS if shown.get(field_id, True)},
            bant_content(detail),
            lambda width: stage_bar(detail, now, stages, width),
        )


def bar_width(width: int) -> int:
    """The time bar's cells in a tab `width` cells wide (no width yet: a nominal 40)."""
    return max(10, min(60, width - 1)) if width else 40


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Ascending `numbers` as runs of consecutive ones: (first, last)."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _same_rows(a: dict[str, tuple[str, Content]], b: dict[str, tuple[str, Content]]) -> bool:
    return list(a) == list(b) and all(
        label == b[row_id][0] and same_content(value, b[row_id][1]) for row_id, (label, value) in a.items()
    )


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
