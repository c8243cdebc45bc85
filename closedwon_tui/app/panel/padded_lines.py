"""A Line-API widget's screen lines padded and filtered by itself, as Textual's styling pass draws
a plainly styled widget (no border, outline, tint, opacity, hatch, nor top or bottom padding), each
kept by the content line it pads. Textual's pass draws every line of a widget that changed again
(about 40 µs a line): a panel tab drawn ahead while the panel is closed (see `panel_ahead`) is then
shown without drawing a line, and another deal draws only its own lines."""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget


def plainly_styled(widget: Widget) -> bool:
    """Whether each of the widget's lines on the screen is its content line padded left and right
    (what `PaddedLines` draws); otherwise Textual's own pass must draw them."""
    styles = widget.styles
    return (
        not any(edge for edge, _ in styles.border)
        and not any(edge for edge, _ in styles.outline)
        and not styles.tint.a
        and widget.opacity == 1.0
        and styles.text_opacity == 1.0
        and (not styles.has_rule("hatch") or styles.hatch == "none")
        and not styles.padding.top
        and not styles.padding.bottom
    )


class PaddedLines:
    """One plainly styled widget's screen lines, by the id of the content line each pads."""

    def __init__(self, most_kept: int) -> None:
        self._most_kept = most_kept
        self._kept: dict[int, tuple[Strip, Strip]] = {}
        self._kept_with: tuple[object, ...] | None = None

    def lines(self, widget: Widget, crop: Region) -> list[Strip]:
        """The widget's lines in `crop`, from its `render_line`, as Textual's pass would draw them."""
        base_background, background = widget.background_colors
        inner = Style(background=base_background + background).rich_style
        width = widget.region.width
        content_width, content_height = widget.content_region.size
        padding = widget.styles.padding
        filters = tuple(widget.get_line_filters())
        key = (width, content_width, padding, inner, filters, background)
        if key != self._kept_with or len(self._kept) > self._most_kept:
            self._kept_with = key
            self._kept.clear()
        kept_lines = self._kept
        lines = []
        for y in crop.line_range:
            content = widget.render_line(y) if y < content_height else None
            kept = kept_lines.get(id(content)) if content is not None else None
            if kept is not None and kept[0] is content:
                lines.append(kept[1])
                continue
            if content is None:
                line = Strip.blank(content_width, inner)
            else:
                line = content.adjust_cell_length(content_width, inner)
            segments = list(line)
            if padding.left:
                segments.insert(0, Segment(" " * padding.left, inner))
            if padding.right:
                segments.append(Segment(" " * padding.right, inner))
            strip = Strip(segments, width)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            if content is not None:
                kept_lines[id(content)] = (content, strip)
            lines.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            lines = [strip.crop(x1, x2) for strip in lines]
        return lines
