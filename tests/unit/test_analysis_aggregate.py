"""Tests for dashboard.analysis.aggregate: figures across the seven areas, exact only when built from counts."""

import math

import pandas as pd
import pytest

from dashboard.analysis.aggregate import (
    METHOD_COUNTS,
    METHOD_UNWEIGHTED,
    METHOD_WEIGHTED,
    aggregate,
    describe_method,
)
from tests.unit.frames import observations

NAN = math.nan

# The 2018 annual report: school absence 2007 -> 2017, outside the labour market 2006 -> 2017, residents 2018.
REPORT_FIGURES = {
    "trigeparken": ((8.1, 6.3), (48.3, 40.7), 831),
    "frydenlund-vandtaarnsomraadet": ((7.4, 6.6), (46.6, 36.4), 4443),
    "gellerup-toveshoej": ((11.3, 8.0), (62.5, 52.9), 5260),
    "herredsvang": ((9.7, 6.5), (45.6, 35.1), 3775),
    "langkaerparken": ((8.6, 7.7), (42.7, 40.9), 2004),
    "bispehaven": ((9.7, 6.4), (53.2, 47.3), 2236),
    "viby-syd": ((8.6, 5.4), (45.9, 38.1), 4086),
}
SEVEN_AREAS = list(REPORT_FIGURES)
RESIDENTS_2018 = {area_id: residents for area_id, (_, _, residents) in REPORT_FIGURES.items()}
RESIDENTS_LABEL = {"da": "antal beboere (2018)", "en": "number of residents (2018)"}


def report_rates() -> pd.DataFrame:
    rows = []
    for area_id, (absence, outside, _) in REPORT_FIGURES.items():
        rows += [
            (area_id, "skolefravaer", 2007, absence[0], NAN, NAN),
            (area_id, "skolefravaer", 2017, absence[1], NAN, NAN),
            (area_id, "uden-for-arbejdsmarkedet", 2006, outside[0], NAN, NAN),
            (area_id, "uden-for-arbejdsmarkedet", 2017, outside[1], NAN, NAN),
        ]
    return observations(rows)


def relative_change(frame: pd.DataFrame, from_year: int, to_year: int) -> float:
    values = frame.set_index("year")["value"]
    return 100 * (values[to_year] - values[from_year]) / values[from_year]


def test_resident_weighted_school_absence_falls_about_27_percent_and_is_an_approximation():
    result = aggregate(report_rates(), SEVEN_AREAS, "skolefravaer", RESIDENTS_2018, RESIDENTS_LABEL)
    assert result["year"].tolist() == [2007, 2017]
    assert relative_change(result, 2007, 2017) == pytest.approx(-27, abs=0.5)
    assert (result["method"] == METHOD_WEIGHTED).all()
    assert not result["exact"].any()


def test_resident_weighted_outside_labour_market_falls_about_17_percent_and_is_an_approximation():
    result = aggregate(
        report_rates(),
        SEVEN_AREAS,
        "uden-for-arbejdsmarkedet",
        RESIDENTS_2018,
        RESIDENTS_LABEL,
    )
    assert result["year"].tolist() == [2006, 2017]
    assert relative_change(result, 2006, 2017) == pytest.approx(-17, abs=0.5)
    assert not result["exact"].any()


def test_weighted_value_is_the_resident_weighted_mean_of_the_rates():
    result = aggregate(report_rates(), SEVEN_AREAS, "skolefravaer", RESIDENTS_2018, RESIDENTS_LABEL)
    total = sum(RESIDENTS_2018.values())
    expected_2007 = sum(REPORT_FIGURES[a][0][0] * RESIDENTS_2018[a] for a in SEVEN_AREAS) / total
    assert result.set_index("year").loc[2007, "value"] == pytest.approx(expected_2007)


def test_the_approximation_says_how_it_was_weighted_in_both_languages():
    row = aggregate(report_rates(), SEVEN_AREAS, "skolefravaer", RESIDENTS_2018, RESIDENTS_LABEL).iloc[0]
    assert row["weight_description"] == (
        "Tilnærmelse: gennemsnit af områdernes andele vægtet med antal beboere (2018); "
        "de bagvedliggende antal findes ikke i data."
    )
    assert describe_method(row, "en") == (
        "Approximation: mean of the areas' rates weighted by number of residents (2018); "
        "the underlying counts are not in the data."
    )


def test_without_weights_the_mean_is_unweighted_and_labelled_so():
    result = aggregate(report_rates(), SEVEN_AREAS, "skolefravaer")
    row = result.set_index("year").loc[2007]
    assert row["method"] == METHOD_UNWEIGHTED
    assert not row["exact"]
    assert row["value"] == pytest.approx(sum(REPORT_FIGURES[a][0][0] for a in SEVEN_AREAS) / 7)
    assert "uvægtet" in row["weight_description"]


def test_an_area_without_a_weight_makes_the_mean_unweighted_rather_than_partly_weighted():
    weights = {area_id: residents for area_id, residents in RESIDENTS_2018.items() if area_id != "viby-syd"}
    result = aggregate(report_rates(), SEVEN_AREAS, "skolefravaer", weights, RESIDENTS_LABEL)
    assert (result["method"] == METHOD_UNWEIGHTED).all()


COUNTS = observations(
    [
        ("gellerup-toveshoej", "skolefravaer", 2017, 8.0, 40, 500),
        ("bispehaven", "skolefravaer", 2017, 6.4, 16, 250),
        ("viby-syd", "skolefravaer", 2017, 5.4, 27, 500),
    ]
)


def test_with_counts_the_aggregate_is_exact_sum_over_sum():
    result = aggregate(
        COUNTS,
        ["gellerup-toveshoej", "bispehaven", "viby-syd"],
        "skolefravaer",
        RESIDENTS_2018,
    )
    row = result.iloc[0]
    assert row["method"] == METHOD_COUNTS
    assert row["exact"]
    assert row["value"] == pytest.approx(100 * (40 + 16 + 27) / (500 + 250 + 500))
    assert row["n_areas"] == 3
    assert row["missing_area_ids"] == ()
    assert row["weight_description"] == (
        "Beregnet ud fra antal: summen af tællerne delt med summen af nævnerne for 3 områder."
    )


def test_one_area_without_counts_turns_the_year_into_an_approximation():
    frame = pd.concat(
        [COUNTS, observations([("herredsvang", "skolefravaer", 2017, 6.5, NAN, NAN)])],
        ignore_index=True,
    )
    areas = ["gellerup-toveshoej", "bispehaven", "viby-syd", "herredsvang"]
    row = aggregate(frame, areas, "skolefravaer", RESIDENTS_2018, RESIDENTS_LABEL).iloc[0]
    assert row["method"] == METHOD_WEIGHTED
    assert not row["exact"]


def test_years_missing_an_area_are_left_out_by_default():
    frame = report_rates()
    frame = frame[~((frame["area_id"] == "herredsvang") & (frame["year"] == 2017))]
    result = aggregate(frame, SEVEN_AREAS, "skolefravaer", RESIDENTS_2018, RESIDENTS_LABEL)
    assert result["year"].tolist() == [2007]


def test_a_missing_value_counts_as_missing_not_as_zero():
    frame = report_rates()
    frame = frame.assign(value=frame["value"].mask((frame["area_id"] == "herredsvang") & (frame["year"] == 2017)))
    result = aggregate(frame, SEVEN_AREAS, "skolefravaer", RESIDENTS_2018, RESIDENTS_LABEL)
    assert result["year"].tolist() == [2007]


def test_partial_years_list_the_missing_areas_and_are_never_exact():
    areas = ["gellerup-toveshoej", "bispehaven", "viby-syd", "herredsvang"]
    result = aggregate(COUNTS, areas, "skolefravaer", allow_partial=True)
    row = result.iloc[0]
    assert row["missing_area_ids"] == ("herredsvang",)
    assert row["n_areas"] == 3
    assert row["method"] == METHOD_COUNTS
    assert not row["exact"]
    assert "1 af 4 områder mangler data" in row["weight_description"]
    assert "1 of 4 areas have no data" in describe_method(row, "en")


def test_no_rows_give_an_empty_frame_with_the_documented_columns():
    result = aggregate(COUNTS, ["trigeparken"], "skolefravaer")
    assert result.empty
    assert "exact" in result.columns and "weight_description" in result.columns


def test_aggregate_needs_areas():
    with pytest.raises(ValueError, match="at least one area"):
        aggregate(COUNTS, [], "skolefravaer")


def test_weights_label_needs_both_languages():
    with pytest.raises(ValueError, match="'da' and an 'en'"):
        aggregate(
            report_rates(),
            SEVEN_AREAS,
            "skolefravaer",
            RESIDENTS_2018,
            {"da": "beboere"},
        )
