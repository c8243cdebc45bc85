"""Other CRMs' stages in closedwon's pipeline, and a deal's outcome from the source's own fields.

Each source's default stages map by name to closedwon's default stages; the rep maps the rest
with `--map-stage "Their Stage=our stage"`. The target stages are a parameter, so a mapping can
aim at any pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import Stage, StageKind
from closedwon_tui.domain.parsing import match_choice

#: Source stage names (normalised) -> (closedwon default stage, lost reason it implies).
DEFAULT_STAGE_NAMES: dict[str, tuple[str, str]] = {
    # Pipedrive, current and older default pipelines
    "lead in": ("Outreach", ""),
    "qualified": ("Qualification", ""),
    "contact made": ("Qualification", ""),
    "demo scheduled": ("Analysis", ""),
    "needs defined": ("Analysis", ""),
    "proposal made": ("Proposal", ""),
    "negotiations started": ("Negotiation", ""),
    # HubSpot labels and internal ids
    "appointment scheduled": ("Outreach", ""),
    "appointmentscheduled": ("Outreach", ""),
    "qualified to buy": ("Qualification", ""),
    "qualifiedtobuy": ("Qualification", ""),
    "presentation scheduled": ("Analysis", ""),
    "presentationscheduled": ("Analysis", ""),
    "decision maker bought-in": ("Proposal", ""),
    "decisionmakerboughtin": ("Proposal", ""),
    "contract sent": ("Negotiation", ""),
    "contractsent": ("Negotiation", ""),
    "closedwon": ("Closed Won", ""),
    "closedlost": ("Closed Lost", ""),
    # Salesforce and Zoho
    "prospecting": ("Outreach", ""),
    "qualification": ("Qualification", ""),
    "needs analysis": ("Analysis", ""),
    "value proposition": ("Analysis", ""),
    "id. decision makers": ("Analysis", ""),
    "identify decision makers": ("Analysis", ""),
    "perception analysis": ("Analysis", ""),
    "proposal/price quote": ("Proposal", ""),
    "negotiation/review": ("Negotiation", ""),
    "closed won": ("Closed Won", ""),
    "closed lost": ("Closed Lost", ""),
    "closed-won": ("Closed Won", ""),
    "closed-lost": ("Closed Lost", ""),
    "closed-lost to competition": ("Closed Lost", "competitor"),
    "won": ("Closed Won", ""),
    "lost": ("Closed Lost", ""),
}


def normalize_stage(name: str) -> str:
    return " ".join(name.strip().lower().split())


def parse_stage_mapping(text: str, stages: Sequence[Stage]) -> tuple[str, Stage]:
    """`"Blue Sky Stage=outreach"` -> ("blue sky stage", the Outreach stage)."""
    source, sep, target = text.rpartition("=")
    if not sep or not source.strip() or not target.strip():
        raise ValidationError(
            f'malformed --map-stage {text!r}: write it as "Their Stage=our stage", e.g. "Blue Sky=outreach"',
            "map_stage",
        )
    try:
        name = match_choice(target, [s.name for s in stages], "stage")
    except ValidationError:
        names = ", ".join(s.name for s in stages)
        raise ValidationError(
            f"--map-stage {text!r}: no stage {target.strip()!r} (stages: {names})", "map_stage"
        ) from None
    return normalize_stage(source), next(s for s in stages if s.name == name)


@dataclass(frozen=True, slots=True)
class StageMatch:
    stage: Stage
    #: A lost reason the source's stage name implies (Zoho's "Closed-Lost to Competition").
    reason: str = ""


_SUFFIX = re.compile(r"\s*\([^()]*\)$")


class StageMap:
    """Source stage names -> stages of the target pipeline."""

    def __init__(self, stages: Sequence[Stage], overrides: Mapping[str, Stage] | None = None) -> None:
        self.stages = list(stages)
        self._overrides = {normalize_stage(k): v for k, v in (overrides or {}).items()}
        self._by_name = {normalize_stage(s.name): s for s in self.stages}
        self._cache: dict[str, StageMatch | None] = {}

    @classmethod
    def with_options(cls, stages: Sequence[Stage], options: Iterable[str]) -> StageMap:
        """A map with the user's `--map-stage` options, each checked."""
        return cls(stages, dict(parse_stage_mapping(option, stages) for option in options))

    def of_kind(self, kind: StageKind) -> Stage:
        return next(s for s in self.stages if s.kind is kind)

    def resolve(self, name: str) -> StageMatch | None:
        key = normalize_stage(name)
        if key not in self._cache:
            found = self._resolve(key)
            if found is None and _SUFFIX.search(key):  # "Proposal Made (Sales pipeline)"
                found = self._resolve(_SUFFIX.sub("", key))
            self._cache[key] = found
        return self._cache[key]

    def _resolve(self, key: str) -> StageMatch | None:
        if key in self._overrides:
            return StageMatch(self._overrides[key])
        if key in self._by_name:
            return StageMatch(self._by_name[key])
        default = DEFAULT_STAGE_NAMES.get(key)
        if default is not None and normalize_stage(default[0]) in self._by_name:
            return StageMatch(self._by_name[normalize_stage(default[0])], default[1])
        return None


def unknown_stages_message(unknown: Mapping[str, list[int]], stages: Sequence[Stage]) -> str:
    """Every stage that maps to nothing, with the rows using it and the option that maps it."""
    parts = []
    for name, rows in unknown.items():
        shown = ", ".join(str(r) for r in rows[:3]) + (f" and {len(rows) - 3} more" if len(rows) > 3 else "")
        parts.append(f"{name!r} (row{'s' if len(rows) > 1 else ''} {shown})")
    first = next(iter(unknown))
    example = next((s.name.lower() for s in stages if s.is_open), "outreach")
    return (
        f"{len(unknown)} stage{'s' if len(unknown) > 1 else ''} of the file map{'s' if len(unknown) == 1 else ''} "
        f'to no closedwon stage: {"; ".join(parts)}. Map each with --map-stage "{first}={example}" '
        f"(stages: {', '.join(s.name for s in stages)}); nothing was imported"
    )


# outcomes ------------------------------------------------------------------------------

_STATUS = {"open": StageKind.OPEN, "won": StageKind.WON, "lost": StageKind.LOST}
#: Pipedrive's status for deals deleted in Pipedrive: they are not brought in.
DELETED_STATUS = "deleted"


def parse_status(text: str) -> StageKind | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _STATUS:
        return _STATUS[value]
    raise ValidationError(f"unknown status {text.strip()!r} (Open, Won or Lost)", "status")


def outcome_of(status: StageKind | None, is_won: bool | None, is_closed: bool | None) -> StageKind | None:
    """The outcome the source's own fields give (Pipedrive's Status, Salesforce's IsWon/IsClosed),
    or None when they say nothing and the stage decides."""
    if status is not None:
        return status
    if is_closed is True:
        return None if is_won is None else (StageKind.WON if is_won else StageKind.LOST)
    if is_closed is False:
        return StageKind.OPEN
    if is_won is True:
        return StageKind.WON
    return None
