"""Show text from the database literally: never as markup, never as terminal control."""

from __future__ import annotations

import unicodedata

_REPLACEMENTS = {"\t": " ", "\n": " ", "\r": " "}


def literal(text: str) -> str:
    """Control and format characters become visible escapes (`\\x1b`), so a pasted title cannot
    move the cursor, change colours or hide itself. Markup needs no escaping: callers build
    Segments or `Content` from plain strings, which are never parsed."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in _REPLACEMENTS:
            out.append(_REPLACEMENTS[ch])
        elif ch.isprintable() or unicodedata.category(ch) == "Zs":
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1] if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return "".join(out)
