"""Periods: a year, or a quarter of a year, as one number that sorts, subtracts and plots.

An observation is for a year (``quarter`` 0) or for a quarter of it (``quarter`` 1-4). Each indicator has one kind
of period (the data check refuses an indicator with both), so its series compare like with like. Everything that
orders or plots observations in time uses the *period* number:

- a year is the year itself: ``2023`` (as a float, ``2023.0``);
- a quarter is the middle of that quarter as a fraction of the year: 1st quarter of 2023 is ``2023.125``, the 4th
  ``2023.875``. The number lies inside its year on a time axis, and it is never a whole number, so a period says by
  itself whether it is a year or a quarter (every value is exact in binary floating point).

Nothing here turns a quarter into a year's figure: a view that needs one number per area and year (the map, the
overview) shows the year's latest quarter *labelled as that quarter* (:func:`label`).
"""

from __future__ import annotations

import math

QUARTERS = (1, 2, 3, 4)
YEARLY = 0
STEP_YEAR = 1.0
STEP_QUARTER = 0.25

_SHORT = {"da": "{year}K{quarter}", "en": "{year}Q{quarter}"}
_LONG = {"da": "{quarter}. kvartal {year}", "en": "Q{quarter} {year}"}


def _middle(quarter):
    """Where the middle of a quarter lies in its year, as a fraction (a number, or a pandas column of them)."""
    return (quarter - 0.5) / 4


def period(year: int, quarter: int = YEARLY) -> float:
    """The period number of a year (quarter 0) or of one of its quarters (1-4)."""
    if quarter == YEARLY:
        return float(year)
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 0 (the whole year) or 1-4, not {quarter!r}")
    return year + _middle(quarter)


def period_column(year, quarter):
    """:func:`period` for pandas columns of years and (checked) quarters."""
    return year.astype("float64") + _middle(quarter).where(quarter > 0, 0.0)


def is_quarter(value: float) -> bool:
    return value != math.floor(value)


def year_of(value: float) -> int:
    return int(math.floor(value))


def quarter_of(value: float) -> int:
    """1-4 for a quarter, 0 for a whole year."""
    if not is_quarter(value):
        return YEARLY
    return int((value - math.floor(value)) * 4 + 0.5)


def step(value: float) -> float:
    """The distance from one period to the next of the same kind: a year or a quarter."""
    return STEP_QUARTER if is_quarter(value) else STEP_YEAR


def label(value: float, lang: str = "da") -> str:
    """Short text for tables, axes and hover: '2023', '2023K1' (Danish, as Danmarks Statistik writes it), '2023Q1'."""
    if not is_quarter(value):
        return str(year_of(value))
    return _SHORT.get(lang, _SHORT["da"]).format(year=year_of(value), quarter=quarter_of(value))


def long_label(value: float, lang: str = "da") -> str:
    """Text for a sentence: '2023', '1. kvartal 2023', 'Q1 2023'."""
    if not is_quarter(value):
        return str(year_of(value))
    return _LONG.get(lang, _LONG["da"]).format(year=year_of(value), quarter=quarter_of(value))
