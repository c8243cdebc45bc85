"""What a whole column of an export decides, and the small values: yes/no, percentages.

An export is written in one locale, so what a single value leaves open (is `9.500` nine and a
half or nine thousand five hundred? is `01/10/2026` January or October?) is decided for the
whole column from the values that are not ambiguous, and failing those from the file's
separator (a `;` file comes from a European Excel): see `amounts` and `dates`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from closedwon_tui.domain.errors import ValidationError

#: Enough values that tell a column's style to decide it (the rest are read the same way).
DECISIVE_VOTES = 1000


def european(separator: str) -> bool:
    """A `;`-separated file comes from a locale that writes `1.234,56` and `01.10.2026`."""
    return separator == ";"


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
