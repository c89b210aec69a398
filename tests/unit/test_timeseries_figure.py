"""What the time-series chart draws for each series: markers where a reader needs them, never a hidden value, and a
legend that the page shows as HTML but every downloaded figure carries."""

from __future__ import annotations

import pytest

from dashboard.figures.timeseries import ISOLATED_OF, MARKERS_UP_TO, timeseries_figure


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
    line, markers = figure_for(years)["data"]
    assert line["mode"] == "lines" and line["x"][-2:] == [None, 2023]  # its hover is the line's
    # Only the lone value is marked, by a trace of markers at it alone (a marker size per point, 0 for the others,
    # made plotly style every point): not in the legend, no hover of its own, tied to its series.
    assert (markers["mode"], markers["x"], markers["y"]) == ("markers", [2023], [line["y"][-1]])
    assert markers["marker"] == line["marker"] and markers["name"] == line["name"] == "Bispehaven"
    assert markers["showlegend"] is False and markers["hoverinfo"] == "skip"
    assert markers["meta"] == {ISOLATED_OF: "Bispehaven"}
    # Joined over the gaps on request, no value stands alone: a line.
    joined = figure_for(years, connect_gaps=True)["data"]
    assert [trace["mode"] for trace in joined] == ["lines"]


def test_the_markers_of_lone_values_come_after_every_series():
    # The series keep their places (the legend's order, their colours); the markers are drawn over every line.
    columns = {"series": [], "kind": [], "year": [], "value": [], "label": [], "source": []}
    for name, years in (("Bispehaven", [*range(2003, 2013), 2015]), ("Viby Syd", [*range(2003, 2015), 2020])):
        for year in years:
            for column, value in zip(columns, (name, "area", year, 1.0, "1", "s"), strict=True):
                columns[column].append(value)
    data = timeseries_figure(columns, y_title="")["data"]
    assert [(t["name"], t["mode"]) for t in data] == [
        ("Bispehaven", "lines"),
        ("Viby Syd", "lines"),
        ("Bispehaven", "markers"),
        ("Viby Syd", "markers"),
    ]
    assert [t["x"] for t in data[2:]] == [[2015], [2020]]


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


# --- quarters -----------------------------------------------------------------------------------------------------

QUARTERS_2021_2022 = [2021.125, 2021.375, 2021.625, 2021.875, 2022.125, 2022.375, 2022.875]


def test_quarters_lie_inside_their_year_and_only_neighbouring_quarters_are_joined():
    trace = figure_for(QUARTERS_2021_2022)["data"][0]
    # 2022K3 is missing: the line breaks between 2022K2 and 2022K4 instead of drawing an invented value.
    assert trace["x"] == [2021.125, 2021.375, 2021.625, 2021.875, 2022.125, 2022.375, None, 2022.875]


def test_the_hover_of_a_quarter_names_the_quarter_not_a_fraction_of_the_year():
    trace = figure_for(QUARTERS_2021_2022)["data"][0]
    assert "%{customdata[2]}" in trace["hovertemplate"] and "%{x}" not in trace["hovertemplate"]
    assert [point[2] for point in trace["customdata"] if point[0] is not None][:2] == ["2021K1", "2021K2"]
    # A yearly series keeps its year as x and in the hover.
    assert "%{x}" in figure_for([2020, 2021])["data"][0]["hovertemplate"]


def test_a_quarterly_chart_labels_each_year_under_its_quarters():
    axis = figure_for(QUARTERS_2021_2022)["layout"]["xaxis"]
    assert axis["range"] == [2021, 2023]
    assert axis["tickvals"] == [2021.5, 2022.5] and axis["ticktext"] == ["2021", "2022"]


def test_twenty_years_of_quarters_get_at_most_eight_year_labels_ending_with_the_latest():
    quarters = [year + (q - 0.5) / 4 for year in range(2003, 2023) for q in (1, 2, 3, 4)]
    axis = figure_for(quarters)["layout"]["xaxis"]
    assert len(axis["ticktext"]) <= 8 and axis["ticktext"][-1] == "2022"


def test_yearly_points_stay_whole_numbers_in_the_figure():
    trace = figure_for([2016.0, 2017.0, 2019.0])["data"][0]
    assert trace["x"] == [2016, 2017, None, 2019]
    assert all(isinstance(x, int) for x in trace["x"] if x is not None)
