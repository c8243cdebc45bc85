"""Values as exports write them: amounts, dates and times, yes/no, percentages.

An export is written in one locale, so what a single value leaves open (is `9.500` nine and a
half or nine thousand five hundred? is `01/10/2026` January or October?) is decided for the
whole column from the values that are not ambiguous, and failing those from the file's
separator (a `;` file comes from a European Excel). Amounts stay exact: a value with more
decimals than its currency has is refused, never rounded.
"""

from __future__ import annotations

import re
import time as time_module
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import Enum

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.money import minor_digits, quantize
from closedwon_tui.domain.parsing import MAX_AMOUNT


class NumberStyle(Enum):
    """Which mark a column uses for decimals (the other one groups thousands)."""

    POINT = "."  # 1,234.56
    COMMA = ","  # 1.234,56


class DateOrder(Enum):
    """How a column writes `01/10/2026`."""

    MONTH_FIRST = "m/d/y"
    DAY_FIRST = "d/m/y"


@dataclass(frozen=True, slots=True)
class ColumnStyle:
    """What a file's columns leave open, decided once per column."""

    numbers: NumberStyle = NumberStyle.POINT
    dates: DateOrder = DateOrder.MONTH_FIRST
    #: Probabilities written as fractions (0.2) rather than percentages (20).
    fractions: bool = False


def european(separator: str) -> bool:
    """A `;`-separated file comes from a locale that writes `1.234,56` and `01.10.2026`."""
    return separator == ";"


# amounts -------------------------------------------------------------------------------

#: Symbols and the currency they stand for; `$` stands for any dollar when the file names one.
SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "CHF": "CHF"}
DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD", "BRL"})
_CODE = re.compile(r"^(?P<code>[A-Za-z]{3})\s*(?P<rest>.*)$|^(?P<rest2>.*?)\s*(?P<code2>[A-Za-z]{3})$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'’_")
_PLAIN = re.compile(r"^\d+$")


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    #: The currency the value itself names (`EUR 9.500,00`, `$12,400.00`), or None.
    currency: str | None


_SYMBOLS_LONGEST_FIRST = sorted(SYMBOLS, key=len, reverse=True)


def _split_currency(text: str) -> tuple[str, str | None, bool]:
    """(the number, the currency it names, whether that was the bare `$` sign)."""
    value = text.strip()
    if value[:1].isdigit() and value[-1:].isdigit():
        return value, None, False  # the common case: a bare number
    for symbol in _SYMBOLS_LONGEST_FIRST:
        if value.startswith(symbol) or value.endswith(symbol):
            number = value.removeprefix(symbol) if value.startswith(symbol) else value.removesuffix(symbol)
            if symbol == "$" and number.strip()[:3].isalpha():
                break  # `$` then a code is odd; let the code decide below
            return number.strip(), SYMBOLS[symbol], symbol == "$"
    match = _CODE.match(value)
    if match and (match["code"] or match["code2"]):
        code = (match["code"] or match["code2"]).upper()
        rest = match["rest"] if match["code"] else match["rest2"]
        rest = rest.strip()
        if rest.startswith("$") or rest.endswith("$"):
            rest = rest.strip("$").strip()
        return rest, code, False
    return value, None, False


def _evidence(number: str) -> NumberStyle | None:
    """The style a number proves by itself, or None when it fits both (`42,000`, `9.500`, `12`)."""
    points, commas = number.count("."), number.count(",")
    if points and commas:
        return NumberStyle.POINT if number.rfind(".") > number.rfind(",") else NumberStyle.COMMA
    if commas:
        if commas > 1:
            return NumberStyle.POINT
        return None if len(number) - number.rfind(",") - 1 == 3 else NumberStyle.COMMA
    if points:
        if points > 1:
            return NumberStyle.COMMA
        return None if len(number) - number.rfind(".") - 1 == 3 else NumberStyle.POINT
    return None


#: Enough values that tell a column's style to decide it (the rest are read the same way).
DECISIVE_VOTES = 1000


def number_style(values: Iterable[str], separator: str) -> NumberStyle:
    """The style most of a column's unambiguous values prove; the file's locale when none do."""
    votes = {NumberStyle.POINT: 0, NumberStyle.COMMA: 0}
    for value in values:
        if value.isdigit():
            continue
        number = _split_currency(value)[0].translate(_SPACES)
        style = _evidence(number)
        if style is not None:
            votes[style] += 1
            if votes[style] >= DECISIVE_VOTES:
                break
    if votes[NumberStyle.POINT] == votes[NumberStyle.COMMA]:
        return NumberStyle.COMMA if european(separator) else NumberStyle.POINT
    return max(votes, key=lambda s: votes[s])


def _number(text: str, style: NumberStyle) -> Decimal | None:
    decimal_mark, group_mark = (".", ",") if style is NumberStyle.POINT else (",", ".")
    whole, _, fraction = text.partition(decimal_mark)
    if decimal_mark in fraction or group_mark in fraction:
        return None
    groups = whole.split(group_mark)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        return None
    digits = "".join(groups)
    if not _PLAIN.match(digits) or (fraction and not _PLAIN.match(fraction)):
        return None
    return Decimal(f"{digits}.{fraction}" if fraction else digits)


def parse_money(text: str, style: NumberStyle = NumberStyle.POINT) -> Money | None:
    """`42,000`, `$12,400.00`, `EUR 9.500,00`, `12400.5`, `9 500,00 €` -> exact Money; empty -> None."""
    value = text.strip()
    if not value:
        return None
    number, currency, _ = _split_currency(value)
    number = number.translate(_SPACES)
    if number.startswith("-") or number.endswith("-") or (number.startswith("(") and number.endswith(")")):
        raise ValidationError(f"amount cannot be negative: {text!r}", "amount")
    own = _evidence(number)
    amount = _number(number, own or style)
    if amount is None:
        raise ValidationError(f"not an amount: {text!r}", "amount")
    if amount >= MAX_AMOUNT:
        raise ValidationError(f"amount is too large: {text!r}", "amount")
    return Money(amount, currency)


def exact_amount(amount: Decimal, currency: str, text: str) -> Decimal:
    """The amount in its currency's minor units, or refused when that would round it."""
    try:
        exact = quantize(amount, currency)
    except InvalidOperation:  # pragma: no cover - bounded by MAX_AMOUNT
        raise ValidationError(f"amount is too large: {text!r}", "amount") from None
    if exact != amount:
        digits = minor_digits(currency)
        places = "no decimals" if digits == 0 else f"{digits} decimal{'s' if digits > 1 else ''}"
        raise ValidationError(f"{text.strip()!r} has more decimals than {currency} allows ({places})", "amount")
    return exact


def parse_currency_cell(text: str) -> str | None:
    """`EUR`, `eur`, `€`, `$` -> a three-letter code; empty -> None."""
    value = text.strip()
    if not value:
        return None
    if value in SYMBOLS:
        return SYMBOLS[value]
    if re.fullmatch(r"[A-Za-z]{3}", value):
        return value.upper()
    # Pipedrive and Salesforce sometimes write the name: `Euro`, `US Dollar`.
    names = {"euro": "EUR", "euros": "EUR", "us dollar": "USD", "dollar": "USD", "pound sterling": "GBP"}
    if value.lower() in names:
        return names[value.lower()]
    raise ValidationError(f"not a currency: {text!r} (three letters, like USD or EUR)", "currency")


def settle_currency(money: Money, column: str | None, default: str | None, text: str) -> str | None:
    """The currency of an amount: the one it names and the file's currency column must agree."""
    if money.currency is None:
        return column or default
    if column is None or column == money.currency:
        return money.currency
    if money.currency == "USD" and column in DOLLARS and "$" in text and "USD" not in text.upper():
        return column  # `$` in a CAD deal is a Canadian dollar
    raise ValidationError(f"the amount {text.strip()!r} is in {money.currency} but the deal's currency is {column}", "amount")


# dates ---------------------------------------------------------------------------------

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
        zone = timezone.utc
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
        return datetime(day.year, day.month, day.day, DATE_ONLY_HOUR, tzinfo=timezone.utc)
    moment = datetime.combine(day, clock)
    if zone is not None:
        return moment.replace(tzinfo=zone).astimezone(timezone.utc)
    return (moment - _local_offset(moment)).replace(tzinfo=timezone.utc)


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


# yes/no and percentages ----------------------------------------------------------------

_TRUE = {"true", "yes", "y", "1", "x", "won", "closed", "t", "✓", "wahr", "ja", "vrai", "oui", "sí", "si"}
_FALSE = {"false", "no", "n", "0", "f", "open", "falsch", "nein", "faux", "non"}


def parse_flag(text: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError(f"not yes or no: {text.strip()!r}", "flag")


def fraction_probabilities(values: Iterable[str]) -> bool:
    """A probability column written as fractions: every value at most 1, some with decimals (0.2)."""
    seen_decimal = False
    for value in values:
        cleaned = value.strip().rstrip("%").strip().replace(",", ".")
        if not cleaned:
            continue
        if "%" in value:
            return False
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            continue
        if number > 1:
            return False
        seen_decimal = seen_decimal or "." in cleaned
    return seen_decimal


def parse_percent(text: str, *, fraction: bool = False) -> int | None:
    """`20`, `20%`, `20.0` (or `0.2` in a column of fractions) -> 20; a whole percentage 0-100."""
    value = text.strip()
    if not value:
        return None
    cleaned = value.rstrip("%").strip().replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(f"not a probability: {value!r}", "probability") from None
    if not number.is_finite():
        raise ValidationError(f"not a probability: {value!r}", "probability")
    if fraction and "%" not in value:
        number *= 100
    if number != number.to_integral_value():
        raise ValidationError(f"a probability is a whole percentage, not {value!r}", "probability")
    if not 0 <= number <= 100:
        raise ValidationError(f"a probability is from 0 to 100, not {value!r}", "probability")
    return int(number)
