"""Small-number suppression (diskretionering) applied before any observation reaches the browser.

A rate computed from fewer than `limit` persons can identify individuals, so such a row keeps its place in the
data (the year is shown as "–" with the reason) but loses its value, numerator and denominator. Rows that keep
their counts get their rate recomputed from them, because the rate shown to users comes from the counts.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

DEFAULT_SUPPRESSION_LIMIT = 5

# Units whose value is 100 * numerator / denominator; other units keep their published value.
RATE_UNITS = frozenset({"pct", "pct_region"})


def suppression_reason_text(limit: int = DEFAULT_SUPPRESSION_LIMIT, lang: str = "da") -> str:
    """Why a number is hidden, for the reader: "Færre end 5 personer i grundlaget (diskretionering)"."""
    if lang == "da":
        return f"Færre end {limit} personer i grundlaget (diskretionering)"
    if lang == "en":
        return f"Fewer than {limit} people in the base population (statistical disclosure control)"
    raise ValueError(f"unknown language {lang!r}; expected 'da' or 'en'")


def _recomputable(obs: pd.DataFrame, units_by_indicator: Mapping[str, str] | None) -> pd.Series:
    """Rows whose rate can be recomputed from their own counts."""
    has_counts = obs["numerator"].notna() & obs["denominator"].notna() & (obs["denominator"] > 0)
    if units_by_indicator is None:
        return has_counts
    is_rate = obs["indicator_id"].map(units_by_indicator).isin(RATE_UNITS)
    return has_counts & is_rate


def suppress_small_numbers(
    obs: pd.DataFrame,
    limit: int = DEFAULT_SUPPRESSION_LIMIT,
    units_by_indicator: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A copy of `obs` with `suppressed` (bool) and `suppression_reason` (Danish text, "" when shown).

    Rows whose denominator is below `limit` get value, numerator and denominator set to NaN. Other rows with
    numerator and denominator get value = 100 * numerator / denominator; with `units_by_indicator`
    (indicator_id -> unit) only indicators in a rate unit are recomputed. The input frame is not changed.
    """
    if limit < 0:
        raise ValueError(f"the suppression limit must be >= 0, got {limit}")
    # A missing denominator compares False: a row without counts cannot be judged and is left as published.
    too_small = (obs["denominator"] < limit).fillna(False).astype(bool)
    rate_from_counts = 100 * obs["numerator"] / obs["denominator"]
    value = rate_from_counts.where(_recomputable(obs, units_by_indicator), obs["value"])
    reason = suppression_reason_text(limit, "da")
    return obs.assign(
        value=value.mask(too_small),
        numerator=obs["numerator"].mask(too_small),
        denominator=obs["denominator"].mask(too_small),
        suppressed=too_small,
        suppression_reason=pd.Series(np.where(too_small, reason, ""), index=obs.index, dtype="str"),
    )
