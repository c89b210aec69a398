"""The data page (/data) and its downloads: routes, the pure file builders, the page's filters in the URL, and the
two safety rules of every download (suppressed rows carry no numbers; spreadsheet formulas are neutralised).

Expected results come from the shipped data through the public (suppressed) frame, never hard-coded, so the tests
keep holding when the secretariat imports new figures.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
import json

import openpyxl
import pandas as pd
import plotly
import pytest

from dashboard import downloads, pages
from dashboard.app import create_app
from dashboard.data import importer
from dashboard.datasource import make_public
from dashboard.i18n import catalogue, t
from dashboard.pages import data_page
from dashboard.settings import Settings

LIMIT = Settings().suppression_limit


@pytest.fixture(scope="module")
def app():
    return create_app(Settings())


@pytest.fixture(scope="module")
def data(app):
    return app.bosoc_data.get()


@pytest.fixture(scope="module")
def suppressed_data(data):
    """The shipped dataset with one published rate given counts below the limit, made public as the app does."""
    observations = data.dataset.observations.copy()
    position = observations.index[
        (observations["indicator_id"] == "skolefravaer") & (observations["area_id"] == "bispehaven")
    ][0]
    observations.loc[position, ["value", "numerator", "denominator"]] = [50.0, 1.0, LIMIT - 1.0]
    dataset = dataclasses.replace(data.dataset, observations=observations)
    public = make_public(dataset, LIMIT)
    assert public.observations["suppressed"].sum() == 1
    return public


def as_text(component) -> str:
    return json.dumps(component.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def rendered(app, search: str, path: str = "/data"):
    with app.server.test_request_context():
        return pages.render(app, path, search)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_sheet_rows(content: bytes, sheet: str) -> list[dict[str, object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    rows = list(workbook[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def table_rows(component) -> list[dict]:
    """The rows of the rendered observations table (the host's JSON, components.chart.rich_table_spec), each as its
    attributes (data-indicator, data-area) and its cells."""
    found = []

    def walk(node):
        props = node.to_plotly_json() if hasattr(node, "to_plotly_json") else None
        if props is None:
            return
        spec = props["props"].get("data-table")
        if spec and json.loads(spec).get("id") == "data-observations":
            found.extend(dict(row["attrs"], cells=row["cells"]) for row in json.loads(spec)["rows"])
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            walk(child)

    walk(component)
    return found


def answered_rows(answer) -> list[dict]:
    """``table_rows`` of a callback's JSON answer (the components as Dash sends them)."""
    found = []

    def walk(node):
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            spec = node.get("props", {}).get("data-table")
            if spec and json.loads(spec).get("id") == "data-observations":
                found.extend(dict(row["attrs"], cells=row["cells"]) for row in json.loads(spec)["rows"])
            walk(node.get("props", {}).get("children"))

    walk(answer)
    return found


# --- routes -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/data", "/om", "/data?indikator=skolefravaer&fra=2007", "/data?omraader=x,y"])
def test_pages_answer_200(app, path):
    assert app.server.test_client().get(path).status_code == 200


# --- downloads: CSV -----------------------------------------------------------------------------------------------


def test_csv_all_has_one_row_per_public_observation_with_ids_names_and_source(data):
    content, name = downloads.build_download(data, "csv", "alle")
    rows = csv_rows(content)
    assert len(rows) == len(data.observations)
    assert list(rows[0]) == downloads.DOWNLOAD_COLUMNS
    titles = dict(zip(data.dataset.sources["id"], data.dataset.sources["title"], strict=True))
    urls = dict(zip(data.dataset.sources["id"], data.dataset.sources["url"], strict=True))
    for row in rows:
        assert row["source_title"] == titles[row["source_id"]]
        assert row["source_url"] == urls[row["source_id"]]
        assert row["area_name"] == data.dataset.area_name(row["area_id"])
        assert row["indicator_name"] == data.dataset.indicators[row["indicator_id"]].name["da"]
        assert row["unit"] == data.dataset.indicators[row["indicator_id"]].unit
    assert name == f"bosoc-data-alle-{data.version}.csv"


def test_csv_is_machine_readable_comma_separated_with_decimal_point(data):
    content, _ = downloads.build_download(data, "csv", "alle")
    header = content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == downloads.DOWNLOAD_COLUMNS
    rows = csv_rows(content)
    published = data.observations[~data.observations["suppressed"]]
    assert all("," not in row["value"] for row in rows)
    decimals = [row["value"] for row in rows if "." in row["value"]]
    assert decimals, "the shipped data has decimal values"
    by_key = {(r["area_id"], r["indicator_id"], int(r["year"])): float(r["value"]) for r in rows if r["value"]}
    for row in published.to_dict("records"):
        assert by_key[(row["area_id"], row["indicator_id"], row["year"])] == pytest.approx(row["value"])


def test_csv_as_shown_respects_every_filter(data):
    content, name = downloads.build_download(
        data,
        "csv",
        "visning",
        area_ids=["gellerup-toveshoej", "aarhus-kommune"],
        indicator_ids=["skolefravaer"],
        year_from=2010,
        year_to=2020,
    )
    rows = csv_rows(content)
    obs = data.observations
    expected = obs[
        obs["area_id"].isin(["gellerup-toveshoej", "aarhus-kommune"])
        & (obs["indicator_id"] == "skolefravaer")
        & obs["year"].between(2010, 2020)
    ]
    assert len(rows) == len(expected) > 0
    assert {r["area_id"] for r in rows} <= {"gellerup-toveshoej", "aarhus-kommune"}
    assert {r["indicator_id"] for r in rows} == {"skolefravaer"}
    assert all(2010 <= int(r["year"]) <= 2020 for r in rows)
    assert name == f"bosoc-data-skolefravaer-gellerup-toveshoej-aarhus-kommune-2010-2020-{data.version}.csv"


def test_as_shown_without_filters_is_everything(data):
    everything, _ = downloads.build_download(data, "csv", "alle")
    shown, name = downloads.build_download(data, "csv", "visning")
    assert shown == everything
    assert name == f"bosoc-data-alle-{data.version}.csv"


def test_reversed_years_are_read_the_right_way_round(data):
    forwards = downloads.filter_observations(data.observations, year_from=2007, year_to=2017)
    backwards = downloads.filter_observations(data.observations, year_from=2017, year_to=2007)
    assert forwards.equals(backwards)


def test_english_download_has_english_names(data):
    rows = csv_rows(downloads.build_download(data, "csv", "visning", "en", indicator_ids=["skolefravaer"])[0])
    assert {r["indicator_name"] for r in rows} == {"School absence"}
    assert "Aarhus Municipality" in {r["area_name"] for r in rows}


# --- downloads: XLSX ----------------------------------------------------------------------------------------------


def test_xlsx_has_data_sources_and_indicator_sheets(data):
    content, name = downloads.build_download(data, "xlsx", "alle")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Data", "Kilder", "Indikatorer"]
    data_rows = xlsx_sheet_rows(content, "Data")
    assert len(data_rows) == len(data.observations)
    assert list(data_rows[0]) == downloads.DOWNLOAD_COLUMNS
    assert len(xlsx_sheet_rows(content, "Kilder")) == len(data.dataset.sources)
    indicators = xlsx_sheet_rows(content, "Indikatorer")
    assert [row["id"] for row in indicators] == list(data.dataset.indicators)
    with_data = set(data.observations["indicator_id"])
    assert all(row["has_data"] == (row["id"] in with_data) for row in indicators)
    assert name.endswith(f"-{data.version}.xlsx")


def test_xlsx_numbers_are_numbers(data):
    content, _ = downloads.build_download(data, "xlsx", "visning", indicator_ids=["skolefravaer"])
    rows = xlsx_sheet_rows(content, "Data")
    assert rows and all(isinstance(row["value"], float | int) for row in rows if not row["suppressed"])
    assert all(isinstance(row["year"], int) for row in rows)


# --- formula injection --------------------------------------------------------------------------------------------

DANGEROUS = ['=HYPERLINK("http://example.invalid")', "+SUM(A1:A2)", "-2+3", "@cmd", "\tTAB", "\rCR"]


def synthetic_frame() -> pd.DataFrame:
    """A download frame whose text cells start with every formula trigger (notes, names and source title)."""
    rows = []
    for number, text in enumerate(DANGEROUS):
        rows.append(
            {
                "area_id": "a",
                "area_name": text,
                "indicator_id": "i",
                "indicator_name": "Navn",
                "year": 2000 + number,
                "value": -1.5 if number == 0 else 2.0,
                "numerator": None,
                "denominator": None,
                "unit": "pct",
                "source_id": "s",
                "source_title": text,
                "source_url": "",
                "note": text,
                "suppressed": False,
                "suppression_reason": "",
            }
        )
    return pd.DataFrame(rows, columns=downloads.DOWNLOAD_COLUMNS)


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_prefixes_an_apostrophe(text):
    assert downloads.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Skolefravær", "5,1 %", "", "a=b", "'=already"])
def test_neutralise_leaves_harmless_text(text):
    assert downloads.neutralise(text) == text


def test_csv_neutralises_formula_cells_but_not_numbers():
    rows = csv_rows(downloads.to_csv_bytes(synthetic_frame()))
    for row, text in zip(rows, DANGEROUS, strict=True):
        for column in ("area_name", "source_title", "note"):
            assert row[column] == "'" + text
    assert rows[0]["value"] == "-1.5", "a negative number is a number, not a formula"


def test_xlsx_writes_formula_like_text_as_strings(data):
    content = downloads.to_xlsx_bytes(synthetic_frame(), data)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Data"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for row_number, text in enumerate(DANGEROUS, start=2):
        for column in ("area_name", "source_title", "note"):
            cell = sheet.cell(row=row_number, column=columns[column])
            assert cell.data_type == "s"
            assert cell.value.lstrip("'") == text
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.cell(row=2, column=columns["value"]).value == -1.5


# --- suppression --------------------------------------------------------------------------------------------------


def test_suppressed_rows_carry_no_numbers_in_csv(suppressed_data):
    rows = csv_rows(downloads.build_download(suppressed_data, "csv", "alle", suppression_limit=LIMIT)[0])
    hidden = [r for r in rows if r["suppressed"] == "true"]
    assert len(hidden) == 1
    row = hidden[0]
    assert (row["area_id"], row["indicator_id"]) == ("bispehaven", "skolefravaer")
    assert row["value"] == row["numerator"] == row["denominator"] == ""
    assert str(LIMIT) in row["suppression_reason"]
    assert all(r["suppression_reason"] == "" for r in rows if r["suppressed"] == "false")


def test_suppressed_rows_carry_no_numbers_in_xlsx(suppressed_data):
    content, _ = downloads.build_download(suppressed_data, "xlsx", "alle", "en", LIMIT)
    hidden = [r for r in xlsx_sheet_rows(content, "Data") if r["suppressed"]]
    assert len(hidden) == 1
    assert hidden[0]["value"] is None and hidden[0]["numerator"] is None and hidden[0]["denominator"] is None
    assert hidden[0]["suppression_reason"].startswith("Fewer than")


def test_download_frame_blanks_numbers_even_if_a_frame_still_has_them(suppressed_data):
    observations = suppressed_data.observations.copy()
    observations.loc[observations["suppressed"], "value"] = 99.0
    frame = downloads.download_frame(suppressed_data.dataset, observations)
    assert frame.loc[frame["suppressed"], "value"].isna().all()


def test_page_shows_a_dash_and_the_reason_for_a_suppressed_value(suppressed_data):
    values = {"omraader": ("bispehaven",), "indikator": ("skolefravaer",), "fra": None, "til": None}
    text = "".join(as_text(c) for c in data_page.data_table(suppressed_data, values, "da", LIMIT))
    assert "Skjult: Færre end" in text
    rows = data_page.observation_rows(
        suppressed_data, suppressed_data.observations[suppressed_data.observations["suppressed"]], "da", LIMIT
    )
    value = rows[0]["cells"][3]
    assert value["text"] == "–" and "Færre end" in value["title"]  # the reason on hover
    assert "50" not in json.dumps(value) and rows[0]["className"] == "suppressed-row"
    assert rows[0]["cells"][7]["strong"].startswith("Skjult: Færre end")  # and in bold in the note


# --- the rendered page and its callbacks --------------------------------------------------------------------------


def test_rendered_page_shows_only_the_chosen_indicator(app, data):
    shell, title, lang = rendered(app, "?indikator=skolefravaer")
    assert title == t("data.title", "da") and lang == "da"
    rows = table_rows(shell)
    expected = data.observations[data.observations["indicator_id"] == "skolefravaer"]
    assert len(rows) == len(expected) > 0
    assert {row["data-indicator"] for row in rows} == {"skolefravaer"}
    text = as_text(shell)
    assert "Skolefravær" in text
    assert t("data.count", "da", shown=len(expected), total=len(data.observations)) in text


def test_rendered_page_filters_by_area_and_years_and_formats_danish(app, data):
    shell, _, _ = rendered(app, "?omraader=gellerup-toveshoej&indikator=skolefravaer&fra=2017&til=2017")
    rows = table_rows(shell)
    assert len(rows) == 1
    assert rows[0]["data-area"] == "gellerup-toveshoej"
    value = data.observations.query(
        "area_id == 'gellerup-toveshoej' and indicator_id == 'skolefravaer' and year == 2017"
    )
    expected = f"{value['value'].iloc[0]:.1f}".replace(".", ",") + " %"
    assert expected in as_text(shell)


def test_unfiltered_page_lists_every_public_observation(app, data):
    shell, _, _ = rendered(app, "")
    assert len(table_rows(shell)) == min(len(data.observations), data_page.MAX_TABLE_ROWS)


def test_table_is_capped_with_a_note(data, monkeypatch):
    monkeypatch.setattr(data_page, "MAX_TABLE_ROWS", 3)
    values = {"omraader": (), "indikator": (), "fra": None, "til": None}
    children = data_page.data_table(data, values, "da", LIMIT)
    assert len(table_rows(children[1])) == 3
    assert t("data.count_capped", "da", shown=3, matching=len(data.observations), total=len(data.observations)) in (
        as_text(children[0])
    )


def test_controls_are_set_from_the_url(app):
    shell, _, _ = rendered(app, "?omraader=bispehaven&indikator=skolefravaer,beboere&fra=2007&til=2017")
    text = as_text(shell)
    for needle in ('"value": ["bispehaven"]', '"value": ["skolefravaer", "beboere"]', '"value": 2007', '"value": 2017'):
        assert needle in text


@pytest.mark.parametrize("search", ["?omraader=bogus", "?indikator=skolefravaer,nope", "?fra=1800", "?til=abc"])
def test_invalid_parameters_fall_back_with_a_notice(app, data, search):
    shell, _, _ = rendered(app, search)
    assert len(table_rows(shell)) == min(len(data.observations), data_page.MAX_TABLE_ROWS)
    assert "url-notice" in as_text(shell)


def test_callback_writes_the_filters_into_the_url(data):
    def search_for_controls(data, search, *controls):
        # What the filter callback writes into the address: the controls' clean values, or nothing when unchanged.
        values, invalid = data_page.values_from_controls(data, search, *controls)
        return None if invalid else data_page.changed_search(data, values, search)

    search = search_for_controls(data, "?sprog=en", ["bispehaven"], ["skolefravaer"], 2007, None)
    assert search == "?sprog=en&omraader=bispehaven&indikator=skolefravaer&fra=2007"
    assert search_for_controls(data, search, [], [], None, None) == "?sprog=en"
    assert search_for_controls(data, search, ["bispehaven"], ["skolefravaer"], 2007, None) is None


def test_one_answer_sets_the_table_and_the_address(app, data):
    # A filter change is one callback answering the table and the address (two callbacks cost the browser a second
    # round of store updates over the whole page).
    from tests.reliability.helpers import outputs_of

    key = next(k for k, spec in app.callback_map.items() if spec["inputs"][0]["id"] == "data-areas")
    body = {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": [
            {"id": "data-areas", "property": "value", "value": ["bispehaven"]},
            {"id": "data-indicators", "property": "value", "value": ["skolefravaer"]},
            {"id": "data-from", "property": "value", "value": 2007},
            {"id": "data-to", "property": "value", "value": None},
        ],
        "state": [
            {"id": "url", "property": "search", "value": "?sprog=en"},
            {"id": "data-filter-notice", "property": "hidden", "value": True},
        ],
        "changedPropIds": ["data-areas.value"],
    }
    response = app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200
    answer = response.get_json()["response"]
    assert answer["url"]["search"] == "?sprog=en&omraader=bispehaven&indikator=skolefravaer&fra=2007"
    shown = table_rows(rendered(app, answer["url"]["search"])[0])
    assert shown and {row["data-area"] for row in shown} == {"bispehaven"}
    assert answered_rows(answer["data-table"]["children"]) == shown  # the rows its address shows
    # The address already says so: the table is answered, the address is left alone.
    body["state"][0] = {"id": "url", "property": "search", "value": answer["url"]["search"]}
    again = app.server.test_client().post("/_dash-update-component", json=body).get_json()["response"]
    assert "url" not in again and "data-table" in again
    # The same filters again (another reader, another worker): the same answer, from the shared cache.
    repeated = create_app(app.bosoc_settings).server.test_client().post("/_dash-update-component", json=body)
    assert repeated.headers["X-Bosoc-Cache"] == "hit" and repeated.get_json()["response"] == again


def test_the_sources_table_and_the_definitions_travel_as_text(app, data):
    # The sources table is one element carrying its rows (a link to each source, its id under the title), and each
    # indicator's unit, direction and id are paragraphs of its definition block: as components they were about 670
    # of the page's 1.735, and each component costs every filter change time.
    with app.server.test_request_context():
        layout = pages.render(app, "/data", "")[0]
    nodes = [layout, *layout._traverse()]
    specs = [json.loads(n.to_plotly_json()["props"]["data-table"]) for n in nodes if hasattr(n, "data-table")]
    sources_table = next(spec for spec in specs if "sources-table" in spec["className"])
    records = data.dataset.sources.to_dict("records")
    assert len(sources_table["rows"]) == len(records)
    for row, source in zip(sources_table["rows"], records, strict=True):
        title, publisher, year, licence, note = row["cells"]
        assert title == {"text": source["title"], "href": source["url"] or None, "small": f"id: {source['id']}"}
        assert (publisher, year, licence, note) == (
            source["publisher"],
            str(source["year"]),
            source["licence"],
            source["note"],
        )
    assert sources_table["numeric"] == [2] and sources_table["cellClasses"] == {"4": "note-cell"}
    # The definitions travel as one element carrying them (components.tree): an entry per indicator.
    from tests.reliability.helpers import tree_elements

    [listing] = [n for n in nodes if getattr(n, "className", None) == "definition-list"]
    elements = list(tree_elements(getattr(listing, "data-tree")))
    definitions = {e["attrs"]["id"]: e for e in elements if e["attrs"].get("class") == "indicator-definition"}
    assert len(definitions) == len(data.dataset.indicators)
    assert all(e["tag"] == "details" for e in definitions.values())
    entry = definitions["definition-skolefravaer"]
    block = next(e for e in tree_elements(entry) if "data-definition" in e["attrs"])
    after = json.loads(block["attrs"]["data-definition"])["after"]
    assert after == [
        ["Enhed", "%", "text"],
        ["Retning", "Lavere er bedre", "text"],
        ["Id (i filerne)", "skolefravaer", "code"],
    ]
    components = sum(1 for n in nodes if hasattr(n, "to_plotly_json"))
    assert components < 150  # 855 in session 10, 296 with the definitions as components (the shell adds its own)


def test_download_callback_builds_each_file(data):
    search = "?indikator=skolefravaer"
    filters = ([], ["skolefravaer"], None, None)
    sent = data_page.download_for_button(data, "data-download-csv-shown", search, filters, LIMIT)
    rows = csv_rows(base64.b64decode(sent["content"]))
    assert {r["indicator_id"] for r in rows} == {"skolefravaer"}
    assert sent["filename"] == f"bosoc-data-skolefravaer-{data.version}.csv"
    sent = data_page.download_for_button(data, "data-download-xlsx-all", search, filters, LIMIT)
    assert len(xlsx_sheet_rows(base64.b64decode(sent["content"]), "Data")) == len(data.observations)
    sent = data_page.download_for_button(data, data_page.TEMPLATE_BUTTON, search, filters, LIMIT)
    assert sent["filename"] == downloads.template_file_name()


# --- definitions, sources, version, template ----------------------------------------------------------------------


def test_page_lists_every_indicator_and_marks_those_without_data(app, data):
    shell, _, _ = rendered(app, "")
    with_data = set(data.observations["indicator_id"])
    for indicator_id, indicator in data.dataset.indicators.items():
        entry = as_text(data_page._indicator_entry(pages.render_context(app, "/data", ""), indicator))
        assert indicator.name["da"] in entry
        assert indicator.definition["da"] in entry
        assert (t("common.no_data_yet", "da") in entry) == (indicator_id not in with_data)
    assert as_text(shell).count("indicator-definition") == len(data.dataset.indicators)


def test_page_shows_sources_with_licences_and_the_data_version(app, data):
    text = as_text(rendered(app, "")[0])
    for source in data.dataset.sources.to_dict("records"):
        assert source["licence"] in text
        if source["url"]:
            assert source["url"] in text
    assert data.version in text
    assert data.dataset.modified.strftime("%d.%m.%Y") in text


def test_page_explains_the_csv_format_and_the_import_commands(app):
    text = as_text(rendered(app, "")[0])
    assert t("data.downloads_csv_format", "da") in text
    assert "python -m dashboard import FIL --dry-run" in text
    assert "python -m dashboard versions" in text and "python -m dashboard restore" in text


def test_template_is_accepted_by_the_importer_and_repeats_a_real_observation(data, tmp_path):
    content = downloads.template_csv_bytes(data)
    lines = content.decode("utf-8-sig").splitlines()
    # "kvartal" is there for quarterly figures; the example is a yearly figure, so its cell is empty.
    assert lines[0] == "område;indikator;år;kvartal;værdi;tæller;nævner;kilde;note"
    assert lines[1].split(";")[3] == ""
    assert len(lines) == 2
    path = tmp_path / "skabelon.csv"
    path.write_bytes(content)
    observations, new_sources, _ = importer.parse_table(importer.read_table(path), data.dataset)
    assert new_sources == []
    row = observations.iloc[0]
    existing = data.dataset.observations.set_index(["area_id", "indicator_id", "year"])
    assert existing.loc[(row["area_id"], row["indicator_id"], row["year"]), "value"] == pytest.approx(row["value"])


def test_english_page(app):
    shell, title, lang = rendered(app, "?sprog=en&indikator=skolefravaer")
    assert (title, lang) == ("Data and sources", "en")
    text = as_text(shell)
    assert "School absence" in text and t("data.section_definitions", "en") in text


def test_every_data_string_has_both_languages():
    keys = [key for key in catalogue() if key.startswith("data.")]
    assert keys
    for key in keys:
        texts = catalogue()[key]
        assert set(texts) == {"da", "en"} and all(str(text).strip() for text in texts.values()), key


def test_more_areas_than_an_address_carries_are_refused_with_a_notice_and_change_nothing(app, monkeypatch):
    # urlstate.MAX_LIST_ITEMS (50) is reached only with that many areas in the data: lowered here to 2.
    from dashboard import urlstate
    from tests.reliability.helpers import outputs_of

    monkeypatch.setattr(urlstate, "MAX_LIST_ITEMS", 2)
    key = next(k for k, spec in app.callback_map.items() if spec["inputs"][0]["id"] == "data-areas")

    def post(areas, hidden, search=""):
        body = {
            "output": key,
            "outputs": outputs_of(key),
            "inputs": [
                {"id": "data-areas", "property": "value", "value": areas},
                {"id": "data-indicators", "property": "value", "value": []},
                {"id": "data-from", "property": "value", "value": None},
                {"id": "data-to", "property": "value", "value": None},
            ],
            "state": [
                {"id": "url", "property": "search", "value": search},
                {"id": "data-filter-notice", "property": "hidden", "value": hidden},
            ],
            "changedPropIds": ["data-areas.value"],
        }
        response = app.server.test_client().post("/_dash-update-component", json=body)
        assert response.status_code == 200
        return response.get_json()

    three = ["bispehaven", "viby-syd", "herredsvang"]
    refused = post(three, True)
    assert refused["response"] == {}  # neither the table nor the address
    assert refused["sideUpdate"] == {
        "data-filter-notice": {
            "children": 'Højst 2 kan vælges i feltet "Områder" (du har valgt 3). Vælg færre; visningen er ikke ændret.',
            "hidden": False,
        }
    }
    english = post(three, True, "?sprog=en")["sideUpdate"]["data-filter-notice"]["children"]
    assert english == 'At most 2 can be chosen in "Areas" (you chose 3). Choose fewer; the view has not changed.'
    # Back within the limit: the table and address follow, and the shown notice is hidden.
    accepted = post(["bispehaven"], False)
    assert accepted["response"]["url"]["search"] == "?omraader=bispehaven"
    assert accepted["sideUpdate"] == {"data-filter-notice": {"children": "", "hidden": True}}
    # A hidden notice is left alone.
    assert "sideUpdate" not in post(["viby-syd"], True)
