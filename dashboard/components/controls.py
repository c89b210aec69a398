"""Form controls with the dashboard's defaults: Danish labels inside Dash 4's dropdown."""

from __future__ import annotations

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
    """A year range slider whose inputs and handles are named "Fra år" / "Til år" (see assets/clientside.js)."""
    step = 5 if high - low > 12 else 2
    return html.Div(
        dcc.RangeSlider(
            id=id,
            min=low,
            max=high,
            step=1,
            value=value,
            allowCross=False,
            marks={y: str(y) for y in range(low, high + 1, step)},
        ),
        **{"data-label-from": t("common.from_year", lang), "data-label-to": t("common.to_year", lang)},
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
