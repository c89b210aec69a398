"""Line charts of one indicator over time: areas, the Aarhus Kommune benchmark and the all-areas aggregate.

Only periods that exist are drawn. A line joins two points only when they are neighbours, one year apart (or one
quarter, for a quarterly indicator; unless the caller asks to connect gaps), so a chart of 2007 and 2017 shows two
markers, not a made-up straight line.

The x axis is the period (dashboard.data.periods): the year, or a quarter as a fraction of its year, so a quarterly
series lies inside its years and each year's label sits under the middle of its four quarters.
"""

from __future__ import annotations

import math

from dashboard.data import periods
from dashboard.figures import theme

KIND_AREA = "area"
KIND_BENCHMARK = "benchmark"
KIND_AGGREGATE = "aggregate"
# "year" holds the period: the year, or periods.period of a quarter.
FRAME_COLUMNS = ["series", "kind", "year", "value", "label", "source"]


def _with_gap_breaks(years: list[float], values: list[float], connect_gaps: bool) -> tuple[list, list, list[int]]:
    """Insert a break (None) between points that are not neighbours (more than one year, or for quarters one
    quarter, apart); return positions of real points."""
    xs: list = []
    ys: list = []
    real: list[int] = []
    for position, (year, value) in enumerate(zip(years, values, strict=True)):
        if position and not connect_gaps and year - years[position - 1] > periods.step(year) + 1e-9:
            xs.append(None)
            ys.append(None)
        real.append(len(xs))
        xs.append(year)
        ys.append(value)
    return xs, ys, real


# Series with at most this many values are drawn with a marker at each value.
MARKERS_UP_TO = 8
# The markers of a long series' values that no line passes through are a trace of their own, after all the series'
# traces, with this key in its ``meta`` naming the series (assets/clientside.js hides and shows it with the series).
ISOLATED_OF = "isolatedOf"


def _trace(
    points: list[tuple], name: str, kind: str, colour: str, connect_gaps: bool, lang: str
) -> tuple[dict, dict | None]:
    """One series as a plotly scatter trace (a plain dict: no validation cost on every request; the shape is
    checked by the browser tests and the figure tests), and, for a long series with values that no line passes
    through, a trace of markers at those values (else None). ``points``: (period, value, label, source), values not
    NaN."""
    points = sorted(points, key=lambda point: point[0])
    years = [float(point[0]) for point in points]
    quarterly = any(periods.is_quarter(year) for year in years)
    values = [float(point[1]) for point in points]
    xs, ys, real = _with_gap_breaks(years, values, connect_gaps)
    if not quarterly:
        xs = [None if x is None else int(x) for x in xs]  # whole years as whole numbers in the figure's JSON
    labels: list = [None] * len(xs)
    sources: list = [None] * len(xs)
    for position, point in zip(real, points, strict=True):
        labels[position] = point[2]
        sources[position] = point[3]
    # Markers show where the values are when there are few of them, and mark a value that no line passes through.
    # A long, unbroken yearly series is drawn as a line only: nine series of twenty markers made every redraw slower
    # (plotly styles each marker on its own) and the chart harder to read.
    # In a long series only those values get a marker, drawn by a trace of their own (ISOLATED_OF): eighty quarters
    # with a marker each covered the lines on a phone, and a marker size per point (0 for the others) made plotly
    # style all eighty (a pick of a quarterly indicator at 100x with two such series: 16,7 ms in Plotly.react
    # against 9,5 without them).
    isolated = [i for i in real if (i == 0 or xs[i - 1] is None) and (i == len(xs) - 1 or xs[i + 1] is None)]
    few = len(points) <= MARKERS_UP_TO
    mode = "lines+markers" if few else "lines"
    line = {"color": colour, "width": 3}
    marker = {"size": 10, "color": colour}
    if kind == KIND_BENCHMARK:
        line.update(color=theme.BENCHMARK_COLOUR, dash=theme.BENCHMARK_DASH, width=2.5)
        marker.update(color=theme.BENCHMARK_COLOUR, symbol="diamond", size=9)
    elif kind == KIND_AGGREGATE:
        line.update(color=theme.AGGREGATE_COLOUR, dash=theme.AGGREGATE_DASH, width=2.5)
        marker.update(color=theme.AGGREGATE_COLOUR, symbol="square", size=9)
    source_word = "Kilde" if lang == "da" else "Source"
    # A yearly point's x is its year; a quarter's x is a fraction of the year, so its hover names the quarter.
    when = "%{customdata[2]}" if quarterly else "%{x}"
    customdata = [[label, source] for label, source in zip(labels, sources, strict=True)]
    if quarterly:
        for position, year in zip(real, years, strict=True):
            customdata[position].append(periods.label(year, lang))
    trace = {
        # A series without any value in the range is not named in the legend: a legend names what is drawn (the
        # table and the summary say which areas have no value).
        **({} if points else {"showlegend": False}),
        "type": "scatter",
        "x": xs,
        "y": ys,
        "name": name,
        "mode": mode,
        "line": line,
        "marker": marker,
        "connectgaps": False,
        "customdata": customdata,
        "hovertemplate": f"<b>{name}</b><br>{when}: %{{customdata[0]}}<br>{source_word}: %{{customdata[1]}}<extra></extra>",
    }
    if few or not isolated:
        return trace, None
    # The series' own trace gives the hover (its points are there, drawn or not); these markers only show the values.
    markers = {
        "type": "scatter",
        "x": [xs[i] for i in isolated],
        "y": [ys[i] for i in isolated],
        "name": name,
        "mode": "markers",
        "marker": dict(marker),
        "showlegend": False,
        "hoverinfo": "skip",
        "meta": {ISOLATED_OF: name},
    }
    return trace, markers


# A year label needs about 45 px; the narrowest plot (a phone) is about 250 px wide.
LABEL_SHARE_OF_NARROWEST_PLOT = 45 / 250


def year_ticks(data_years: list[int], low: int, high: int) -> dict:
    """x-axis ticks: with few years, a tick at each year that has data, but never two so close that their labels
    would collide on a phone (plotly would then turn the labels on end and they no longer fit under the chart); the
    latest year is kept. With many years, plotly's own ticks. A chart without data labels the whole years of its
    range (plotly's own ticks on a one-year range are fractions of the year, each labelled "2018")."""
    if not data_years:
        data_years = list(range(low, high + 1))
    if not 0 < len(data_years) <= 8:
        return {"tickmode": "auto", "nticks": 6}
    gap = max(1, math.ceil((high - low + 1) * LABEL_SHARE_OF_NARROWEST_PLOT))
    kept: list[int] = []
    for year in data_years:
        if not kept or year - kept[-1] >= gap:
            kept.append(year)
    latest = data_years[-1]
    if kept[-1] != latest:
        # The latest year is the one a reader looks for: it replaces the last kept year that would collide with it.
        while kept and latest - kept[-1] < gap:
            kept.pop()
        kept.append(latest)
    return {"tickmode": "array", "tickvals": kept, "ticktext": [str(y) for y in kept]}


# At most this many year labels under a quarterly chart.
MOST_QUARTERLY_YEAR_LABELS = 8


def quarter_ticks(data_years: list[int], low: int, high: int) -> dict:
    """x-axis ticks of a quarterly chart: each labelled year under the middle of its four quarters, the latest year
    always, others at a spacing that fits a phone (at most MOST_QUARTERLY_YEAR_LABELS)."""
    latest = data_years[-1] if data_years else high
    span = high - low + 1
    gap = max(1, math.ceil(span * LABEL_SHARE_OF_NARROWEST_PLOT), math.ceil(span / MOST_QUARTERLY_YEAR_LABELS))
    kept = list(range(latest, low - 1, -gap))[::-1]
    return {"tickmode": "array", "tickvals": [year + 0.5 for year in kept], "ticktext": [str(y) for y in kept]}


def timeseries_figure(
    columns: dict[str, list],
    *,
    y_title: str,
    lang: str = "da",
    ticksuffix: str = "",
    connect_gaps: bool = False,
    zero_line: bool = False,
    year_range: tuple[int, int] | None = None,
    height: int = 420,
    empty_text: str | None = None,
) -> dict:
    """A figure (plotly's JSON form) with one trace per ``series``, areas first, benchmark last.

    A figure without any value says ``empty_text`` (default "Ingen data"/"No data") in the middle.

    ``columns``: lists under the names FRAME_COLUMNS (pages.common.timeseries_columns). ``label`` is the value already
    formatted for people (Danish or English), used in hover text so hover shows exactly what the table and summary
    show.
    """
    points: dict[str, list[tuple]] = {}
    kinds: dict[str, str] = {}
    for name, kind, year, value, label, source in zip(*(columns[c] for c in FRAME_COLUMNS), strict=True):
        kinds.setdefault(name, kind)
        series_points = points.setdefault(name, [])
        if value is not None and not math.isnan(value):
            series_points.append((year, value, label, source))
    order = {KIND_AREA: 0, KIND_AGGREGATE: 1, KIND_BENCHMARK: 2}
    traces, markers = [], []
    area_position = 0
    for name, kind in sorted(kinds.items(), key=lambda item: order[item[1]]):
        colour = theme.area_colour(area_position)
        if kind == KIND_AREA:
            area_position += 1
        trace, isolated = _trace(points[name], str(name), kind, colour, connect_gaps, lang)
        traces.append(trace)
        if isolated:
            markers.append(isolated)
    traces += markers  # drawn over every line, and the series keep their places (the legend's order)
    shown = [float(point[0]) for series_points in points.values() for point in series_points]
    years = [periods.year_of(period) for period in shown]
    if year_range:
        low, high = year_range
    elif years:
        low, high = min(years), max(years)
    else:
        low, high = 2000, 2020
    if any(periods.is_quarter(period) for period in shown):
        x_range = [low, high + 1]
        x_ticks = quarter_ticks(sorted(set(years)), low, high)
    else:
        x_range = [low - 0.5, high + 0.5]
        x_ticks = year_ticks(sorted(set(years)), low, high)
    layout: dict = {
        "template": theme.template_json(),
        "height": height,
        "separators": theme.separators(lang),
        "xaxis": {"range": x_range, "tickformat": "d", "title": {}, **x_ticks},
        "yaxis": {
            "title": {"text": y_title},
            "ticksuffix": ticksuffix,
            "rangemode": "normal" if zero_line else "tozero",
        },
        "hovermode": "closest",
        # The legend is HTML under the chart (assets/clientside.js builds it from the traces, components.chart
        # holds it): plotly's own legend was a third of every redraw, drawn twice because it pushes the margins,
        # squeezed the plot on a phone (nine rows under it) and cannot be read by a screen reader. PNG and SVG
        # downloads draw plotly's legend again (meta.legend), so a figure for a board paper names its lines.
        "showlegend": False,
        "meta": {"legend": "html"},
        "legend": {"title": {}},
    }
    if zero_line:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x domain",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": 0,
                "y1": 0,
                "line": {"color": theme.MUTED_TEXT, "width": 1},
            }
        ]
    if not years:
        layout["annotations"] = [
            {
                "text": empty_text or ("Ingen data" if lang == "da" else "No data"),
                "showarrow": False,
                "bgcolor": "white",  # over the zero line of a gap chart
                # Two short lines fit a phone's chart (plotly does not wrap an annotation).
                "font": {"size": 15 if empty_text else 18, "color": theme.MUTED_TEXT},
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
            }
        ]
    return {"data": traces, "layout": layout}
