"""The one place for the dashboard's look: colours, fonts, the Plotly template, separators and locale.

The palette is Okabe & Ito's colour-blind-safe set. The Aarhus Kommune benchmark is always the same muted, dashed,
dark-grey line so that a board member learns it once. Fonts are the system UI stack: no web fonts are fetched.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
TEXT_COLOUR = "#1f2933"
MUTED_TEXT = "#52606d"
GRID_COLOUR = "#e4e7eb"
# Okabe-Ito, without yellow (too light on white for lines and text).
AREA_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#7F3C8D")
BENCHMARK_COLOUR = "#5f6b7a"
BENCHMARK_DASH = "dash"
AGGREGATE_COLOUR = "#7F3C8D"
AGGREGATE_DASH = "dot"
# Sequential scale for the map (light to dark blue), readable in grey-scale print.
SEQUENTIAL_SCALE = ["#deebf7", "#9ecae1", "#4292c6", "#08519c", "#08306b"]
DIVERGING_SCALE = ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"]
SEPARATORS = ",."  # Danish: decimal comma, thousands point

TEMPLATE_NAME = "bosoc"


def _template() -> go.layout.Template:
    # ticklabeloverflow "allow": plotly's default ("hide past div") measures every tick label of every chart with
    # getBoundingClientRect while the page is still being built, which forces the browser to lay out the whole page
    # again for each chart (about a fifth of plotly's time on an area page of 35 charts). The labels fit anyway: the
    # right margin leaves room for the last year's label even when plotly tilts the labels on a phone, and a browser
    # test checks that no label is hidden or cut off, wide and narrow (tests/browser/test_smoke.py).
    return go.layout.Template(
        layout=go.Layout(
            font={"family": FONT_FAMILY, "size": 15, "color": TEXT_COLOUR},
            colorway=list(AREA_COLOURS),
            paper_bgcolor="white",
            plot_bgcolor="white",
            separators=SEPARATORS,
            hoverlabel={"font": {"family": FONT_FAMILY, "size": 14}},
            xaxis={
                "gridcolor": GRID_COLOUR,
                "linecolor": "#9aa5b1",
                "ticks": "outside",
                "zeroline": False,
                "ticklabeloverflow": "allow",
            },
            yaxis={
                "gridcolor": GRID_COLOUR,
                "linecolor": "#9aa5b1",
                "zeroline": False,
                "rangemode": "tozero",
                "ticklabeloverflow": "allow",
            },
            legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0, "font": {"size": 14}},
            margin={"l": 60, "r": 32, "t": 30, "b": 40},
        )
    )


pio.templates[TEMPLATE_NAME] = _template()
_TEMPLATE_JSON = pio.templates[TEMPLATE_NAME].to_plotly_json()


def template_json() -> dict:
    """The template in plotly's JSON form, for figures built as plain dicts (the same object each time: do not
    change it)."""
    return _TEMPLATE_JSON


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators: Danish "11,3" and "345.603"; English "11.3" and "345,603"."""
    return SEPARATORS if lang == "da" else ".,"


def area_colour(position: int) -> str:
    return AREA_COLOURS[position % len(AREA_COLOURS)]


# Danish modebar and date texts, registered inline so no locale file is fetched.
_DA_DICTIONARY = {
    "Download plot as a PNG": "Hent figuren som PNG",
    "Download plot": "Hent figuren",
    "Zoom": "Zoom",
    "Pan": "Panorer",
    "Box Select": "Vælg med boks",
    "Lasso Select": "Vælg med lasso",
    "Zoom in": "Zoom ind",
    "Zoom out": "Zoom ud",
    "Autoscale": "Tilpas akser",
    "Reset axes": "Nulstil akser",
    "Toggle Spike Lines": "Vis/skjul hjælpelinjer",
    "Show closest data on hover": "Vis nærmeste data",
    "Compare data on hover": "Sammenlign data",
    "Reset view": "Nulstil visning",
    "Double-click to zoom back out": "Dobbeltklik for at zoome ud",
}
_DA_FORMAT = {
    "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
    "months": [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "date": "%d.%m.%Y",
    "decimal": ",",
    "thousands": ".",
}


def graph_config(filename: str, lang: str = "da") -> dict:
    """``dcc.Graph(config=...)``: Danish locale inline, PNG download named after the view, no plotly logo.

    The modebar's camera button downloads a PNG named ``filename``; assets/clientside.js adds an SVG button with the
    same name beside it (a button's click is a function, which this JSON config cannot carry). The "Hent som SVG"
    button under each chart (components.chart) is the keyboard-reachable alternative.
    """
    config = {
        "displaylogo": False,
        # plotly.js 4 shows a "Share chart..." button by default, which sends the chart to an external service.
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2, "width": 1200, "height": 600},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    }
    if lang == "da":
        config["locale"] = "da"
        config["locales"] = {"da": {"dictionary": _DA_DICTIONARY, "format": _DA_FORMAT}}
    return config
