"""What the time-series chart draws for each series: markers where a reader needs them, never a hidden value, and a
legend that the page shows as HTML but every downloaded figure carries."""

from __future__ import annotations

import pytest

from dashboard.figures.timeseries import MARKERS_UP_TO, timeseries_figure


def figure_for(years: list[int], connect_gaps: bool = False) -> dict:
    n = len(years)
    columns = {
        "series": ["Bispehaven"] * n,
        "kind": ["area"] * n,
        "year": years,
        "value": [float(i) for i in range(n)],
        "label": [str(i) for i in range(n)],
        "source": ["s"] * n,
    }
    return timeseries_figure(columns, y_title="", connect_gaps=connect_gaps)


@pytest.mark.parametrize("years", [[2007, 2017], [2010, 2011, 2012], list(range(2010, 2010 + MARKERS_UP_TO))])
def test_a_series_of_few_values_has_a_marker_at_each(years):
    assert figure_for(years)["data"][0]["mode"] == "lines+markers"


def test_a_long_unbroken_series_is_a_line():
    assert figure_for(list(range(2003, 2023)))["data"][0]["mode"] == "lines"


def test_a_value_no_line_passes_through_keeps_its_marker():
    # 2003-2012 and 2014-2021 are lines; 2023 stands alone (no 2022 or 2024): without a marker it would not be drawn.
    years = [*range(2003, 2013), *range(2014, 2022), 2023]
    trace = figure_for(years)["data"][0]
    assert trace["mode"] == "lines+markers"
    assert trace["x"][-2:] == [None, 2023]
    # Joined over the gaps on request, no value stands alone: a line.
    assert figure_for(years, connect_gaps=True)["data"][0]["mode"] == "lines"


def test_the_legend_is_left_to_the_page_and_drawn_in_downloads():
    layout = figure_for([2007, 2017])["layout"]
    assert layout["showlegend"] is False
    assert layout["meta"] == {"legend": "html"}  # assets/clientside.js: HTML legend, plotly's in PNG/SVG files


def test_a_series_without_any_value_is_not_named_in_the_legend():
    # A gap chart of a count drew nothing but listed seven areas under it; the legend names what is drawn.
    columns = {
        "series": ["Bispehaven", "Viby Syd", "Viby Syd"],
        "kind": ["area"] * 3,
        "year": [2017, 2007, 2017],
        "value": [float("nan"), 6.2, 5.4],
        "label": ["–", "6,2", "5,4"],
        "source": ["s"] * 3,
    }
    traces = {t["name"]: t for t in timeseries_figure(columns, y_title="")["data"]}
    assert traces["Bispehaven"]["showlegend"] is False and traces["Bispehaven"]["x"] == []
    assert "showlegend" not in traces["Viby Syd"]
