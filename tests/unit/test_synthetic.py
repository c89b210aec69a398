"""The synthetic data generator (dashboard.synthetic): a complete, valid, clearly labelled data folder at N times
the size, and the banner every page shows when such data are loaded."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard import synthetic
from dashboard.app import create_app
from dashboard.data.store import BENCHMARK_AREA_ID, DATA_FILES, SYNTHETIC_SOURCE_ID, load_dataset
from dashboard.datasource import make_public
from dashboard.geo import layers
from dashboard.pages import render
from dashboard.settings import Settings

HELHEDSPLAN = (
    "gellerup-toveshoej",
    "bispehaven",
    "viby-syd",
    "herredsvang",
    "langkaerparken",
    "trigeparken",
    "frydenlund-vandtaarnsomraadet",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return synthetic.generate(tmp_path_factory.mktemp("synthetic"), 5)


def test_the_folder_is_complete_and_validates(generated):
    data_dir, _geo_dir = generated
    assert all((data_dir / name).is_file() for name in DATA_FILES)
    dataset = load_dataset(data_dir)  # raises DataValidationError on any problem
    assert dataset.is_synthetic


def test_size_scales_with_the_factor(generated):
    dataset = load_dataset(generated[0])
    assert len(dataset.areas) == synthetic.AREAS_PER_SCALE * 5
    assert set(dataset.observations["indicator_id"]) == set(dataset.indicators)
    assert dataset.observations["year"].nunique() == len(synthetic.YEARS)


def test_every_number_is_labelled_synthetic(generated):
    dataset = load_dataset(generated[0])
    assert set(dataset.observations["source_id"]) == {SYNTHETIC_SOURCE_ID}
    source = dataset.sources.set_index("id").loc[SYNTHETIC_SOURCE_ID]
    assert source["title"] == "Syntetiske testdata"
    assert source["licence"] == "genereret af bench"


def test_real_areas_are_kept_so_real_links_work(generated):
    dataset = load_dataset(generated[0])
    ids = set(dataset.areas["id"])
    assert {*HELHEDSPLAN, BENCHMARK_AREA_ID} <= ids
    assert any(area_id.startswith("syn-") for area_id in ids)
    extra = dataset.areas[dataset.areas["id"].str.startswith("syn-")]
    assert set(extra["kind"]) == {"almen"}


def test_counts_include_small_denominators_that_get_suppressed(generated):
    dataset = load_dataset(generated[0])
    with_counts = dataset.observations.dropna(subset=["denominator"])
    assert len(with_counts) and (with_counts["denominator"] < 5).any()
    public = make_public(dataset, suppression_limit=5)
    assert public.observations["suppressed"].any()
    assert public.observations.loc[public.observations["suppressed"], "value"].isna().all()


def test_same_scale_and_seed_give_the_same_files(tmp_path, generated):
    again, _ = synthetic.generate(tmp_path, 5)
    assert load_dataset(again).version == load_dataset(generated[0]).version


def test_geo_has_a_point_for_every_synthetic_area(generated):
    data_dir, geo_dir = generated
    points = {p["area_id"] for p in layers.area_points(layers.load_areas(geo_dir))}
    assert set(load_dataset(data_dir).areas["id"]) - {BENCHMARK_AREA_ID, "skovgaardsparken"} <= points


def test_scale_below_one_is_refused(tmp_path):
    with pytest.raises(ValueError):
        synthetic.generate(tmp_path, 0)


@pytest.mark.parametrize("path", ["/", "/omraade/gellerup-toveshoej", "/indikator/skolefravaer", "/strategi"])
def test_every_page_shows_the_synthetic_banner(generated, tmp_path, path):
    data_dir, geo_dir = generated
    app = create_app(Settings(data_dir=data_dir, geo_dir=geo_dir, cache_dir=tmp_path / "cache"))
    with app.server.test_request_context(path):
        shell, _title, _lang = render(app, path, "")
    text = json.dumps(shell, cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert "SYNTETISKE DATA" in text
    assert "synthetic-banner" in text


def test_the_real_data_show_no_banner(app):
    with app.server.test_request_context("/"):
        shell, _title, _lang = render(app, "/", "")
    assert "SYNTETISKE DATA" not in json.dumps(shell, cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_some_indicators_have_quarters_and_the_rest_years(generated):
    observations = load_dataset(generated[0]).observations
    quarters = observations.groupby("indicator_id")["quarter"].agg(lambda q: set(q))
    assert {i for i, found in quarters.items() if found == {1, 2, 3, 4}} == set(synthetic.QUARTERLY_INDICATORS)
    assert all(found == {0} for i, found in quarters.items() if i not in synthetic.QUARTERLY_INDICATORS)


def _rendered_text(generated, tmp_path, path, search=""):
    data_dir, geo_dir = generated
    app = create_app(Settings(data_dir=data_dir, geo_dir=geo_dir, cache_dir=tmp_path / "cache"))
    with app.server.test_request_context(path + search):
        shell, _title, _lang = render(app, path, search)
    return json.dumps(shell, cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_a_quarterly_indicator_page_draws_and_tables_quarters(generated, tmp_path):
    text = _rendered_text(generated, tmp_path, "/indikator/uden-for-arbejdsmarkedet")
    assert '"2022K4"' in text and '"2003K1"' in text  # table columns
    assert "2022.875" in text  # the chart's x
    assert "kvartal 2022" in text  # the summary names quarters
    english = _rendered_text(generated, tmp_path, "/indikator/uden-for-arbejdsmarkedet", "?sprog=en")
    assert '"2022Q4"' in english and "2022K4" not in english


def test_the_overview_and_its_map_name_the_quarter_they_show(generated, tmp_path):
    text = _rendered_text(generated, tmp_path, "/", "?indikator=uden-for-arbejdsmarkedet&aar=2020")
    # KPI table: latest values with their quarter, change since the first quarter; the map: 2020's latest quarter,
    # named as a quarter in its summary and hover.
    assert "(2022K4)" in text
    assert "ændring siden 1. kvartal 2003" in text
    assert "18-64-årige uden for arbejdsmarkedet 2020K4: højest i" in text
    assert "Uden for arbejdsmarkedet (%) 2020K4<br>" in text
    # The year list says which quarter each year's map shows.
    assert '{"label": "2020K4", "value": 2020}' in text


def _with_class(node, class_name: str) -> list:
    """Every component (as plotly JSON) whose className is ``class_name``."""
    found = []
    if isinstance(node, dict):
        if (node.get("props") or {}).get("className") == class_name:
            found.append(node)
        for value in node.values():
            found += _with_class(value, class_name)
    elif isinstance(node, list):
        for value in node:
            found += _with_class(value, class_name)
    return found


def test_the_overview_names_the_source_of_the_numbers_it_shows_not_of_the_definition(generated, tmp_path):
    # The headline indicators are defined in the annual report, but these numbers are synthetic: the source line
    # under each KPI table names where its values come from.
    shell = json.loads(_rendered_text(generated, tmp_path, "/"))
    lines = [json.dumps(line, ensure_ascii=False) for line in _with_class(shell, "source-line")]
    assert len(lines) == 2
    assert all("Syntetiske testdata" in line and "Årsskrift" not in line for line in lines)


def test_a_download_of_quarterly_figures_says_the_quarter_of_each_row(generated):
    from dashboard import downloads

    data = make_public(load_dataset(generated[0]), suppression_limit=5)
    rows = downloads.filter_observations(data.observations, ["bispehaven"], ["uden-for-arbejdsmarkedet"], 2022, 2022)
    lines = downloads.to_csv_bytes(downloads.download_frame(data.dataset, rows)).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[4:6] == ["year", "quarter"]
    assert sorted(line.split(",")[5] for line in lines[1:]) == sorted(
        str(q)
        for q in data.observations.loc[
            (data.observations["area_id"] == "bispehaven")
            & (data.observations["indicator_id"] == "uden-for-arbejdsmarkedet")
            & (data.observations["year"] == 2022),
            "quarter",
        ]
    )
    assert {line.split(",")[5] for line in lines[1:]} <= {"1", "2", "3", "4"}
