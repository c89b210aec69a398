"""Form controls with the dashboard's defaults: Danish labels inside Dash 4's dropdown."""

from __future__ import annotations

from dash import dcc

from dashboard.i18n import catalogue


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
    from dash import html

    from dashboard.i18n import t

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
