"""Strategi (/strategi): the board's strategy themes, the secretariat's ERFA groups and the initiatives serving them.

Everything a reader can filter by (theme, area, partner or funder, period, free text) is in the query string, so a
link in a board paper reopens the same selection. The filtering itself is a handful of small pure functions on the
parsed ``strategy.yaml`` (:func:`filter_initiatives`, :func:`theme_counts`), testable without a browser; the layout
and the control callback only render what they return.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import urlstate
from dashboard.components.chart import source_text
from dashboard.components.links import href, link
from dashboard.components.tree import tree_host, tree_spec
from dashboard.i18n import catalogue, t
from dashboard.i18n.numbers import format_number, format_value
from dashboard.pages import common

PATH = "/strategi"
FILTER_KEYS = ("tema", "omraade", "partner", "fra", "til", "q")
THEME_KINDS = ("bestyrelse", "erfa")
CONTROL_IDS = {key: f"strategy-{key}" for key in FILTER_KEYS}
RESULTS_ID = "strategy-results"
THEMES_ID = "strategy-themes"
MAX_TEXT_LENGTH = 200
# Danish alphabetical order puts æ, ø, å after z; plain code-point order would put å first.
_DANISH_ORDER = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}"})
_SLUG_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


# --- Pure functions on the strategy data ---------------------------------------------------------------------


def slug(text: str) -> str:
    """A stable ASCII id for a name, e.g. 'Den A.P. Møllerske Støttefond' -> 'den-a-p-moellerske-stoettefond'."""
    lowered = text.casefold().translate(_SLUG_LETTERS)
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def danish_sort_key(text: str) -> str:
    return text.casefold().translate(_DANISH_ORDER)


def themes(strategy: Mapping) -> list[dict]:
    return list(strategy.get("themes") or [])


def initiatives(strategy: Mapping) -> list[dict]:
    return list(strategy.get("initiatives") or [])


def partner_names(strategy: Mapping) -> dict[str, str]:
    """Every partner and funder named by an initiative, slug -> name, in Danish alphabetical order."""
    names: dict[str, str] = {}
    for initiative in initiatives(strategy):
        for name in [*(initiative.get("partners") or []), *(initiative.get("funders") or [])]:
            names.setdefault(slug(str(name)), str(name))
    return dict(sorted(names.items(), key=lambda item: danish_sort_key(item[1])))


def period_years(initiative: Mapping) -> tuple[int | None, int | None]:
    period = initiative.get("period") or {}
    return period.get("start"), period.get("end")


def period_overlaps(initiative: Mapping, start: int | None, end: int | None) -> bool:
    """Whether the initiative's period overlaps [start, end]; a missing year on either side is open-ended.

    An initiative without an end year counts as running; one without a start year may have started any time.
    A reversed range (start after end) is read the right way round.
    """
    if start is not None and end is not None and start > end:
        start, end = end, start
    began, ended = period_years(initiative)
    starts_in_time = began is None or end is None or began <= end
    lasts_long_enough = ended is None or start is None or ended >= start
    return starts_in_time and lasts_long_enough


def searchable_text(initiative: Mapping, lang: str) -> str:
    """The text the free-text filter looks in: name, description, places, partners, funders and outcomes."""
    parts = [
        str(initiative.get("name") or ""),
        str((initiative.get("description") or {}).get(lang, "")),
        *map(str, initiative.get("places") or []),
        *map(str, initiative.get("partners") or []),
        *map(str, initiative.get("funders") or []),
        *(str((outcome.get("text") or {}).get(lang, "")) for outcome in initiative.get("outcomes") or []),
    ]
    return unicodedata.normalize("NFC", " \n ".join(parts)).casefold()


def matches_text(initiative: Mapping, query: str, lang: str) -> bool:
    """Every word of the query occurs somewhere in the initiative's text (case-insensitive)."""
    words = unicodedata.normalize("NFC", query or "").casefold().split()
    haystack = searchable_text(initiative, lang)
    return all(word in haystack for word in words)


def matches(initiative: Mapping, filters: Mapping, lang: str) -> bool:
    """Whether one initiative passes every filter that is set; ``filters`` uses the URL names (tema, omraade, ...)."""
    theme_id = filters.get("tema")
    if theme_id and theme_id not in (initiative.get("theme_ids") or []):
        return False
    area_id = filters.get("omraade")
    if area_id and area_id not in (initiative.get("area_ids") or []):
        return False
    partner = filters.get("partner")
    if partner:
        named = [*(initiative.get("partners") or []), *(initiative.get("funders") or [])]
        if partner not in {slug(str(name)) for name in named}:
            return False
    if not period_overlaps(initiative, filters.get("fra"), filters.get("til")):
        return False
    return matches_text(initiative, filters.get("q") or "", lang)


def filter_initiatives(strategy: Mapping, filters: Mapping, lang: str) -> list[dict]:
    """The initiatives that pass all filters, in the data file's order."""
    return [initiative for initiative in initiatives(strategy) if matches(initiative, filters, lang)]


def theme_counts(strategy: Mapping, filters: Mapping, lang: str) -> dict[str, int]:
    """Per theme, how many initiatives serve it under every filter except the theme filter itself.

    Leaving the theme filter out lets the theme list say what choosing another theme would show.
    """
    others = {key: value for key, value in filters.items() if key != "tema"}
    shown = filter_initiatives(strategy, others, lang)
    return {theme["id"]: sum(theme["id"] in (i.get("theme_ids") or []) for i in shown) for theme in themes(strategy)}


def year_bounds(data) -> tuple[int, int]:
    """The years a period filter may name: from the earliest year in the data to this year (or a later end)."""
    years = [y for i in initiatives(data.dataset.strategy) for y in period_years(i) if isinstance(y, int)]
    low, high = common.data_year_bounds(data)
    return min([low, *years]), max([high, date.today().year, *years])


def area_ids(data) -> list[str]:
    """The areas the area filter offers: the helhedsplan areas, plus any other area an initiative names."""
    named = {a for i in initiatives(data.dataset.strategy) for a in i.get("area_ids") or []}
    known = common.all_area_ids(data.dataset)
    return [a for a in known if a in named or a in common.helhedsplan_area_ids(data.dataset)]


# --- Page protocol ----------------------------------------------------------------------------------------------


def params(data) -> list[urlstate.Param]:
    strategy = data.dataset.strategy
    low, high = year_bounds(data)
    return [
        urlstate.Param("tema", None, urlstate.choice(theme["id"] for theme in themes(strategy))),
        urlstate.Param("omraade", None, urlstate.choice(area_ids(data))),
        urlstate.Param("partner", None, urlstate.choice(partner_names(strategy))),
        urlstate.Param("fra", None, urlstate.year(low, high)),
        urlstate.Param("til", None, urlstate.year(low, high)),
        urlstate.Param("q", "", urlstate.free_text),
    ]


def title(context) -> str:
    return t("strategy.title", context.lang)


# --- Rendering ----------------------------------------------------------------------------------------------------


def outcome_value(value, unit: str, lang: str) -> str:
    """An outcome's number with its unit, Danish-style ("250.000 kr. om året", "75 %")."""
    decimals = 0 if float(value).is_integer() else 1
    if unit == "pct":
        return format_value(value, "pct", decimals, lang)
    number = format_number(value, decimals, lang)
    key = f"strategy.unit_{unit}"
    return f"{number} {t(key, lang)}" if key in catalogue() else number


def _outcomes(initiative: Mapping, lang: str) -> html.Ul:
    items = []
    for outcome in initiative.get("outcomes") or []:
        text = str((outcome.get("text") or {}).get(lang, ""))
        value = outcome.get("value")
        # The source sometimes gives a range or a sentence, not one number: then the text stands alone.
        if value is None:
            items.append(html.Li(text))
        else:
            items.append(html.Li([text, ": ", html.Strong(outcome_value(value, str(outcome.get("unit")), lang))]))
    return html.Ul(items, className="initiative-outcomes mb-0")


def _themes_by_id(strategy: Mapping) -> dict[str, dict]:
    return {theme["id"]: theme for theme in themes(strategy)}


def _theme_badge(theme: Mapping, lang: str) -> html.Span:
    # Bootstrap's badge classes as dbc.Badge sets them (the cards travel as html, components.tree).
    colours = "bg-dark" if theme.get("kind") == "bestyrelse" else "bg-light text-dark border"
    return html.Span(theme["name"][lang], className=f"badge {colours} me-1 mb-1 theme-badge")


def _comma_list(items: list) -> list:
    out: list = []
    for position, item in enumerate(items):
        if position:
            out.append(", ")
        out.append(item)
    return out


def _fact(label: str, content) -> list:
    return [html.Dt(label, className="col-sm-4"), html.Dd(content, className="col-sm-8")]


def initiative_card(data, initiative: Mapping, lang: str, embed: bool) -> html.Article:
    dataset = data.dataset
    theme_by_id = _themes_by_id(dataset.strategy)
    helhedsplan = set(common.helhedsplan_area_ids(dataset))
    areas = [
        link(dataset.area_name(a, lang), f"/omraade/{a}", lang, embed)
        if a in helhedsplan
        else dataset.area_name(a, lang)
        for a in initiative.get("area_ids") or []
    ]
    period_text = str(((initiative.get("period") or {}).get("text") or {}).get(lang, "")) or t(
        "strategy.not_stated", lang
    )
    facts = [
        *_fact(t("strategy.initiative_areas", lang), _comma_list(areas) or t("strategy.initiative_no_areas", lang)),
        *(
            _fact(t("strategy.initiative_places", lang), ", ".join(map(str, initiative["places"])))
            if initiative.get("places")
            else []
        ),
        *_fact(
            t("strategy.initiative_partners", lang),
            ", ".join(map(str, initiative.get("partners") or [])) or t("strategy.not_stated", lang),
        ),
        *(
            _fact(t("strategy.initiative_funders", lang), ", ".join(map(str, initiative["funders"])))
            if initiative.get("funders")
            else []
        ),
        *_fact(t("strategy.initiative_period", lang), period_text),
        *(
            _fact(t("strategy.initiative_outcomes", lang), _outcomes(initiative, lang))
            if initiative.get("outcomes")
            else []
        ),
        *_fact(t("common.source", lang), source_text(dataset, initiative.get("source_id", ""), lang)),
    ]
    badges = [_theme_badge(theme_by_id[i], lang) for i in initiative.get("theme_ids") or [] if i in theme_by_id]
    return html.Article(
        [
            html.Div(
                [
                    html.H3(str(initiative.get("name") or initiative.get("id")), className="h5 card-title"),
                    html.Div(badges, className="mb-2", **{"aria-label": t("strategy.initiative_themes", lang)}),
                    html.P(str((initiative.get("description") or {}).get(lang, "")), className="card-text"),
                    html.Dl(facts, className="row mb-0 initiative-facts"),
                ],
                className="card-body",
            )
        ],
        className="card mb-3 initiative-card",
        id=f"initiative-{initiative.get('id')}",
    )


def _year_range_text(values: Mapping, lang: str) -> str | None:
    start, end = values.get("fra"), values.get("til")
    if start is not None and end is not None:
        start, end = sorted((start, end))
        return t("strategy.filter_period_value", lang, start=start, end=end)
    if start is not None:
        return t("strategy.filter_from_value", lang, year=start)
    if end is not None:
        return t("strategy.filter_to_value", lang, year=end)
    return None


def active_filters_text(data, values: Mapping, lang: str) -> str | None:
    """The chosen filters in words ("Tema: Uddannelse · Område: Viby Syd"), for print and screen readers."""
    strategy = data.dataset.strategy
    parts = []
    if values.get("tema"):
        theme = _themes_by_id(strategy).get(values["tema"])
        parts.append(f"{t('strategy.filter_theme', lang)}: {theme['name'][lang] if theme else values['tema']}")
    if values.get("omraade"):
        parts.append(f"{t('strategy.filter_area', lang)}: {data.dataset.area_name(values['omraade'], lang)}")
    if values.get("partner"):
        name = partner_names(strategy).get(values["partner"], values["partner"])
        parts.append(f"{t('strategy.filter_partner', lang)}: {name}")
    period = _year_range_text(values, lang)
    if period:
        parts.append(f"{t('common.years', lang)}: {period}")
    if values.get("q"):
        parts.append(f"{t('strategy.filter_text', lang)}: {t('strategy.filter_text_value', lang, text=values['q'])}")
    return f"{t('strategy.active_filters', lang)}: " + " · ".join(parts) if parts else None


def count_text(shown: int, total: int, lang: str) -> str:
    return t("strategy.count", lang, shown=shown, total=total)


def results(data, values: Mapping, lang: str, embed: bool) -> list:
    """The children of the results region: the count, the filters in words, and the matching initiatives."""
    strategy = data.dataset.strategy
    shown = filter_initiatives(strategy, values, lang)
    summary = active_filters_text(data, values, lang)
    cards = [initiative_card(data, initiative, lang, embed) for initiative in shown]
    if not cards:
        cards = [
            html.Div(
                [t("strategy.no_results", lang), " ", link(t("strategy.reset", lang), PATH, lang, embed)],
                className="alert alert-light border",
                role="alert",
            )
        ]
    return [
        html.P(
            count_text(len(shown), len(initiatives(strategy)), lang), className="result-count h5", id="strategy-count"
        ),
        html.P(summary, className="active-filters text-muted") if summary else None,
        *cards,
    ]


def _filter_href(values: Mapping, page_params, lang: str, embed: bool, **changes) -> str:
    """A link to this page with some filters changed (the language and embed mode are added by ``href``)."""
    state = {key: values.get(key) for key in FILTER_KEYS} | changes
    return href(PATH + urlstate.build_search(state, page_params), lang, embed)


def _indicator_list(data, theme: Mapping, lang: str, embed: bool) -> html.Div:
    dataset = data.dataset
    with_data = set(data.indicator_ids_with_data)
    items = []
    for indicator_id in theme.get("indicator_ids") or []:
        indicator = dataset.indicators.get(indicator_id)
        name = indicator.name[lang] if indicator else indicator_id
        marker = None
        if indicator_id not in with_data:
            marker = html.Span(t("common.no_data_yet", lang), className="badge text-bg-light border ms-1 no-data-yet")
        items.append(html.Li([link(name, f"/indikator/{indicator_id}", lang, embed), marker]))
    if not items:
        return html.P(t("strategy.theme_no_indicators", lang), className="small text-muted")
    return html.Div(
        [
            html.P(t("strategy.theme_indicators", lang), className="small fw-semibold mb-1"),
            html.Ul(items, className="small theme-indicators"),
        ]
    )


def _theme_item(data, theme: Mapping, count: int, values: Mapping, page_params, lang, embed, show_description):
    selected = values.get("tema") == theme["id"]
    count_label = t("strategy.theme_count_one", lang) if count == 1 else t("strategy.theme_count", lang, count=count)
    if selected:
        action = html.P(
            [
                html.Strong(t("strategy.theme_selected", lang)),
                " · ",
                dcc.Link(
                    t("strategy.theme_show_all", lang), href=_filter_href(values, page_params, lang, embed, tema=None)
                ),
            ],
            className="small mb-2",
        )
    else:
        action = html.P(
            # The theme's name, hidden on screen, tells the seven links apart in a screen reader's list of links.
            dcc.Link(
                [t("strategy.theme_show", lang), html.Span(f": {theme['name'][lang]}", className="visually-hidden")],
                href=_filter_href(values, page_params, lang, embed, tema=theme["id"]),
            ),
            className="small mb-2",
        )
    return html.Li(
        [
            html.Div(
                [
                    html.H4(theme["name"][lang], className="h6 mb-0"),
                    html.Span(count_label, className="badge rounded-pill text-bg-secondary theme-count"),
                ],
                className="d-flex justify-content-between align-items-start gap-2",
            ),
            html.P(theme["description"][lang], className="small mb-1") if show_description else None,
            action,
            _indicator_list(data, theme, lang, embed),
        ],
        className="list-group-item theme-item" + (" theme-selected" if selected else ""),
        **({"aria-current": "true"} if selected else {}),
    )


def theme_list(data, values: Mapping, page_params, lang: str, embed: bool) -> list:
    """Both kinds of theme with their descriptions, counts that follow the filters, and measuring indicators.

    When every theme of a kind shares one description (as the board's themes do), it is shown once for the group.
    """
    strategy = data.dataset.strategy
    counts = theme_counts(strategy, values, lang)
    sections = [html.P(t("strategy.theme_count_hint", lang), className="small text-muted")]
    for kind in THEME_KINDS:
        group = [theme for theme in themes(strategy) if theme.get("kind") == kind]
        if not group:
            continue
        descriptions = {theme["description"][lang] for theme in group if theme.get("description")}
        shared = descriptions.pop() if len(descriptions) == 1 and len(group) > 1 else None
        sections.append(
            html.Section(
                [
                    html.H3(t(f"strategy.kind_{kind}", lang), className="h5"),
                    html.P(shared, className="small") if shared else None,
                    html.Ul(
                        [
                            _theme_item(
                                data,
                                theme,
                                counts.get(theme["id"], 0),
                                values,
                                page_params,
                                lang,
                                embed,
                                show_description=shared is None and bool(theme.get("description")),
                            )
                            for theme in group
                        ],
                        className="list-group mb-3",
                    ),
                    html.P(
                        [
                            t("common.source", lang),
                            ": ",
                            source_text(data.dataset, group[0].get("source_id", ""), lang),
                        ],
                        className="small source-line",
                    ),
                ],
                className=f"theme-group theme-group-{kind} mb-4",
            )
        )
    return sections


def _dropdown_labels(lang: str) -> dict:
    return {
        "search": t("strategy.dropdown_search", lang),
        "clear_search": t("strategy.dropdown_clear_search", lang),
        "clear_selection": t("strategy.dropdown_clear_selection", lang),
        "no_options_found": t("strategy.dropdown_no_options", lang),
        "select_all": t("strategy.dropdown_select_all", lang),
        "deselect_all": t("strategy.dropdown_deselect_all", lang),
        "selected_count": t("strategy.dropdown_selected_count", lang, num_selected="{num_selected}"),
    }


def _dropdown(key: str, label_key: str, options: list[dict], value, placeholder_key: str, lang: str, **col) -> dbc.Col:
    control_id = CONTROL_IDS[key]
    return dbc.Col(
        [
            dbc.Label(t(label_key, lang), html_for=control_id),
            dcc.Dropdown(
                id=control_id,
                options=options,
                value=value,
                placeholder=t(placeholder_key, lang),
                clearable=True,
                searchable=len(options) > 8,
                labels=_dropdown_labels(lang),
            ),
        ],
        **col,
    )


def filters(data, values: Mapping, lang: str, embed: bool) -> html.Section:
    strategy = data.dataset.strategy
    theme_options = [
        {
            "label": t(f"strategy.theme_option_{theme.get('kind')}", lang, name=theme["name"][lang])
            if theme.get("kind") in THEME_KINDS
            else theme["name"][lang],
            "value": theme["id"],
        }
        for theme in themes(strategy)
    ]
    area_options = [{"label": data.dataset.area_name(a, lang), "value": a} for a in area_ids(data)]
    partner_options = [{"label": name, "value": key} for key, name in partner_names(strategy).items()]
    low, high = year_bounds(data)
    year_options = [{"label": str(y), "value": y} for y in range(high, low - 1, -1)]
    return html.Section(
        dbc.Card(
            dbc.CardBody(
                [
                    html.H2(t("strategy.filters_title", lang), className="h5", id="strategy-filters-title"),
                    dbc.Row(
                        [
                            _dropdown(
                                "tema",
                                "strategy.filter_theme",
                                theme_options,
                                values["tema"],
                                "strategy.any_theme",
                                lang,
                                md=6,
                                lg=4,
                            ),
                            _dropdown(
                                "omraade",
                                "strategy.filter_area",
                                area_options,
                                values["omraade"],
                                "strategy.any_area",
                                lang,
                                md=6,
                                lg=4,
                            ),
                            _dropdown(
                                "partner",
                                "strategy.filter_partner",
                                partner_options,
                                values["partner"],
                                "strategy.any_partner",
                                lang,
                                md=12,
                                lg=4,
                            ),
                            _dropdown(
                                "fra",
                                "strategy.filter_from",
                                year_options,
                                values["fra"],
                                "strategy.any_year",
                                lang,
                                xs=6,
                                md=3,
                                lg=2,
                            ),
                            _dropdown(
                                "til",
                                "strategy.filter_to",
                                year_options,
                                values["til"],
                                "strategy.any_year",
                                lang,
                                xs=6,
                                md=3,
                                lg=2,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label(t("strategy.filter_text", lang), html_for=CONTROL_IDS["q"]),
                                    dbc.Input(
                                        id=CONTROL_IDS["q"],
                                        type="search",
                                        value=values["q"],
                                        placeholder=t("strategy.text_placeholder", lang),
                                        debounce=True,
                                        maxLength=MAX_TEXT_LENGTH,
                                        autocomplete="off",
                                    ),
                                ],
                                md=6,
                                lg=5,
                            ),
                            dbc.Col(
                                link(
                                    t("strategy.reset", lang),
                                    PATH,
                                    lang,
                                    embed,
                                    className="btn btn-outline-secondary w-100",
                                ),
                                className="d-flex align-items-end",
                                md=12,
                                lg=3,
                            ),
                        ],
                        className="g-3",
                    ),
                    html.P(t("strategy.period_hint", lang), className="small text-muted mt-3 mb-0"),
                ]
            ),
            className="mb-4",
        ),
        className="strategy-filters no-print",
        role="search",
        **{"aria-labelledby": "strategy-filters-title"},
    )


def layout(context) -> html.Div:
    lang, values, data = context.lang, context.values, context.data
    page_params = context.page_params or tuple(params(data))
    return html.Div(
        [
            html.H1(t("strategy.title", lang)),
            html.P(t("strategy.lead", lang), className="lead"),
            filters(data, values, lang, context.embed),
            dbc.Row(
                [
                    dbc.Col(
                        html.Section(
                            [
                                html.H2(t("strategy.initiatives_title", lang), className="visually-hidden"),
                                tree_host(
                                    results(data, values, lang, context.embed), id=RESULTS_ID, **{"aria-live": "polite"}
                                ),
                            ]
                        ),
                        lg=8,
                    ),
                    dbc.Col(
                        html.Section(
                            [
                                html.H2(t("strategy.themes_title", lang), className="h4"),
                                html.P(t("strategy.classification_note", lang), className="small"),
                                tree_host(theme_list(data, values, page_params, lang, context.embed), id=THEMES_ID),
                            ],
                            className="strategy-themes",
                        ),
                        lg=4,
                    ),
                ]
            ),
        ],
        className="strategy-page",
    )


# --- Callback ---------------------------------------------------------------------------------------------------


def update_view(data, search: str | None, tema, omraade, partner, fra, til, q):
    """New results, theme list and query string for the controls' values (the registered callback's body).

    The language and embed mode come from the current address; a control value the URL would not accept falls back
    to its default, like an invalid parameter typed into the address bar.
    """
    page_params = params(data)
    values, _ = urlstate.parse_query(urlstate.split_search(search), page_params)
    candidate = {
        "tema": tema or "",
        "omraade": omraade or "",
        "partner": partner or "",
        "fra": "" if fra in (None, "") else str(fra),
        "til": "" if til in (None, "") else str(til),
        "q": " ".join(str(q or "").split()),
    }
    clean, _ = urlstate.parse_query({k: v for k, v in candidate.items() if v}, page_params)
    values.update({key: clean[key] for key in FILTER_KEYS})
    new_search = urlstate.build_search(values, page_params)
    if new_search == (search or ""):
        raise PreventUpdate
    lang, embed = values["sprog"], values["embed"]
    return (
        tree_spec(results(data, values, lang, embed)),
        tree_spec(theme_list(data, values, page_params, lang, embed)),
        new_search,
    )


def register(app) -> None:
    @app.callback(
        # The initiatives and the themes travel as data (components.tree): as components, each filter change
        # mounted about 380 new ones.
        Output(RESULTS_ID, "data-tree"),
        Output(THEMES_ID, "data-tree"),
        Output("url", "search", allow_duplicate=True),
        *(Input(CONTROL_IDS[key], "value") for key in FILTER_KEYS),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def write_url(tema, omraade, partner, fra, til, q, search):
        """Filtering re-renders the results and puts the filters into the address bar, so a link keeps them."""
        return update_view(app.bosoc_data.get(), search, tema, omraade, partner, fra, til, q)
