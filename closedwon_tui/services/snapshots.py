"""Field values to JSON and back, for history events and undo."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from closedwon_tui.domain.models import Deal, FollowUp, Objection

_DECIMALS = {"amount"}
_DATES = {"close_date"}
_DATETIMES = {"stage_entered_at", "closed_at", "created_at", "updated_at", "done_at", "due", "last_activity_at"}


def encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):  # StrEnum
        return value.value
    return value


def decode(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DECIMALS:
        return Decimal(value)
    if name in _DATES:
        return date.fromisoformat(value)
    if name in _DATETIMES:
        return datetime.fromisoformat(value)
    return value


def snapshot(deal: Deal, fields: Iterable[str]) -> dict[str, Any]:
    return {name: encode(getattr(deal, name)) for name in fields}


def restore(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: decode(name, value) for name, value in values.items()}


def entity_snapshot(item: Objection | FollowUp | Any) -> dict[str, Any]:
    return {key: encode(value) for key, value in asdict(item).items()}
