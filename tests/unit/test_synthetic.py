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
