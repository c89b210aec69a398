"""Small observation frames for the analysis tests, in the data layer's own column order and dtypes."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.data.schema import OBSERVATION_COLUMNS, with_period

NAN = math.nan


def observations(rows, source_id: str = "aarsskrift-2018") -> pd.DataFrame:
    """A tidy frame from (area, indicator, year, value[, numerator, denominator[, source_id, note]]) tuples;
    missing counts are NaN, the source defaults to the annual report. A year given as (year, quarter) is a quarter;
    the period column is derived as the data layer derives it."""
    padded = []
    for row in rows:
        area_id, indicator_id, year, *rest = tuple(row)
        year, quarter = year if isinstance(year, tuple) else (year, 0)
        row = (area_id, indicator_id, year, quarter, *rest)
        if len(row) == 5:
            row += (NAN, NAN)
        if len(row) == 7:
            row += (source_id, "")
        padded.append(row)
    frame = pd.DataFrame(padded, columns=OBSERVATION_COLUMNS).astype(
        {"year": "int64", "quarter": "int64", "value": "float64", "numerator": "float64", "denominator": "float64"}
    )
    return with_period(frame)
