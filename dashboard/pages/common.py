"""Glue shared by the pages: turn analysis results into the frames and rows the figures and tables take.

Nothing here computes a statistic: changes, gaps, aggregates and latest values come from ``dashboard.analysis``;
this module only selects, labels and formats them in the page's language.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.analysis import aggregate as aggregation
from dashboard.analysis import series as ser
from dashboard.data import periods
from dashboard.data.store import BENCHMARK_AREA_ID, Indicator
from dashboard.figures import timeseries as ts
from dashboard.i18n import t
from dashboard.i18n.numbers import format_change_points, format_number, format_value

MEASURES = ("niveau", "indeks", "forskel")
HEADLINE_INDICATORS = ("skolefravaer", "uden-for-arbejdsmarkedet")
AGGREGATE_SERIES_ID = "alle-helhedsplanomraader"


def helhedsplan_area_ids(dataset) -> list[str]:
    """The helhedsplan areas' ids in data order (kept per dataset: every page asks)."""
    found = dataset.memo(
        "helhedsplan_area_ids", lambda: tuple(dataset.areas.loc[dataset.areas["kind"] == "helhedsplan", "id"])
    )
    return list(found)


def all_area_ids(dataset) -> list[str]:
    return list(dataset.areas["id"])


def indicator_rows(observations: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    return observations[observations["indicator_id"] == indicator_id]


def year_bounds(observations: pd.DataFrame, indicator_id: str | None = None) -> tuple[int, int]:
    rows = observations if indicator_id is None else indicator_rows(observations, indicator_id)
    years = rows["year"]
    return (int(years.min()), int(years.max())) if len(years) else (2000, 2020)


def year_span(values: dict) -> tuple[int, int]:
    """A page's year range (``fra``, ``til`` in its address, in either order) as (first, last)."""
    return min(values["fra"], values["til"]), max(values["fra"], values["til"])


def data_year_bounds(data) -> tuple[int, int]:
    """First and last year in the whole data (once per data version)."""
    return data.memo(("year_bounds",), lambda: year_bounds(data.observations))


def residents_weights(data) -> dict[str, float]:
    """Residents per area (latest `beboere` value), used only to weight clearly labelled approximations."""
    return {area_id: value for area_id, (_year, value) in data.residents.items()}


def residents_year(data) -> int | None:
    def compute():
        rows = data.select(indicator_id="beboere")
        return int(rows["year"].max()) if len(rows) else None

    return data.memo(("residents_year",), compute)


def source_titles(dataset) -> dict[str, str]:
    return {row["id"]: f"{row['title']} ({row['year']})" for row in dataset.sources.to_dict("records")}


def _source_titles(data) -> dict[str, str]:
    return data.memo(("source_titles",), lambda: source_titles(data.dataset))


def value_label(value: float | None, indicator: Indicator, lang: str, measure: str = "niveau") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if measure == "forskel":
        if indicator.unit in ("pct", "pct_region"):
            return format_change_points(value, lang, indicator.decimals)
        return ("+" if value > 0 else "") + format_number(value, indicator.decimals, lang)
    if measure == "indeks":
        return format_number(value, 1, lang)
    return format_value(value, indicator.unit, indicator.decimals, lang)


def is_rate(indicator: Indicator) -> bool:
    return indicator.unit in ("pct", "pct_region")


def y_axis(indicator: Indicator, measure: str, lang: str) -> tuple[str, str]:
    """A short y-axis title (the unit; the card title names the indicator) and the tick suffix."""
    if measure == "indeks":
        return t("common.measure_indeks", lang), ""
    if measure == "forskel":
        return t("common.unit_points_change", lang) if is_rate(indicator) else t(
            f"common.unit_{indicator.unit}", lang
        ), ""
    if is_rate(indicator):
        return (t("common.unit_pct_region", lang) if indicator.unit == "pct_region" else ""), (
            " %" if lang == "da" else "%"
        )
    return t(f"common.unit_{indicator.unit}", lang), ""


def _in_years(records, years: tuple[int, int] | None) -> list:
    if not years:
        return list(records)
    low, high = years
    return [r for r in records if low <= r.year <= high]


def _measured(records: list, measure: str, benchmark: dict[int, float]) -> list[float]:
    """One area's values as the chosen measure: level, index, or gap to the benchmark in the same period.

    The index base is the area's first period with a value in the chosen range (analysis.series.index_of); the gap
    is NaN in a period without a benchmark value, never a neighbour's.
    """
    values = [r.value for r in records]
    if measure == "indeks":
        return ser.index_of(values)
    if measure == "forskel":
        return [v - benchmark.get(r.period, math.nan) for v, r in zip(values, records, strict=True)]
    return values


def _full_aggregate(data, indicator_id: str):
    """The helhedsplan areas together, every year (analysis.aggregate; each year is computed on its own, so a year
    range is a slice of this), once per data version."""

    def compute():
        rows = data.select(indicator_id=indicator_id)
        return aggregation.aggregate(
            rows[~rows["suppressed"]],
            helhedsplan_area_ids(data.dataset),
            indicator_id,
            weights=residents_weights(data),
            weights_label={
                "da": f"antal beboere ({residents_year(data)})",
                "en": f"number of residents ({residents_year(data)})",
            },
        ).to_dict("records")

    return data.memo(("aggregate", indicator_id), compute)


COLUMNS = [*ts.FRAME_COLUMNS, "area_id", "note"]


def timeseries_columns(
    data,
    indicator: Indicator,
    area_ids: list[str],
    lang: str,
    measure: str = "niveau",
    years: tuple[int, int] | None = None,
    include_benchmark: bool = True,
    include_aggregate: bool = False,
) -> tuple[dict[str, list], list[dict]]:
    """The figure's data (timeseries.FRAME_COLUMNS plus area_id and note, as lists) and the aggregate's notes.

    Index uses, per series, the first year in the chosen range as base = 100. The gap leaves out the benchmark.
    The aggregate "alle helhedsplanområder" comes from analysis.aggregate and is labelled as an approximation
    unless it was computed from counts. Plain Python over the few records of each series (PublicData.records):
    this runs on every chart a page or a control change draws.
    """
    columns: dict[str, list] = {name: [] for name in COLUMNS}
    # A count (residents, points) of a whole municipality is no benchmark for an estate: only rates compare. A
    # count's gap is left empty (every year NaN; chart_parts says why on the chart) instead of, say, Gellerup's
    # residents minus the whole municipality's.
    benchmark = (
        {
            r.period: r.value
            for r in _in_years(data.records(indicator.id, BENCHMARK_AREA_ID), years)
            if not math.isnan(r.value)
        }
        if is_rate(indicator)
        else {}
    )
    titles = _source_titles(data)
    suppressed_text = t("common.suppressed", lang)
    ordered = [a for a in area_ids if a != BENCHMARK_AREA_ID]
    if include_benchmark and measure != "forskel" and is_rate(indicator):
        ordered.append(BENCHMARK_AREA_ID)
    for area_id in ordered:
        records = _in_years(data.records(indicator.id, area_id), years)
        if not records:
            continue
        name = data.dataset.area_name(area_id, lang)
        kind = ts.KIND_BENCHMARK if area_id == BENCHMARK_AREA_ID else ts.KIND_AREA
        for record, value in zip(records, _measured(records, measure, benchmark), strict=True):
            columns["series"].append(name)
            columns["kind"].append(kind)
            columns["year"].append(record.period)
            columns["value"].append(value)
            columns["label"].append(
                suppressed_text if record.suppressed else value_label(value, indicator, lang, measure)
            )
            columns["source"].append(titles.get(record.source_id, record.source_id))
            columns["area_id"].append(area_id)
            columns["note"].append(record.reason if record.suppressed else "")
    aggregate_note = None
    if include_aggregate and measure == "niveau" and is_rate(indicator):
        rows = [r for r in _full_aggregate(data, indicator.id) if not years or years[0] <= r["year"] <= years[1]]
        if rows:
            exact = all(r["exact"] for r in rows)
            name = t("common.all_helhedsplan_areas", lang) + ("" if exact else f" ({t('common.approximation', lang)})")
            aggregate_note = aggregation.describe_method(rows[0], lang)
            for row in rows:
                columns["series"].append(name)
                columns["kind"].append(ts.KIND_AGGREGATE)
                columns["year"].append(float(row["period"]))
                columns["value"].append(float(row["value"]))
                columns["label"].append(value_label(float(row["value"]), indicator, lang))
                columns["source"].append(aggregate_note)
                columns["area_id"].append(AGGREGATE_SERIES_ID)
                columns["note"].append(aggregate_note)
    return columns, ([{"note": aggregate_note}] if aggregate_note else [])


def table_rows(columns, lang: str = "da") -> tuple[list[str], list[list[str]]]:
    """A wide table: one row per series, one column per period (its label: "2017", "2023K1"), cells as shown
    (suppressed as "–" with reason).

    ``columns``: timeseries_columns' lists."""
    years = sorted({float(y) for y in columns["year"]})
    cells_by_series: dict[str, dict[float, tuple[str, str]]] = {}
    for name, year, label, note in zip(
        columns["series"], columns["year"], columns["label"], columns["note"], strict=True
    ):
        cells_by_series.setdefault(name, {})[float(year)] = (label, note)
    rows = []
    for name, by_year in cells_by_series.items():
        cells = [str(name)]
        for year in years:
            label, note = by_year.get(year, ("", ""))
            cells.append(f"{label} ({note})" if note and label == "–" else label)
        rows.append(cells)
    return [periods.label(year, lang) for year in years], rows


def summary_for(data, indicator: Indicator, area_id: str, lang: str, years: tuple[int, int] | None = None) -> str:
    values = {
        r.period: r.value
        for r in _in_years(data.records(indicator.id, area_id), years)
        if not r.suppressed and not math.isnan(r.value)
    }
    return ser.summary_of(
        values,
        area_id,
        indicator.id,
        data.dataset.area_name(area_id, lang),
        indicator.name[lang],
        indicator.unit,
        indicator.decimals,
        lang,
    )


def slug_filename(*parts: str) -> str:
    """A download file name that names the view, e.g. bosoc-skolefravaer-gellerup-toveshoej-niveau."""
    cleaned = []
    for part in parts:
        text = str(part).lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
        cleaned.append("".join(c if c.isalnum() else "-" for c in text).strip("-"))
    return "-".join(["bosoc", *[c for c in cleaned if c]])


def _empty_text(indicator: Indicator, measure: str, columns: dict[str, list], lang: str) -> str | None:
    """Why a gap chart is empty although the areas have values: a count (no gap is computed), or no value for Aarhus
    Kommune in any of the areas' years. None: the chart's default ("Ingen data"), also when every value is
    suppressed (a suppressed row carries its reason as a note)."""
    if measure != "forskel" or all(columns["note"]):
        return None
    if not is_rate(indicator):
        return t("common.gap_rates_only", lang)
    return t("common.gap_no_benchmark", lang)


def chart_parts(
    data,
    indicator: Indicator,
    area_ids: list[str],
    lang: str,
    measure: str,
    years: tuple[int, int],
    connect: bool,
    *,
    include_aggregate: bool,
    height: int,
):
    """What every time-series chart is made of: the figure (a plain dict), the data it shows (timeseries_columns),
    the wide table's column labels (periods) and rows, and the aggregate's method notes (shared by the area and
    indicator pages)."""
    columns, notes = timeseries_columns(
        data, indicator, area_ids, lang, measure, years, include_benchmark=True, include_aggregate=include_aggregate
    )
    y_title, suffix = y_axis(indicator, measure, lang)
    figure = ts.timeseries_figure(
        columns,
        y_title=y_title,
        lang=lang,
        ticksuffix=suffix,
        connect_gaps=connect,
        zero_line=measure == "forskel",
        year_range=years,
        height=height,
        empty_text=_empty_text(indicator, measure, columns, lang),
    )
    table_years, rows = table_rows(columns, lang)
    return figure, columns, table_years, rows, notes
