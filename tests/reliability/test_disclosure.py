"""Disclosure: no suppressed value, numerator or denominator leaves the server, in any response.

The test is differential. Two copies of the shipped data get the same extra rows with denominators below the
suppression limit (5), which differ only in their (suppressed) numbers: in copy A, 2/3 = 66.7 %, 3/4 = 75.0 %, 1/3 =
33.3 % and a benchmark 4/4 = 100 %; in copy B, 1/4, 0/2, 4/4 and 1/2 for the same areas, indicators and years. Every
response the app can produce is requested from an app on A and an app on B: the pages (GET), the router callback for
every page and many query variants (measures, years, tabs, language, embed), every server callback that draws numbers
(maps with hover text, area and indicator charts with their tables, the data table, every download, whose CSV and XLSX
are compared cell by cell), Dash's layout and dependencies, and the health endpoint. After replacing the two data
versions (a hash of the files) by one placeholder, every response from A must equal the one from B: anything that
depends on a suppressed number, directly or through an index, a gap, a change, an aggregate or a hover label, would
differ. Alongside, A's responses are searched for the canary values as a person would read them ("66,7", "75,0 %").

A control proves the test can fail: with SUPPRESSION_LIMIT=0 the same comparison finds differences and the canaries.
Rows with a denominator of exactly 5 (at the limit, so shown) are in both copies and must appear.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from dashboard.app import create_app
from dashboard.pages import indicator as indicator_page
from dashboard.pages.area import indicators_for_area
from dashboard.settings import Settings
from tests.reliability.helpers import TALLY, copy_data, copy_geo, item, outputs_of, pattern_id

CANARY_YEAR = 2012
# (area, indicator, year): (A's value, numerator, denominator), (B's ...). All denominators below 5.
CANARIES = {
    ("bispehaven", "skolefravaer", 2012): (("66.7", "2", "3"), ("25.0", "1", "4")),
    ("viby-syd", "uden-for-arbejdsmarkedet", 2012): (("75.0", "3", "4"), ("0.0", "0", "2")),
    ("herredsvang", "skolefravaer", 2013): (("33.3", "1", "3"), ("100.0", "4", "4")),
    ("aarhus-kommune", "skolefravaer", 2012): (("100.0", "4", "4"), ("50.0", "1", "2")),
}
# Shown in both copies: a denominator at the limit, and counts that make 2012 an exact aggregate year.
SHOWN_ROWS = [
    ("trigeparken", "skolefravaer", 2012, "80.0", "4", "5"),
    ("gellerup-toveshoej", "skolefravaer", 2012, "10.0", "100", "1000"),
]
# A's suppressed rates as a reader would see them, in Danish and English.
CANARY_TEXTS = re.compile(r"(?<![\d.,])(66[,.]7|75[,.]0|33[,.]3)(?![\d])")
CANARY_AREAS = ["bispehaven", "viby-syd", "herredsvang", "gellerup-toveshoej", "trigeparken"]
CANARY_INDICATORS = ["skolefravaer", "uden-for-arbejdsmarkedet"]


def make_data(root: Path, copy: int) -> Path:
    data_dir = copy_data(root)
    lines = [
        f"{area},{indicator},{year},{numbers[copy][0]},{numbers[copy][1]},{numbers[copy][2]},aarsskrift-2018,"
        for (area, indicator, year), numbers in CANARIES.items()
    ]
    lines += [f"{a},{i},{y},{v},{n},{d},aarsskrift-2018," for a, i, y, v, n, d in SHOWN_ROWS]
    path = data_dir / "observations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + "\n".join(lines) + "\n", encoding="utf-8")
    return data_dir


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    root = tmp_path_factory.mktemp("disclosure")
    geo = copy_geo(root / "geo")
    built = {}
    for name, copy, limit in (("A", 0, 5), ("B", 1, 5), ("A0", 0, 0), ("B0", 1, 0)):
        data_dir = make_data(root / f"data-{name}", copy)
        settings = Settings(data_dir=data_dir, geo_dir=geo, cache_dir=root / f"cache-{name}", suppression_limit=limit)
        app = create_app(settings)
        client = app.server.test_client()
        client.get("/")
        built[name] = (app, client)
    return built


# --- the requests -------------------------------------------------------------------------------------------------


def _router(path: str, search: str) -> dict:
    return {
        "output": "..shell.children...page-title.children...html-lang.children...route-shown.data..",
        "outputs": [
            {"id": "shell", "property": "children"},
            {"id": "page-title", "property": "children"},
            {"id": "html-lang", "property": "children"},
            {"id": "route-shown", "property": "data"},
        ],
        "inputs": [item("route-request", "data", {"path": path, "search": search})],
        "changedPropIds": ["route-request.data"],
    }


def _callback(
    app, first_input: str, n_state: int, inputs: list, state: list, changed: list, all_indices: list[str] = ()
) -> dict:
    key = next(
        k
        for k, spec in app.callback_map.items()
        if "callback" in spec and spec["inputs"][0]["id"] == first_input and len(spec["state"]) == n_state
    )
    outputs = outputs_of(key, list(all_indices))
    return {"output": key, "outputs": outputs, "inputs": inputs, "state": state, "changedPropIds": changed}


def requests(app) -> list[tuple[str, str, object]]:
    """(label, method, body or path) for every response the app can produce that could carry a number."""
    out: list[tuple[str, str, object]] = []
    for path in ("/", "/om", "/strategi", "/data", "/omraade/bispehaven", "/indikator/skolefravaer", "/healthz"):
        out.append((f"GET {path}", "GET", path))
    out += [("GET layout", "GET", "/_dash-layout"), ("GET dependencies", "GET", "/_dash-dependencies")]
    pages = [("/", ""), ("/", "?sprog=en"), ("/", f"?aar={CANARY_YEAR}"), ("/", f"?aar={CANARY_YEAR}&maal=aendring")]
    pages += [("/", f"?indikator=uden-for-arbejdsmarkedet&aar={CANARY_YEAR}"), ("/om", ""), ("/strategi", "")]
    for area in CANARY_AREAS:
        pages.append((f"/omraade/{area}", ""))
    for search in ("?maal=indeks", "?maal=forskel&sprog=en", f"?fra={CANARY_YEAR}&til={CANARY_YEAR + 1}&embed=1"):
        pages.append(("/omraade/bispehaven", search))
    for indicator in CANARY_INDICATORS:
        for search in ("", "?fane=tabel", "?fane=kort", "?maal=indeks", "?maal=forskel", "?forbind=1&sprog=en"):
            pages.append((f"/indikator/{indicator}", search))
    pages.append(("/indikator/skolefravaer", "?omraader=bispehaven,herredsvang&fra=2012&til=2013"))
    for search in ("", "?omraader=bispehaven,viby-syd,aarhus-kommune", "?indikator=skolefravaer&fra=2012&til=2013"):
        pages.append(("/data", search))
    pages.append(("/data", "?sprog=en&omraader=herredsvang"))
    out += [(f"router {path}{search}", "POST", _router(path, search)) for path, search in pages]

    for page in ("overview", "indicator"):
        for indicator in CANARY_INDICATORS:
            for year in (CANARY_YEAR, 2013, None):
                for measure in ("niveau", "aendring"):
                    body = _callback(
                        app,
                        '{"page":["MATCH"],"type":"map-indicator"}',
                        2,
                        [
                            item(pattern_id("map-indicator", page), "value", indicator),
                            item(pattern_id("map-year", page), "value", year),
                            item(pattern_id("map-measure", page), "value", measure),
                        ],
                        # No outlines drawn yet: the whole figure (a patch carries a subset of it).
                        [item(pattern_id("map-outlines", page), "data", None), item("url", "search", "")],
                        [f'{{"page":"{page}","type":"map-year"}}.value'],
                    )
                    body["outputs"] = [{**o, "id": {**o["id"], "page": page}} for o in body["outputs"]]
                    out.append((f"map {page} {indicator} {year} {measure}", "POST", body))
    for area in ("bispehaven", "herredsvang", "viby-syd"):
        for measure, years in (("indeks", [2006, 2018]), ("forskel", [2010, 2014]), ("niveau", [2012, 2013])):
            body = _callback(
                app,
                "area-measure",
                2,
                [
                    item("area-measure", "value", measure),
                    item("area-years-from", "value", str(years[0])),
                    item("area-years-to", "value", str(years[1])),
                    item("area-connect", "value", True),
                ],
                [item("url", "pathname", f"/omraade/{area}"), item("url", "search", "")],
                ["area-measure.value"],
                # Every chart card the area's page has: the answer carries all of them.
                all_indices=indicators_for_area(app.bosoc_data.get(), area),
            )
            out.append((f"area charts {area} {measure} {years}", "POST", body))
    # The indicator page's controls are answered by its view route (pages/indicator.answer): every measure, and a pick
    # of each indicator from another one.
    for indicator in CANARY_INDICATORS:
        for measure in ("niveau", "indeks", "forskel"):
            controls = {"areas": CANARY_AREAS, "measure": measure, "years": [2006, 2018], "connect": True}
            body = {"pathname": f"/indikator/{indicator}", "search": "", "controls": controls | {"tab": "tabel"}}
            out.append((f"indicator charts {indicator} {measure}", "VIEW", body | {"picked": None}))
        controls = {
            "areas": ["bispehaven"],
            "measure": "niveau",
            "years": [2006, 2018],
            "connect": False,
            "tab": "graf",
        }
        body = {"pathname": "/indikator/beboere", "search": "", "controls": controls, "picked": indicator}
        out.append((f"indicator pick {indicator}", "VIEW", body))
    filters = [
        ([], [], None, None),
        (["bispehaven", "viby-syd", "herredsvang", "aarhus-kommune"], CANARY_INDICATORS, 2012, 2013),
    ]
    for areas, indicators, year_from, year_to in filters:
        values = [areas, indicators, year_from, year_to]
        ids = ("data-areas", "data-indicators", "data-from", "data-to")
        body = _callback(
            app,
            "data-areas",
            2,
            [item(i, "value", v) for i, v in zip(ids, values, strict=True)],
            [item("url", "search", ""), item("data-filter-notice", "hidden", True)],
            ["data-areas.value"],
        )
        out.append((f"data table {areas} {indicators}", "POST", body))
        buttons = ["data-download-csv-shown", "data-download-xlsx-shown", "data-download-csv-all"]
        buttons += ["data-download-xlsx-all", "data-download-template"]
        for pressed in buttons:
            for lang in ("", "?sprog=en"):
                body = _callback(
                    app,
                    "data-download-csv-shown",
                    5,
                    [item(b, "n_clicks", 1 if b == pressed else 0) for b in buttons],
                    [*(item(i, "value", v) for i, v in zip(ids, values, strict=True)), item("url", "search", lang)],
                    [f"{pressed}.n_clicks"],
                )
                out.append((f"download {pressed} {areas} {lang}", "POST", body))
    return out


# --- answers, normalised ------------------------------------------------------------------------------------------


def _download_cells(data: dict) -> object:
    """A dcc.Download answer with its file content replaced by the cells (XLSX files differ in their zip timestamps)."""
    content = base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()
    if data["filename"].endswith(".xlsx"):
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        cells = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}
    else:
        cells = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return {**data, "content": cells}


def fetch(app, client, method: str, request) -> str:
    """The answer as comparable text: JSON with downloads decoded and the data version replaced."""
    if method == "GET":
        response = client.get(request)
        assert response.status_code == 200, (request, response.status_code)
        text = response.get_data(as_text=True)
        text = re.sub(r'"end_id":"[^"]*"', "", text)
    elif method == "VIEW":
        response = client.post("/" + indicator_page.VIEW_ROUTE, json=request)
        assert response.status_code == 200, (request, response.status_code, response.get_data(as_text=True)[:300])
        text = json.dumps(response.get_json(), sort_keys=True, ensure_ascii=False)
    else:
        response = client.post("/_dash-update-component", json=request)
        assert response.status_code == 200, (
            request["output"],
            response.status_code,
            response.get_data(as_text=True)[:300],
        )
        answer = response.get_json()
        download = answer.get("response", {}).get("data-download", {}).get("data")
        if download:
            answer["response"]["data-download"]["data"] = _download_cells(download)
        text = json.dumps(answer, sort_keys=True, ensure_ascii=False, default=str)
    return text.replace(app.bosoc_data.get().version, "<data-version>")


def canary_texts(text: str) -> list[str]:
    return sorted(set(CANARY_TEXTS.findall(text)))


def differences(apps, first: str, second: str, subset=None) -> tuple[list[str], dict[str, str]]:
    app_a, client_a = apps[first]
    app_b, client_b = apps[second]
    differing, answers = [], {}
    for label, method, request in subset or requests(app_a):
        answer_a = fetch(app_a, client_a, method, request)
        answer_b = fetch(app_b, client_b, method, request)
        answers[label] = answer_a
        if answer_a != answer_b:
            differing.append(label)
    return differing, answers


def _first_difference(a: str, b: str) -> str:
    position = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return (
        f"...{a[max(0, position - 150) : position + 150]}...\n   vs\n...{b[max(0, position - 150) : position + 150]}..."
    )


def test_no_response_depends_on_a_suppressed_number(apps):
    differing, answers = differences(apps, "A", "B")
    TALLY["disclosure:responses compared (A vs B)"] += len(answers)
    if differing:
        app_a, client_a = apps["A"]
        app_b, client_b = apps["B"]
        label, method, request = next(r for r in requests(app_a) if r[0] == differing[0])
        detail = _first_difference(fetch(app_a, client_a, method, request), fetch(app_b, client_b, method, request))
        pytest.fail(f"{len(differing)} responses depend on suppressed numbers: {differing[:10]}\n{detail}")
    leaks = {label: canary_texts(text) for label, text in answers.items() if canary_texts(text)}
    assert not leaks, leaks


def test_the_comparison_finds_numbers_when_nothing_is_suppressed(apps):
    """The control: with SUPPRESSION_LIMIT=0 the same requests differ and show the canaries, so the test can fail."""
    app, _ = apps["A0"]
    subset = [
        r
        for r in requests(app)
        if r[0].startswith(("router /data", "router /omraade/bispehaven", "download", "map overview skolefravaer 2012"))
    ]
    differing, answers = differences(apps, "A0", "B0", subset)
    assert len(differing) >= len(subset) // 2, differing
    assert any(canary_texts(text) for text in answers.values())
    TALLY["disclosure:control responses (limit 0)"] += len(subset)


def test_suppressed_rows_keep_their_place_without_numbers_and_the_limit_row_is_shown(apps):
    app, client = apps["A"]
    body = _callback(
        app,
        "data-download-csv-shown",
        5,
        [item("data-download-csv-all", "n_clicks", 1)]
        + [
            item(b, "n_clicks", 0)
            for b in (
                "data-download-xlsx-shown",
                "data-download-csv-shown",
                "data-download-xlsx-all",
                "data-download-template",
            )
        ],
        [item(i, "value", None) for i in ("data-areas", "data-indicators", "data-from", "data-to")]
        + [item("url", "search", "")],
        ["data-download-csv-all.n_clicks"],
    )
    # Put the buttons back in their registered order.
    spec = app.callback_map[body["output"]]
    by_id = {entry["id"]: entry for entry in body["inputs"]}
    body["inputs"] = [by_id[i["id"]] for i in spec["inputs"]]
    response = client.post("/_dash-update-component", json=body)
    rows = _download_cells(response.get_json()["response"]["data-download"]["data"])["content"]
    header, records = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert "numerator" in header
    for area, indicator, year in CANARIES:
        (row,) = [r for r in records if (r["area_id"], r["indicator_id"], r["year"]) == (area, indicator, str(year))]
        assert row["suppressed"] == "true" and row["value"] == row["numerator"] == row["denominator"] == "", row
        assert "diskretionering" in row["suppression_reason"]
    (limit_row,) = [
        r for r in records if (r["area_id"], r["indicator_id"], r["year"]) == ("trigeparken", "skolefravaer", "2012")
    ]
    assert (limit_row["value"], limit_row["numerator"], limit_row["denominator"]) == ("80", "4", "5")
    TALLY["disclosure:download rows checked"] += len(CANARIES) + 1
