"""The 404 page, in the same style as every other page, with a way back to every area.

The server also answers such paths with HTTP status 404 (see ``dashboard.app``), so links checkers and proxies see
the error too.
"""

from __future__ import annotations

from dash import html

from dashboard.components.links import link
from dashboard.i18n import t
from dashboard.pages import common

PATH = "/404"


def title(context) -> str:
    return t("not_found.title", context.lang)


def layout(context) -> html.Div:
    lang = context.lang
    areas = [
        html.Li(link(context.dataset.area_name(area_id, lang), f"/omraade/{area_id}", lang))
        for area_id in common.helhedsplan_area_ids(context.dataset)
    ]
    return html.Div(
        [
            html.H1(t("not_found.title", lang)),
            html.P(t("not_found.text", lang), className="lead"),
            html.P(link(t("not_found.go_overview", lang), "/", lang, className="btn btn-primary")),
            html.P(t("not_found.areas_list", lang)),
            html.Ul(areas),
        ],
        className="not-found",
    )
