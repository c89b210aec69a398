"""The x axis of the time-series charts: a labelled tick at each year with data, unless labels would collide on a
phone (plotly then stands them on end and they no longer fit under the chart)."""

from __future__ import annotations

import pytest

from dashboard.figures.timeseries import LABEL_SHARE_OF_NARROWEST_PLOT, timeseries_figure, year_ticks


def test_well_spaced_years_are_all_labelled():
    assert year_ticks([2007, 2017], 2007, 2017)["tickvals"] == [2007, 2017]
    assert year_ticks([2010, 2011, 2012], 2010, 2012)["tickvals"] == [2010, 2011, 2012]


@pytest.mark.parametrize(
    ("years", "low", "high"),
    [
        ([2014, 2015, 2017], 2006, 2021),  # the state list's years on an area page's range
        ([2014, 2015], 2006, 2021),
        ([2015, 2017, 2020], 2006, 2021),
        ([2006, 2007, 2008, 2019, 2020, 2021], 2006, 2021),
    ],
)
def test_labels_keep_apart_and_the_latest_year_is_labelled(years, low, high):
    ticks = year_ticks(years, low, high)["tickvals"]
    assert ticks[-1] == years[-1]
    assert set(ticks) <= set(years)
    room = (high - low + 1) * LABEL_SHARE_OF_NARROWEST_PLOT
    assert all(b - a >= room for a, b in zip(ticks, ticks[1:], strict=False))


def test_many_years_get_plotly_ticks_and_the_figure_uses_them():
    assert year_ticks(list(range(2000, 2020)), 2000, 2019)["tickmode"] == "auto"
    columns = {
        "series": ["A", "A", "A"],
        "kind": ["area"] * 3,
        "year": [2014, 2015, 2017],
        "value": [1.0, 2.0, 3.0],
        "label": ["1", "2", "3"],
        "source": ["s"] * 3,
    }
    figure = timeseries_figure(columns, y_title="", year_range=(2006, 2021))
    assert figure["layout"]["xaxis"]["tickvals"] == [2014, 2017]


@pytest.mark.parametrize(("low", "high"), [(2018, 2018), (2016, 2018), (2006, 2021)])
def test_a_chart_without_data_labels_whole_years_only(low, high):
    # A gap chart of a count on a one-year range showed "2018" five times (plotly's ticks at fractions of the year).
    columns = {name: [] for name in ("series", "kind", "year", "value", "label", "source")}
    figure = timeseries_figure(columns, y_title="", year_range=(low, high), empty_text="Ingen data")
    xaxis = figure["layout"]["xaxis"]
    if xaxis["tickmode"] == "array":
        assert xaxis["tickvals"][-1] == high and all(isinstance(v, int) and low <= v <= high for v in xaxis["tickvals"])
        assert xaxis["ticktext"] == [str(v) for v in xaxis["tickvals"]]
    else:
        assert high - low + 1 > 8  # plotly's own ticks only on a range wide enough for whole-year steps
