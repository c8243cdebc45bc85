"""What a bulk action did, in the words the single action uses: `Moved 12 deals to Proposal`, `Set
the owner of 5 deals to Dana`, `Scheduled a follow-up on 3 deals for Fri 4 Dec 2026`. Read from
the `Change` that landed (what was written, not what was asked). Plain Python; the board shows
the line through `notify_literal` (titles, owners and notes are stored text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from closedwon_tui.domain.models import Change, EventKind, FollowUp
from closedwon_tui.domain.timeline import field_label

_MOVES = frozenset({EventKind.MOVED, EventKind.WON, EventKind.LOST, EventKind.REORDERED, EventKind.REOPENED})


def bulk_said(change: Change[Any], stage_names: Mapping[int, str]) -> str:
    """One line for the toast after a bulk action, ending with how to take it back."""
    parts = change.parts
    changed = [part for part in parts if part.event is not None]
    if not changed:
        return f"Nothing changed: {_deals(parts)} already had that"
    kinds = {part.kind for part in changed}
    if kinds <= _MOVES:
        said = _moved(changed, stage_names)
    elif kinds == {EventKind.EDITED}:
        said = _edited(changed)
    elif kinds == {EventKind.FOLLOWUP_SCHEDULED}:
        said = _scheduled(changed)
    else:  # pragma: no cover - every bulk action is one of the above
        said = f"Changed {_deals(changed)}"
    unchanged = len(parts) - len(changed)
    if unchanged:
        said += f" ({unchanged} already had {'it' if unchanged == 1 else 'them'})"
    return f"{said} (u undoes {'it' if len(changed) == 1 else 'them all'})"


def _deals(parts: tuple[Change[Any], ...] | list[Change[Any]]) -> str:
    """`Helios rollout` (one deal, by its title, as the single action says it), or `12 deals`."""
    return parts[0].deal.title if len(parts) == 1 else f"{len(parts)} deals"


def _moved(parts: list[Change[Any]], stage_names: Mapping[int, str]) -> str:
    """`Moved 12 deals to Proposal`; marked in several columns and each moved on: `Moved 5 deals:
    2 to Analysis, 3 to Proposal`; into Closed Lost, with the reason."""
    by_stage: dict[int, list[Change[Any]]] = {}
    for part in parts:
        by_stage.setdefault(part.deal.stage_id, []).append(part)
    reasons = {part.deal.lost_reason for part in parts if part.kind is EventKind.LOST}
    why = f" ({reasons.pop()})" if len(reasons) == 1 else ""
    if len(by_stage) == 1:
        (stage_id,) = by_stage
        return f"Moved {_deals(parts)} to {stage_names.get(stage_id, '?')}{why}"
    each = ", ".join(f"{len(moved)} to {stage_names.get(stage_id, '?')}" for stage_id, moved in by_stage.items())
    return f"Moved {_deals(parts)}: {each}{why}"


def _edited(parts: list[Change[Any]]) -> str:
    """`Set the owner of 5 deals to Dana`; several fields: `Changed the owner and amount of 5 deals`."""
    news: dict[str, set[str]] = {}
    for part in parts:
        assert part.event is not None
        for name, (_, new) in part.event.details.get("changes", {}).items():
            news.setdefault(name, set()).add("" if new is None else str(new))
    labels = [field_label(name) for name in news]
    if len(news) == 1:
        ((name, values),) = news.items()
        if len(values) == 1:
            value = values.pop()
            return f"Set the {labels[0]} of {_deals(parts)} to {value}" if value else \
                f"Cleared the {labels[0]} of {_deals(parts)}"  # fmt: skip
    fields = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" and {labels[-1]}"
    return f"Changed the {fields} of {_deals(parts)}"


def _scheduled(parts: list[Change[Any]]) -> str:
    """`Scheduled a follow-up on 5 deals for Fri 4 Dec 2026: Send the quote`."""
    from closedwon_tui.app.panel.views import due_text  # the panel's date words; not loaded until needed

    followups = [part.item for part in parts if isinstance(part.item, FollowUp)]
    first = followups[0] if followups else None
    when = f" for {due_text(first)}" if first is not None else ""
    note = f": {first.note}" if first is not None and first.note else ""
    return f"Scheduled a follow-up on {_deals(parts)}{when}{note}"
