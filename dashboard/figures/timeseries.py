"""Line charts of one indicator over time: areas, the Aarhus Kommune benchmark and the all-areas aggregate.

Only years that exist are drawn. A line joins two points only when they are at most one year apart (unless the
caller asks to connect gaps), so a chart of 2007 and 2017 shows two markers, not a made-up straight line.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme

KIND_AREA = "area"
KIND_BENCHMARK = "benchmark"
KIND_AGGREGATE = "aggregate"
FRAME_COLUMNS = ["series", "kind", "year", "value", "label", "source"]


def _with_gap_breaks(years: list[int], values: list[float], connect_gaps: bool) -> tuple[list, list, list[int]]:
    """Insert a break (None) between points more than one year apart; return positions of real points."""
    xs: list = []
    ys: list = []
    real: list[int] = []
    for position, (year, value) in enumerate(zip(years, values, strict=True)):
        if position and not connect_gaps and year - years[position - 1] > 1:
            xs.append(None)
            ys.append(None)
        real.append(len(xs))
        xs.append(year)
        ys.append(value)
    return xs, ys, real


def _trace(rows: pd.DataFrame, name: str, kind: str, colour: str, connect_gaps: bool, lang: str) -> go.Scatter:
    rows = rows.dropna(subset=["value"]).sort_values("year")
    years = [int(y) for y in rows["year"]]
    values = [float(v) for v in rows["value"]]
    xs, ys, real = _with_gap_breaks(years, values, connect_gaps)
    labels: list = [None] * len(xs)
    sources: list = [None] * len(xs)
    for position, label, source in zip(real, rows["label"], rows["source"], strict=True):
        labels[position] = label
        sources[position] = source
    line = {"color": colour, "width": 3}
    marker = {"size": 10, "color": colour}
    if kind == KIND_BENCHMARK:
        line.update(color=theme.BENCHMARK_COLOUR, dash=theme.BENCHMARK_DASH, width=2.5)
        marker.update(color=theme.BENCHMARK_COLOUR, symbol="diamond", size=9)
    elif kind == KIND_AGGREGATE:
        line.update(color=theme.AGGREGATE_COLOUR, dash=theme.AGGREGATE_DASH, width=2.5)
        marker.update(color=theme.AGGREGATE_COLOUR, symbol="square", size=9)
    source_word = "Kilde" if lang == "da" else "Source"
    return go.Scatter(
        x=xs,
        y=ys,
        name=name,
        mode="lines+markers",
        line=line,
        marker=marker,
        connectgaps=False,
        customdata=[[label, source] for label, source in zip(labels, sources, strict=True)],
        hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{customdata[0]}}<br>{source_word}: %{{customdata[1]}}<extra></extra>",
    )


def timeseries_figure(
    frame: pd.DataFrame,
    *,
    y_title: str,
    lang: str = "da",
    ticksuffix: str = "",
    connect_gaps: bool = False,
    zero_line: bool = False,
    year_range: tuple[int, int] | None = None,
    height: int = 420,
) -> go.Figure:
    """A figure with one trace per ``series`` in ``frame`` (columns FRAME_COLUMNS), areas first, benchmark last.

    ``label`` is the value already formatted for people (Danish or English), used in hover text so hover shows
    exactly what the table and summary show.
    """
    figure = go.Figure(layout={"template": theme.TEMPLATE_NAME, "height": height, "separators": theme.separators(lang)})
    area_position = 0
    order = {KIND_AREA: 0, KIND_AGGREGATE: 1, KIND_BENCHMARK: 2}
    names = sorted(frame.groupby("series", sort=False)["kind"].first().items(), key=lambda item: order[item[1]])
    for name, kind in names:
        colour = theme.area_colour(area_position)
        if kind == KIND_AREA:
            area_position += 1
        figure.add_trace(_trace(frame[frame["series"] == name], str(name), kind, colour, connect_gaps, lang))
    years = [int(y) for y in frame.dropna(subset=["value"])["year"]]
    if year_range:
        low, high = year_range
    elif years:
        low, high = min(years), max(years)
    else:
        low, high = 2000, 2020
    data_years = sorted(set(years))
    if 0 < len(data_years) <= 8:
        # Few years: a tick at each year that has data, which also fits on a phone.
        x_ticks = {"tickmode": "array", "tickvals": data_years, "ticktext": [str(y) for y in data_years]}
    else:
        x_ticks = {"tickmode": "auto", "nticks": 8}
    figure.update_xaxes(range=[low - 0.5, high + 0.5], tickformat="d", title=None, **x_ticks)
    figure.update_yaxes(title=y_title, ticksuffix=ticksuffix, rangemode="normal" if zero_line else "tozero")
    if zero_line:
        figure.add_hline(y=0, line={"color": theme.MUTED_TEXT, "width": 1})
    if not years:
        figure.add_annotation(
            text="Ingen data" if lang == "da" else "No data",
            showarrow=False,
            font={"size": 18, "color": theme.MUTED_TEXT},
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
        )
    figure.update_layout(hovermode="closest", legend={"title": None})
    return figure
