"""What a rep types becomes an exact value, or a clear reason why not."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.parsing import (
    match_choice,
    parse_amount,
    parse_currency,
    parse_date,
    parse_datetime,
    parse_email,
    parse_probability,
    parse_title,
    parse_whole_number,
)

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12000", Decimal("12000")),
        ("12,000.50", Decimal("12000.50")),
        ("12k", Decimal("12000")),
        ("12K", Decimal("12000")),
        ("1.5m", Decimal("1500000")),
        ("2b", Decimal("2000000000")),
        ("$3,000", Decimal("3000")),
        (" 48 250 ", Decimal("48250")),
        ("0.01", Decimal("0.01")),
        ("1,234,567", Decimal("1234567")),
    ],
)
def test_amounts_reps_type(text, value):
    parsed = parse_amount(text)
    assert parsed == value
    assert isinstance(parsed, Decimal)


def test_an_empty_amount_is_no_amount():
    assert parse_amount("") is None
    assert parse_amount("   ") is None
    assert parse_amount(None) is None


def test_negative_amounts_are_refused():
    with pytest.raises(ValidationError, match="negative") as info:
        parse_amount("-5")
    assert info.value.field == "amount"


@pytest.mark.parametrize("text", ["abc", "12x", "1.2.3", "12,00", "k", "1e5", "NaN", "inf", "12kk", "1,2345"])
def test_non_numeric_amounts_are_refused_with_examples(text):
    with pytest.raises(ValidationError, match="not an amount.*12k"):
        parse_amount(text)


def test_absurd_amounts_are_refused():
    with pytest.raises(ValidationError, match="too large"):
        parse_amount("9999999999999999")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("2026/12/31", date(2026, 12, 31)),
        ("12/31/2026", date(2026, 12, 31)),
        ("31.12.2026", date(2026, 12, 31)),
        ("31 Dec 2026", date(2026, 12, 31)),
        ("31 december 2026", date(2026, 12, 31)),
        ("Dec 31 2026", date(2026, 12, 31)),
        ("December 31, 2026", date(2026, 12, 31)),
        ("20261231", date(2026, 12, 31)),
    ],
)
def test_iso_and_common_date_forms(text, value):
    assert parse_date(text, TODAY) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("today", date(2026, 11, 25)),
        ("Tomorrow", date(2026, 11, 26)),
        ("+3d", date(2026, 11, 28)),
        ("3d", date(2026, 11, 28)),
        ("in 2 weeks", date(2026, 12, 9)),
        ("in 10 days", date(2026, 12, 5)),
        ("+1w", date(2026, 12, 2)),
        ("next week", date(2026, 12, 2)),
        ("friday", date(2026, 11, 27)),
        ("wednesday", date(2026, 12, 2)),  # the next one, never today
        ("monday", date(2026, 11, 30)),
    ],
)
def test_relative_dates(text, value):
    assert parse_date(text, TODAY) == value


@pytest.mark.parametrize("text", ["2026-13-45", "someday", "31/12/2026", "2026-02-30", "-3d", "yesterdayish"])
def test_bad_dates_are_refused_with_examples(text):
    with pytest.raises(ValidationError, match="not a date.*2026-12-31") as info:
        parse_date(text, TODAY, field="close_date")
    assert info.value.field == "close_date"


@pytest.mark.parametrize("text", ["+99999999d", "in 9999999 weeks", "+999999999999999999999d"])
def test_relative_dates_too_far_ahead_are_refused_not_crashed(text):
    with pytest.raises(ValidationError, match="too far ahead"):  # once an OverflowError traceback
        parse_date(text, TODAY)


def test_an_empty_date_is_no_date():
    assert parse_date("", TODAY) is None
    assert parse_date(None, TODAY) is None


def test_datetimes_with_and_without_a_time():
    assert parse_datetime("2026-12-01 14:30", TODAY) == (datetime(2026, 12, 1, 14, 30), True)
    assert parse_datetime("2026-12-01T09:05", TODAY) == (datetime(2026, 12, 1, 9, 5), True)
    assert parse_datetime("tomorrow 9:00", TODAY) == (datetime(2026, 11, 26, 9, 0), True)
    assert parse_datetime("friday", TODAY) == (datetime(2026, 11, 27), False)
    assert parse_datetime("", TODAY) is None


def test_impossible_times_are_refused():
    with pytest.raises(ValidationError, match="not a time"):
        parse_datetime("2026-12-01 25:00", TODAY)
    for text in ("2026-12-01T25:00", "2026-02-30T10:00"):  # once raised a bare ValueError
        with pytest.raises(ValidationError, match="not a date and time") as info:
            parse_datetime(text, TODAY, field="due")
        assert info.value.field == "due"


@pytest.mark.parametrize(("text", "value"), [("usd", "USD"), (" eur ", "EUR"), ("JPY", "JPY")])
def test_currency_codes(text, value):
    assert parse_currency(text) == value


@pytest.mark.parametrize("text", ["", "US", "dollars", "U$D", None])
def test_bad_currency_codes(text):
    with pytest.raises(ValidationError, match="currency"):
        parse_currency(text)


def test_probabilities():
    assert parse_probability("35") == 35
    assert parse_probability("70%") == 70
    assert parse_probability(0) == 0
    assert parse_probability("") is None
    assert parse_probability(None) is None
    for bad in ("101", "-1", "half", "3.5"):
        with pytest.raises(ValidationError, match="probability"):
            parse_probability(bad)


def test_titles_and_emails():
    assert parse_title("  Helios rollout ") == "Helios rollout"
    for bad in ("", "   ", None, "x" * 201):
        with pytest.raises(ValidationError) as info:
            parse_title(bad)
        assert info.value.field == "title"
    assert parse_email(" ana@helios.example ") == "ana@helios.example"
    assert parse_email("") == ""
    with pytest.raises(ValidationError, match="email"):
        parse_email("ana at helios")


def test_choices_match_any_case_and_unique_prefixes():
    stages = ["Outreach", "Proposal", "Closed Won", "Closed Lost"]
    assert match_choice("closed won", stages, "stage") == "Closed Won"
    assert match_choice("CLOSED   WON", stages, "stage") == "Closed Won"
    assert match_choice("prop", stages, "stage") == "Proposal"
    with pytest.raises(ValidationError, match="unknown stage: 'closed'.*Outreach"):
        match_choice("closed", stages, "stage")  # ambiguous
    with pytest.raises(ValidationError, match="unknown stage"):
        match_choice("", stages, "stage")


# Only ASCII digits are numbers: ١٢٣ (Arabic-Indic), ５ (full width) and ³ are refused, never read as 123.
OTHER_DIGITS = ["١٢٣", "12٣", "１２", "۱۲", "३", "2³"]


@pytest.mark.parametrize("text", OTHER_DIGITS)
def test_amounts_in_other_scripts_digits_are_refused(text):
    with pytest.raises(ValidationError, match="only the digits 0-9") as info:
        parse_amount(text)
    assert info.value.field == "amount"


@pytest.mark.parametrize("text", OTHER_DIGITS)
def test_probabilities_in_other_scripts_digits_are_refused(text):
    with pytest.raises(ValidationError, match="only the digits 0-9"):
        parse_probability(text)


@pytest.mark.parametrize("text", ["+٣d", "in ３ days", "٢٠٢٦-١٢-٠١", "2026-12-0١"])
def test_dates_in_other_scripts_digits_are_refused(text):
    with pytest.raises(ValidationError, match="only the digits 0-9"):
        parse_date(text, TODAY)
    with pytest.raises(ValidationError, match="only the digits 0-9"):
        parse_datetime(text, TODAY)


def test_times_in_other_scripts_digits_are_refused():
    with pytest.raises(ValidationError, match="only the digits 0-9"):
        parse_datetime("2026-12-01 １٤:30", TODAY)


@pytest.mark.parametrize("text", ["+5", " 7 ", "1_0", "0x1", "5.0", "-1", ""])
def test_probability_is_plain_digits(text):
    if text.strip() == "7":
        assert parse_probability(text) == 7
        return
    if not text:
        assert parse_probability(text) is None
        return
    with pytest.raises(ValidationError, match="probability"):
        parse_probability(text)


def test_whole_numbers_for_ids_and_positions():
    assert parse_whole_number("42", "deal id") == 42
    assert parse_whole_number(str(2**63 - 1), "deal id") == 2**63 - 1
    for bad, match in [("999999999999999999999", "from 1 to 9223372036854775807"), (str(2**63), "from 1"),
                       ("0", "from 1"), ("١٢٣", "0-9"), ("-3", "whole number"), ("1_000", "whole number"),
                       ("abc", "whole number"), ("9" * 5000, "from 1")]:  # fmt: skip
        with pytest.raises(ValidationError, match=match) as info:
            parse_whole_number(bad, "deal id")
        assert info.value.field == "deal id"


def test_a_huge_suffix_amount_is_computed_exactly():
    assert parse_amount("1.000000000000000000000000001k") == Decimal("1.000000000000000000000000001") * 1000
