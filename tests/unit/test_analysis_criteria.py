"""Tests for dashboard.analysis.criteria: state-list criteria where missing data gives "unknown", never "not met"."""

import math

import pandas as pd
import pytest

from dashboard.analysis.criteria import (
    STATUS_MET,
    STATUS_NOT_MET,
    STATUS_UNKNOWN,
    evaluate,
    threshold_for_year,
)
from tests.unit import frames

NAN = math.nan
AREA = "gellerup-toveshoej"


def criterion(criterion_id, indicator_id, operator, threshold, **extra):
    return {
        "id": criterion_id,
        "indicator_id": indicator_id,
        "operator": operator,
        "threshold": threshold,
        **extra,
    }


# Like data/criteria.yaml's 2013-2017 rule set: >= 1000 residents and >= 3 of 5 criteria.
RULES_2013 = {
    "id": "2013-2017",
    "from_year": 2013,
    "to_year": 2017,
    "designation": {"da": "Ghettoområde", "en": "Ghetto area"},
    "min_residents": 1000,
    "min_criteria": 3,
    "required": [],
    "criteria": [
        criterion("uden-for-arbejde-uddannelse", "sl-uden-for-arbejde-uddannelse", ">", 40),
        criterion("ikke-vestlige", "sl-ikke-vestlige", ">", 50),
        criterion("domfaeldte", "sl-domfaeldte", ">", 2.70),
        criterion("grunduddannelse", "sl-grunduddannelse", ">", 50),
        criterion("indkomst", "sl-indkomst", "<", 55),
    ],
}

# Like the 2021 rule sets: non-western share required in addition to 2 of 4; a conviction threshold known
# only relative to the national average, with one year's published figure.
RULES_PARALLELSAMFUND = {
    "id": "parallelsamfund",
    "from_year": 2021,
    "to_year": None,
    "designation": {"da": "Parallelsamfund", "en": "Parallel society"},
    "min_residents": 1000,
    "min_criteria": 2,
    "required": ["ikke-vestlige"],
    "criteria": [
        criterion("ikke-vestlige", "sl-ikke-vestlige", ">", 50),
        criterion("uden-for-arbejde-uddannelse", "sl-uden-for-arbejde-uddannelse", ">", 40),
        criterion("domfaeldte", "sl-domfaeldte", ">", None, threshold_by_year={2022: 1.98}),
        criterion("grunduddannelse", "sl-grunduddannelse", ">", 60),
        criterion("indkomst", "sl-indkomst", "<", 55),
    ],
}
RULES_FOREBYGGELSE = {
    **RULES_PARALLELSAMFUND,
    "id": "forebyggelsesomraade",
    "designation": {"da": "Forebyggelsesområde", "en": "Prevention area"},
    "criteria": [
        criterion("ikke-vestlige", "sl-ikke-vestlige", ">", 30),
        criterion("uden-for-arbejde-uddannelse", "sl-uden-for-arbejde-uddannelse", ">", 30),
        criterion("domfaeldte", "sl-domfaeldte", ">", None),
        criterion("grunduddannelse", "sl-grunduddannelse", ">", 60),
        criterion("indkomst", "sl-indkomst", "<", 65),
    ],
}
RULESETS = [RULES_2013, RULES_PARALLELSAMFUND, RULES_FOREBYGGELSE]

# Gellerup/Toveshøj on the list of 1 December 2015 (5 of 5 criteria).
GELLERUP_2015 = {
    "sl-uden-for-arbejde-uddannelse": 51.9,
    "sl-ikke-vestlige": 80.6,
    "sl-domfaeldte": 4.43,
    "sl-grunduddannelse": 58.4,
    "sl-indkomst": 51.1,
    "sl-beboere": 6464,
}


def observations(values: dict[str, float], year: int = 2015, area_id: str = AREA) -> pd.DataFrame:
    return frames.observations([(area_id, indicator_id, year, value) for indicator_id, value in values.items()], "s")


def only(values: dict[str, float], *indicator_ids: str) -> dict[str, float]:
    return {indicator_id: values[indicator_id] for indicator_id in indicator_ids}


def the_ruleset(evaluation, ruleset_id="2013-2017"):
    return next(result for result in evaluation.rulesets if result.ruleset_id == ruleset_id)


def by_id(ruleset_result):
    return {result.criterion_id: result for result in ruleset_result.criteria}


def test_gellerup_toveshoej_2015_meets_all_five_criteria():
    result = the_ruleset(evaluate(observations(GELLERUP_2015), RULESETS, AREA, 2015))
    assert (result.met_count, result.unknown_count) == (5, 0)
    assert result.designation_status == STATUS_MET
    assert result.residents == 6464 and result.residents_met is True
    assert result.designation["da"] == "Ghettoområde"


def test_each_criterion_reports_value_threshold_and_distance():
    criteria = by_id(the_ruleset(evaluate(observations(GELLERUP_2015), RULESETS, AREA, 2015)))
    income = criteria["indkomst"]
    assert (income.value, income.threshold, income.met) == (51.1, 55.0, True)
    assert income.distance == pytest.approx(-3.9)
    convicted = criteria["domfaeldte"]
    assert convicted.distance == pytest.approx(4.43 - 2.70)


def test_only_the_rule_sets_in_force_in_the_year_are_evaluated():
    assert [r.ruleset_id for r in evaluate(observations(GELLERUP_2015), RULESETS, AREA, 2015).rulesets] == ["2013-2017"]
    assert [r.ruleset_id for r in evaluate(observations({}), RULESETS, AREA, 2023).rulesets] == [
        "parallelsamfund",
        "forebyggelsesomraade",
    ]
    assert evaluate(observations({}), RULESETS, AREA, 2019).rulesets == ()


def test_two_known_unmet_and_three_unknown_criteria_are_unknown_not_not_met():
    values = {"sl-indkomst": 70.0, "sl-ikke-vestlige": 20.0, "sl-beboere": 6464}
    result = the_ruleset(evaluate(observations(values), RULESETS, AREA, 2015))
    assert (result.met_count, result.unknown_count) == (0, 3)
    assert result.designation_status == STATUS_UNKNOWN


def test_it_is_not_met_when_even_every_unknown_criterion_could_not_reach_the_minimum():
    values = {
        "sl-indkomst": 70.0,
        "sl-ikke-vestlige": 20.0,
        "sl-grunduddannelse": 30.0,
        "sl-uden-for-arbejde-uddannelse": 51.9,
        "sl-beboere": 6464,
    }
    result = the_ruleset(evaluate(observations(values), RULESETS, AREA, 2015))
    assert (result.met_count, result.unknown_count) == (1, 1)
    assert result.designation_status == STATUS_NOT_MET


def test_missing_residents_keep_a_fully_met_area_unknown():
    values = {k: v for k, v in GELLERUP_2015.items() if k != "sl-beboere"}
    result = the_ruleset(evaluate(observations(values), RULESETS, AREA, 2015))
    assert result.met_count == 5
    assert result.residents is None and result.residents_met is None
    assert result.designation_status == STATUS_UNKNOWN


def test_too_few_residents_is_not_met():
    result = the_ruleset(evaluate(observations({**GELLERUP_2015, "sl-beboere": 831}), RULESETS, AREA, 2015))
    assert result.residents_met is False
    assert result.designation_status == STATUS_NOT_MET


def test_a_similar_indicator_with_another_definition_is_never_used():
    # BoSocData's "outside the labour market" is not the state list's "outside work or education".
    values = {"uden-for-arbejdsmarkedet": 62.5, "sl-beboere": 6464}
    criteria = by_id(the_ruleset(evaluate(observations(values), RULESETS, AREA, 2015)))
    outside = criteria["uden-for-arbejde-uddannelse"]
    assert (outside.value, outside.met, outside.distance) == (None, None, None)
    assert outside.threshold == 40.0


def test_values_from_another_year_or_area_are_not_used():
    other_year = observations(GELLERUP_2015, year=2014)
    other_area = observations(GELLERUP_2015, area_id="bispehaven")
    for frame in (other_year, other_area):
        result = the_ruleset(evaluate(frame, RULESETS, AREA, 2015))
        assert result.unknown_count == 5
        assert result.designation_status == STATUS_UNKNOWN


def test_a_threshold_given_only_relative_to_the_national_average_is_unknown():
    values = {**only(GELLERUP_2015, "sl-domfaeldte", "sl-beboere")}
    evaluation = evaluate(observations(values, year=2023), RULESETS, AREA, 2023)
    convicted = by_id(the_ruleset(evaluation, "parallelsamfund"))["domfaeldte"]
    assert convicted.value == 4.43
    assert (convicted.threshold, convicted.met, convicted.distance) == (
        None,
        None,
        None,
    )


def test_a_threshold_published_for_the_year_is_used():
    values = {**only(GELLERUP_2015, "sl-domfaeldte", "sl-beboere")}
    evaluation = evaluate(observations(values, year=2022), RULESETS, AREA, 2022)
    convicted = by_id(the_ruleset(evaluation, "parallelsamfund"))["domfaeldte"]
    assert (convicted.threshold, convicted.met) == (1.98, True)


def test_threshold_by_year_accepts_string_keys_from_yaml():
    assert threshold_for_year(criterion("d", "x", ">", None, threshold_by_year={"2022": 1.98}), 2022) == 1.98
    assert threshold_for_year(criterion("d", "x", ">", 2.7), 2015) == 2.7


def test_parallelsamfund_needs_the_required_criterion_in_addition_to_two_others():
    values = {**GELLERUP_2015, "sl-domfaeldte": NAN}
    evaluation = evaluate(observations(values, year=2023), RULESETS, AREA, 2023)
    parallel = the_ruleset(evaluation, "parallelsamfund")
    criteria = by_id(parallel)
    assert criteria["ikke-vestlige"].required and criteria["ikke-vestlige"].met
    # The required criterion is not one of the "2 of 4"; convictions are unknown (threshold and value).
    assert (parallel.met_count, parallel.unknown_count) == (2, 1)
    assert parallel.designation_status == STATUS_MET


def test_a_required_criterion_known_unmet_is_not_met_however_many_others_are():
    values = {**GELLERUP_2015, "sl-ikke-vestlige": 25.0}
    evaluation = evaluate(observations(values, year=2023), RULESETS, AREA, 2023)
    assert the_ruleset(evaluation, "parallelsamfund").designation_status == STATUS_NOT_MET
    assert the_ruleset(evaluation, "forebyggelsesomraade").designation_status == STATUS_NOT_MET


def test_an_unknown_required_criterion_leaves_the_designation_unknown():
    values = {k: v for k, v in GELLERUP_2015.items() if k != "sl-ikke-vestlige"}
    evaluation = evaluate(observations(values, year=2023), RULESETS, AREA, 2023)
    parallel = the_ruleset(evaluation, "parallelsamfund")
    assert parallel.met_count >= parallel.min_criteria
    assert parallel.designation_status == STATUS_UNKNOWN


def test_a_value_equal_to_the_threshold_does_not_exceed_it():
    values = {"sl-ikke-vestlige": 50.0}
    criteria = by_id(the_ruleset(evaluate(observations(values), RULESETS, AREA, 2015)))
    assert criteria["ikke-vestlige"].met is False
    assert criteria["ikke-vestlige"].distance == 0.0


def test_a_required_id_that_is_not_a_criterion_is_a_configuration_error():
    broken = {**RULES_2013, "required": ["no-such-criterion"]}
    with pytest.raises(ValueError, match="no-such-criterion"):
        evaluate(observations(GELLERUP_2015), [broken], AREA, 2015)


def test_an_unknown_operator_is_a_configuration_error():
    broken = {**RULES_2013, "criteria": [criterion("x", "sl-indkomst", ">=", 55)]}
    with pytest.raises(ValueError, match="operator"):
        evaluate(observations(GELLERUP_2015), [broken], AREA, 2015)
