"""Small observation frames for the analysis tests, in the data layer's own column order and dtypes."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.data.schema import OBSERVATION_COLUMNS

NAN = math.nan


def observations(rows, source_id: str = "aarsskrift-2018") -> pd.DataFrame:
    """A tidy frame from (area, indicator, year, value[, numerator, denominator[, source_id, note]]) tuples;
    missing counts are NaN, the source defaults to the annual report."""
    padded = []
    for row in rows:
        row = tuple(row)
        if len(row) == 4:
            row += (NAN, NAN)
        if len(row) == 6:
            row += (source_id, "")
        padded.append(row)
    return pd.DataFrame(padded, columns=OBSERVATION_COLUMNS).astype(
        {"year": "int64", "value": "float64", "numerator": "float64", "denominator": "float64"}
    )
