"""Validate and normalise deal fields, whether typed by a rep or passed as values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import DEFAULT_LOST_REASONS, EDITABLE_FIELDS
from closedwon_tui.domain.money import exact_amount
from closedwon_tui.domain.parsing import (
    MAX_AMOUNT,
    match_choice,
    parse_amount,
    parse_currency,
    parse_date,
    parse_email,
    parse_probability,
    parse_title,
)
from closedwon_tui.domain.text import limit_for

_BOOL_FIELDS = {"budget_ok", "authority_ok", "need_ok", "timing_ok"}
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


def clean_text(name: str, value: Any, *, what: str | None = None, required: bool = False) -> str:
    """Free text for field `name`: trimmed, within the field's limit (domain/text.py holds every
    limit), and real text: a lone surrogate (bytes that were not UTF-8) is refused, not stored."""
    what = what or name.replace("_", " ")
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError(f"{what} cannot be empty", name)
    limit = limit_for(name)
    if len(text) > limit:
        raise ValidationError(f"{what} is too long (at most {limit:,} characters)", name)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(f"{what} is not valid text (it holds bytes that are not UTF-8)", name) from None
    return text


def _text(name: str, value: Any) -> str:
    return clean_text(name, value)


def clean_lost_reason(value: str | None, reasons: Sequence[str] = DEFAULT_LOST_REASONS) -> str:
    """Why a deal was lost: one of the configured `reasons` (any case, or a unique prefix), returned
    as the list spells it, so reports rank one reason once; empty when none was given."""
    reason = clean_text("lost_reason", value, what="a lost reason")
    return match_choice(reason, list(reasons), "lost reason") if reason else ""


def clean_field(name: str, value: Any, today: date | None = None) -> Any:
    """One field's value, checked and in its domain type."""
    if name == "title":
        return parse_title(clean_text("title", value))
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
        cleaned["amount"] = exact_amount(cleaned["amount"], cleaned["currency"])
    return cleaned
