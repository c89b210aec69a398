"""Figures across several areas ("alle helhedsplanområder"), computed from counts when the counts exist.

A share across areas is only exact as sum(numerators) / sum(denominators). When some area lacks its counts the best
available figure is a mean of the areas' rates, weighted (e.g. by residents) or not; it is returned, but always
labelled as an approximation with a sentence that says how it was weighted, and never flagged exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from dashboard.data import periods

METHOD_COUNTS = "counts"
METHOD_WEIGHTED = "weighted-mean-approximation"
METHOD_UNWEIGHTED = "unweighted-mean-approximation"

COLUMNS = [
    "year",
    "period",
    "value",
    "method",
    "exact",
    "n_areas",
    "missing_area_ids",
    "weights_label_da",
    "weights_label_en",
    "weight_description",
]

DEFAULT_WEIGHTS_LABEL = {"da": "de angivne vægte", "en": "the given weights"}

_DESCRIPTIONS = {
    "da": {
        METHOD_COUNTS: "Beregnet ud fra antal: summen af tællerne delt med summen af nævnerne for {n} {areas}.",
        METHOD_WEIGHTED: (
            "Tilnærmelse: gennemsnit af områdernes andele vægtet med {label}; "
            "de bagvedliggende antal findes ikke i data."
        ),
        METHOD_UNWEIGHTED: (
            "Tilnærmelse: uvægtet gennemsnit af områdernes andele; de bagvedliggende antal findes ikke i data."
        ),
        "partial": "Delvis: {missing} af {total} områder mangler data dette år; tallet dækker kun de øvrige.",
        "area": "område",
        "areas": "områder",
    },
    "en": {
        METHOD_COUNTS: "Computed from counts: the sum of numerators divided by the sum of denominators for {n} {areas}.",
        METHOD_WEIGHTED: (
            "Approximation: mean of the areas' rates weighted by {label}; the underlying counts are not in the data."
        ),
        METHOD_UNWEIGHTED: (
            "Approximation: unweighted mean of the areas' rates; the underlying counts are not in the data."
        ),
        "partial": "Partial: {missing} of {total} areas have no data this year; the figure covers only the others.",
        "area": "area",
        "areas": "areas",
    },
}


def _has_counts(rows: pd.DataFrame) -> pd.Series:
    return rows["numerator"].notna() & rows["denominator"].notna() & (rows["denominator"] > 0)


def _rates(rows: pd.DataFrame) -> pd.Series:
    """Each row's rate, from its counts when it has them (as shown to users), otherwise its published value."""
    from_counts = 100 * rows["numerator"] / rows["denominator"]
    return from_counts.where(_has_counts(rows), rows["value"]).astype(float)


def _usable_weights(area_ids: Iterable[str], weights: Mapping[str, float] | None) -> list[float] | None:
    """The weights of these areas, or None unless every one of them has a finite, positive weight."""
    if weights is None:
        return None
    chosen = [weights.get(area_id) for area_id in area_ids]
    if any(weight is None or not math.isfinite(weight) or weight <= 0 for weight in chosen):
        return None
    return chosen


def _aggregate_period(
    period: float,
    area_ids: list[str],
    columns: Mapping[str, np.ndarray],
    missing_area_ids: tuple[str, ...],
    weights: Mapping[str, float] | None,
    weights_label: Mapping[str, str],
) -> dict[str, object]:
    """One period's row. ``columns``: the period's numerators, denominators, rates and has-counts flags, in the order
    of ``area_ids``."""
    area_weights = _usable_weights(area_ids, weights)
    labels = {"weights_label_da": "", "weights_label_en": ""}
    if columns["counts"].all():
        method = METHOD_COUNTS
        value = 100 * columns["numerator"].sum() / columns["denominator"].sum()
    elif area_weights is not None:
        method = METHOD_WEIGHTED
        chosen = np.asarray(area_weights, dtype=float)
        value = (columns["rate"] * chosen).sum() / chosen.sum()
        labels = {
            "weights_label_da": weights_label["da"],
            "weights_label_en": weights_label["en"],
        }
    else:
        method = METHOD_UNWEIGHTED
        value = columns["rate"].mean()
    record: dict[str, object] = {
        "year": periods.year_of(period),
        "period": period,
        "value": float(value),
        "method": method,
        # Only a complete sum of counts is exact; a partial one covers fewer areas than were asked for.
        "exact": method == METHOD_COUNTS and not missing_area_ids,
        "n_areas": len(area_ids),
        "missing_area_ids": missing_area_ids,
        **labels,
    }
    record["weight_description"] = describe_method(record, "da")
    return record


def aggregate(
    obs: pd.DataFrame,
    area_ids: Iterable[str],
    indicator_id: str,
    weights: Mapping[str, float] | None = None,
    weights_label: Mapping[str, str] | None = None,
    allow_partial: bool = False,
) -> pd.DataFrame:
    """One row per period (year, or quarter of a quarterly indicator) with the indicator across the given areas
    (columns: see COLUMNS).

    - every area has numerator and denominator: value = 100 * sum(numerators) / sum(denominators), exact;
    - otherwise, with `weights` (area_id -> weight, e.g. residents) for every area: weighted mean of the rates;
    - otherwise: unweighted mean of the rates.
    `weights_label` names the weights in both languages, e.g. {"da": "antal beboere (2018)", "en": "number of
    residents (2018)"}, for the description. Periods where some requested area has no value are left out, unless
    `allow_partial`; then `missing_area_ids` lists those areas and the row is not exact.
    """
    requested = tuple(dict.fromkeys(area_ids))
    if not requested:
        raise ValueError("aggregate needs at least one area id")
    label = DEFAULT_WEIGHTS_LABEL if weights_label is None else weights_label
    if not {"da", "en"} <= set(label):
        raise ValueError("weights_label needs a 'da' and an 'en' text")
    selected = obs[(obs["indicator_id"] == indicator_id) & obs["area_id"].isin(requested)]
    rows = selected.assign(rate=_rates(selected)).dropna(subset=["rate"])
    if rows.duplicated(["area_id", "period"]).any():
        raise ValueError(f"more than one value per area and period for {indicator_id}")
    # The periods are computed from plain arrays, each period a slice of the rows sorted by period (in their order
    # within it): a pandas frame per period cost about 0,25 ms each, 21 ms for a quarterly indicator at 100x (now 3,4),
    # most of the first answer to a pick of it. The sums are numpy's, as pandas' were.
    rows = rows.sort_values("period", kind="stable")
    period_values = rows["period"].to_numpy(dtype=float)
    areas = [str(area_id) for area_id in rows["area_id"]]
    columns = {
        "numerator": rows["numerator"].to_numpy(dtype=float),
        "denominator": rows["denominator"].to_numpy(dtype=float),
        "rate": rows["rate"].to_numpy(dtype=float),
        "counts": _has_counts(rows).to_numpy(dtype=bool),
    }
    edges = [0, *(np.flatnonzero(np.diff(period_values)) + 1).tolist(), len(period_values)]
    records = []
    for start, end in zip(edges[:-1], edges[1:], strict=True):
        if start == end:
            continue  # no rows at all
        present = set(areas[start:end])
        missing_area_ids = tuple(area_id for area_id in requested if area_id not in present)
        if missing_area_ids and not allow_partial:
            continue
        part = {name: values[start:end] for name, values in columns.items()}
        records.append(
            _aggregate_period(float(period_values[start]), areas[start:end], part, missing_area_ids, weights, label)
        )
    return pd.DataFrame(records, columns=COLUMNS).astype(
        {"year": "int64", "period": "float64", "value": "float64", "exact": "bool", "n_areas": "int64"}
    )


def describe_method(row: Mapping[str, object], lang: str = "da") -> str:
    """A plain sentence saying how an aggregate row was computed, in Danish or English."""
    if lang not in _DESCRIPTIONS:
        raise ValueError(f"unknown language {lang!r}; expected one of {tuple(_DESCRIPTIONS)}")
    texts = _DESCRIPTIONS[lang]
    method = row["method"]
    n_areas = int(row["n_areas"])
    if method == METHOD_COUNTS:
        text = texts[METHOD_COUNTS].format(n=n_areas, areas=texts["area" if n_areas == 1 else "areas"])
    elif method == METHOD_WEIGHTED:
        text = texts[METHOD_WEIGHTED].format(label=row[f"weights_label_{lang}"])
    elif method == METHOD_UNWEIGHTED:
        text = texts[METHOD_UNWEIGHTED]
    else:
        raise ValueError(f"unknown aggregation method {method!r}")
    missing = len(row["missing_area_ids"])
    if missing:
        text += " " + texts["partial"].format(missing=missing, total=n_areas + missing)
    return text
