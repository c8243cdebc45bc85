"""Turn what a rep types into exact values, or say clearly why not."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.text import TITLE_LIMIT

# Numbers are ASCII digits only ([0-9], never \d, which also matches ١٢٣ and other scripts' digits).
_AMOUNT = re.compile(
    r"^(?P<num>[0-9]+(?:\.[0-9]+)?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?)(?P<suffix>[kmb]?)$", re.IGNORECASE
)
_SUFFIX_EXPONENT = {"": 0, "k": 3, "m": 6, "b": 9}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_RELATIVE = re.compile(r"^(?:in\s+)?\+?(?P<n>[0-9]+)\s*(?P<unit>d|day|days|w|wk|week|weeks)$")
_PROBABILITY = re.compile(r"^[0-9]+%?$")
_WHOLE = re.compile(r"^[0-9]+$")
_TIME = re.compile(r"[0-9]{1,2}:[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[tT][0-9]{2}:[0-9]{2}(:[0-9]{2})?")
MAX_AMOUNT = Decimal("1e15")
#: The largest id a database row can have (a signed 64-bit integer on every backend).
MAX_ID = 2**63 - 1


def require_ascii_digits(text: str, field: str) -> None:
    """Refuse digits of other scripts (١٢٣, ５): only 0-9 are read as numbers, so what is saved is
    what the rep sees on every screen."""
    for ch in text:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            raise ValidationError(f"only the digits 0-9 are read as numbers, not {ch!r} in {text!r}", field)


def parse_amount(text: str | None) -> Decimal | None:
    """`12000`, `12,000.50`, `12k`, `1.5m`, `$3,000` -> Decimal; empty -> None."""
    if text is None:
        return None
    cleaned = str(text).strip().replace(" ", "").replace("_", "")
    if not cleaned:
        return None
    cleaned = cleaned.lstrip("$€£¥")
    require_ascii_digits(cleaned, "amount")
    if cleaned.startswith("-"):
        raise ValidationError(f"amount cannot be negative: {text!r}", "amount")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise ValidationError(f"not an amount: {text!r} (try 12000, 12,000.50, 12k or 1.5m)", "amount")
    digits = match["num"].replace(",", "")
    with localcontext() as exact:  # enough precision that the suffix never rounds what was typed
        exact.prec = len(digits) + 10
        value = Decimal(digits).scaleb(_SUFFIX_EXPONENT[match["suffix"].lower()])
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
    if isinstance(text, bool) or not isinstance(text, (int, str)):
        raise ValidationError(f"probability must be a whole number from 0 to 100, not {text!r}", "probability")
    if isinstance(text, int):
        value = text
    else:
        cleaned = text.strip()
        require_ascii_digits(cleaned, "probability")
        if not _PROBABILITY.match(cleaned):
            raise ValidationError(f"probability must be a whole number from 0 to 100, not {text!r}", "probability")
        value = int(cleaned.rstrip("%"))
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
    if len(value) > TITLE_LIMIT:
        raise ValidationError(f"a title can be at most {TITLE_LIMIT} characters", "title")
    return value


def parse_whole_number(text: str | int, what: str, *, low: int = 1, high: int = MAX_ID) -> int:
    """An id, a position or a count: ASCII digits only, from `low` to `high` (ids fit a 64-bit row id)."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        cleaned = str(text).strip()
        require_ascii_digits(cleaned, what)
        if not _WHOLE.match(cleaned):
            raise ValidationError(f"{what} must be a whole number, not {text!r}", what)
        if len(cleaned.lstrip("0")) > len(str(high)):  # no need to build a huge int to refuse it
            raise ValidationError(f"{what} must be from {low} to {high}, not {cleaned}", what)
        value = int(cleaned)
    if not low <= value <= high:
        raise ValidationError(f"{what} must be from {low} to {high}, not {value}", what)
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
    require_ascii_digits(value, field)
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
    require_ascii_digits(str(text), field)
    parts = str(text).strip().rsplit(" ", 1)
    if len(parts) == 2 and _TIME.fullmatch(parts[1]):
        day = parse_date(parts[0], today, field=field)
        hour, minute = (int(p) for p in parts[1].split(":"))
        if hour > 23 or minute > 59:
            raise ValidationError(f"not a time: {parts[1]!r}", field)
        assert day is not None
        return datetime(day.year, day.month, day.day, hour, minute), True
    if "t" in parts[0].lower() and _ISO_DATETIME.fullmatch(str(text).strip()):
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
