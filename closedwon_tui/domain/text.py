"""Text rules shared by every layer: how long stored text may be, and how stored text is made
safe to show.

Stored text is hostile: it can come from a colleague on a shared database, an imported file or
a pasted title. `printable` turns it into text that cannot drive a terminal: C0 and C1 control
characters (ESC, BEL, the one-character CSI U+009B...) and lone surrogates become visible escapes
such as `\\x1b` (and so do the bidi overrides that would reorder a line), while everything a script needs (accents, CJK, emoji, zero-width joiners and other
format characters) is kept. It never adds or removes markup: the app builds plain `Content` from
what it returns, the CLI prints it as it is.
"""

from __future__ import annotations

#: Free text (notes, objections, responses, BANT notes, next step, look back, lost note).
TEXT_LIMIT = 5000
#: A deal's title.
TITLE_LIMIT = 200
#: A lost reason (one of the configured list).
LOST_REASON_LIMIT = 120
#: Fields stored in short columns (see storage/tables.py): longer text is refused on every backend.
SHORT_LIMITS: dict[str, int] = {
    "title": TITLE_LIMIT,
    "company": 200,
    "contact_name": 200,
    "contact_email": 200,
    "owner": 120,
    "source": 120,
    "lost_reason": LOST_REASON_LIMIT,
    "stage_name": 80,
    "pipeline_name": 80,
}


def limit_for(field: str) -> int:
    """The most characters `field` may hold."""
    return SHORT_LIMITS.get(field, TEXT_LIMIT)


_SPACED = {"\t": " ", "\n": " ", "\r": " "}
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _unsafe(ch: str) -> bool:
    """C0, DEL, C1 and lone surrogates (the characters that can reach a terminal as control), and
    the bidi embeddings, overrides and isolates, which would show the rest of a line in another
    order than it is stored (joiners, LRM/RLM and other format characters stay)."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return True
    return 0xD800 <= code <= 0xDFFF or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069


def is_safe(text: str, *, multiline: bool = False) -> bool:
    """True when `printable` would return `text` unchanged."""
    if text.isprintable():
        return True
    allowed = {"\n", "\t"} if multiline else set()
    return not any(_unsafe(ch) and ch not in allowed for ch in text)


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character made visible, so it is shown exactly as stored.

    On one line (a title, a notification, a table cell) tab, newline and carriage return become
    spaces, so a pasted value keeps its words; with `multiline` (a note, a body of text) newlines
    and tabs are kept, a Windows line end counts as a newline, and a lone carriage return is
    escaped. Every other C0/C1 control and lone surrogate becomes `\\x..` or `\\u....`.
    """
    if text.isprintable():  # the common case: no work at all
        return text
    if multiline:
        text = text.replace("\r\n", "\n")
    out: list[str] = []
    for ch in text:
        if not _unsafe(ch) or multiline and ch in "\n\t":
            out.append(ch)
        elif not multiline and ch in _SPACED:
            out.append(_SPACED[ch])
        else:
            out.append(_escape(ch))
    return "".join(out)
