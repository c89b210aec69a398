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
