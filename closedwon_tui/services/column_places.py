"""Where a deal goes in a column: the ordering key for a place (domain/ordering.py), keys for several
deals coming in together, and the key an undo puts a deal back at. The column is spread out
first when its keys have no room left (rarely)."""

from __future__ import annotations

from closedwon_tui.domain.models import Deal
from closedwon_tui.domain.ordering import key_between, keys_between
from closedwon_tui.storage.repository import Repository


def place(repo: Repository, deal: Deal | None, stage_id: int, position: int) -> int:
    """The ordering key that puts the deal at place `position` of a column (0 is the top; past
    the end is last), among the column's other cards. Nothing else moves, unless the two
    neighbours have no room left between them: then the column is spread out first (rarely)."""
    exclude = -1 if deal is None else deal.id
    key = key_between(*repo.keys_around(stage_id, position, exclude=exclude))
    if key is None:
        repo.spread_column(stage_id, exclude=exclude)
        key = key_between(*repo.keys_around(stage_id, position, exclude=exclude))
        assert key is not None
    return key


def places(repo: Repository, stage_id: int, position: int, count: int) -> list[int] | None:
    """Ordering keys for `count` deals coming into a column together at place `position` (none of
    them in it yet), in order: one share of the gap each, the column spread out first when
    there is no room; None when even then they do not fit (the caller places them one by one)."""
    keys = keys_between(*repo.keys_around(stage_id, position, exclude=-1), count)
    if keys is None:
        repo.spread_column(stage_id, exclude=-1)
        keys = keys_between(*repo.keys_around(stage_id, position, exclude=-1), count)
    return keys


def put_back(repo: Repository, deal: Deal, stage_id: int, key: int, holder: int | None) -> int:
    """The key a deal had in a column (an undo or a redo puts it back): the same key while it is
    free (`holder`, the deal that has it now, is None), which is the same place while no spread
    renumbered the column; if another card holds it now, right after that card."""
    if holder is None:
        return key
    return place(repo, deal, stage_id, repo.index_of_key(stage_id, key, exclude=deal.id) + 1)
