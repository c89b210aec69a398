"""Tests for dashboard.analysis.suppression: no rate from fewer than `limit` persons leaves the server."""

import math

import pandas as pd
import pytest

from dashboard.analysis.suppression import (
    suppress_small_numbers,
    suppression_reason_text,
)
from tests.unit.frames import observations

NAN = math.nan

OBSERVATIONS = observations(
    [
        ("trigeparken", "skolefravaer", 2016, 25.0, 1, 4, "s", ""),
        ("trigeparken", "skolefravaer", 2017, 20.0, 1, 5, "s", ""),
        ("bispehaven", "skolefravaer", 2017, 6.4, 16, 250, "s", ""),
        ("bispehaven", "beboere", 2018, 2236.0, NAN, NAN, "s", ""),
        ("viby-syd", "indkomst", 2017, 61.0, 3, 4, "s", ""),
    ]
)


def row(frame: pd.DataFrame, area_id: str, indicator_id: str, year: int) -> pd.Series:
    match = frame[(frame["area_id"] == area_id) & (frame["indicator_id"] == indicator_id) & (frame["year"] == year)]
    assert len(match) == 1
    return match.iloc[0]


def test_a_denominator_below_the_limit_is_suppressed():
    suppressed = row(
        suppress_small_numbers(OBSERVATIONS, limit=5),
        "trigeparken",
        "skolefravaer",
        2016,
    )
    assert suppressed["suppressed"]
    assert math.isnan(suppressed["value"])
    assert math.isnan(suppressed["numerator"])
    assert math.isnan(suppressed["denominator"])
    assert suppressed["suppression_reason"] == "Færre end 5 personer i grundlaget (diskretionering)"


def test_a_denominator_at_the_limit_is_shown():
    shown = row(
        suppress_small_numbers(OBSERVATIONS, limit=5),
        "trigeparken",
        "skolefravaer",
        2017,
    )
    assert not shown["suppressed"]
    assert shown["suppression_reason"] == ""
    assert shown["value"] == 20.0


def test_no_suppressed_number_survives_anywhere_in_the_output():
    result = suppress_small_numbers(OBSERVATIONS)
    hidden = result[result["suppressed"]]
    assert len(hidden) == 2
    assert hidden[["value", "numerator", "denominator"]].isna().all().all()


def test_the_input_frame_is_not_modified():
    before = OBSERVATIONS.copy()
    suppress_small_numbers(OBSERVATIONS)
    pd.testing.assert_frame_equal(OBSERVATIONS, before)
    assert "suppressed" not in OBSERVATIONS.columns


def test_the_rate_shown_is_recomputed_from_the_counts():
    frame = OBSERVATIONS.assign(value=OBSERVATIONS["value"].where(OBSERVATIONS["area_id"] != "bispehaven", 6.0))
    shown = row(suppress_small_numbers(frame), "bispehaven", "skolefravaer", 2017)
    assert shown["value"] == pytest.approx(100 * 16 / 250)


def test_rows_without_counts_keep_their_published_value():
    shown = row(suppress_small_numbers(OBSERVATIONS), "bispehaven", "beboere", 2018)
    assert shown["value"] == 2236.0
    assert not shown["suppressed"]


def test_only_rate_units_are_recomputed_when_units_are_given():
    frame = OBSERVATIONS.assign(denominator=OBSERVATIONS["denominator"].where(OBSERVATIONS["year"] != 2017, 500.0))
    units = {"skolefravaer": "pct", "beboere": "persons", "indkomst": "points"}
    result = suppress_small_numbers(frame, units_by_indicator=units)
    assert row(result, "trigeparken", "skolefravaer", 2017)["value"] == pytest.approx(100 * 1 / 500)
    assert row(result, "viby-syd", "indkomst", 2017)["value"] == 61.0


def test_the_limit_is_configurable():
    result = suppress_small_numbers(OBSERVATIONS, limit=300)
    assert result["suppressed"].tolist() == [True, True, True, False, True]
    assert row(result, "bispehaven", "skolefravaer", 2017)["suppression_reason"].startswith("Færre end 300 personer")


def test_reason_text_in_english():
    assert suppression_reason_text(5, "en") == (
        "Fewer than 5 people in the base population (statistical disclosure control)"
    )


def test_a_negative_limit_is_an_error():
    with pytest.raises(ValueError, match="limit"):
        suppress_small_numbers(OBSERVATIONS, limit=-1)
