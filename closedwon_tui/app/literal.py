"""Show text from the database literally: never as markup, never as terminal control."""

from __future__ import annotations

from closedwon_tui.domain.text import printable


def literal(text: str) -> str:
    """Control characters become visible escapes (`\\x1b`), so a pasted title cannot move the
    cursor, change colours or hide itself (see `domain.text.printable`). Markup needs no
    escaping: callers build Segments or `Content` from plain strings, which are never parsed."""
    return printable(text)
