"""Text laid out in terminal cells: a CJK character or an emoji takes two, so columns line up
only when names are padded and cut by cells, never by `len`."""

from __future__ import annotations

from rich.cells import cell_len

from closedwon_tui.app.literal import literal


def fit_cells(text: str, width: int) -> str:
    """`text` exactly `width` cells wide: padded, or cut at a whole character with an ellipsis."""
    used = cell_len(text)
    if used <= width:
        return text + " " * (width - used)
    kept: list[str] = []
    used = 0
    for ch in text:
        if used + cell_len(ch) > width - 1:
            break
        kept.append(ch)
        used += cell_len(ch)
    return "".join(kept) + "…" + " " * (width - 1 - used)


def name_column(name: str, width: int) -> str:
    """A stored name as shown (its control characters made visible), in a column `width` cells wide."""
    return fit_cells(literal(name), width)


def shown_width(name: str) -> int:
    """How many cells a stored name takes once shown."""
    return cell_len(literal(name))
