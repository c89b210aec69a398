"""The app as a whole through Flask's test client: routes, status codes, headers, sub-path, embed, bad URLs."""

from __future__ import annotations

import json
import math
import re

import plotly
import pytest

from dashboard.app import create_app
from dashboard.i18n import LANGUAGES, catalogue
from dashboard.pages import render
from dashboard.settings import ENVIRONMENT_VARIABLES, PROJECT_ROOT, Settings

PAGES = ["/", "/omraade/gellerup-toveshoej", "/indikator/skolefravaer", "/strategi", "/data", "/om"]


def rendered_text(app, path: str, search: str = "") -> str:
    with app.server.test_request_context(path + search):
        shell, _title, _lang = render(app, path, search)
        return json.dumps(shell.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_200_with_danish_html(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="da">' in response.get_data(as_text=True)


def test_english_sets_html_lang(client):
    assert '<html lang="en">' in client.get("/?sprog=en").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/findes-ikke", "/omraade/ukendt", "/indikator/ukendt", "/omraade/aarhus-kommune"])
def test_unknown_paths_are_404_with_the_apps_own_page(client, app, path):
    assert client.get(path).status_code == 404
    assert "Siden findes ikke" in rendered_text(app, path)


def test_security_headers_on_every_response(client):
    for path in ["/", "/_vendor/bootstrap.min.css", "/assets/style.css", "/healthz", "/findes-ikke"]:
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'self'" in policy
        assert "unsafe-eval" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "X-Frame-Options" not in headers
        assert "Server" not in headers


def test_frame_ancestors_are_configurable(data_dir, geo_dir):
    settings = Settings(data_dir=data_dir, geo_dir=geo_dir, frame_ancestors=("'self'", "https://intranet.example"))
    policy = create_app(settings).server.test_client().get("/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://intranet.example" in policy


def test_no_external_urls_in_the_page_shell(client):
    html = client.get("/").get_data(as_text=True)
    assert not re.search(r'(src|href)="https?://', html)
    assert "_vendor/bootstrap.min.css" in html


def test_responses_are_compressed(client):
    response = client.get("/_vendor/bootstrap.min.css", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"


def test_sub_path_prefixes_every_link_asset_and_callback(data_dir, geo_dir):
    app = create_app(Settings(data_dir=data_dir, geo_dir=geo_dir, url_prefix="/bosoc/"))
    client = app.server.test_client()
    html = client.get("/bosoc/").get_data(as_text=True)
    assert client.get("/bosoc/").status_code == 200
    assert '"requests_pathname_prefix":"\\u002fbosoc\\u002f"' in html  # Dash escapes "/" in its config script
    assert "/bosoc/_vendor/bootstrap.min.css" in html
    assert "/bosoc/assets/style.css" in html or "/bosoc/assets/" in html
    assert client.get("/bosoc/_vendor/bootstrap.min.css").status_code == 200
    assert client.get("/bosoc/_dash-layout").status_code == 200
    assert client.get("/bosoc/omraade/bispehaven").status_code == 200
    assert client.get("/bosoc/omraade/ukendt").status_code == 404
    text = rendered_text(app, "/bosoc/omraade/bispehaven")
    assert '"/bosoc/strategi' in text  # in-app links carry the prefix
    assert '"href": "/strategi' not in text


def test_embed_mode_hides_navigation_and_keeps_source_and_full_view_link(app):
    text = rendered_text(app, "/indikator/skolefravaer", "?embed=1")
    assert "Åbn i fuld visning" in text
    assert "Hovedmenu" not in text
    assert "embed-footer" in text
    normal = rendered_text(app, "/indikator/skolefravaer")
    assert "Hovedmenu" in normal and "Åbn i fuld visning" not in normal


@pytest.mark.parametrize(
    "search",
    [
        "?omraader=<script>alert(1)</script>",
        "?<img src=x onerror=alert(1)>=1",
        "?fra=abc&til=99999",
        "?maal=" + "x" * 5000,
        "?maal=niveau&maal=indeks&maal=<b>",
        "?sprog=fr&embed=maybe",
        "?fane=%00%ff",
    ],
)
def test_bad_parameters_fall_back_with_a_notice_and_are_never_reflected(client, app, search):
    path = "/indikator/skolefravaer"
    assert client.get(path + search).status_code == 200
    text = rendered_text(app, path, search)
    for injected in ("<script", "alert(1)", "<img", "onerror", "xxxxxxxx", "\x00"):
        assert injected not in text
    assert "ignoreret" in text or search.startswith("?maal=niveau")


def test_every_ui_string_exists_in_both_languages():
    for key, texts in catalogue().items():
        assert set(texts) == set(LANGUAGES), key
        assert all(str(texts[lang]).strip() for lang in LANGUAGES), key


def test_every_indicator_has_name_and_definition_in_both_languages(app):
    for indicator in app.bosoc_data.get().dataset.indicators.values():
        for lang in LANGUAGES:
            assert indicator.name[lang].strip() and indicator.definition[lang].strip(), indicator.id


def test_every_environment_variable_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in ENVIRONMENT_VARIABLES:
        assert f"`{name}`" in readme, name


def test_debug_is_off_unless_asked_for():
    assert Settings.from_env({}).debug is False
    assert Settings.from_env({"DASH_DEBUG": "1"}).debug is True


def test_health_endpoint_reports_the_data_version(client, app):
    body = client.get("/healthz").get_json()
    assert body == {"status": "ok", "data_version": app.bosoc_data.get().version}


def test_tile_map_only_when_configured(data_dir, geo_dir):
    default = rendered_text(create_app(Settings(data_dir=data_dir, geo_dir=geo_dir)), "/")
    assert "tile.openstreetmap.org" not in default and '"scattermap"' not in default
    tiled_app = create_app(Settings(data_dir=data_dir, geo_dir=geo_dir, map_tiles="osm"))
    tiled = rendered_text(tiled_app, "/")
    assert "tile.openstreetmap.org" in tiled and "OpenStreetMap" in tiled
    policy = tiled_app.server.test_client().get("/").headers["Content-Security-Policy"]
    assert "https://tile.openstreetmap.org" in policy


def gellerup_chart(app, indicator_id: str, measure: str, lang: str = "da"):
    """(figure, columns, table rows) of Gellerup/Toveshøj's chart of the indicator, 2006-2021, as the area page
    draws it."""
    from dashboard.pages import common

    data = app.bosoc_data.get()
    figure, columns, _years, rows, _notes = common.chart_parts(
        data,
        data.dataset.indicators[indicator_id],
        ["gellerup-toveshoej"],
        lang,
        measure,
        (2006, 2021),
        False,
        include_aggregate=False,
        height=360,
    )
    return figure, columns, rows


def test_the_gap_to_aarhus_kommune_is_left_empty_for_counts_and_says_why(app):
    # Residents of an estate minus residents of the whole municipality is no comparison: the chart says so instead
    # of drawing -340.343. Rates keep their gap.
    for lang, text in (("da", "Forskel til Aarhus Kommune<br>vises kun for andele"), ("en", "is shown for rates only")):
        figure, columns, rows = gellerup_chart(app, "beboere", "forskel", lang)
        assert columns["value"] and all(math.isnan(v) for v in columns["value"])
        assert all(cell == "–" for row in rows for cell in row[1:])
        assert text in figure["layout"]["annotations"][0]["text"]
    figure, columns, _rows = gellerup_chart(app, "skolefravaer", "forskel")
    assert [round(v, 1) for v in columns["value"]] == [5.2, 2.7]  # 11,3 - 6,1 in 2007 and 8,0 - 5,3 in 2017
    assert "annotations" not in figure["layout"]
    figure, columns, _rows = gellerup_chart(app, "beboere", "niveau")
    assert columns["value"] == [5260.0] and "annotations" not in figure["layout"]
    # A rate without any Aarhus Kommune figure in the area's years (the state list's): no gap, and the chart says why.
    figure, columns, _rows = gellerup_chart(app, "sl-uden-for-arbejde-uddannelse", "forskel")
    assert columns["value"] and all(math.isnan(v) for v in columns["value"])
    assert figure["layout"]["annotations"][0]["text"] == "Ingen tal for Aarhus Kommune<br>i de samme år"


def test_a_gap_chart_whose_values_are_all_suppressed_says_no_data(app):
    # Not "no Aarhus Kommune figures": the area's own values are held back (a suppressed row carries its reason).
    from dashboard.pages import common

    indicator = app.bosoc_data.get().dataset.indicators["skolefravaer"]
    suppressed = {"value": [math.nan], "note": ["færre end 5 personer"]}
    assert common._empty_text(indicator, "forskel", suppressed, "da") is None
    shown = {"value": [math.nan], "note": [""]}
    assert common._empty_text(indicator, "forskel", shown, "da") == "Ingen tal for Aarhus Kommune<br>i de samme år"
    assert common._empty_text(indicator, "niveau", shown, "da") is None


def test_a_web_worker_does_not_carry_modules_only_imports_and_downloads_need(data_dir, geo_dir, tmp_path):
    # Worker memory is a target (bench/run.py, worker RSS against the floor's): geopandas and shapely (geometry
    # import), openpyxl (reading and writing workbooks, about 9 MB) and WTForms (pulled in by importing the package
    # that ships Bootstrap's CSS) are loaded only by the commands and requests that use them.
    import subprocess
    import sys

    code = (
        "import sys; from dashboard.app import create_app; from dashboard.settings import Settings; "
        f"create_app(Settings(data_dir={str(data_dir)!r}, geo_dir={str(geo_dir)!r}, cache_dir={str(tmp_path)!r})); "
        "heavy = [m for m in ('geopandas', 'shapely', 'openpyxl', 'wtforms', 'flask_bootstrap') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-500:]
