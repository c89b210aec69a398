"""The state-list rule sets (data/criteria.yaml) evaluated for one area and one year.

The board asks "is any area drifting towards the state lists?". The answer must never be more certain than the
data: a criterion without a value or without a threshold is unknown, and a designation is "not met" only when it
could not be met even if every unknown criterion were met. Missing data gives "unknown", never "not met".

Each criterion reads only the indicator it names, so a similar indicator with another definition (BoSocData's
`uden-for-arbejdsmarkedet` beside the state list's `sl-uden-for-arbejde-uddannelse`) is never substituted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.analysis.series import value_at

RESIDENTS_INDICATOR_ID = "sl-beboere"

STATUS_MET = "met"
STATUS_NOT_MET = "not met"
STATUS_UNKNOWN = "unknown"

OPERATORS = (">", "<")


@dataclass(frozen=True)
class CriterionResult:
    """One criterion for the area and year; None wherever the data do not tell."""

    criterion_id: str
    indicator_id: str
    operator: str
    value: float | None
    threshold: float | None
    met: bool | None
    distance: float | None
    """value - threshold: how far above (positive) or below (negative) the line the area is."""
    required: bool
    threshold_note: Mapping[str, str]


@dataclass(frozen=True)
class RulesetResult:
    """One rule set (designation) for the area and year.

    `met_count` and `unknown_count` count the criteria that `min_criteria` is about, i.e. those not listed as
    required; required criteria must be met in addition (the non-western share from 2018).
    """

    ruleset_id: str
    designation: Mapping[str, str]
    min_residents: int | None
    residents: float | None
    residents_met: bool | None
    min_criteria: int
    criteria: tuple[CriterionResult, ...]
    met_count: int
    unknown_count: int
    designation_status: str


@dataclass(frozen=True)
class Evaluation:
    """Every rule set in force in that year (two from 2021: parallelsamfund and forebyggelsesområde)."""

    area_id: str
    year: int
    rulesets: tuple[RulesetResult, ...]


def applies_in(ruleset: Mapping, year: int) -> bool:
    """True when the rule set is in force in that year; a missing to_year means it still is."""
    to_year = ruleset.get("to_year")
    return ruleset["from_year"] <= year and (to_year is None or year <= to_year)


def threshold_for_year(criterion: Mapping, year: int) -> float | None:
    """The year's own threshold when given, else the fixed one; None when only a national average defines it."""
    by_year = criterion.get("threshold_by_year") or {}
    # YAML gives integer keys for `2019:` but string keys for `"2019":`; accept both.
    threshold = by_year.get(year, by_year.get(str(year), criterion.get("threshold")))
    return None if threshold is None else float(threshold)


def _is_met(value: float, operator: str, threshold: float) -> bool:
    # The rules say "overstiger" / "mindre end": equal to the threshold does not meet it.
    return value > threshold if operator == ">" else value < threshold


def evaluate_criterion(
    obs: pd.DataFrame,
    criterion: Mapping,
    area_id: str,
    year: int,
    required: bool = False,
) -> CriterionResult:
    """One criterion: the value of its own indicator, the year's threshold and whether it is met."""
    operator = criterion["operator"]
    if operator not in OPERATORS:
        raise ValueError(f"criterion {criterion['id']!r} has operator {operator!r}; expected one of {OPERATORS}")
    value = value_at(obs, area_id, criterion["indicator_id"], year)
    threshold = threshold_for_year(criterion, year)
    known = value is not None and threshold is not None
    return CriterionResult(
        criterion_id=criterion["id"],
        indicator_id=criterion["indicator_id"],
        operator=operator,
        value=value,
        threshold=threshold,
        met=_is_met(value, operator, threshold) if known else None,
        distance=value - threshold if known else None,
        required=required,
        threshold_note=criterion.get("threshold_note") or {},
    )


def designation_status(
    counted: Sequence[CriterionResult],
    required: Sequence[CriterionResult],
    min_criteria: int,
    residents_met: bool | None,
) -> str:
    """The designation's status from what is known, giving unknown criteria the benefit of the doubt.

    "met" needs the minimum of criteria, every required criterion and enough residents, all known; "not met" needs
    a known failure that no unknown criterion could make up for; everything else is "unknown".
    """
    met_count = sum(result.met is True for result in counted)
    unknown_count = sum(result.met is None for result in counted)
    cannot_be_met = (
        residents_met is False
        or any(result.met is False for result in required)
        or met_count + unknown_count < min_criteria
    )
    if cannot_be_met:
        return STATUS_NOT_MET
    if residents_met is True and all(result.met is True for result in required) and met_count >= min_criteria:
        return STATUS_MET
    return STATUS_UNKNOWN


def evaluate_ruleset(obs: pd.DataFrame, ruleset: Mapping, area_id: str, year: int) -> RulesetResult:
    """One rule set for the area and year; residents are read from `sl-beboere` and unknown when absent."""
    required_ids = set(ruleset.get("required") or [])
    criterion_ids = {criterion["id"] for criterion in ruleset["criteria"]}
    if not required_ids <= criterion_ids:
        raise ValueError(
            f"rule set {ruleset['id']!r} requires criteria it does not define: {sorted(required_ids - criterion_ids)}"
        )
    results = tuple(
        evaluate_criterion(obs, criterion, area_id, year, required=criterion["id"] in required_ids)
        for criterion in ruleset["criteria"]
    )
    counted = [result for result in results if not result.required]
    required = [result for result in results if result.required]
    min_residents = ruleset.get("min_residents")
    residents = value_at(obs, area_id, RESIDENTS_INDICATOR_ID, year)
    if min_residents is None:
        residents_met: bool | None = True
    else:
        residents_met = None if residents is None else residents >= min_residents
    return RulesetResult(
        ruleset_id=ruleset["id"],
        designation=ruleset["designation"],
        min_residents=min_residents,
        residents=residents,
        residents_met=residents_met,
        min_criteria=ruleset["min_criteria"],
        criteria=results,
        met_count=sum(result.met is True for result in counted),
        unknown_count=sum(result.met is None for result in counted),
        designation_status=designation_status(counted, required, ruleset["min_criteria"], residents_met),
    )


def evaluate(obs: pd.DataFrame, rulesets: Sequence[Mapping], area_id: str, year: int) -> Evaluation:
    """Every rule set in force in `year`, evaluated for the area from the observations of that year."""
    in_force = [ruleset for ruleset in rulesets if applies_in(ruleset, year)]
    return Evaluation(
        area_id=area_id,
        year=year,
        rulesets=tuple(evaluate_ruleset(obs, ruleset, area_id, year) for ruleset in in_force),
    )
