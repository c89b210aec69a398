"""Om (/om): what the dashboard is and for whom, who keeps it, how to read it, its data, and the accessibility statement.

Every fact on this page comes from the project's sources (the 2018 annual report, the public sources) or from the
data and settings themselves (areas, suppression limit, data version); nothing is invented, so there is no phone
number or e-mail address: the contact is the secretariat's own website, which the data already cites.
"""

from __future__ import annotations

from dash import html

from dashboard import urlstate
from dashboard.components.links import link
from dashboard.i18n import t
from dashboard.pages import common

PATH = "/om"
# The secretariat's website, as cited in data/sources.csv (source aarsskrift-2018).
SECRETARIAT_URL = "https://fs-aarhus.dk"
SECTIONS = (
    ("hvem", "about.who_title"),
    ("laes", "about.reading_title"),
    ("data", "about.data_title"),
    ("tilgaengelighed", "about.a11y_title"),
)


def params(data) -> list[urlstate.Param]:
    return []


def title(context) -> str:
    return t("about.title", context.lang)


def _section(anchor: str, title_key: str, lang: str, children: list) -> html.Section:
    heading_id = f"om-{anchor}"
    return html.Section(
        [html.H2(t(title_key, lang), id=heading_id, className="h3"), *children],
        className="mb-5",
        **{"aria-labelledby": heading_id},
    )


def _bullets(keys: list[str], lang: str, **values) -> html.Ul:
    return html.Ul([html.Li(t(key, lang, **values)) for key in keys])


def _who(context) -> html.Section:
    lang, dataset = context.lang, context.dataset
    areas = [
        html.Li(link(dataset.area_name(area_id, lang), f"/omraade/{area_id}", lang))
        for area_id in common.helhedsplan_area_ids(dataset)
    ]
    return _section(
        "hvem",
        "about.who_title",
        lang,
        [
            _bullets(["about.who_board", "about.who_steering", "about.who_secretariat"], lang),
            html.P(t("about.areas_intro", lang)),
            html.Ul(areas, className="area-list"),
            html.H3(t("about.maintainer_title", lang), className="h5"),
            html.P(t("about.maintainer_text", lang)),
        ],
    )


def _reading(context) -> html.Section:
    keys = [
        "about.reading_benchmark",
        "about.reading_markers",
        "about.reading_dash",
        "about.reading_approximation",
        "about.reading_map",
        "about.reading_state_lists",
        "about.reading_definitions",
    ]
    return _section(
        "laes",
        "about.reading_title",
        context.lang,
        [_bullets(keys, context.lang, limit=context.settings.suppression_limit)],
    )


def _data(context) -> html.Section:
    lang, dataset = context.lang, context.dataset
    return _section(
        "data",
        "about.data_title",
        lang,
        [
            _bullets(["about.data_bosocdata", "about.data_report", "about.data_public"], lang),
            html.P(t("about.data_no_invention", lang)),
            html.P(link(t("about.data_link", lang), "/data", lang, className="btn btn-outline-primary")),
            html.P(
                t("about.data_version", lang, version=dataset.version, date=dataset.modified.strftime("%d.%m.%Y")),
                className="small text-muted",
            ),
        ],
    )


def _accessibility(context) -> html.Section:
    lang = context.lang
    works = [
        "about.a11y_skip_link",
        "about.a11y_keyboard",
        "about.a11y_tables",
        "about.a11y_colours",
        "about.a11y_language",
        "about.a11y_print",
    ]
    limits = [
        "about.a11y_limit_map",
        "about.a11y_limit_hover",
        "about.a11y_limit_language",
        "about.a11y_limit_external",
    ]
    return _section(
        "tilgaengelighed",
        "about.a11y_title",
        lang,
        [
            html.P(t("about.a11y_intro", lang)),
            html.H3(t("about.a11y_works_title", lang), className="h5"),
            _bullets(works, lang),
            html.H3(t("about.a11y_limits_title", lang), className="h5"),
            _bullets(limits, lang),
            html.H3(t("about.a11y_contact_title", lang), className="h5"),
            html.P(
                [
                    t("about.a11y_contact", lang),
                    " ",
                    html.A("fs-aarhus.dk", href=SECRETARIAT_URL, target="_blank", rel="noopener noreferrer"),
                ]
            ),
        ],
    )


def layout(context) -> html.Div:
    lang = context.lang
    return html.Div(
        [
            html.H1(t("about.title", lang)),
            html.P(t("about.lead", lang), className="lead"),
            html.Nav(
                html.Ul(
                    [
                        html.Li(html.A(t(key, lang), href=f"#om-{anchor}"), className="list-inline-item")
                        for anchor, key in SECTIONS
                    ],
                    className="list-inline page-contents",
                ),
                className="no-print",
                **{"aria-label": t("about.contents_label", lang)},
            ),
            _who(context),
            _reading(context),
            _data(context),
            _accessibility(context),
        ],
        className="about-page",
    )
