"""Glue shared by the pages: turn analysis results into the frames and rows the figures and tables take.

Nothing here computes a statistic: changes, gaps, aggregates and latest values come from ``dashboard.analysis``;
this module only selects, labels and formats them in the page's language.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.analysis import aggregate as aggregation
from dashboard.analysis import series as ser
from dashboard.data.store import BENCHMARK_AREA_ID, Indicator
from dashboard.figures import timeseries as ts
from dashboard.i18n import t
from dashboard.i18n.numbers import format_change_points, format_number, format_value

MEASURES = ("niveau", "indeks", "forskel")
HEADLINE_INDICATORS = ("skolefravaer", "uden-for-arbejdsmarkedet")
AGGREGATE_SERIES_ID = "alle-helhedsplanomraader"


def helhedsplan_area_ids(dataset) -> list[str]:
    return list(dataset.areas.loc[dataset.areas["kind"] == "helhedsplan", "id"])


def all_area_ids(dataset) -> list[str]:
    return list(dataset.areas["id"])


def indicator_rows(observations: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    return observations[observations["indicator_id"] == indicator_id]


def year_bounds(observations: pd.DataFrame, indicator_id: str | None = None) -> tuple[int, int]:
    rows = observations if indicator_id is None else indicator_rows(observations, indicator_id)
    years = rows["year"]
    return (int(years.min()), int(years.max())) if len(years) else (2000, 2020)


def residents_weights(data) -> dict[str, float]:
    """Residents per area (latest `beboere` value), used only to weight clearly labelled approximations."""
    return {area_id: value for area_id, (_year, value) in data.residents.items()}


def residents_year(data) -> int | None:
    rows = data.select(indicator_id="beboere")
    return int(rows["year"].max()) if len(rows) else None


def source_titles(dataset) -> dict[str, str]:
    return {row["id"]: f"{row['title']} ({row['year']})" for row in dataset.sources.to_dict("records")}


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


def _measured(rows: pd.DataFrame, measure: str, benchmark: pd.Series) -> pd.DataFrame:
    """One area's rows with `value` replaced by the chosen measure (level, index, or gap to the benchmark).

    The index base is the area's first year with a value in the chosen range.
    """
    if measure == "indeks":
        shown = rows.dropna(subset=["value"])
        base_year = int(shown["year"].min()) if len(shown) else 0
        indexed = ser.index_series(rows[["area_id", "indicator_id", "year", "value"]], base_year)
        return rows.assign(value=indexed["index"].to_numpy())
    if measure == "forskel":
        return rows.assign(value=rows["value"] - rows["year"].map(benchmark).astype(float))
    return rows


def timeseries_frame(
    data,
    indicator: Indicator,
    area_ids: list[str],
    lang: str,
    measure: str = "niveau",
    years: tuple[int, int] | None = None,
    include_benchmark: bool = True,
    include_aggregate: bool = False,
) -> tuple[pd.DataFrame, list[dict]]:
    """The figure frame (timeseries.FRAME_COLUMNS) and table rows for the chosen view.

    Index uses, per series, the first year in the chosen range as base = 100. The gap leaves out the benchmark.
    The aggregate "alle helhedsplanområder" comes from analysis.aggregate and is labelled as an approximation
    unless it was computed from counts.
    """
    rows_all = data.select(indicator_id=indicator.id)
    if years:
        rows_all = rows_all[(rows_all["year"] >= years[0]) & (rows_all["year"] <= years[1])]
    benchmark = ser.values_by_year(rows_all, BENCHMARK_AREA_ID, indicator.id)
    titles = source_titles(data.dataset)
    frames = []
    ordered = [a for a in area_ids if a != BENCHMARK_AREA_ID]
    # A count (residents, points) of a whole municipality is no benchmark for an estate: only rates compare.
    if include_benchmark and measure != "forskel" and is_rate(indicator):
        ordered.append(BENCHMARK_AREA_ID)
    for area_id in ordered:
        rows = rows_all[rows_all["area_id"] == area_id].sort_values("year")
        if rows.empty:
            continue
        measured = _measured(rows, measure, benchmark)
        kind = ts.KIND_BENCHMARK if area_id == BENCHMARK_AREA_ID else ts.KIND_AREA
        frames.append(
            pd.DataFrame(
                {
                    "series": data.dataset.area_name(area_id, lang),
                    "kind": kind,
                    "year": measured["year"].to_numpy(),
                    "value": measured["value"].to_numpy(dtype=float),
                    "label": [
                        value_label(v, indicator, lang, measure) if not s else t("common.suppressed", lang)
                        for v, s in zip(measured["value"], rows["suppressed"], strict=True)
                    ],
                    "source": [titles.get(s, s) for s in rows["source_id"]],
                    "area_id": area_id,
                    "note": [
                        r if s else "" for r, s in zip(rows["suppression_reason"], rows["suppressed"], strict=True)
                    ],
                }
            )
        )
    aggregate_note = None
    if include_aggregate and measure == "niveau" and is_rate(indicator):
        helhedsplan = helhedsplan_area_ids(data.dataset)
        agg = aggregation.aggregate(
            rows_all[~rows_all["suppressed"]],
            helhedsplan,
            indicator.id,
            weights=residents_weights(data),
            weights_label={
                "da": f"antal beboere ({residents_year(data)})",
                "en": f"number of residents ({residents_year(data)})",
            },
        )
        if len(agg):
            exact = bool(agg["exact"].all())
            name = t("common.all_helhedsplan_areas", lang) + ("" if exact else f" ({t('common.approximation', lang)})")
            aggregate_note = aggregation.describe_method(agg.iloc[0].to_dict(), lang)
            frames.append(
                pd.DataFrame(
                    {
                        "series": name,
                        "kind": ts.KIND_AGGREGATE,
                        "year": agg["year"].to_numpy(),
                        "value": agg["value"].to_numpy(dtype=float),
                        "label": [value_label(v, indicator, lang) for v in agg["value"]],
                        "source": aggregate_note,
                        "area_id": AGGREGATE_SERIES_ID,
                        "note": aggregate_note,
                    }
                )
            )
    columns = [*ts.FRAME_COLUMNS, "area_id", "note"]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return frame, ([{"note": aggregate_note}] if aggregate_note else [])


def table_rows(frame: pd.DataFrame) -> tuple[list[int], list[list[str]]]:
    """A wide table: one row per series, one column per year, cells as shown (suppressed as "–" with reason)."""
    years = sorted({int(y) for y in frame["year"]})
    rows = []
    for name, group in frame.groupby("series", sort=False):
        by_year = {
            int(y): (label, note) for y, label, note in zip(group["year"], group["label"], group["note"], strict=True)
        }
        cells = [str(name)]
        for year in years:
            label, note = by_year.get(year, ("", ""))
            cells.append(f"{label} ({note})" if note and label == "–" else label)
        rows.append(cells)
    return years, rows


def summary_for(data, indicator: Indicator, area_id: str, lang: str, years: tuple[int, int] | None = None) -> str:
    observations = data.select(indicator_id=indicator.id, area_id=area_id, shown=True)
    if years:
        observations = observations[(observations["year"] >= years[0]) & (observations["year"] <= years[1])]
    return ser.summary_sentence(
        observations,
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
    """What every time-series chart is made of: the figure, the frame it shows, the wide table's years and rows, and
    the aggregate's method notes (shared by the area and indicator pages)."""
    frame, notes = timeseries_frame(
        data, indicator, area_ids, lang, measure, years, include_benchmark=True, include_aggregate=include_aggregate
    )
    y_title, suffix = y_axis(indicator, measure, lang)
    figure = ts.timeseries_figure(
        frame,
        y_title=y_title,
        lang=lang,
        ticksuffix=suffix,
        connect_gaps=connect,
        zero_line=measure == "forskel",
        year_range=years,
        height=height,
    )
    table_years, rows = table_rows(frame)
    return figure, frame, table_years, rows, notes
