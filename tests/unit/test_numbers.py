"""Tests for dashboard.i18n.numbers: numbers look the way a Danish (or English) reader expects."""

import math

import pandas as pd
import pytest

from dashboard.i18n.numbers import (
    MISSING_TEXT,
    format_change_percent,
    format_change_points,
    format_number,
    format_value,
)


@pytest.mark.parametrize(
    ("x", "decimals", "lang", "expected"),
    [
        (11.3, 1, "da", "11,3"),
        (345603, 0, "da", "345.603"),
        (-29.2035, 1, "da", "-29,2"),
        (11.3, 1, "en", "11.3"),
        (345603, 0, "en", "345,603"),
        (1234567.891, 2, "da", "1.234.567,89"),
        (1234567.891, 2, "en", "1,234,567.89"),
        (8, 1, "da", "8,0"),
    ],
)
def test_format_number_uses_the_languages_separators(x, decimals, lang, expected):
    assert format_number(x, decimals, lang) == expected


def test_format_number_rounds_half_up_like_published_tables():
    # Binary floating point holds 0.15 as 0.1499..., which round() would turn into 0.1.
    assert format_number(0.15, 1, "en") == "0.2"
    assert format_number(-14.65, 1, "en") == "-14.7"


def test_a_tiny_negative_number_is_not_shown_as_minus_zero():
    assert format_number(-0.01, 1, "da") == "0,0"


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), pd.NA, math.inf])
def test_missing_numbers_are_shown_as_an_en_dash_never_zero(missing):
    assert format_number(missing) == MISSING_TEXT == "–"
    assert format_value(missing, "pct") == "–"
    assert format_change_points(missing) == "–"
    assert format_change_percent(missing) == "–"


@pytest.mark.parametrize(
    ("x", "unit", "decimals", "lang", "expected"),
    [
        (11.3, "pct", 1, "da", "11,3 %"),
        (11.3, "pct", 1, "en", "11.3%"),
        (51.1, "pct_region", 1, "da", "51,1 % af regionen"),
        (51.1, "pct_region", 1, "en", "51.1% of region"),
        (345603, "persons", 0, "da", "345.603"),
        (345603, "persons", 0, "en", "345,603"),
        (4086, "count", 0, "da", "4.086"),
        (19, "points", 0, "da", "19 point"),
        (19, "points", 0, "en", "19 points"),
        (1, "points", 0, "en", "1 point"),
    ],
)
def test_format_value_adds_the_units_suffix(x, unit, decimals, lang, expected):
    assert format_value(x, unit, decimals, lang) == expected


def test_format_value_defaults_to_the_units_usual_decimals():
    assert format_value(8, "pct") == "8,0 %"
    assert format_value(5260.0, "persons") == "5.260"


def test_format_value_rejects_an_unknown_unit_instead_of_guessing():
    with pytest.raises(ValueError, match="unknown unit"):
        format_value(1.0, "kroner")


def test_an_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="unknown language"):
        format_number(1.0, lang="de")


def test_format_change_points_names_percentage_points():
    assert format_change_points(-3.3) == "-3,3 procentpoint"
    assert format_change_points(-3.3, "en") == "-3.3 percentage points"


def test_a_rise_carries_a_plus_sign_and_no_change_none():
    assert format_change_points(2.04) == "+2,0 procentpoint"
    assert format_change_percent(0.0, "en") == "0.0%"


def test_format_change_percent_in_both_languages():
    assert format_change_percent(-29.2035) == "-29,2 %"
    assert format_change_percent(-29.2035, "en") == "-29.2%"
    assert format_change_percent(20, "da") == "+20,0 %"
