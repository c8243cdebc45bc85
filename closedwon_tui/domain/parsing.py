"""Turn what a rep types into exact values, or say clearly why not."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from closedwon_tui.domain.errors import ValidationError

_AMOUNT = re.compile(r"^(?P<num>\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?P<suffix>[kmb]?)$", re.IGNORECASE)
_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_RELATIVE = re.compile(r"^(?:in\s+)?\+?(?P<n>\d+)\s*(?P<unit>d|day|days|w|wk|week|weeks)$")
MAX_AMOUNT = Decimal("1e15")


def parse_amount(text: str | None) -> Decimal | None:
    """`12000`, `12,000.50`, `12k`, `1.5m`, `$3,000` -> Decimal; empty -> None."""
    if text is None:
        return None
    cleaned = str(text).strip().replace(" ", "").replace("_", "")
    if not cleaned:
        return None
    cleaned = cleaned.lstrip("$€£¥")
    if cleaned.startswith("-"):
        raise ValidationError(f"amount cannot be negative: {text!r}", "amount")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise ValidationError(f"not an amount: {text!r} (try 12000, 12,000.50, 12k or 1.5m)", "amount")
    try:
        value = Decimal(match["num"].replace(",", "")) * _SUFFIX[match["suffix"].lower()]
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise ValidationError(f"not an amount: {text!r}", "amount") from None
    if value >= MAX_AMOUNT:
        raise ValidationError(f"amount is too large: {text!r}", "amount")
    return value


def parse_currency(text: str | None) -> str:
    code = (text or "").strip().upper()
    if not _CURRENCY.match(code):
        raise ValidationError(f"not a currency code: {text!r} (three letters, like USD or EUR)", "currency")
    return code


def parse_probability(text: str | int | None) -> int | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = int(str(text).strip().rstrip("%"))
    except ValueError:
        raise ValidationError(
            f"probability must be a whole number from 0 to 100, not {text!r}", "probability"
        ) from None
    if not 0 <= value <= 100:
        raise ValidationError(f"probability must be from 0 to 100, not {value}", "probability")
    return value


def parse_email(text: str | None) -> str:
    value = (text or "").strip()
    if value and not _EMAIL.match(value):
        raise ValidationError(f"not an email address: {text!r}", "contact_email")
    return value


def parse_title(text: str | None) -> str:
    value = (text or "").strip()
    if not value:
        raise ValidationError("a deal needs a title", "title")
    if len(value) > 200:
        raise ValidationError("a title can be at most 200 characters", "title")
    return value


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%Y%m%d",
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_date(text: str | None, today: date | None = None, *, field: str = "date") -> date | None:
    """ISO and a few common forms, plus `today`, `tomorrow`, `+3d`, `in 2 weeks`, `next week`, `friday`."""
    if text is None:
        return None
    value = " ".join(str(text).strip().lower().split())
    if not value:
        return None
    today = today or date.today()
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    if value == "next week":
        return today + timedelta(days=7)
    if value in _WEEKDAYS:
        ahead = (_WEEKDAYS.index(value) - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if match := _RELATIVE.match(value):
        days = int(match["n"]) * (7 if match["unit"].startswith("w") else 1)
        if days > 366 * 100:
            raise ValidationError(f"{text!r} is too far ahead (at most a hundred years)", field)
        return today + timedelta(days=days)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(f"not a date: {text!r} (try 2026-12-31, 12/31/2026, 31 Dec 2026 or +3d)", field)


def parse_datetime(text: str | None, today: date | None = None, *, field: str = "date") -> tuple[datetime, bool] | None:
    """A date with an optional `HH:MM` time; returns (naive local datetime, has_time)."""
    if text is None or not str(text).strip():
        return None
    parts = str(text).strip().rsplit(" ", 1)
    if len(parts) == 2 and re.fullmatch(r"\d{1,2}:\d{2}", parts[1]):
        day = parse_date(parts[0], today, field=field)
        hour, minute = (int(p) for p in parts[1].split(":"))
        if hour > 23 or minute > 59:
            raise ValidationError(f"not a time: {parts[1]!r}", field)
        assert day is not None
        return datetime(day.year, day.month, day.day, hour, minute), True
    if "t" in parts[0].lower() and re.fullmatch(r"\d{4}-\d{2}-\d{2}[tT]\d{2}:\d{2}(:\d{2})?", str(text).strip()):
        try:
            return datetime.fromisoformat(str(text).strip()), True
        except ValueError:
            raise ValidationError(f"not a date and time: {text!r} (try 2026-12-01 14:30)", field) from None
    day = parse_date(text, today, field=field)
    assert day is not None
    return datetime(day.year, day.month, day.day), False


def match_choice(text: str, choices: list[str] | tuple[str, ...], what: str) -> str:
    """Case-insensitive exact match, then a unique prefix."""
    wanted = " ".join(text.strip().lower().split())
    for choice in choices:
        if choice.lower() == wanted:
            return choice
    starts = [c for c in choices if c.lower().startswith(wanted)] if wanted else []
    if len(starts) == 1:
        return starts[0]
    raise ValidationError(f"unknown {what}: {text!r} (choose from {', '.join(choices)})", what)
