"""What the app draws, read from its SVG screenshot: the lines of text as the terminal would show
them, after checking that no raw control character is among them."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>([^<]*)</text>')


def control_characters(text: str) -> list[str]:
    """The C0 (but newline), DEL and C1 characters in `text`: what could drive a terminal."""
    return [ch for ch in text if (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F]


def drawn_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every line of the screen as drawn (toasts included); fails when a raw control character is drawn."""
    svg = app.export_screenshot()
    raw = control_characters(svg)
    assert not raw, f"raw control characters drawn: {sorted(set(raw))!r}"
    texts = [(float(x), float(y), float(length), html.unescape(text).replace("\xa0", " ").rstrip("\n"))
             for x, y, length, text in _TEXT.findall(svg)]  # fmt: skip
    cell = next(length / cell_len(text) for _, _, length, text in texts if text.strip())
    rows: dict[float, str] = {}
    for x, y, _, text in sorted(texts):
        line = rows.get(y, "")
        column = round(x / cell)
        rows[y] = line + " " * (column - cell_len(line)) + text  # blank cells are drawn as no text at all
    return [line.rstrip() for _, line in sorted(rows.items())]


def drawn(app) -> str:  # type: ignore[no-untyped-def]
    """The screen as one text, line by line."""
    return "\n".join(drawn_lines(app))
