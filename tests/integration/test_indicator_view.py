"""The indicator page's view route (dashboard.pages.indicator.answer, posted by assets/clientside.js on every change
of the page's controls): each answer is exactly the page that its new address shows when opened (chart, summary,
tables, download name, the view the controls hold), a pick answers the new indicator's page, refusals change
nothing, and answers are served from the shared cache."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from plotly.io.json import to_json_plotly

from dashboard.app import create_app
from dashboard.pages import indicator, render_context
from tests.reliability.helpers import VIEW_BODY, post_view

ROUTE = "/" + indicator.VIEW_ROUTE


def _page(app, path: str, search: str) -> dict:
    """The parts of the page an address shows, by component id (as the router renders it)."""
    layout = indicator.layout(render_context(app, path, search))
    return {
        json.dumps(c.id) if isinstance(c.id, dict) else c.id: c for c in layout._traverse() if getattr(c, "id", None)
    }


def _figure_json(figure) -> dict:
    return json.loads(to_json_plotly(figure))


def _assert_view_is_the_page(app, answer: dict, path: str) -> None:
    page = _page(app, path, answer["search"])
    view = answer["view"]
    assert view["figure"] == _figure_json(page["indicator-graph"].figure)
    assert view["summary"] == page["indicator-summary"].children
    assert view["table"] == getattr(page["indicator-chart-table"], "data-table")
    assert view["table"] == getattr(page["indicator-table-data"], "data-table")
    button = page[json.dumps(indicator.SVG_BUTTON_ID)]
    assert view["filename"] == getattr(button, "data-filename")
    assert answer["shown"] == json.loads(getattr(page[indicator.VIEW_ID], "data-shown"))


@pytest.mark.parametrize(
    "changes, search",
    [
        ({}, "?omraader=bispehaven,viby-syd"),
        ({"measure": "indeks"}, "?omraader=bispehaven,viby-syd&maal=indeks"),
        ({"measure": "forskel", "years": [2012, 2017]}, "?omraader=bispehaven,viby-syd&maal=forskel&fra=2012"),
        # As the two year selects send them (text), chosen backwards: the years between them, in order.
        ({"years": ["2017", "2012"]}, "?omraader=bispehaven,viby-syd&fra=2012"),
        ({"years": ["2014", "2009"]}, "?omraader=bispehaven,viby-syd&fra=2009&til=2014"),
        ({"connect": True}, "?omraader=bispehaven,viby-syd&forbind=1"),
        ({"areas": ["gellerup-toveshoej"]}, "?omraader=gellerup-toveshoej"),
    ],
)
def test_a_control_change_answers_the_page_its_new_address_shows(app, changes, search):
    answer = post_view(app, VIEW_BODY, **changes)
    assert answer["search"] == search
    assert answer["notice"] == ""  # a shown notice is hidden by any accepted change
    _assert_view_is_the_page(app, answer, "/indikator/skolefravaer")


def test_the_answer_is_in_the_language_of_the_address(app):
    answer = post_view(app, dict(VIEW_BODY, search="?sprog=en"), measure="indeks")
    assert answer["search"] == "?sprog=en&omraader=bispehaven,viby-syd&maal=indeks"
    assert answer["view"]["summary"].startswith("School absence")
    _assert_view_is_the_page(app, answer, "/indikator/skolefravaer")


def test_a_tab_change_answers_only_the_address(app):
    search = "?omraader=bispehaven,viby-syd&fra=2007&til=2017"
    answer = post_view(app, dict(VIEW_BODY, search=search), tab="tabel")
    assert answer["search"] == search.replace("&fra=2007&til=2017", "") + "&fane=tabel"
    assert "view" not in answer  # the chart is the same: nothing is drawn again
    assert answer["shown"]["tab"] == "tabel"


def test_a_pick_answers_the_new_indicators_page_in_place_keeping_language_and_embed(app):
    answer = post_view(app, dict(VIEW_BODY, search="?sprog=en&embed=1&maal=indeks", picked="uden-for-arbejdsmarkedet"))
    path = "/indikator/uden-for-arbejdsmarkedet"
    assert answer["pathname"] == path
    assert answer["search"] == "?sprog=en&embed=1"  # the new indicator's default view, as its stable link shows it
    _assert_view_is_the_page(app, answer, path)
    page = _page(app, path, answer["search"])
    texts = answer["page"]
    assert texts["heading"] == texts["cardTitle"] == page["indicator-heading"].children
    assert texts["heading"] == "18-64-year-olds outside the labour market"
    assert texts["title"] == indicator.title(render_context(app, path, answer["search"]))
    assert texts["lead"] == page["indicator-lead"].children
    assert texts["definition"] == getattr(page["indicator-definition"], "data-definition")
    assert answer["shown"]["indicator"] == "uden-for-arbejdsmarkedet"


@pytest.mark.parametrize("same_areas", [True, False])
def test_a_pick_sends_the_area_pickers_options_only_when_they_change(app, same_areas):
    # A dropdown given its options again is drawn again: a pick sends them only when the new indicator's set of
    # areas differs from the one the page's picker offers (its data-area-set, sent with the pick), and the picker
    # then offers exactly what the new indicator's page offers when opened.
    data = app.bosoc_data.get()
    with_data = [i for i in data.dataset.indicators if indicator.areas_with_data(data, i)]
    pairs = [
        (a, b)
        for a in with_data
        for b in with_data
        if a != b and (indicator.areas_with_data(data, a) == indicator.areas_with_data(data, b)) == same_areas
    ]
    assert pairs, "the test data has indicators with the same areas and with other areas"
    current, picked = pairs[0]
    current_page = _page(app, f"/indikator/{current}", "")
    shown_set = getattr(current_page[indicator.VIEW_ID], "data-area-set")
    answer = post_view(app, dict(VIEW_BODY, pathname=f"/indikator/{current}", picked=picked, areaSet=shown_set))
    page = _page(app, f"/indikator/{picked}", answer["search"])
    assert answer["page"]["areaSet"] == getattr(page[indicator.VIEW_ID], "data-area-set")
    if same_areas:
        assert "areaOptions" not in answer["page"] and answer["page"]["areaSet"] == shown_set
        assert current_page["indicator-areas"].options == page["indicator-areas"].options
    else:
        assert answer["page"]["areaOptions"] == page["indicator-areas"].options
        assert current_page["indicator-areas"].options != page["indicator-areas"].options


def test_a_picks_answer_is_the_same_from_any_view_and_is_cached_once_per_indicator_and_language(app):
    # What a pick answers depends on the indicator picked, the language (and embed mode), and whether the page
    # already offers its areas, so readers picking it from any indicator or view share a cache entry (which
    # dashboard.prepare fills at data load).
    client = app.server.test_client()
    data = app.bosoc_data.get()
    picked = "uden-for-arbejdsmarkedet"
    others = [i for i in data.indicator_ids_with_data if i != picked]
    own_set = indicator.area_set(indicator.areas_with_data(data, picked))
    other_set = indicator.area_set(indicator.areas_with_data(data, "sl-grunduddannelse"))
    assert own_set != other_set
    bodies = [
        dict(VIEW_BODY, picked=picked, areaSet=other_set),
        dict(VIEW_BODY, pathname=f"/indikator/{others[1]}", search="?maal=indeks&fra=2010", picked=picked),
        dict(VIEW_BODY, controls=dict(VIEW_BODY["controls"], measure="forskel"), picked=picked, areaSet="x"),
    ]
    responses = [client.post(ROUTE, json=body) for body in bodies]
    assert [r.headers["X-Bosoc-Cache"] for r in responses] == ["miss", "hit", "hit"]
    assert responses[0].get_json() == responses[1].get_json() == responses[2].get_json()
    assert "areaOptions" in responses[0].get_json()["page"]
    # From a page that offers its areas already: the other answer (without the options), shared in its turn.
    same = [client.post(ROUTE, json=dict(body, areaSet=own_set)) for body in bodies]
    assert [r.headers["X-Bosoc-Cache"] for r in same] == ["miss", "hit", "hit"]
    assert "areaOptions" not in same[0].get_json()["page"]
    # Another language, and a control change, are answers of their own.
    english = client.post(ROUTE, json=dict(VIEW_BODY, search="?sprog=en", picked=picked))
    assert english.headers["X-Bosoc-Cache"] == "miss" and english.get_json()["page"]["heading"].startswith("18-64")
    change = dict(VIEW_BODY, controls=dict(VIEW_BODY["controls"], measure="indeks"))
    assert [client.post(ROUTE, json=change).headers["X-Bosoc-Cache"] for _ in range(2)] == ["miss", "hit"]
    # A body the route refuses is refused, whatever a pick of the same indicator left in the cache.
    for broken in (dict(bodies[0], controls="x"), dict(bodies[0], areaSet=3), dict(bodies[0], search=["?"])):
        assert client.post(ROUTE, json=broken).status_code == 400


def test_a_pick_of_an_indicator_without_data_or_of_no_indicator_is_left_to_the_router(app):
    data = app.bosoc_data.get()
    without = next(i for i in data.dataset.indicators if not indicator.areas_with_data(data, i))
    answer = post_view(app, dict(VIEW_BODY, search="?sprog=en&maal=indeks", picked=without))
    assert answer == {"notice": "", "navigate": {"path": f"/indikator/{without}", "search": "?sprog=en"}}
    answer = post_view(app, dict(VIEW_BODY, picked="findes ikke"))
    assert answer["navigate"]["path"] == "/indikator/findes%20ikke"  # the router shows its 404 page


def test_no_area_chosen_says_so_and_changes_nothing_else(app):
    assert post_view(app, VIEW_BODY, areas=[]) == {"notice": "Vælg mindst ét område."}
    english = post_view(app, dict(VIEW_BODY, search="?sprog=en"), areas=[])
    assert english == {"notice": "Choose at least one area."}


@pytest.mark.parametrize(
    "body",
    [
        dict(VIEW_BODY, pathname="/om"),  # a late answer for a page that has been left
        dict(VIEW_BODY, picked="skolefravaer"),  # the indicator already shown
        dict(VIEW_BODY, controls=dict(VIEW_BODY["controls"], measure="ukendt")),  # a value no control offers
        dict(VIEW_BODY, controls=dict(VIEW_BODY["controls"], areas=["ukendt-omraade"])),
        dict(VIEW_BODY, controls=dict(VIEW_BODY["controls"], years=[1900, 2017])),
    ],
    ids=["another page", "same indicator", "unknown measure", "unknown area", "year out of range"],
)
def test_a_change_the_page_cannot_show_changes_nothing(app, body):
    assert post_view(app, body) == {}


@pytest.mark.parametrize(
    "data, problem",
    [
        ("[]", "forespørgslen skal være et JSON-objekt"),
        ("ikke json", "forespørgslen skal være et JSON-objekt"),
        (json.dumps(dict(VIEW_BODY, controls=None)), "controls skal være et JSON-objekt"),
        (json.dumps(dict(VIEW_BODY, pathname=["/"])), "pathname skal være tekst"),
        (json.dumps(dict(VIEW_BODY, controls=dict(VIEW_BODY["controls"], areas="bispehaven"))), "areas skal være"),
        (json.dumps(dict(VIEW_BODY, controls=dict(VIEW_BODY["controls"], years=[2007]))), "years skal være to år"),
        (json.dumps(dict(VIEW_BODY, controls=dict(VIEW_BODY["controls"], connect="ja"))), "connect sand eller falsk"),
    ],
)
def test_a_request_the_page_never_sends_is_refused_with_a_clear_message(app, data, problem):
    response = app.server.test_client().post(ROUTE, data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Ugyldig forespørgsel: ")
    assert problem in response.get_json()["error"]


def test_answers_are_served_from_the_shared_cache_per_data_version(settings):
    app = create_app(settings)
    client = app.server.test_client()
    first = client.post(ROUTE, json=VIEW_BODY)
    second = client.post(ROUTE, json=VIEW_BODY)
    assert (first.headers["X-Bosoc-Cache"], second.headers["X-Bosoc-Cache"]) == ("miss", "hit")
    assert second.get_json() == first.get_json()
    # Another worker (another app on the same cache folder) is served the same entry.
    assert create_app(settings).server.test_client().post(ROUTE, json=VIEW_BODY).headers["X-Bosoc-Cache"] == "hit"
    # A refusal is never stored.
    refused = [client.post(ROUTE, json=dict(VIEW_BODY, controls=3)) for _ in range(2)]
    assert [r.headers.get("X-Bosoc-Cache") for r in refused] == ["miss", "miss"]
    # A new import: a new version, never an old entry.
    statements = settings.data_dir / "statements.yaml"
    statements.write_text(statements.read_text(encoding="utf-8") + "\n# a new import\n", encoding="utf-8")
    app.bosoc_data.refresh()
    assert client.post(ROUTE, json=VIEW_BODY).headers["X-Bosoc-Cache"] == "miss"


def test_the_route_is_behind_the_login(settings):
    app = create_app(replace(settings, auth_mode="header", auth_trusted_proxies=("127.0.0.1",), secret_key="s" * 32))
    client = app.server.test_client()
    assert client.post(ROUTE, json=VIEW_BODY).status_code == 401
    assert client.post(ROUTE, json=VIEW_BODY, headers={"X-Forwarded-User": "anna"}).status_code == 200


def test_the_areas_with_data_of_each_indicator_are_the_areas_with_rows_of_it(app):
    # Worked out from the positions indexed at data load (no rows read): the same areas as the rows say, for every
    # indicator of the catalogue (the real data: one to seven areas, and indicators without any).
    data = app.bosoc_data.get()
    sizes = set()
    for indicator_id in data.dataset.indicators:
        rows = data.observations[data.observations["indicator_id"] == indicator_id]
        present = set(rows["area_id"]) - {"aarhus-kommune"}
        expected = [a for a in data.dataset.areas["id"] if a in present]
        assert indicator.areas_with_data(data, indicator_id) == expected, indicator_id
        sizes.add(len(expected))
    assert {0, 1, 7} <= sizes
