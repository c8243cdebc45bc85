"""Amounts as exports write them: `42,000`, `$12,400.00`, `EUR 9.500,00`, `9 500,00 €`.

Exact or refused: a value with more decimals than its currency has is refused, never rounded
(the same rule as everywhere in closedwon, on the domain's money helpers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.parsing import MAX_AMOUNT
from closedwon_tui.transfer.values import DECISIVE_VOTES, european


class NumberStyle(Enum):
    """Which mark a column uses for decimals (the other one groups thousands)."""

    POINT = "."  # 1,234.56
    COMMA = ","  # 1.234,56


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
    raise ValidationError(
        f"the amount {text.strip()!r} is in {money.currency} but the deal's currency is {column}", "amount"
    )
