"""One indicator in one area over time: the change, index, gap and plain-language summary the pages show.

Pure functions on the tidy observations frame (columns area_id, indicator_id, year, quarter, period, value,
numerator, denominator, source_id, note). Time is the *period* (dashboard.data.periods): the year for a yearly
indicator, the quarter as a fraction of its year for a quarterly one; "year" in the names below means that period.
None of them fills a missing period: a period without a value is absent from a result, or NaN where a row must
exist. A function that cannot answer returns None rather than a made-up 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.data import periods
from dashboard.i18n.numbers import format_change_percent, format_value

BENCHMARK_AREA_ID = "aarhus-kommune"


@dataclass(frozen=True)
class Change:
    """The change of one indicator in one area between two periods (years or quarters) that both have a value."""

    area_id: str
    indicator_id: str
    from_year: float
    from_value: float
    to_year: float
    to_value: float
    points: float
    """to_value - from_value, in the indicator's unit (percentage points for rates)."""
    relative_pct: float | None
    """100 * (to - from) / from; None when from_value is 0, where a relative change has no meaning."""


def series(obs: pd.DataFrame, area_id: str, indicator_id: str) -> pd.DataFrame:
    """The area's rows for the indicator, sorted by period, with a fresh 0..n-1 index."""
    rows = obs[(obs["area_id"] == area_id) & (obs["indicator_id"] == indicator_id)]
    return rows.sort_values("period", kind="stable").reset_index(drop=True)


def values_by_year(obs: pd.DataFrame, area_id: str, indicator_id: str) -> pd.Series:
    """The area's non-missing values for the indicator as a float Series indexed by period (ascending).

    Raises ValueError when a period has two values: the data layer guarantees one row per (area, indicator, year,
    quarter), and silently picking one would show a number nobody chose.
    """
    rows = series(obs, area_id, indicator_id).dropna(subset=["value"])
    repeated = sorted(set(rows.loc[rows["period"].duplicated(), "period"]))
    if repeated:
        raise ValueError(f"more than one value for {area_id}/{indicator_id} in {[periods.label(p) for p in repeated]}")
    return pd.Series(
        rows["value"].to_numpy(dtype=float),
        index=pd.Index(rows["period"].to_numpy(dtype=float), name="period"),
        name="value",
    )


def value_at(obs: pd.DataFrame, area_id: str, indicator_id: str, year: float) -> float | None:
    """The area's value for the indicator in that period (a year, or periods.period of a quarter), or None."""
    values = values_by_year(obs, area_id, indicator_id)
    return float(values[year]) if year in values.index else None


def latest(obs: pd.DataFrame, area_id: str, indicator_id: str) -> tuple[float, float] | None:
    """(period, value) of the most recent period with a value, or None when the area has no value at all."""
    values = values_by_year(obs, area_id, indicator_id)
    if values.empty:
        return None
    return float(values.index[-1]), float(values.iloc[-1])


def change(
    obs: pd.DataFrame,
    area_id: str,
    indicator_id: str,
    from_year: int | None = None,
    to_year: int | None = None,
) -> Change | None:
    """The change between two years, by default the first and the last year with a value.

    None when either year has no value, or, with both years left to the defaults, when only one year has data
    (a single point has no change to report).
    """
    return change_in(_as_dict(values_by_year(obs, area_id, indicator_id)), area_id, indicator_id, from_year, to_year)


def _as_dict(values: pd.Series) -> dict[float, float]:
    return {float(period): float(value) for period, value in values.items()}


def change_in(
    values: Mapping[int, float],
    area_id: str,
    indicator_id: str,
    from_year: int | None = None,
    to_year: int | None = None,
) -> Change | None:
    """:func:`change` on one series given as ``{period: value}`` (ascending, no missing values)."""
    if from_year is not None and to_year is not None and from_year > to_year:
        raise ValueError(f"from_year {from_year} is after to_year {to_year}")
    if not values or (from_year is None and to_year is None and len(values) < 2):
        return None
    years = list(values)
    start = years[0] if from_year is None else from_year
    end = years[-1] if to_year is None else to_year
    if start not in values or end not in values:
        return None
    from_value, to_value = float(values[start]), float(values[end])
    return Change(
        area_id=area_id,
        indicator_id=indicator_id,
        from_year=start,
        from_value=from_value,
        to_year=end,
        to_value=to_value,
        points=to_value - from_value,
        relative_pct=None if from_value == 0 else 100 * (to_value - from_value) / from_value,
    )


def index_series(frame: pd.DataFrame, base_year: float) -> pd.DataFrame:
    """A copy of the frame with a column `index` = 100 * value / value in the base period, per area (and indicator).

    NaN where the area has no value in the base period, or where that value is 0, so no line is drawn from an
    invented base.
    """
    group_columns = [column for column in ("area_id", "indicator_id") if column in frame.columns]
    if frame.duplicated([*group_columns, "period"]).any():
        raise ValueError("index_series needs at most one row per area, indicator and period")
    at_base = frame["value"].where(frame["period"] == base_year)
    base = at_base.groupby([frame[column] for column in group_columns]).transform("first")
    return frame.assign(index=100 * frame["value"] / base.where(base != 0))


def index_of(values: Sequence[float]) -> list[float]:
    """One series (ascending years) as an index: 100 * value / the first value that is not NaN. NaN throughout when
    there is no such value or it is 0, as in :func:`index_series`: no line is drawn from an invented base."""
    base = next((value for value in values if not math.isnan(value)), math.nan)
    if base == 0 or math.isnan(base):
        return [math.nan] * len(values)
    return [100 * value / base for value in values]


def gap_to_benchmark(obs: pd.DataFrame, indicator_id: str, benchmark_id: str = BENCHMARK_AREA_ID) -> pd.DataFrame:
    """Every non-benchmark row of the indicator with `benchmark_value` and `gap` = value - benchmark_value.

    The benchmark is matched on the same period only; periods where it has no value get NaN, never a neighbour's.
    """
    benchmark = values_by_year(obs, benchmark_id, indicator_id)
    others = obs[(obs["indicator_id"] == indicator_id) & (obs["area_id"] != benchmark_id)]
    benchmark_value = others["period"].map(benchmark).astype(float)
    with_gap = others.assign(benchmark_value=benchmark_value, gap=others["value"] - benchmark_value)
    return with_gap.sort_values(["area_id", "period"], kind="stable").reset_index(drop=True)


_SENTENCES = {
    "da": {
        "fell": "{indicator} i {area} faldt fra {from_value} i {from_year} til {to_value} i {to_year}",
        "rose": "{indicator} i {area} steg fra {from_value} i {from_year} til {to_value} i {to_year}",
        "unchanged": "{indicator} i {area} var uændret på {to_value} fra {from_year} til {to_year}.",
        "same_ends": "{indicator} i {area} var {to_value} både i {from_year} og i {to_year}, men {other_value} i {other_year}.",
        "one_year": "{indicator} i {area} var {to_value} i {to_year}",
        "only_one_year_note": " (kun ét år med data)",
        "only_one_quarter_note": " (kun ét kvartal med data)",
        "no_data": "Ingen data for {indicator_lower} i {area}.",
        "no_data_in_year": "Ingen data for {indicator_lower} i {area} i {year}.",
    },
    "en": {
        "fell": "{indicator} in {area} fell from {from_value} in {from_year} to {to_value} in {to_year}",
        "rose": "{indicator} in {area} rose from {from_value} in {from_year} to {to_value} in {to_year}",
        "unchanged": "{indicator} in {area} was unchanged at {to_value} from {from_year} to {to_year}.",
        "same_ends": "{indicator} in {area} was {to_value} in both {from_year} and {to_year}, but {other_value} in {other_year}.",
        "one_year": "{indicator} in {area} was {to_value} in {to_year}",
        "only_one_year_note": " (only one year with data)",
        "only_one_quarter_note": " (only one quarter with data)",
        "no_data": "No data for {indicator_lower} in {area}.",
        "no_data_in_year": "No data for {indicator_lower} in {area} in {year}.",
    },
}


def _sentence_start(name: str) -> str:
    return name[:1].upper() + name[1:]


def _mid_sentence(name: str) -> str:
    """Lower-case the first letter of a name used inside a sentence, unless it starts an acronym ("SL-...")."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def summary_sentence(
    obs: pd.DataFrame,
    area_id: str,
    indicator_id: str,
    area_name: str,
    indicator_name: str,
    unit: str,
    decimals: int,
    lang: str = "da",
    from_year: int | None = None,
    to_year: int | None = None,
) -> str:
    """One plain sentence under a chart, e.g.

    "Skolefravær i Gellerup/Toveshøj faldt fra 11,3 % i 2007 til 8,0 % i 2017 (-29,2 %)."

    Direction words follow the numbers as shown: two values that round to the same text are "uændret".
    One year of data, no data, or a requested year without data each get their own honest sentence.
    """
    values = _as_dict(values_by_year(obs, area_id, indicator_id))
    return summary_of(
        values, area_id, indicator_id, area_name, indicator_name, unit, decimals, lang, from_year, to_year
    )


def summary_of(
    values: Mapping[int, float],
    area_id: str,
    indicator_id: str,
    area_name: str,
    indicator_name: str,
    unit: str,
    decimals: int,
    lang: str = "da",
    from_year: int | None = None,
    to_year: int | None = None,
) -> str:
    """:func:`summary_sentence` on one series given as ``{period: value}`` (ascending, no missing values); periods
    are named as a sentence names them ("2017", "1. kvartal 2023")."""
    if lang not in _SENTENCES:
        raise ValueError(f"unknown language {lang!r}; expected one of {tuple(_SENTENCES)}")
    templates = _SENTENCES[lang]
    names = {
        "indicator": _sentence_start(indicator_name),
        "indicator_lower": _mid_sentence(indicator_name),
        "area": area_name,
    }
    if not values:
        return templates["no_data"].format(**names)
    if from_year is None and to_year is None and len(values) == 1:
        ((only_year, only_value),) = values.items()
        only = format_value(only_value, unit, decimals, lang)
        sentence = templates["one_year"].format(**names, to_value=only, to_year=periods.long_label(only_year, lang))
        note = "only_one_quarter_note" if periods.is_quarter(only_year) else "only_one_year_note"
        return sentence + templates[note] + "."
    found = change_in(values, area_id, indicator_id, from_year, to_year)
    if found is None:
        from_year_missing = from_year is not None and from_year not in values
        missing_year = from_year if from_year_missing else to_year
        return templates["no_data_in_year"].format(**names, year=periods.long_label(missing_year, lang))
    shown_from = format_value(found.from_value, unit, decimals, lang)
    shown_to = format_value(found.to_value, unit, decimals, lang)
    years = {"from_year": periods.long_label(found.from_year, lang), "to_year": periods.long_label(found.to_year, lang)}
    if found.from_year == found.to_year:
        return templates["one_year"].format(**names, to_value=shown_to, to_year=years["to_year"]) + "."
    if shown_from == shown_to:
        # "Unchanged" only when no year in between differs; otherwise the year that differs most is named (the
        # earliest of equals), so a dip or a peak is not hidden by equal ends.
        between = [(year, value) for year, value in values.items() if found.from_year < year < found.to_year]
        other = max(between, key=lambda item: abs(item[1] - found.to_value), default=None)
        shown_other = format_value(other[1], unit, decimals, lang) if other else shown_to
        if shown_other != shown_to:
            return templates["same_ends"].format(
                **names,
                to_value=shown_to,
                other_value=shown_other,
                other_year=periods.long_label(other[0], lang),
                **years,
            )
        return templates["unchanged"].format(**names, to_value=shown_to, **years)
    direction = "fell" if found.to_value < found.from_value else "rose"
    sentence = templates[direction].format(**names, from_value=shown_from, to_value=shown_to, **years)
    if found.relative_pct is not None:
        sentence += f" ({format_change_percent(found.relative_pct, lang)})"
    return sentence + "."
