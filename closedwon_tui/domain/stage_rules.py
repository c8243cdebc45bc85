"""Pure rules for editing stages and pipelines: names, probabilities, rotting days, order.

The services check every stage or pipeline change here before writing it, so the command line
and the board's stage editor (which checks as the rep types) refuse the same things the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.fields import clean_text
from closedwon_tui.domain.models import Pipeline, Stage
from closedwon_tui.domain.parsing import match_choice


def find_pipeline(pipelines: Sequence[Pipeline], text: str) -> Pipeline:
    """The pipeline a rep means: its 1-based number, or its name (any case, or a unique prefix).
    The one rule for the command line, the services and the board's pipeline picker."""
    text = text.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(pipelines):
        return pipelines[int(text) - 1]
    name = match_choice(text, [p.name for p in pipelines], "pipeline")
    return next(p for p in pipelines if p.name == name)


def clean_name(value: Any, taken: Sequence[str], what: str) -> str:
    """A new stage or pipeline name: not empty, not too long, not a number (a number picks a
    stage by its place), and not one of `taken` in any case."""
    field = f"{what}_name"
    name = " ".join(clean_text(field, value, what=f"the {what} name", required=True).split())
    if name.isascii() and name.isdigit():
        raise ValidationError(f"a {what} name cannot be a number ({name!r} would pick the {what} by its place)", field)
    if name.lower() in {t.lower() for t in taken}:
        raise ValidationError(f"there is already a {what} named {name!r}", field)
    return name


def clean_probability(value: Any) -> int:
    """A stage's probability: a whole number from 0 to 100."""
    number = _whole(value, "the probability")
    if not 0 <= number <= 100:
        raise ValidationError(f"the probability must be from 0 to 100, not {number}", "probability")
    return number


def clean_rotting_days(value: Any) -> int | None:
    """Days untouched before a deal rots in the stage: a whole number, 0 or more (empty: never)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _whole(value, "the rotting days")
    if number < 0:
        raise ValidationError(f"the rotting days cannot be negative ({number})", "rotting_days")
    return number or None


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise ValidationError(f"{what} must be a whole number", what)
    if isinstance(value, int):
        return value
    text = str(value).strip().removesuffix("%").strip()
    try:
        return int(text)
    except ValueError:
        raise ValidationError(f"{what} must be a whole number, not {str(value)!r}", what) from None


def open_order(stages: Sequence[Stage]) -> list[Stage]:
    """A pipeline's open stages, in order (the won and lost stages always come last)."""
    return [s for s in stages if s.is_open]


def insert_at(stages: Sequence[Stage], stage_id: int, *, after: Stage | None, first: bool) -> list[int]:
    """The ids of a pipeline's open stages in their new order once stage `stage_id` is put first
    or right after `after` (it may already be among them: it is moved). The won and lost stages
    stay last and cannot be placed after: deals reach them by closing."""
    opened = [s.id for s in open_order(stages) if s.id != stage_id]
    if first == (after is not None):
        raise ValidationError("say where the stage goes: after a stage, or first")
    if after is None:
        return [stage_id, *opened]
    if after.id == stage_id:
        raise ValidationError(f"a stage cannot be moved after itself ({after.name})")
    if after.is_closed:
        raise ValidationError(f"open stages come before {after.name}: choose an open stage to put it after")
    index = opened.index(after.id)
    return [*opened[: index + 1], stage_id, *opened[index + 1 :]]


def stage_snapshot(stage: Stage) -> dict[str, Any]:
    """What a stage change may alter, as JSON for its event (undo puts it back)."""
    return {
        "name": stage.name,
        "position": stage.position,
        "probability": stage.probability,
        "rotting_days": stage.rotting_days,
        "archived": stage.archived,
    }


def pipeline_snapshot(pipeline: Pipeline, stages: Sequence[Stage]) -> dict[str, Any]:
    """A pipeline and every stage of it (archived ones too), as a stage change's before or after."""
    return {
        "pipeline": {"name": pipeline.name, "archived": pipeline.archived},
        "stages": {str(s.id): stage_snapshot(s) for s in stages},
    }


def changed_parts(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What a change altered, flattened: "pipeline" and "stage:<id>" to (before, after). Undo
    checks only these are still as the change left them, so a colleague's edit of another stage
    never blocks it."""
    parts: dict[str, tuple[Any, Any]] = {}
    if before.get("pipeline") != after.get("pipeline"):
        parts["pipeline"] = (before.get("pipeline"), after.get("pipeline"))
    old, new = before.get("stages", {}), after.get("stages", {})
    for key in sorted(old.keys() | new.keys(), key=int):
        if old.get(key) != new.get(key):
            parts[f"stage:{key}"] = (old.get(key), new.get(key))
    return parts
