"""Tests for dashboard.analysis.series with the annual report's own numbers (built here, not read from files)."""

import math

import pytest

from dashboard.analysis.series import (
    Change,
    change,
    gap_to_benchmark,
    index_series,
    latest,
    series,
    summary_sentence,
    value_at,
)
from tests.unit.frames import observations

NAN = math.nan


REPORT = observations(
    [
        ("aarhus-kommune", "skolefravaer", 2017, 5.3),
        ("aarhus-kommune", "skolefravaer", 2007, 6.1),
        ("aarhus-kommune", "uden-for-arbejdsmarkedet", 2006, 19.8),
        ("aarhus-kommune", "uden-for-arbejdsmarkedet", 2017, 16.9),
        ("gellerup-toveshoej", "skolefravaer", 2007, 11.3),
        ("gellerup-toveshoej", "skolefravaer", 2012, NAN),
        ("gellerup-toveshoej", "skolefravaer", 2017, 8.0),
        ("bispehaven", "skolefravaer", 2007, 9.7),
        ("bispehaven", "skolefravaer", 2010, 8.8),
        ("bispehaven", "skolefravaer", 2017, 6.4),
        ("trigeparken", "skolefravaer", 2017, 6.3),
    ]
)


def test_series_returns_only_that_area_and_indicator_sorted_by_year():
    frame = series(REPORT, "aarhus-kommune", "skolefravaer")
    assert frame["year"].tolist() == [2007, 2017]
    assert frame["value"].tolist() == [6.1, 5.3]
    assert list(frame.index) == [0, 1]


def test_aarhus_kommune_school_absence_fell_13_percent():
    result = change(REPORT, "aarhus-kommune", "skolefravaer")
    assert result == Change(
        area_id="aarhus-kommune",
        indicator_id="skolefravaer",
        from_year=2007,
        from_value=6.1,
        to_year=2017,
        to_value=5.3,
        points=pytest.approx(-0.8),
        relative_pct=pytest.approx(-13.11, abs=0.01),
    )
    assert round(result.relative_pct) == -13


def test_aarhus_kommune_outside_labour_market_fell_15_percent():
    result = change(REPORT, "aarhus-kommune", "uden-for-arbejdsmarkedet")
    assert (result.from_year, result.to_year) == (2006, 2017)
    assert result.relative_pct == pytest.approx(-14.6, abs=0.05)
    assert round(result.relative_pct) == -15


def test_gellerup_toveshoej_school_absence_fell_29_2_percent():
    result = change(REPORT, "gellerup-toveshoej", "skolefravaer")
    assert result.points == pytest.approx(-3.3)
    assert round(result.relative_pct, 1) == -29.2


def test_change_between_chosen_years():
    result = change(REPORT, "bispehaven", "skolefravaer", from_year=2010, to_year=2017)
    assert (result.from_value, result.to_value) == (8.8, 6.4)


def test_change_is_none_when_a_chosen_year_has_no_value_instead_of_borrowing_a_neighbour():
    # 2012 has a row for Gellerup/Toveshøj, but its value is missing.
    assert change(REPORT, "gellerup-toveshoej", "skolefravaer", from_year=2012) is None
    assert change(REPORT, "gellerup-toveshoej", "skolefravaer", to_year=2015) is None


def test_change_needs_two_years_of_data_by_default():
    assert change(REPORT, "trigeparken", "skolefravaer") is None
    assert change(REPORT, "langkaerparken", "skolefravaer") is None


def test_relative_change_from_zero_is_none_not_infinite():
    frame = observations([("a", "x", 2010, 0.0), ("a", "x", 2011, 2.0)])
    result = change(frame, "a", "x")
    assert result.points == 2.0
    assert result.relative_pct is None


def test_change_rejects_years_in_the_wrong_order():
    with pytest.raises(ValueError, match="after"):
        change(REPORT, "bispehaven", "skolefravaer", from_year=2017, to_year=2007)


def test_two_values_for_one_year_are_an_error_not_a_silent_choice():
    frame = observations([("a", "x", 2010, 1.0), ("a", "x", 2010, 2.0)])
    with pytest.raises(ValueError, match="more than one value"):
        value_at(frame, "a", "x", 2010)


def test_latest_skips_missing_values():
    assert latest(REPORT, "gellerup-toveshoej", "skolefravaer") == (2017, 8.0)
    frame = observations([("a", "x", 2010, 3.0), ("a", "x", 2011, NAN)])
    assert latest(frame, "a", "x") == (2010, 3.0)


def test_latest_is_none_without_data():
    assert latest(REPORT, "langkaerparken", "skolefravaer") is None


def test_value_at():
    assert value_at(REPORT, "bispehaven", "skolefravaer", 2010) == 8.8
    assert value_at(REPORT, "bispehaven", "skolefravaer", 2011) is None


def test_index_series_is_100_in_the_base_year_per_area():
    frame = REPORT[REPORT["indicator_id"] == "skolefravaer"]
    indexed = index_series(frame, 2007)
    by_key = {(row.area_id, row.year): row.index for row in indexed.itertuples(index=False)}
    assert by_key[("aarhus-kommune", 2007)] == 100
    assert by_key[("aarhus-kommune", 2017)] == pytest.approx(100 * 5.3 / 6.1)
    assert by_key[("bispehaven", 2010)] == pytest.approx(100 * 8.8 / 9.7)
    assert by_key[("gellerup-toveshoej", 2017)] == pytest.approx(100 * 8.0 / 11.3)


def test_index_series_leaves_areas_without_a_base_value_empty():
    frame = REPORT[REPORT["indicator_id"] == "skolefravaer"]
    indexed = index_series(frame, 2007)
    trigeparken = indexed[indexed["area_id"] == "trigeparken"]
    assert trigeparken["index"].isna().all()
    assert "index" not in frame.columns


def test_index_series_keeps_indicators_apart():
    indexed = index_series(REPORT[REPORT["area_id"] == "aarhus-kommune"], 2007)
    outside = indexed[indexed["indicator_id"] == "uden-for-arbejdsmarkedet"]
    # That indicator has no 2007 value, so it must not be indexed on school absence's base.
    assert outside["index"].isna().all()


def test_gap_to_benchmark_only_where_both_years_exist():
    gaps = gap_to_benchmark(REPORT, "skolefravaer")
    assert set(gaps["area_id"]) == {"gellerup-toveshoej", "bispehaven", "trigeparken"}
    bispehaven = gaps[gaps["area_id"] == "bispehaven"].set_index("year")
    assert bispehaven.loc[2007, "gap"] == pytest.approx(9.7 - 6.1)
    assert bispehaven.loc[2017, "benchmark_value"] == 5.3
    # No Aarhus Kommune value for 2010: no gap, rather than one against 2007 or 2017.
    assert math.isnan(bispehaven.loc[2010, "benchmark_value"])
    assert math.isnan(bispehaven.loc[2010, "gap"])


def test_gap_to_benchmark_is_all_missing_without_benchmark_data():
    gaps = gap_to_benchmark(REPORT, "skolefravaer", benchmark_id="no-such-area")
    assert gaps["gap"].isna().all()
    assert len(gaps) == len(REPORT[REPORT["indicator_id"] == "skolefravaer"])


def summary(area_id="gellerup-toveshoej", lang="da", **years):
    area_name = {
        "gellerup-toveshoej": "Gellerup/Toveshøj",
        "trigeparken": "Trigeparken",
    }.get(area_id, area_id)
    indicator_name = "Skolefravær" if lang == "da" else "School absence"
    return summary_sentence(
        REPORT,
        area_id,
        "skolefravaer",
        area_name,
        indicator_name,
        "pct",
        1,
        lang,
        **years,
    )


def test_summary_sentence_in_danish():
    assert summary() == "Skolefravær i Gellerup/Toveshøj faldt fra 11,3 % i 2007 til 8,0 % i 2017 (-29,2 %)."


def test_summary_sentence_in_english():
    assert summary(lang="en") == "School absence in Gellerup/Toveshøj fell from 11.3% in 2007 to 8.0% in 2017 (-29.2%)."


def test_summary_sentence_says_rose_for_a_rise():
    frame = observations([("a", "x", 2010, 5.0), ("a", "x", 2015, 6.0)])
    da = summary_sentence(frame, "a", "x", "Viby Syd", "Ledighed", "pct", 1)
    en = summary_sentence(frame, "a", "x", "Viby Syd", "Unemployment", "pct", 1, "en")
    assert da == "Ledighed i Viby Syd steg fra 5,0 % i 2010 til 6,0 % i 2015 (+20,0 %)."
    assert en == "Unemployment in Viby Syd rose from 5.0% in 2010 to 6.0% in 2015 (+20.0%)."


def test_summary_sentence_says_unchanged_when_the_shown_numbers_are_equal():
    frame = observations([("a", "x", 2010, 8.01), ("a", "x", 2015, 8.04)])
    assert summary_sentence(frame, "a", "x", "A", "Ledighed", "pct", 1) == (
        "Ledighed i A var uændret på 8,0 % fra 2010 til 2015."
    )
    assert summary_sentence(frame, "a", "x", "A", "Unemployment", "pct", 1, "en") == (
        "Unemployment in A was unchanged at 8.0% from 2010 to 2015."
    )


def test_equal_ends_do_not_hide_a_different_year_in_between():
    # The state list's criteria count for Gellerup/Toveshøj: 5 in 2015, 4 in 2017, 5 in 2020 ("uændret" hid the dip).
    frame = observations([("a", "k", 2015, 5.0), ("a", "k", 2017, 4.0), ("a", "k", 2020, 5.0)])
    assert summary_sentence(frame, "a", "k", "A", "Antal opfyldte kriterier", "count", 0) == (
        "Antal opfyldte kriterier i A var 5 både i 2015 og i 2020, men 4 i 2017."
    )
    assert summary_sentence(frame, "a", "k", "A", "Criteria met", "count", 0, "en") == (
        "Criteria met in A was 5 in both 2015 and 2020, but 4 in 2017."
    )
    # The year that differs most is named; years outside the shown range do not count.
    frame = observations(
        [("a", "k", y, v) for y, v in [(2010, 1.0), (2015, 5.0), (2016, 6.0), (2017, 3.0), (2020, 5.0)]]
    )
    assert summary_sentence(frame, "a", "k", "A", "Tal", "count", 0, from_year=2015, to_year=2020).endswith(
        "var 5 både i 2015 og i 2020, men 3 i 2017."
    )


def test_summary_sentence_with_one_year_of_data():
    assert summary("trigeparken") == "Skolefravær i Trigeparken var 6,3 % i 2017 (kun ét år med data)."
    assert summary("trigeparken", "en") == "School absence in Trigeparken was 6.3% in 2017 (only one year with data)."


def test_summary_sentence_without_data():
    assert summary("langkaerparken") == "Ingen data for skolefravær i langkaerparken."
    assert summary("langkaerparken", "en") == "No data for school absence in langkaerparken."


def test_summary_sentence_names_a_chosen_year_without_data():
    assert summary(from_year=2012) == "Ingen data for skolefravær i Gellerup/Toveshøj i 2012."
    assert summary(lang="en", to_year=2016) == "No data for school absence in Gellerup/Toveshøj in 2016."


def test_summary_sentence_between_chosen_years():
    assert summary("bispehaven", from_year=2010).startswith("Skolefravær i bispehaven faldt fra 8,8 % i 2010")


def test_summary_sentence_keeps_an_acronym_capitalised_mid_sentence():
    text = summary_sentence(REPORT, "bispehaven", "none", "Bispehaven", "SL-beboere", "persons", 0)
    assert text == "Ingen data for SL-beboere i Bispehaven."


# --- quarters -----------------------------------------------------------------------------------------------------

QUARTERLY = observations(
    [
        ("bispehaven", "uden-for-arbejdsmarkedet", (2022, 3), 31.0),
        ("bispehaven", "uden-for-arbejdsmarkedet", (2022, 4), 30.2),
        ("bispehaven", "uden-for-arbejdsmarkedet", (2023, 1), 29.5),
        ("aarhus-kommune", "uden-for-arbejdsmarkedet", (2023, 1), 17.0),
    ]
)


def test_a_quarterly_summary_names_the_quarters():
    sentence = summary_sentence(
        QUARTERLY, "bispehaven", "uden-for-arbejdsmarkedet", "Bispehaven", "Andel uden for arbejdsmarkedet", "pct", 1
    )
    assert sentence == (
        "Andel uden for arbejdsmarkedet i Bispehaven faldt fra 31,0 % i 3. kvartal 2022 til 29,5 % i 1. kvartal 2023"
        " (-4,8 %)."
    )
    english = summary_sentence(
        QUARTERLY, "bispehaven", "uden-for-arbejdsmarkedet", "Bispehaven", "Share outside", "pct", 1, "en"
    )
    assert "from 31.0% in Q3 2022 to 29.5% in Q1 2023" in english


def test_latest_and_gap_of_quarters_use_the_same_quarter():
    assert latest(QUARTERLY, "bispehaven", "uden-for-arbejdsmarkedet") == (2023.125, 29.5)
    gaps = gap_to_benchmark(QUARTERLY, "uden-for-arbejdsmarkedet").set_index("period")["gap"]
    assert gaps[2023.125] == pytest.approx(12.5)
    # No Aarhus Kommune figure for 2022K4: no gap, never the neighbouring quarter's.
    assert math.isnan(gaps[2022.875])
