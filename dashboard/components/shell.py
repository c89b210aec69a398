"""The frame around every page: skip link, header with navigation and language switch, notices, footer.

In embed mode (``embed=1``, for the intranet's iframe) the header and footer are left out; a small
"Åbn i fuld visning" link and the source line remain.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import urlstate
from dashboard.auth import LOGOUT_ROUTE
from dashboard.components.links import href, link
from dashboard.components.tree import tree_host
from dashboard.i18n import t

NAV_ITEMS = (
    ("/", "common.nav_overview"),
    ("/indikator/skolefravaer", "common.nav_indicators"),
    ("/strategi", "common.nav_strategy"),
    ("/data", "common.nav_data"),
    ("/om", "common.nav_about"),
)


def _language_switch(context) -> html.A:
    other = "en" if context.lang == "da" else "da"
    # Keep the page's own state: rebuild the query from the current values with the other language.
    search = urlstate.build_search(dict(context.values, sprog=other), context.page_params)
    return html.A(
        t("common.language_switch", context.lang),
        href=href(context.pathname, "da") + search,
        lang=other,
        title=t("common.language_switch_label", context.lang),
        className="btn btn-sm btn-outline-light ms-lg-3",
        # assets/clientside.js keeps this link on the view shown while controls change the address.
        id="language-switch",
        **{"data-site-link": ""},  # a plain link on this site (components.tree): the page loads in the other language
    )


def _logout(context) -> list:
    """A "Log ud" link when the deployment uses the dashboard's own password login (a plain link: it leaves the app)."""
    if context.settings.auth_mode != "password":
        return []
    return [
        html.A(
            t("common.logout", context.lang),
            href=f"{context.settings.url_prefix}{LOGOUT_ROUTE}",
            className="btn btn-sm btn-outline-light ms-lg-2",
            **{"data-site-link": ""},
        )
    ]


def _header(context) -> html.Div:
    """The site's header: Bootstrap's navbar as plain elements, sent as data (``components.tree``) and built in the
    browser, like every part of a page that no callback changes: as Dash components it was 22 of the indicator
    page's 87, and Dash 4's renderer visits every component of a page on each update (a pick of another indicator
    sets about 15 properties). The menu button on a phone opens and closes the links (assets/clientside.js)."""
    lang = context.lang
    items = []
    for path, key in NAV_ITEMS:
        section = path.strip("/").split("/")[0]
        active = context.pathname.strip("/").split("/")[0] == section
        # An address inside the app, opened as dcc.Link opens one (components.tree); the page shown is marked for
        # screen readers too.
        marks = {"data-app-link": "", **({"aria-current": "page"} if active else {})}
        classes = "nav-link" + (" active" if active else "")
        items.append(
            html.Li(html.A(t(key, lang), href=href(path, lang), className=classes, **marks), className="nav-item")
        )
    header = html.Header(
        html.Nav(
            html.Div(
                [
                    link(
                        [
                            html.Span(t("common.app_title", lang), className="brand-title"),
                            html.Span(t("common.app_subtitle", lang), className="brand-subtitle d-none d-md-inline"),
                        ],
                        "/",
                        lang,
                        className="navbar-brand",
                    ),
                    html.Button(
                        html.Span(className="navbar-toggler-icon"),
                        id="navbar-toggler",
                        className="navbar-toggler",
                        **{
                            "aria-label": t("common.nav_label", lang),
                            "aria-controls": "navbar-collapse",
                            "aria-expanded": "false",
                            "data-collapse-toggle": "navbar-collapse",
                        },
                    ),
                    html.Div(
                        [
                            html.Ul(items, className="navbar-nav ms-auto"),
                            _language_switch(context),
                            *_logout(context),
                        ],
                        id="navbar-collapse",
                        className="navbar-collapse collapse",
                    ),
                ],
                className="container-xl",
            ),
            className="site-navbar navbar navbar-expand-lg navbar-dark bg-primary",
        ),
        role="banner",
    )
    return tree_host([header])


def _footer(context) -> html.Div:
    dataset = context.dataset
    footer = html.Footer(
        html.Div(
            [
                html.Span(
                    t(
                        "common.footer_text",
                        context.lang,
                        version=dataset.version,
                        date=dataset.modified.strftime("%d.%m.%Y"),
                    )
                ),
                " · ",
                link(t("common.footer_sources", context.lang), "/data", context.lang),
            ],
            className="container-xl",
        ),
        className="site-footer no-print-controls",
    )
    return tree_host([footer])


def notices(context) -> list:
    items = []
    if context.dataset.is_synthetic:
        items.append(html.Div(t("common.synthetic_banner", context.lang), className="synthetic-banner", role="alert"))
    if context.notices:
        items.append(
            html.Div(
                t("common.notice_ignored", context.lang, names=", ".join(context.notices)),
                className="alert alert-warning url-notice",
                role="status",
            )
        )
    return items


def page_shell(context, content, title: str) -> html.Div:
    main = html.Main(
        dbc.Container([*notices(context), content], fluid="xl", className="page-container"),
        id="main-content",
        tabIndex="-1",
    )
    if context.embed:
        full_view = href(context.pathname, context.lang) + urlstate.build_search(
            {k: v for k, v in context.values.items() if k != "embed"}, context.page_params
        )
        return html.Div(
            [
                main,
                html.Div(
                    [
                        html.A(t("common.open_full_view", context.lang), href=full_view, target="_top"),
                        html.Span(" · Det Boligsociale Fællessekretariat · "),
                        html.Span(t("common.source", context.lang) + ": BoSocData / Årsskrift 2018"),
                    ],
                    className="embed-footer",
                ),
            ],
            className="embed-mode",
        )
    return html.Div(
        [
            html.A(t("common.skip_link", context.lang), href="#main-content", className="skip-link"),
            _header(context),
            main,
            _footer(context),
        ]
    )
