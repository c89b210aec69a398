"""The strategy page (/strategi): its pure filters against the shipped data, the layout, the control callback and
the URL parameters, bad ones included.

Expected results are derived from data/strategy.yaml, never hard-coded, so the tests keep holding when the
secretariat adds initiatives.
"""

from __future__ import annotations

import json

import plotly
import pytest
from dash.exceptions import PreventUpdate

from dashboard import pages
from dashboard.app import create_app
from dashboard.i18n import catalogue, t
from dashboard.pages import strategy
from dashboard.settings import Settings


@pytest.fixture(scope="module")
def app():
    return create_app(Settings())


@pytest.fixture(scope="module")
def data(app):
    return app.bosoc_data.get()


@pytest.fixture(scope="module")
def strategy_data(data):
    return data.dataset.strategy


def ids(initiatives) -> list[str]:
    return [initiative["id"] for initiative in initiatives]


def as_text(component) -> str:
    return json.dumps(component.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def find(component, component_id):
    """The component with ``component_id`` in a Dash tree, or None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            found = find(child, component_id)
            if found is not None:
                return found
    return None


def rendered(app, search: str):
    with app.server.test_request_context():
        shell, title, lang = pages.render(app, strategy.PATH, search)
    return shell, title, lang


def tree(shell, host_id):
    """The content of a ``data-tree`` host (components.tree: the results and the themes travel as data)."""
    return json.loads(getattr(find(shell, host_id), "data-tree"))


def tree_text(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def tree_find(node, node_id):
    """The element with id ``node_id`` in a tree, or None."""
    if isinstance(node, list):
        return next((found for child in node if (found := tree_find(child, node_id)) is not None), None)
    if isinstance(node, dict):
        if node.get("attrs", {}).get("id") == node_id:
            return node
        return tree_find(node.get("children"), node_id)
    return None


def shown_ids(shell, strategy_data) -> list[str]:
    region = tree_text(tree(shell, strategy.RESULTS_ID))
    return [i["id"] for i in strategy_data["initiatives"] if f'"initiative-{i["id"]}"' in region]


# --- Routes ---------------------------------------------------------------------------------------------------


def test_page_answers_200(app):
    client = app.server.test_client()
    assert client.get("/strategi").status_code == 200
    assert client.get("/strategi?tema=uddannelse&omraade=viby-syd&fra=2010&til=2020&q=byg&sprog=en").status_code == 200


def test_bad_parameters_answer_200(app):
    client = app.server.test_client()
    assert client.get("/strategi?tema=%3Cscript%3E&fra=abc&til=99999&partner=nobody&omraade=x").status_code == 200


# --- Pure filters ---------------------------------------------------------------------------------------------


def test_filter_by_theme(strategy_data):
    expected = [i["id"] for i in strategy_data["initiatives"] if "beskaeftigelse" in i["theme_ids"]]
    assert expected
    assert ids(strategy.filter_initiatives(strategy_data, {"tema": "beskaeftigelse"}, "da")) == expected


def test_filter_by_area(strategy_data):
    expected = [i["id"] for i in strategy_data["initiatives"] if "viby-syd" in i["area_ids"]]
    assert expected
    assert ids(strategy.filter_initiatives(strategy_data, {"omraade": "viby-syd"}, "da")) == expected


def test_free_text_finds_byg_op_in_any_case(strategy_data):
    for query in ("Byg Op", "byg op", "  BYG   op "):
        assert "byg-op" in ids(strategy.filter_initiatives(strategy_data, {"q": query}, "da"))


def test_free_text_searches_places_partners_and_outcomes_in_the_chosen_language(strategy_data):
    byg_op = next(i for i in strategy_data["initiatives"] if i["id"] == "byg-op")
    place, partner = byg_op["places"][0], byg_op["partners"][0]
    outcome_en = byg_op["outcomes"][0]["text"]["en"]
    assert "byg-op" in ids(strategy.filter_initiatives(strategy_data, {"q": place}, "da"))
    assert "byg-op" in ids(strategy.filter_initiatives(strategy_data, {"q": partner.upper()}, "da"))
    assert "byg-op" in ids(strategy.filter_initiatives(strategy_data, {"q": outcome_en}, "en"))
    assert strategy.filter_initiatives(strategy_data, {"q": "zzz-ingen-initiativer-hedder-sådan"}, "da") == []


def test_period_filter_excludes_initiatives_that_ended_before(strategy_data):
    ended_before = [
        i["id"] for i in strategy_data["initiatives"] if i["period"]["end"] is not None and i["period"]["end"] < 2019
    ]
    running = [
        i["id"]
        for i in strategy_data["initiatives"]
        if i["period"]["end"] is None and (i["period"]["start"] is None or i["period"]["start"] <= 2019)
    ]
    assert ended_before and running
    shown = ids(strategy.filter_initiatives(strategy_data, {"fra": 2019, "til": 2019}, "da"))
    assert not set(ended_before) & set(shown)
    assert set(running) <= set(shown)


def test_period_filter_excludes_initiatives_that_start_later(strategy_data):
    starts = [i["period"]["start"] for i in strategy_data["initiatives"] if i["period"]["start"] is not None]
    latest_start = max(starts)
    late = [i["id"] for i in strategy_data["initiatives"] if i["period"]["start"] == latest_start]
    shown = ids(strategy.filter_initiatives(strategy_data, {"til": latest_start - 1}, "da"))
    assert not set(late) & set(shown)


def test_reversed_period_is_read_the_right_way_round(strategy_data):
    forwards = strategy.filter_initiatives(strategy_data, {"fra": 2010, "til": 2016}, "da")
    assert strategy.filter_initiatives(strategy_data, {"fra": 2016, "til": 2010}, "da") == forwards


def test_partner_filter_matches_partners_and_funders_by_slug(strategy_data):
    names = strategy.partner_names(strategy_data)
    for key, name in names.items():
        expected = [i["id"] for i in strategy_data["initiatives"] if name in i["partners"] + i["funders"]]
        assert expected, name
        assert ids(strategy.filter_initiatives(strategy_data, {"partner": key}, "da")) == expected
    assert strategy.slug("Den A.P. Møllerske Støttefond") == "den-a-p-moellerske-stoettefond"


def test_combined_filters_intersect(strategy_data):
    single = [
        {"tema": "uddannelse"},
        {"omraade": "bispehaven"},
        {"fra": 2018, "til": 2018},
        {"q": "VIA"},
    ]
    combined = {k: v for f in single for k, v in f.items()}
    expected = set.intersection(*(set(ids(strategy.filter_initiatives(strategy_data, f, "da"))) for f in single))
    assert expected
    assert set(ids(strategy.filter_initiatives(strategy_data, combined, "da"))) == expected


def test_no_filters_show_everything(strategy_data):
    assert ids(strategy.filter_initiatives(strategy_data, {}, "da")) == ids(strategy_data["initiatives"])


def test_theme_counts_follow_the_other_filters(strategy_data):
    filters = {"tema": "medborgerskab", "omraade": "viby-syd"}
    counts = strategy.theme_counts(strategy_data, filters, "da")
    in_area = strategy.filter_initiatives(strategy_data, {"omraade": "viby-syd"}, "da")
    for theme in strategy_data["themes"]:
        assert counts[theme["id"]] == sum(theme["id"] in i["theme_ids"] for i in in_area)


def test_outcome_numbers_are_danish(strategy_data):
    assert strategy.outcome_value(250000, "dkk_per_year", "da") == "250.000 kr. om året"
    assert strategy.outcome_value(250000, "dkk_per_year", "en") == "250,000 DKK a year"
    assert strategy.outcome_value(75, "pct", "da") == "75 %"
    assert strategy.outcome_value(11.5, "count", "da") == "11,5"


# --- Layout and callback ----------------------------------------------------------------------------------------


def test_layout_shows_only_matching_initiatives_with_their_count(app, strategy_data):
    shell, title, lang = rendered(app, "?tema=uddannelse")
    expected = [i["id"] for i in strategy_data["initiatives"] if "uddannelse" in i["theme_ids"]]
    assert shown_ids(shell, strategy_data) == expected
    region = tree_text(tree(shell, strategy.RESULTS_ID))
    for initiative in strategy_data["initiatives"]:
        if initiative["id"] in expected:
            assert initiative["name"] in region
    total = len(strategy_data["initiatives"])
    assert t("strategy.count", "da", shown=len(expected), total=total) in region
    assert (title, lang) == (t("strategy.title", "da"), "da")


def test_layout_with_several_filters_in_english(app, strategy_data, data):
    filters = {"omraade": "viby-syd", "fra": 2015}
    shell, _, lang = rendered(app, "?omraade=viby-syd&fra=2015&sprog=en")
    expected = ids(strategy.filter_initiatives(strategy_data, filters, "en"))
    assert lang == "en"
    assert shown_ids(shell, strategy_data) == expected
    region = tree_text(tree(shell, strategy.RESULTS_ID))
    assert t("strategy.count", "en", shown=len(expected), total=len(strategy_data["initiatives"])) in region
    assert data.dataset.area_name("viby-syd", "en") in region


def test_controls_are_set_from_the_url_and_labelled(app):
    shell, _, _ = rendered(app, "?tema=uddannelse&partner=velux-fonden&til=2018&q=skole")
    assert find(shell, "strategy-tema").value == "uddannelse"
    assert find(shell, "strategy-partner").value == "velux-fonden"
    assert find(shell, "strategy-til").value == 2018
    assert find(shell, "strategy-q").value == "skole"
    text = as_text(shell)
    for control_id in strategy.CONTROL_IDS.values():
        assert f'"html_for": "{control_id}"' in text
    assert find(shell, strategy.RESULTS_ID).to_plotly_json()["props"]["aria-live"] == "polite"


def test_cards_link_areas_format_outcomes_and_name_the_source(app, strategy_data):
    shell, _, _ = rendered(app, "?q=byg%20op")
    region = tree_text(tree(shell, strategy.RESULTS_ID))
    assert '"href": "/omraade/viby-syd"' in region
    assert "250.000 kr. om året" in region
    assert "Årsskrift 2018" in region


def test_outcome_without_a_number_shows_only_its_text(app, strategy_data):
    initiative = next(i for i in strategy_data["initiatives"] if any(o["value"] is None for o in i["outcomes"]))
    shell, _, _ = rendered(app, f"?q={initiative['name'].replace(' ', '+')}")
    card = tree_text(tree_find(tree(shell, strategy.RESULTS_ID), f"initiative-{initiative['id']}"))
    outcome = next(o for o in initiative["outcomes"] if o["value"] is None)
    assert outcome["text"]["da"] in card
    assert outcome["text"]["da"] + ": " not in card


def test_themes_link_their_indicators_and_mark_those_without_data(app, data, strategy_data):
    shell, _, _ = rendered(app, "")
    themes = tree_text(tree(shell, strategy.THEMES_ID))
    with_data = set(data.dataset.indicators_with_data())
    for theme in strategy_data["themes"]:
        assert theme["name"]["da"] in themes
        for indicator_id in theme["indicator_ids"]:
            assert f'"href": "/indikator/{indicator_id}"' in themes
    assert any(i not in with_data for theme in strategy_data["themes"] for i in theme["indicator_ids"])
    assert t("common.no_data_yet", "da") in themes


def test_callback_writes_the_filters_into_the_url(app, strategy_data):
    data = app.bosoc_data.get()
    with app.server.test_request_context():
        children, theme_children, search = strategy.update_view(
            data, "?sprog=en&embed=1", "uddannelse", None, None, None, None, ""
        )
    assert "tema=uddannelse" in search
    assert "sprog=en" in search and "embed=1" in search
    assert t("strategy.theme_selected", "en") in tree_text(json.loads(theme_children))
    region = tree_text(json.loads(children))
    expected = ids(strategy.filter_initiatives(strategy_data, {"tema": "uddannelse"}, "en"))
    assert [i["id"] for i in strategy_data["initiatives"] if f'"initiative-{i["id"]}"' in region] == expected
    assert t("strategy.count", "en", shown=len(expected), total=len(strategy_data["initiatives"])) in region


def test_callback_writes_every_filter_and_leaves_out_cleared_ones(app):
    data = app.bosoc_data.get()
    with app.server.test_request_context():
        _, _, search = strategy.update_view(
            data, "?tema=uddannelse", None, "viby-syd", "velux-fonden", 2014, 2018, "  byg   op "
        )
    assert search == "?omraade=viby-syd&partner=velux-fonden&fra=2014&til=2018&q=byg+op"


def test_callback_does_nothing_when_the_url_would_not_change(app):
    data = app.bosoc_data.get()
    with app.server.test_request_context(), pytest.raises(PreventUpdate):
        strategy.update_view(data, "?tema=uddannelse", "uddannelse", None, None, None, None, None)


def test_invalid_theme_gives_a_notice_and_the_default_view(app, strategy_data):
    shell, _, _ = rendered(app, "?tema=findes-ikke&fra=1200")
    text = as_text(shell)
    assert t("common.notice_ignored", "da", names="tema, fra") in text
    assert shown_ids(shell, strategy_data) == ids(strategy_data["initiatives"])
    assert find(shell, "strategy-tema").value is None


def test_every_strategy_string_has_both_languages():
    keys = [key for key in catalogue() if key.startswith("strategy.")]
    assert keys
    for key in keys:
        assert all(str(catalogue()[key].get(lang) or "").strip() for lang in ("da", "en")), key
