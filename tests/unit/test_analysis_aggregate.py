"""Tests for dashboard.analysis.aggregate: figures across the seven areas, exact only when built from counts."""

import math

import numpy as np
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


# --- the periods computed from arrays give what a pandas frame per period gives --------------------------------------


def reference(obs, area_ids, indicator_id, weights, allow_partial):
    """The aggregate computed the plain way, one pandas frame per period: (period, value, method, n_areas, missing)."""
    requested = tuple(dict.fromkeys(area_ids))
    rows = obs[(obs["indicator_id"] == indicator_id) & obs["area_id"].isin(requested)]
    counts = rows["numerator"].notna() & rows["denominator"].notna() & (rows["denominator"] > 0)
    rows = rows.assign(rate=(100 * rows["numerator"] / rows["denominator"]).where(counts, rows["value"]), counts=counts)
    rows = rows.dropna(subset=["rate"])
    out = []
    for period, part in rows.groupby("period", sort=True):
        present = {str(a) for a in part["area_id"]}
        missing = tuple(a for a in requested if a not in present)
        if missing and not allow_partial:
            continue
        chosen = [weights.get(str(a)) for a in part["area_id"]] if weights else None
        if part["counts"].all():
            value, method = 100 * part["numerator"].sum() / part["denominator"].sum(), METHOD_COUNTS
        elif chosen and all(w is not None and math.isfinite(w) and w > 0 for w in chosen):
            value, method = (part["rate"] * chosen).sum() / sum(chosen), METHOD_WEIGHTED
        else:
            value, method = part["rate"].mean(), METHOD_UNWEIGHTED
        out.append((float(period), float(value), method, len(part), missing))
    return out


def test_every_period_of_every_indicator_is_what_a_frame_per_period_gives(tmp_path):
    from dashboard import synthetic
    from dashboard.data.store import load_dataset

    data_dir, _ = synthetic.generate(tmp_path, 3)
    obs = load_dataset(data_dir).observations
    rng = np.random.default_rng(7)
    # Some counts and some values taken away, so that every method and partial periods occur.
    obs = obs.assign(
        numerator=obs["numerator"].where(rng.random(len(obs)) > 0.05),
        value=obs["value"].where(rng.random(len(obs)) > 0.03),
    )
    areas = sorted(map(str, obs["area_id"].unique()))[:9]
    weights = {area_id: float(100 + 10 * position) for position, area_id in enumerate(areas)}
    weights[areas[-1]] = math.nan  # an area without a usable weight: its periods are unweighted
    methods = set()
    for indicator_id in sorted(map(str, obs["indicator_id"].unique())):
        for chosen_areas in (areas[:8], areas):
            for partial in (False, True):
                for given in (weights, None):
                    mine = aggregate(obs, chosen_areas, indicator_id, weights=given, allow_partial=partial)
                    expected = reference(obs, chosen_areas, indicator_id, given, partial)
                    assert len(mine) == len(expected), indicator_id
                    for row, (period, value, method, n_areas, missing) in zip(mine.itertuples(), expected, strict=True):
                        assert (row.period, row.method, row.n_areas, row.missing_area_ids) == (
                            period,
                            method,
                            n_areas,
                            missing,
                        )
                        assert math.isclose(row.value, value, rel_tol=1e-12), (indicator_id, period)
                        assert row.exact == (method == METHOD_COUNTS and not missing)
                        methods.add((method, bool(missing)))
    assert {(METHOD_COUNTS, False), (METHOD_WEIGHTED, False), (METHOD_UNWEIGHTED, False)} <= methods
    assert any(missing for _, missing in methods)
