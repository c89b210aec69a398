"""How numbers look to a reader, in Danish and English.

One place decides the decimal and thousands separators, the unit suffixes and the sign of a change, so that KPI
cards, tables, hover texts and summary sentences all agree: Danish "11,3 %" and "345.603", English "11.3%" and
"345,603". A missing number is shown as an en dash, never as 0.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

MISSING_TEXT = "–"
LANGUAGES = ("da", "en")

# Decimals used when the caller does not pass the indicator's own `decimals` from the catalogue.
DEFAULT_DECIMALS_BY_UNIT = {
    "pct": 1,
    "pct_region": 1,
    "persons": 0,
    "count": 0,
    "points": 0,
}

# Python formats with "," for thousands and "." for decimals; Danish swaps the two.
_DANISH_SEPARATORS = str.maketrans({",": ".", ".": ","})


def is_missing(x: object) -> bool:
    """True for None, NaN and pandas' NA: every way a number can be absent from a frame."""
    return x is None or bool(pd.isna(x))


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")


def _rounded(x: float, decimals: int) -> Decimal | None:
    """Round half away from zero on the decimal digits a reader sees, or None when x is no finite number.

    Going through the shortest decimal representation makes 0.15 round to 0.2, as in published tables, where
    binary floating point would give 0.1.
    """
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    if is_missing(x):
        return None
    number = Decimal(repr(float(x)))
    if not number.is_finite():
        return None
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    # A tiny negative value rounds to zero; "-0,0" would suggest a direction that is not there.
    return abs(rounded) if rounded == 0 else rounded


def _digits(number: Decimal, decimals: int, lang: str) -> str:
    text = f"{number:,.{decimals}f}"
    return text.translate(_DANISH_SEPARATORS) if lang == "da" else text


def format_number(x: float | None, decimals: int = 1, lang: str = "da") -> str:
    """Format a plain number: da "11,3", "345.603", "-29,2"; en "11.3", "345,603". Missing gives "–"."""
    _check_lang(lang)
    number = _rounded(x, decimals)
    return MISSING_TEXT if number is None else _digits(number, decimals, lang)


def _format_signed(x: float | None, decimals: int, lang: str) -> str | None:
    """A change with an explicit "+" when positive, because its direction is the point; None when missing."""
    _check_lang(lang)
    number = _rounded(x, decimals)
    if number is None:
        return None
    sign = "+" if number > 0 else ""
    return sign + _digits(number, decimals, lang)


def format_value(x: float | None, unit: str, decimals: int | None = None, lang: str = "da") -> str:
    """Format a value in an indicator's unit (pct, pct_region, persons, count, points).

    da: "11,3 %", "51,1 % af regionen", "345.603", "19 point"; en: "11.3%", "51.1% of region", "345,603",
    "19 points". `decimals` defaults to the unit's usual precision. Missing gives "–" without a unit.
    """
    if unit not in DEFAULT_DECIMALS_BY_UNIT:
        raise ValueError(f"unknown unit {unit!r}; expected one of {tuple(DEFAULT_DECIMALS_BY_UNIT)}")
    places = DEFAULT_DECIMALS_BY_UNIT[unit] if decimals is None else decimals
    number = format_number(x, places, lang)
    if number == MISSING_TEXT:
        return MISSING_TEXT
    return _with_unit(number, unit, lang)


def _with_unit(number: str, unit: str, lang: str) -> str:
    if unit == "pct":
        return f"{number} %" if lang == "da" else f"{number}%"
    if unit == "pct_region":
        return f"{number} % af regionen" if lang == "da" else f"{number}% of region"
    if unit == "points":
        if lang == "da":
            return f"{number} point"
        return f"{number} point" if number == "1" else f"{number} points"
    return number


def format_change_points(x: float | None, lang: str = "da", decimals: int = 1, short: bool = False) -> str:
    """Format a difference between two percentages: "-3,3 procentpoint" / "-3.3 percentage points".

    ``short`` gives the abbreviations used in dense tables: "-3,3 pct.-point" / "-3.3 pp".
    """
    number = _format_signed(x, decimals, lang)
    if number is None:
        return MISSING_TEXT
    if short:
        return f"{number} pct.-point" if lang == "da" else f"{number} pp"
    return f"{number} procentpoint" if lang == "da" else f"{number} percentage points"


def format_change_percent(x: float | None, lang: str = "da", decimals: int = 1) -> str:
    """Format a relative change in per cent: "-29,2 %" / "-29.2%", "+20,0 %" for a rise."""
    number = _format_signed(x, decimals, lang)
    if number is None:
        return MISSING_TEXT
    return f"{number} %" if lang == "da" else f"{number}%"
