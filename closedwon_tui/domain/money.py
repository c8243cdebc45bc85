"""Exact money: amounts are Decimals in memory and integer minor units on disk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

from closedwon_tui.domain.errors import ValidationError

#: Currencies whose minor unit is not a hundredth (ISO 4217).
_MINOR_DIGITS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0,
    "KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0,
    "XOF": 0, "XPF": 0, "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3,
    "OMR": 3, "TND": 3,
}  # fmt: skip

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def minor_digits(currency: str) -> int:
    return _MINOR_DIGITS.get(currency.upper(), 2)


#: The minor unit per currency as a Decimal quantum (0.01, 1, 0.001), built once per currency.
_QUANTA: dict[str, Decimal] = {}


def quantize(amount: Decimal, currency: str) -> Decimal:
    try:
        quantum = _QUANTA[currency]
    except KeyError:
        quantum = _QUANTA[currency] = Decimal(1).scaleb(-minor_digits(currency))
    return amount.quantize(quantum, rounding=ROUND_HALF_EVEN)


def exact_amount(amount: Decimal, currency: str) -> Decimal:
    """`amount` in `currency`'s minor unit, refused rather than rounded when it has more decimals
    than the currency has (12.345 USD, 0.4 JPY, 0.0005 KWD): money a rep typed is never changed."""
    try:
        exact = quantize(amount, currency)
    except InvalidOperation:  # more digits than any amount closedwon accepts
        raise ValidationError(f"amount is too large: {amount}", "amount") from None
    if exact != amount:
        digits = minor_digits(currency)
        precision = "whole amounts only" if digits == 0 else f"at most {digits} decimal{'s' * (digits > 1)}"
        raise ValidationError(
            f"amount {amount:f} has more decimals than {currency.upper()} has ({precision}); "
            "nothing is rounded, type it exactly",
            "amount",
        )
    return exact


def to_minor(amount: Decimal, currency: str) -> int:
    """Integer minor units; an amount finer than the currency's minor unit is refused, never rounded."""
    return int(exact_amount(amount, currency).scaleb(minor_digits(currency)))


def from_minor(minor: int, currency: str) -> Decimal:
    # An integer scaled by 10^-digits already has exactly `digits` decimal places.
    return Decimal(minor).scaleb(-minor_digits(currency))


def format_money(amount: Decimal | None, currency: str, *, compact: bool = False) -> str:
    """`$48,250.00`, or `$48.3k` when compact; `—` when there is no amount."""
    if amount is None:
        return "—"
    symbol = _SYMBOLS.get(currency.upper())
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if compact:
        for threshold, suffix in ((Decimal(10) ** 9, "b"), (Decimal(10) ** 6, "m"), (Decimal(1000), "k")):
            if value >= threshold:
                scaled = (value / threshold).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                text = f"{scaled.normalize():f}{suffix}"
                break
        else:
            text = f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
    else:
        text = f"{quantize(value, currency):,}"
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency.upper()}"


def sum_by_currency(pairs: Iterable[tuple[Decimal | None, str]]) -> dict[str, Decimal]:
    """Add amounts per currency; amounts of different currencies are never mixed."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for amount, currency in pairs:
        if amount is not None:
            totals[currency] += amount
    return dict(totals)


def sum_minor_by_currency(pairs: Iterable[tuple[int | None, str]]) -> dict[str, Decimal]:
    """Add amounts given in minor units per currency, as integers, then make them exact Decimals.

    The same totals as `sum_by_currency` over the Decimal amounts, for sums counted in SQL.
    """
    totals: dict[str, int] = {}
    for minor, currency in pairs:
        if minor is not None:
            totals[currency] = totals.get(currency, 0) + minor
    return {currency: from_minor(total, currency) for currency, total in totals.items()}


def format_totals(totals: dict[str, Decimal], *, compact: bool = False, empty: str = "0") -> str:
    if not totals:
        return empty
    return " + ".join(format_money(v, c, compact=compact) for c, v in sorted(totals.items()))
