"""Deal fields are checked one by one, whatever form they arrive in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.fields import clean_field, clean_fields
from closedwon_tui.domain.models import EDITABLE_FIELDS

TODAY = date(2026, 11, 25)


def test_amounts_in_any_form_become_decimals():
    assert clean_field("amount", "12k") == Decimal("12000")
    assert clean_field("amount", 48250) == Decimal("48250")
    assert clean_field("amount", Decimal("1.5")) == Decimal("1.5")
    assert clean_field("amount", None) is None


@pytest.mark.parametrize("value", [-1, Decimal("-0.01"), "-3k"])
def test_negative_amounts_in_any_form_are_refused(value):
    with pytest.raises(ValidationError, match="negative"):
        clean_field("amount", value)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("1e15"), 10**16])
def test_amounts_given_as_numbers_are_checked_like_typed_ones(value):
    with pytest.raises(ValidationError) as info:
        clean_field("amount", value)
    assert info.value.field == "amount"


def test_a_float_amount_goes_through_text_not_binary():
    # A float must never leak binary noise into money.
    assert clean_field("amount", 0.1) == Decimal("0.1")


@pytest.mark.parametrize(
    ("amount", "currency", "precision"),
    [("12.345", "USD", "at most 2 decimals"), ("0.4", "jpy", "whole amounts only"),
     ("0.0005", "KWD", "at most 3 decimals"), ("999999999999999.995", "USD", "at most 2 decimals"),
     ("1234.567", "JPY", "whole amounts only"), ("1.0000000000000000000000000001b", "USD", "at most 2")],
)  # fmt: skip
def test_an_amount_finer_than_its_currency_is_refused_never_rounded(amount, currency, precision):
    with pytest.raises(ValidationError) as info:
        clean_fields({"amount": amount, "currency": currency})
    assert info.value.field == "amount"
    assert currency.upper() in str(info.value) and precision in str(info.value)


def test_an_amount_exactly_in_its_currency_is_kept():
    assert clean_fields({"amount": "1234.50", "currency": "USD"}) == {"amount": Decimal("1234.50"), "currency": "USD"}
    assert clean_fields({"amount": "1.5k", "currency": "JPY"}) == {"amount": Decimal("1500"), "currency": "JPY"}
    assert clean_fields({"amount": "0.005", "currency": "KWD"})["amount"] == Decimal("0.005")
    assert clean_fields({"amount": "999999999999999.99", "currency": "USD"})["amount"] == Decimal("999999999999999.99")


def test_dates_flags_and_text():
    assert clean_field("close_date", "+3d", TODAY) == date(2026, 11, 28)
    assert clean_field("close_date", date(2027, 1, 1)) == date(2027, 1, 1)
    assert clean_field("budget_ok", "yes") is True
    assert clean_field("need_ok", "no") is False
    assert clean_field("timing_ok", True) is True
    assert clean_field("company", "  Helios  ") == "Helios"
    assert clean_field("next_step", None) == ""


def test_bad_values_name_their_field():
    cases = {
        "budget_ok": "maybe",
        "company": "x" * 5001,
        "probability": "200",
        "contact_email": "nope",
        "close_date": "someday",
        "title": " ",
        "currency": "dollars",
    }
    for name, value in cases.items():
        with pytest.raises(ValidationError) as info:
            clean_field(name, value, TODAY)
        assert info.value.field == name, name


def test_unknown_fields_are_refused_with_the_list_of_known_ones():
    with pytest.raises(ValidationError, match="unknown field: 'colour'.*title"):
        clean_field("colour", "red")


def test_one_bad_field_refuses_the_whole_set():
    with pytest.raises(ValidationError, match="amount"):
        clean_fields({"title": "ok", "amount": "lots"})


def test_every_editable_field_accepts_an_empty_or_simple_value():
    samples = {"title": "T", "amount": "1", "currency": "usd", "probability": "5", "close_date": "2026-12-01",
               "contact_email": "a@b.co"}  # fmt: skip
    expected = {"title": "T", "amount": Decimal("1"), "currency": "USD", "probability": 5,
                "close_date": date(2026, 12, 1), "contact_email": "a@b.co"}  # fmt: skip
    for name in EDITABLE_FIELDS:
        typed = samples.get(name, "yes" if name.endswith("_ok") else "text")
        wanted = expected.get(name, True if name.endswith("_ok") else "text")
        assert clean_field(name, typed, TODAY) == wanted, name
        if name in ("title", "currency"):
            continue  # a deal always has a title and a currency: empty ones are refused
        empty = clean_field(name, "", TODAY)
        assert empty in (None, "", False), (name, empty)
        assert empty == {"amount": None, "probability": None, "close_date": None}.get(
            name, False if name.endswith("_ok") else ""
        ), name


@pytest.mark.parametrize(("name", "limit"), [("company", 200), ("contact_name", 200), ("owner", 120), ("source", 120)])
def test_short_fields_are_limited_to_their_column_on_every_backend(name, limit):
    assert clean_field(name, "x" * limit) == "x" * limit
    with pytest.raises(ValidationError, match=f"at most {limit}") as info:
        clean_field(name, "x" * (limit + 1))
    assert info.value.field == name


def test_long_email_and_lost_reason_are_refused():
    from closedwon_tui.domain.fields import clean_lost_reason

    with pytest.raises(ValidationError, match="at most 200"):
        clean_field("contact_email", "a" * 200 + "@b.co")
    assert clean_lost_reason("  price ") == "price"
    assert clean_lost_reason(None) == ""
    with pytest.raises(ValidationError, match="at most 120"):
        clean_lost_reason("r" * 121)
