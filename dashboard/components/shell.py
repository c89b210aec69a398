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
        )
    ]


def _header(context) -> html.Header:
    lang = context.lang
    nav_links = []
    for path, key in NAV_ITEMS:
        section = path.strip("/").split("/")[0]
        active = context.pathname.strip("/").split("/")[0] == section
        nav_links.append(
            dbc.NavItem(link(t(key, lang), path, lang, className="nav-link" + (" active" if active else "")))
        )
    return html.Header(
        dbc.Navbar(
            dbc.Container(
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
                        type="button",
                        **{"aria-label": t("common.nav_label", lang), "aria-controls": "navbar-collapse"},
                    ),
                    dbc.Collapse(
                        [
                            dbc.Nav(nav_links, className="ms-auto", navbar=True),
                            _language_switch(context),
                            *_logout(context),
                        ],
                        id="navbar-collapse",
                        navbar=True,
                    ),
                ],
                fluid="xl",
            ),
            color="primary",
            dark=True,
            expand="lg",
            className="site-navbar",
        ),
        role="banner",
    )


def _footer(context) -> html.Footer:
    dataset = context.dataset
    return html.Footer(
        dbc.Container(
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
            fluid="xl",
        ),
        className="site-footer no-print-controls",
    )


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
