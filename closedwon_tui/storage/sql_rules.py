"""Domain rules written in SQL, for figures counted and rows written where the data lives.

Each one gives exactly what its Python rule gives (the tests compare them): `rules.days_between`,
`rules.weighted_minor`, the exact decimal text of an amount, and `datetime.isoformat()` of a
stored UTC time. The two dialects closedwon runs on each get their own spelling.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, and_, case, cast, func, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from closedwon_tui.domain.money import minor_digits


class whole_days(FunctionElement[int]):
    """`rules.days_between(start, end)`: whole days from start to end, never below zero.

    The difference of the two calendar days, less one when the end's time of day is before the
    start's: exact to the microsecond, with no floating point.
    """

    type = Integer()
    inherit_cache = True


@compiles(whole_days, "sqlite")
def _whole_days_sqlite(element: whole_days, compiler: Any, **kw: Any) -> str:
    # Datetimes are stored as 'YYYY-MM-DD HH:MM:SS.ffffff': the day is the first ten characters
    # (read once, where date() would read the whole time and julianday() its text again), and the
    # time of day compares as text.
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return (f"MAX(0, CAST(julianday(substr({end}, 1, 10)) - julianday(substr({start}, 1, 10)) AS INTEGER)"
            f" - (substr({end}, 12) < substr({start}, 12)))")  # fmt: skip


@compiles(whole_days, "postgresql")
def _whole_days_postgresql(element: whole_days, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return (f"GREATEST(0, (CAST({end} AS DATE) - CAST({start} AS DATE))"
            f" - CASE WHEN CAST({end} AS TIME) < CAST({start} AS TIME) THEN 1 ELSE 0 END)")  # fmt: skip


class iso_utc(FunctionElement[str]):
    """`isoformat()` of a stored UTC time as an aware datetime: `2026-11-25T15:00:00+00:00`,
    with `.ffffff` only when there are microseconds; NULL stays NULL."""

    type = String()
    inherit_cache = True


@compiles(iso_utc, "sqlite")
def _iso_utc_sqlite(element: iso_utc, compiler: Any, **kw: Any) -> str:
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff': '.000000' can only be the microseconds.
    (moment,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(replace(replace({moment}, ' ', 'T'), '.000000', '') || '+00:00')"


@compiles(iso_utc, "postgresql")
def _iso_utc_postgresql(element: iso_utc, compiler: Any, **kw: Any) -> str:
    # The text of a timestamp is 'YYYY-MM-DD HH:MM:SS' with its fraction, if any, cut after the last
    # non-zero digit: isoformat() writes all six digits, so a fraction is padded to them (several
    # times faster than to_char, and the text made once less than cutting the fraction off to pad it).
    (moment,) = (compiler.process(arg, **kw) for arg in element.clauses)
    text = f"CAST({moment} AS TEXT)"
    return f"(replace(CASE WHEN length({text}) = 19 THEN {text} ELSE rpad({text}, 26, '0') END, ' ', 'T') || '+00:00')"


class iso_date(FunctionElement[str]):
    """`date.isoformat()` of a stored date."""

    type = String()
    inherit_cache = True


@compiles(iso_date, "sqlite")
def _iso_date_sqlite(element: iso_date, compiler: Any, **kw: Any) -> str:
    return compiler.process(list(element.clauses)[0], **kw)  # stored as YYYY-MM-DD


@compiles(iso_date, "postgresql")
def _iso_date_postgresql(element: iso_date, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(list(element.clauses)[0], **kw)}, 'YYYY-MM-DD')"


#: The largest amount in minor units whose product with a probability (0 to 100), plus 50, fits
#: in 64 bits: every amount closedwon takes (under 10**15 in major units, at most three decimals).
EXACT_PRODUCT = (2**63 - 1 - 50) // 100


def weighted_minor(amount: ColumnElement[Any], probability: ColumnElement[Any]) -> ColumnElement[Any]:
    """`rules.weighted_minor`: amount x probability / 100 in minor units, rounded half to even.

    For an amount from 0 to `EXACT_PRODUCT` the product x = amount x probability is exact, and
    half to even is (x + 50) // 100, less one when x % 200 is 50 (exactly half, after an even
    whole): the probability is worked out twice per row, where splitting the amount takes it
    eight times. Any other amount is split as 100q + r so that no product leaves 64 bits:
    q*p + (r*p) // 100, plus one when the remainder (r*p) % 100 is over 50, or exactly 50 after
    an odd whole.
    """
    product = amount * probability
    near = (product + 50) // 100 - case((product % 200 == 50, 1), else_=0)
    whole = (amount // 100) * probability + (amount % 100) * probability // 100
    rest = (amount % 100) * probability % 100
    split = whole + case((or_(rest > 50, and_(rest == 50, whole % 2 == 1)), 1), else_=0)
    return case((amount.between(0, EXACT_PRODUCT), near), else_=split)


def minor_text(minor: ColumnElement[Any], currency: ColumnElement[Any], currencies: Iterable[str],
               dialect: str, *, missing: ColumnElement[Any] | None = None) -> ColumnElement[Any]:  # fmt: skip
    """`str(money.from_minor(minor, currency))`: the exact decimal text of a non-negative amount in
    minor units, for the given currencies (each with its own number of decimals); NULL stays NULL.
    `missing`: a column that is NULL exactly when `minor` is, to test instead of computing `minor`
    once more (an amount worked out from several columns)."""
    by_digits: dict[int, list[str]] = {}
    for code in currencies:
        by_digits.setdefault(minor_digits(code), []).append(code)
    branches = []
    for digits, codes in sorted(by_digits.items()):
        if digits == 0:
            text: ColumnElement[Any] = cast(minor, String)
        elif dialect == "sqlite":
            text = func.printf(f"%d.%0{digits}d", minor // 10**digits, minor % 10**digits)
        else:
            fraction = func.lpad(cast(minor % 10**digits, String), digits, literal("0"))
            text = cast(minor // 10**digits, String).concat(".").concat(fraction)
        branches.append((currency.in_(codes), text))
    if not branches:
        return literal(None, String)
    return case(((minor if missing is None else missing).is_(None), None), *branches, else_=None)
