"""Validate and normalise deal fields, whether typed by a rep or passed as values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import EDITABLE_FIELDS
from closedwon_tui.domain.money import quantize
from closedwon_tui.domain.parsing import (
    MAX_AMOUNT,
    parse_amount,
    parse_currency,
    parse_date,
    parse_email,
    parse_probability,
    parse_title,
)

_BOOL_FIELDS = {"budget_ok", "authority_ok", "need_ok", "timing_ok"}
_TEXT_LIMIT = 5000
#: Fields stored in short columns (see storage/tables.py): longer text is refused on every backend.
_SHORT_LIMITS = {"company": 200, "contact_name": 200, "contact_email": 200, "owner": 120, "source": 120}
LOST_REASON_LIMIT = 120
_TRUE = {"1", "true", "yes", "y", "on", "x", "✓"}
_FALSE = {"0", "false", "no", "n", "off", ""}


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(f"{name.replace('_', ' ')} must be yes or no, not {value!r}", name)


def _text(name: str, value: Any) -> str:
    text = "" if value is None else str(value).strip()
    limit = _SHORT_LIMITS.get(name, _TEXT_LIMIT)
    if len(text) > limit:
        raise ValidationError(f"{name.replace('_', ' ')} is too long (at most {limit} characters)", name)
    return text


def clean_lost_reason(value: str | None) -> str:
    """Why a deal was lost: required by the caller, and short enough for its column."""
    reason = (value or "").strip()
    if len(reason) > LOST_REASON_LIMIT:
        raise ValidationError(f"a lost reason can be at most {LOST_REASON_LIMIT} characters", "lost_reason")
    return reason


def clean_field(name: str, value: Any, today: date | None = None) -> Any:
    """One field's value, checked and in its domain type."""
    if name == "title":
        return parse_title(value)
    if name == "amount":
        if value is None or isinstance(value, Decimal):
            if value is not None and not value.is_finite():
                raise ValidationError(f"not an amount: {value}", "amount")
            if value is not None and value < 0:
                raise ValidationError("amount cannot be negative", "amount")
            if value is not None and value >= MAX_AMOUNT:
                raise ValidationError(f"amount is too large: {value}", "amount")
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return clean_field("amount", Decimal(value))
        return parse_amount(str(value))
    if name == "currency":
        return parse_currency(value)
    if name == "probability":
        return parse_probability(value)
    if name == "close_date":
        if value is None or isinstance(value, date):
            return value
        return parse_date(str(value), today, field="close_date")
    if name == "contact_email":
        return _text(name, parse_email(value))
    if name in _BOOL_FIELDS:
        return _bool(name, value)
    if name in EDITABLE_FIELDS:
        return _text(name, value)
    raise ValidationError(f"unknown field: {name!r} (fields: {', '.join(EDITABLE_FIELDS)})", name)


def clean_fields(raw: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """Every field checked; the first problem raises, so nothing half-valid is saved."""
    cleaned = {name: clean_field(name, value, today) for name, value in raw.items()}
    if cleaned.get("amount") is not None and "currency" in cleaned:
        cleaned["amount"] = quantize(cleaned["amount"], cleaned["currency"])
    return cleaned
