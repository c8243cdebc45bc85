"""Where a card sits in its column: a gapped ordering key, so a move or an add renumbers nothing.

A deal's stored `position` is a key, not an index: the column is read in key order, and keys
are unique within a column. A card put between two others takes a key between theirs; a card
put on top takes one `GAP` below the first. Only when two neighbours have no room left between
them (or a key would leave the column type's range) is the whole column spread out again
(`spread`), which happens rarely: ten cards dropped one after another into the same gap.
"""

from __future__ import annotations

from collections.abc import Sequence

#: The distance between neighbours after a spread, and below the first card for a new top card.
GAP = 1 << 10
#: Keys stay within a signed 32-bit integer (the column's type on PostgreSQL).
LOWEST = -(1 << 31)
HIGHEST = (1 << 31) - 1


def key_between(before: int | None, after: int | None) -> int | None:
    """A key that sorts after `before` and before `after` (None: the column's end on that side).

    None when there is no room: the caller spreads the column and asks again.
    """
    if before is None and after is None:
        return 0
    if before is None:
        assert after is not None
        key = after - GAP
        return key if key >= LOWEST else None
    if after is None:
        key = before + GAP
        return key if key <= HIGHEST else None
    if after - before < 2:
        return None
    return before + (after - before) // 2


def keys_after(last: int | None, count: int) -> list[int] | None:
    """Keys for `count` cards added below `last` (None: an empty column), `GAP` apart, in order;
    None when they would leave the key range (the caller spreads the column first)."""
    start = 0 if last is None else last + GAP
    if count and start + (count - 1) * GAP > HIGHEST:
        return None
    return [start + i * GAP for i in range(count)]


def keys_between(before: int | None, after: int | None, count: int) -> list[int] | None:
    """Keys for `count` cards put together between `before` and `after` (None: the column's end on
    that side), in order and evenly apart; None when there is no room (the caller spreads the
    column and asks again). Many cards placed at once take one share of the gap each, rather than
    halving it card after card."""
    if count <= 0:
        return []
    if after is None:
        return keys_after(before, count)
    if before is None:
        start = after - count * GAP
        return None if start < LOWEST else [start + i * GAP for i in range(count)]
    step = (after - before) // (count + 1)
    return None if step < 1 else [before + step * (i + 1) for i in range(count)]


def spread(count: int) -> list[int]:
    """Keys for a column of `count` cards, in order, evenly `GAP` apart from 0."""
    if count * GAP > HIGHEST:  # a column of two million cards: closer together, still unique
        step = max(1, HIGHEST // max(count, 1))
        return [i * step for i in range(count)]
    return [i * GAP for i in range(count)]


def neighbours(keys: Sequence[int], index: int) -> tuple[int | None, int | None]:
    """The keys either side of `index` in an ordered column (without the card being placed)."""
    index = max(0, min(index, len(keys)))
    return (keys[index - 1] if index else None), (keys[index] if index < len(keys) else None)
