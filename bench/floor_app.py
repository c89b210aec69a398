"""The floor: the cheapest Dash app that does what a dashboard page does, served exactly like the dashboard.

One page with a heading, one dropdown and one line chart; the dropdown's callback builds the figure on the server
(so the first drawing, like the dashboard's, goes through one callback). Same library versions as the dashboard
(it runs in the same environment), Dash's own response compression on (``compress=True``), plotly.js from the
plotly package as Dash serves it by default. ``bench/run.py`` runs it under gunicorn with the Procfile's flags and
measures everything against it.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

YEARS = list(range(2003, 2023))
# Eight smooth, distinct series: the callback's work is building a small figure, like the dashboard's charts.
SERIES = {
    f"serie-{number}": [round(20 + 10 * math.sin(year / (2 + number)) + number, 1) for year in YEARS]
    for number in range(1, 9)
}

app = Dash(__name__, title="Floor", compress=True, update_title=None)
app.layout = html.Div(
    [
        html.H1("Floor"),
        dcc.Dropdown(id="floor-series", options=list(SERIES), value="serie-1", clearable=False),
        dcc.Graph(id="floor-chart"),
    ]
)


@app.callback(Output("floor-chart", "figure"), Input("floor-series", "value"))
def draw(name: str) -> go.Figure:
    return go.Figure(
        go.Scatter(x=YEARS, y=SERIES.get(name, SERIES["serie-1"]), mode="lines+markers", name=name),
        layout={"height": 420},
    )


server = app.server
# Dash registers the script paths it serves during a worker's first request, and not thread-safely: a fresh worker
# answering the browser's parallel script requests can send HTTP 500. Do it now, as the dashboard does.
with server.test_request_context("/"):
    app._setup_server()
