"""Values as exports write them: exact amounts in every locale, dates in every order, percentages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.money import exact_amount
from closedwon_tui.transfer.amounts import (
    Money,
    NumberStyle,
    number_style,
    parse_currency_cell,
    parse_money,
    settle_currency,
)
from closedwon_tui.transfer.dates import DateOrder, date_order, parse_day, parse_moment
from closedwon_tui.transfer.values import fraction_probabilities, parse_flag, parse_percent
from tests.conftest import set_local_zone


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("42000", "42000", None),
        ("42,000", "42000", None),
        ("$12,400.00", "12400.00", "USD"),
        ("12400.5", "12400.5", None),
        ("EUR 9.500,00", "9500.00", "EUR"),
        ("9 500,00 €", "9500.00", "EUR"),
        ("9\u00a0500,00 €", "9500.00", "EUR"),
        ("1.234.567", "1234567", None),
        ("1,234,567.89", "1234567.89", None),
        ("12,5", "12.5", None),
        ("GBP1,250", "1250", "GBP"),
        ("1250 usd", "1250", "USD"),
        ("CHF 1'250.50", "1250.50", "CHF"),
        ("US$ 300", "300", "USD"),
    ],
)
def test_amounts_in_every_shape_are_exact(text, amount, currency):
    assert parse_money(text) == Money(Decimal(amount), currency)


def test_an_ambiguous_amount_follows_its_column():
    assert parse_money("9.500", NumberStyle.COMMA).amount == Decimal("9500")
    assert parse_money("9.500", NumberStyle.POINT).amount == Decimal("9.500")
    assert parse_money("42,000", NumberStyle.POINT).amount == Decimal("42000")
    assert parse_money("42,000", NumberStyle.COMMA).amount == Decimal("42.000")


def test_a_column_style_comes_from_its_unambiguous_values_then_the_separator():
    assert number_style(["42.000", "1.250,50"], ",") is NumberStyle.COMMA
    assert number_style(["42,000", "12400.5"], ";") is NumberStyle.POINT
    assert number_style(["42.000", "9.500"], ";") is NumberStyle.COMMA
    assert number_style(["42,000"], ",") is NumberStyle.POINT
    assert number_style([], ",") is NumberStyle.POINT


@pytest.mark.parametrize("text", ["abc", "12,00,0", "1.2.3,4,5", "5.5.5.5,5.5", "12..5", "1,2345.6", "$", "EUR"])
def test_what_is_not_an_amount_is_refused(text):
    with pytest.raises(ValidationError, match="not an amount"):
        parse_money(text)


@pytest.mark.parametrize("text", ["-5", "(1,200.00)", "5-"])
def test_negative_amounts_are_refused(text):
    with pytest.raises(ValidationError, match="negative"):
        parse_money(text)


def test_an_absurd_amount_is_refused():
    with pytest.raises(ValidationError, match="too large"):
        parse_money("9" * 20)


@pytest.mark.parametrize(
    ("amount", "currency", "ok"),
    [("12.34", "USD", True), ("12.345", "USD", False), ("12.340", "USD", True), ("1500", "JPY", True),
     ("1500.5", "JPY", False), ("1.234", "KWD", True), ("1.2345", "KWD", False)],
)  # fmt: skip
def test_more_decimals_than_the_currency_has_is_refused_never_rounded(amount, currency, ok):
    if ok:
        assert exact_amount(Decimal(amount), currency) == Decimal(amount)
    else:
        with pytest.raises(ValidationError, match=f"more decimals than {currency} has"):
            exact_amount(Decimal(amount), currency)


def test_the_amounts_currency_and_the_currency_column_must_agree():
    assert settle_currency(Money(Decimal(1), "EUR"), None, "USD", "EUR 1") == "EUR"
    assert settle_currency(Money(Decimal(1), None), "GBP", "USD", "1") == "GBP"
    assert settle_currency(Money(Decimal(1), None), None, "USD", "1") == "USD"
    assert settle_currency(Money(Decimal(1), "USD"), "CAD", "USD", "$1") == "CAD"  # a Canadian dollar sign
    with pytest.raises(ValidationError, match="in EUR but the deal's currency is USD"):
        settle_currency(Money(Decimal(1), "EUR"), "USD", "USD", "EUR 1")


def test_currency_cells():
    assert parse_currency_cell("eur") == "EUR"
    assert parse_currency_cell("€") == "EUR"
    assert parse_currency_cell("Euro") == "EUR"
    assert parse_currency_cell("") is None
    with pytest.raises(ValidationError, match="not a currency"):
        parse_currency_cell("dollars")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-10-01", date(2026, 10, 1)),
        ("2026/10/01", date(2026, 10, 1)),
        ("10/01/2026", date(2026, 10, 1)),
        ("10/1/26", date(2026, 10, 1)),
        ("01.10.2026", date(2026, 10, 1)),
        ("1 Oct 2026", date(2026, 10, 1)),
        ("Oct 1, 2026", date(2026, 10, 1)),
        ("October 1st, 2026", date(2026, 10, 1)),
        ("01-Oct-2026", date(2026, 10, 1)),
        ("20261001", date(2026, 10, 1)),
        ("2026-10-01 14:03:00", date(2026, 10, 1)),
    ],
)
def test_dates_in_every_common_form(text, day):
    assert parse_day(text) == day


def test_a_slashed_date_follows_its_columns_order():
    assert parse_day("01/10/2026", DateOrder.DAY_FIRST) == date(2026, 10, 1)
    assert parse_day("01/10/2026", DateOrder.MONTH_FIRST) == date(2026, 1, 10)
    assert date_order(["13/01/2026", "01/02/2026"], ",") is DateOrder.DAY_FIRST
    assert date_order(["01/13/2026", "01/02/2026"], ";") is DateOrder.MONTH_FIRST
    assert date_order(["01/02/2026"], ";") is DateOrder.DAY_FIRST
    assert date_order(["01/02/2026"], ",") is DateOrder.MONTH_FIRST


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-10-01T14:03:00Z", datetime(2026, 10, 1, 14, 3, tzinfo=UTC)),
        ("2026-10-01T14:03:00.000+0000", datetime(2026, 10, 1, 14, 3, tzinfo=UTC)),
        ("2026-10-01T16:03:00+02:00", datetime(2026, 10, 1, 14, 3, tzinfo=UTC)),
        ("2026-10-01 14:03 UTC", datetime(2026, 10, 1, 14, 3, tzinfo=UTC)),
        ("10/1/2026 2:03 PM", datetime(2026, 10, 1, 12, 3, tzinfo=UTC)),  # Berlin, summer time
        ("2026-10-01 14:03:00", datetime(2026, 10, 1, 12, 3, tzinfo=UTC)),
        ("2026-10-01", datetime(2026, 10, 1, 12, 0, tzinfo=UTC)),  # a bare date: noon UTC
    ],
)
def test_moments_with_a_zone_keep_it_and_without_one_are_the_reps_local_time(monkeypatch, text, moment):
    set_local_zone(monkeypatch, "Europe/Berlin")
    assert parse_moment(text) == moment


@pytest.mark.parametrize("text", ["2026-13-01", "31.02.2026", "someday", "2026-10-01 25:00", "10/01/2026 13:00 PM"])
def test_what_is_not_a_date_is_refused(text):
    with pytest.raises(ValidationError, match="not a date"):
        parse_moment(text)


def test_empty_values_are_nothing():
    assert parse_money("  ") is None
    assert parse_moment("") is None
    assert parse_percent("") is None
    assert parse_flag("") is None


def test_percentages_and_fractions():
    assert parse_percent("20") == 20
    assert parse_percent("20%") == 20
    assert parse_percent("20.0") == 20
    assert parse_percent("0.2", fraction=True) == 20
    assert fraction_probabilities(["0.2", "0.5", "1", ""]) is True
    assert fraction_probabilities(["20", "0.5"]) is False
    assert fraction_probabilities(["0", "1"]) is False
    with pytest.raises(ValidationError, match="whole percentage"):
        parse_percent("12.5")
    with pytest.raises(ValidationError, match="from 0 to 100"):
        parse_percent("120")
    with pytest.raises(ValidationError, match="not a probability"):
        parse_percent("high")


def test_yes_and_no():
    assert [parse_flag(t) for t in ("true", "TRUE", "1", "Yes", "false", "0", "No")] == [
        True, True, True, True, False, False, False,
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="not yes or no"):
        parse_flag("maybe")
