"""Dates and times as exports write them: ISO (with `Z` or an offset), `10/01/2026`, `01.10.2026`,
`Oct 1, 2026`, `10/1/2026 2:03 PM`.

A time without a zone is the rep's local time; a date alone, where a moment is wanted, is noon
UTC (the same calendar date in every zone from UTC-11 to UTC+11).
"""

from __future__ import annotations

import re
import time as time_module
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import Enum

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.transfer.values import DECISIVE_VOTES, european


class DateOrder(Enum):
    """How a column writes `01/10/2026`."""

    MONTH_FIRST = "m/d/y"
    DAY_FIRST = "d/m/y"


_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_AMBIGUOUS = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$")
_DAY_NAMED = re.compile(r"^(\d{1,2})[\s-]([a-z]+)\.?,?[\s-](\d{4})$")
_NAMED_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_TIME = re.compile(
    r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([ap]\.?m\.?)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$"
)
_SPLIT = re.compile(r"^(?P<date>.+?)(?:[t\s,]+(?P<time>\d{1,2}:\d{2}.*))?$")


def date_order(values: Iterable[str], separator: str) -> DateOrder:
    """Whether a column writes the month or the day first, from the values that tell."""
    votes = {DateOrder.MONTH_FIRST: 0, DateOrder.DAY_FIRST: 0}
    for value in values:
        value = value.strip()
        if value[:4].isdigit() or "/" not in value and "-" not in value:
            continue  # year first (ISO), or dotted (always day first): it says nothing about the order
        match = _SPLIT.match(value.lower())
        found = _AMBIGUOUS.match(match["date"]) if match else None
        if found is None:
            continue
        first, second = int(found[1]), int(found[3])
        if first > 12 >= second:
            votes[DateOrder.DAY_FIRST] += 1
        elif second > 12 >= first:
            votes[DateOrder.MONTH_FIRST] += 1
        if max(votes.values()) >= DECISIVE_VOTES:
            break
    if votes[DateOrder.MONTH_FIRST] == votes[DateOrder.DAY_FIRST]:
        return DateOrder.DAY_FIRST if european(separator) else DateOrder.MONTH_FIRST
    return max(votes, key=lambda o: votes[o])


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _calendar_date(text: str, order: DateOrder) -> date | None:
    try:
        if found := _YMD.match(text):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if found := _DOTTED.match(text):
            return date(_year(found[3]), int(found[2]), int(found[1]))
        if found := _AMBIGUOUS.match(text):
            first, second = int(found[1]), int(found[3])
            month, day = (first, second) if order is DateOrder.MONTH_FIRST else (second, first)
            return date(_year(found[4]), month, day)
        if (found := _DAY_NAMED.match(text)) and found[2] in _MONTHS:
            return date(int(found[3]), _MONTHS[found[2]], int(found[1]))
        if (found := _NAMED_DAY.match(text)) and found[1] in _MONTHS:
            return date(int(found[3]), _MONTHS[found[1]], int(found[2]))
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    return None


def _clock(text: str) -> tuple[time, timezone | None] | None:
    found = _TIME.match(text.strip())
    if found is None:
        return None
    hour, minute, second = int(found[1]), int(found[2]), int(found[3] or 0)
    micro = int((found[4] or "0")[:6].ljust(6, "0"))
    if found[5]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found[5].startswith("p") else 0)
    zone_text = found[6]
    zone = None
    if zone_text in ("z", "utc", "gmt"):
        zone = UTC
    elif zone_text:
        sign = -1 if zone_text[0] == "-" else 1
        digits = zone_text[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
        if minutes >= 24 * 60:
            return None
        zone = timezone(sign * timedelta(minutes=minutes))
    try:
        return time(hour, minute, second, micro), zone
    except ValueError:
        return None


def parse_when(text: str, order: DateOrder = DateOrder.MONTH_FIRST) -> tuple[date, time | None, timezone | None] | None:
    """A date, with its time of day and zone when the value has them; empty -> None."""
    value = " ".join(text.strip().lower().split())
    if not value:
        return None
    if len(value) >= 10 and value[4] == "-" and value[:4].isdigit():
        iso = _iso(value)
        if iso is not None:
            return iso
    split = _SPLIT.match(value)
    day = _calendar_date(split["date"], order) if split else None
    clock = None
    if day is not None and split and split["time"]:
        clock = _clock(split["time"])
        if clock is None:
            day = None
    if day is None:
        raise ValidationError(f"not a date: {text.strip()!r}", "date")
    if clock is None:
        return day, None, None
    return day, clock[0], clock[1]


def _iso(value: str) -> tuple[date, time | None, timezone | None] | None:
    """The quick way for ISO 8601 (`2026-10-01`, `2026-10-01 14:03:00`, `...T14:03:00.000Z`)."""
    try:
        moment = datetime.fromisoformat(value.upper() if "z" in value else value)
    except ValueError:
        return None
    if len(value) == 10:
        return moment.date(), None, None
    zone = moment.tzinfo
    if zone is not None and not isinstance(zone, timezone):  # pragma: no cover - fromisoformat gives fixed offsets
        return None
    return moment.date(), moment.time().replace(tzinfo=None), zone  # type: ignore[return-value]


def parse_day(text: str, order: DateOrder = DateOrder.MONTH_FIRST) -> date | None:
    """The calendar date of a value (its time of day, if any, is dropped)."""
    parsed = parse_when(text, order)
    return None if parsed is None else parsed[0]


#: A date-only moment is taken as noon UTC: the same calendar date in every zone from UTC-11
#: to UTC+11, so a deal closed "on 2026-03-31" counts in March wherever the rep is.
DATE_ONLY_HOUR = 12


def parse_moment(text: str, order: DateOrder = DateOrder.MONTH_FIRST) -> datetime | None:
    """An aware UTC datetime: a time without a zone is the rep's local time; a bare date is noon UTC."""
    parsed = parse_when(text, order)
    if parsed is None:
        return None
    day, clock, zone = parsed
    if clock is None:
        return datetime(day.year, day.month, day.day, DATE_ONLY_HOUR, tzinfo=UTC)
    moment = datetime.combine(day, clock)
    if zone is not None:
        return moment.replace(tzinfo=zone).astimezone(UTC)
    return (moment - _local_offset(moment)).replace(tzinfo=UTC)


#: The local zone's offset from UTC by hour (a file's times are read by the thousand), for the
#: zone in force: a new `TZ` (time.tzset) changes `time.tzname`, and so the key.
_OFFSETS: dict[tuple[tuple[str, str], int, int, int, int], timedelta] = {}


def _local_offset(moment: datetime) -> timedelta:
    key = (time_module.tzname, moment.year, moment.month, moment.day, moment.hour)
    offset = _OFFSETS.get(key)
    if offset is None:
        if len(_OFFSETS) > 100_000:
            _OFFSETS.clear()
        offset = _OFFSETS[key] = moment.astimezone().utcoffset() or timedelta(0)
    return offset
