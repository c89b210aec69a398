"""Form controls with the dashboard's defaults: Danish labels inside Dash 4's dropdown."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html, set_props

from dashboard import urlstate
from dashboard.i18n import catalogue, t


def dropdown_labels(lang: str) -> dict[str, str]:
    """Dash 4's built-in dropdown texts ("3 selected", "Select all", ...) in the page's language."""
    keys = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection")
    labels = {key: catalogue()[f"common.dropdown_{key}"][lang] for key in keys}
    labels["no_options_found"] = catalogue()["common.dropdown_no_options"][lang]
    return labels


def dropdown(lang: str, **kwargs) -> dcc.Dropdown:
    return dcc.Dropdown(labels=dropdown_labels(lang), **kwargs)


def year_range(lang: str, *, id: str, low: int, high: int, value: list[int]):
    """The year range as two labelled native selects, "Fra år" and "Til år" (ids ``{id}-from`` and ``{id}-to``), each
    offering every year from ``low`` to ``high``. A range given in either order shows the same years (the pages sort
    it, ``common.year_span``, and assets/clientside.js sets the selects to the range shown).

    Why not a range slider: Dash 4's RangeSlider renders twice on every new value (it reports a ``drag_value`` from
    an effect): a year change p50 37,4 -> 35,0 ms and a pick 48,3 -> 46,7 ms without it (A/B); its handles had no
    accessible names (a script named them); and on a phone the native select opens the system's own picker instead
    of two small handles to drag."""
    options = [{"label": str(y), "value": str(y)} for y in range(low, high + 1)]
    return html.Div(
        [
            html.Div(
                [
                    dbc.Label(t(f"common.{end}_year", lang), html_for=f"{id}-{end}", className="mb-1"),
                    dbc.Select(id=f"{id}-{end}", options=options, value=str(year)),
                ],
                className="year-range-end",
            )
            for end, year in (("from", value[0]), ("to", value[-1]))
        ],
        id=id,
        className="year-range",
        role="group",
        **{"aria-label": t("common.years", lang)},
    )


def limit_notice(id: str):  # noqa: A002 (Dash's name for it)
    """Where a page tells that a list control holds more items than a view (and its address) can take. Hidden until
    the page's callback shows it (``limit_message``, ``set_limit_notice``)."""
    return html.Div(id=id, role="status", hidden=True, className="alert alert-warning py-2 mt-2 mb-0 small")


def limit_message(lang: str, chosen: dict[str, object]) -> str:
    """The notice for the first list control (by its label) holding more than ``urlstate.MAX_LIST_ITEMS`` items, or
    "" when none does. ``chosen``: {label: the control's value}."""
    for label, value in chosen.items():
        count = len(value) if isinstance(value, list) else 0
        if count > urlstate.MAX_LIST_ITEMS:
            return t("common.too_many_chosen", lang, limit=urlstate.MAX_LIST_ITEMS, count=count, field=label)
    return ""


def set_limit_notice(notice_id: str, message: str, hidden: object) -> None:
    """Show ``message`` in the notice, or hide a shown notice when there is none (beside the callback's outputs,
    ``set_props``: the notice costs nothing on a change that needs none)."""
    if message:
        set_props(notice_id, {"children": message, "hidden": False})
    elif hidden is False:
        set_props(notice_id, {"children": "", "hidden": True})
