"""Money is exact: Decimals in memory, integer minor units on disk, currencies never mixed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.money import (
    format_money,
    format_totals,
    from_minor,
    minor_digits,
    quantize,
    sum_by_currency,
    to_minor,
)


@pytest.mark.parametrize(("currency", "digits"), [("USD", 2), ("EUR", 2), ("JPY", 0), ("KWD", 3), ("jpy", 0)])
def test_minor_digits_follow_iso_4217(currency, digits):
    assert minor_digits(currency) == digits


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("48250.00"), "USD", 4825000),
        (Decimal("12000.5"), "EUR", 1200050),
        (Decimal("1500000"), "JPY", 1500000),
        (Decimal("12.345"), "KWD", 12345),
        (Decimal("0.01"), "USD", 1),
        (Decimal("999999999999.99"), "USD", 99999999999999),
    ],
)
def test_minor_units_round_trip_exactly(amount, currency, minor):
    assert to_minor(amount, currency) == minor
    assert isinstance(to_minor(amount, currency), int)
    assert from_minor(minor, currency) == amount
    assert isinstance(from_minor(minor, currency), Decimal)


def test_from_minor_carries_the_currencys_exponent():
    assert str(from_minor(4825000, "USD")) == "48250.00"
    assert str(from_minor(1500, "JPY")) == "1500"
    assert str(from_minor(12345, "KWD")) == "12.345"


def test_quantize_rounds_half_even_to_the_minor_unit():
    assert quantize(Decimal("0.125"), "USD") == Decimal("0.12")
    assert quantize(Decimal("0.135"), "USD") == Decimal("0.14")
    assert quantize(Decimal("100.5"), "JPY") == Decimal("100")


def test_storage_never_rounds_an_amount_finer_than_its_currency():
    with pytest.raises(ValidationError, match="more decimals than KWD"):
        to_minor(Decimal("1.0005"), "KWD")
    with pytest.raises(ValidationError, match="JPY"):
        to_minor(Decimal("0.4"), "JPY")


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (Decimal("48250"), "USD", "$48,250.00"),
        (Decimal("1234.5"), "EUR", "€1,234.50"),
        (Decimal("1500000"), "JPY", "¥1,500,000"),
        (Decimal("12.345"), "KWD", "12.345 KWD"),
        (Decimal("-20"), "GBP", "-£20.00"),
        (None, "USD", "—"),
    ],
)
def test_format_money(amount, currency, text):
    assert format_money(amount, currency) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [(Decimal("48250"), "$48.3k"), (Decimal("1500000"), "$1.5m"), (Decimal("950"), "$950"),
     (Decimal("2000000000"), "$2b"), (Decimal("1000"), "$1k")],
)  # fmt: skip
def test_format_money_compact(amount, text):
    assert format_money(amount, "USD", compact=True) == text


def test_sum_by_currency_never_mixes_currencies():
    totals = sum_by_currency(
        [(Decimal("100.10"), "USD"), (Decimal("5000"), "JPY"), (Decimal("0.20"), "USD"), (None, "USD"),
         (Decimal("1.005"), "KWD")]
    )  # fmt: skip
    assert totals == {"USD": Decimal("100.30"), "JPY": Decimal("5000"), "KWD": Decimal("1.005")}
    assert all(isinstance(v, Decimal) for v in totals.values())


def test_sum_by_currency_of_nothing_is_empty():
    assert sum_by_currency([]) == {}
    assert sum_by_currency([(None, "USD")]) == {}


def test_sum_is_exact_where_floats_are_not():
    totals = sum_by_currency([(Decimal("0.1"), "USD")] * 3)
    assert totals["USD"] == Decimal("0.3")


def test_format_totals_lists_each_currency():
    assert format_totals({"USD": Decimal("10"), "EUR": Decimal("5")}) == "€5.00 + $10.00"
    assert format_totals({}, empty="—") == "—"
