"""Loading and validating the data folder, and keeping and restoring versions (dashboard.data.store).

Each validation test breaks one rule once in a copy of the small fixture folder and checks that the problem names
the file, row and column a person has to fix: the start-up check is only useful if its messages lead to the cell.
"""

from __future__ import annotations

import pytest

from dashboard.data import store
from dashboard.data.problems import DataValidationError
from dashboard.settings import PROJECT_ROOT


@pytest.fixture
def problems_after(small_data_dir, edit):
    """The problems of the fixture folder after one edit of one file."""

    def problems(file: str, old: str, new: str) -> list:
        edit(small_data_dir / file, old, new)
        with pytest.raises(DataValidationError) as raised:
            store.load_dataset(small_data_dir)
        return raised.value.problems

    return problems


def places(problems) -> set[tuple]:
    return {(p.file, p.row, p.column) for p in problems}


def test_fixture_folder_loads_with_every_data_file(small_data_dir):
    assert {path.name for path in small_data_dir.iterdir()} == set(store.DATA_FILES)
    dataset = store.load_dataset(small_data_dir)
    assert len(dataset.observations) == 5
    assert dataset.area_name("gellerup-toveshoej") == "Gellerup/Toveshøj"
    assert dataset.indicators_with_data() == ["skolefravaer", "beboere"]
    assert not dataset.is_synthetic


def test_shipped_data_folder_loads():
    dataset = store.load_dataset(PROJECT_ROOT / "data")
    assert store.BENCHMARK_AREA_ID in set(dataset.areas["id"])
    assert len(dataset.observations) > 0
    assert not dataset.is_synthetic, "synthetic data must never be shipped"


# (file, text to replace, replacement, expected (file, row, column), words of the message)
OBSERVATION_RULES = {
    "unknown area": (
        "bispehaven,skolefravaer,2017",
        "nowhere,skolefravaer,2017",
        4,
        "area_id",
        "ukendt område",
    ),
    "unknown indicator": (
        "bispehaven,skolefravaer,2017",
        "bispehaven,fravaer,2017",
        4,
        "indicator_id",
        "ukendt indikator",
    ),
    "unknown source": (
        "5900,,,aarsskrift-2018,",
        "5900,,,ukendt-kilde,",
        6,
        "source_id",
        "ukendt kilde",
    ),
    "duplicate key": (
        "skolefravaer,2007,11.3",
        "skolefravaer,2017,11.3",
        3,
        "year",
        "mere end én række",
    ),
    "percentage above 100": ("2017,8.0,", "2017,120.0,", 3, "value", "mellem 0 og 100"),
    "negative value": ("2018,5900,", "2018,-5,", 6, "value", "negativ"),
    "numerator above denominator": (
        "6.3,63,1000",
        "6.3,1063,1000",
        4,
        "numerator",
        "større end nævneren",
    ),
    "fractional numerator": (
        "6.3,63,1000",
        "6.3,63.5,1000",
        4,
        "numerator",
        "helt tal",
    ),
    "non-number": ("2007,11.3,", "2007,elleve,", 2, "value", "skal være et tal"),
    "year out of range": (
        "skolefravaer,2007,",
        "skolefravaer,1890,",
        2,
        "year",
        "mellem 1990 og 2100",
    ),
    "missing column": (
        "year,value,numerator",
        "year,numerator",
        1,
        "value",
        "påkrævet kolonne mangler",
    ),
}


@pytest.mark.parametrize("rule", OBSERVATION_RULES, ids=list(OBSERVATION_RULES))
def test_broken_observation_rule_names_file_row_and_column(problems_after, rule):
    old, new, row, column, words = OBSERVATION_RULES[rule]
    problems = problems_after("observations.csv", old, new)
    matching = [p for p in problems if (p.file, p.row, p.column) == ("observations.csv", row, column)]
    assert matching, f"no problem at row {row}, column {column}: {problems}"
    assert words in matching[0].message
    assert f"observations.csv, række {row}, kolonne '{column}'" in str(matching[0])


def test_duplicated_area_id_names_the_second_row(problems_after):
    problems = problems_after("areas.csv", "bispehaven,Bispehaven", "gellerup-toveshoej,Bispehaven")
    assert ("areas.csv", 3, "id") in places(problems)


def test_missing_benchmark_area_is_a_problem(problems_after):
    problems = problems_after("areas.csv", "aarhus-kommune,Aarhus Kommune", "aarhus,Aarhus Kommune")
    assert any(p.file == "areas.csv" and "aarhus-kommune" in p.message for p in problems)


# YAML entries have no spreadsheet row: the place is the entry's path, given as the "column".
def test_missing_english_text_in_indicators_names_the_entry(problems_after):
    problems = problems_after("indicators.yaml", "name: {da: Beboere, en: Residents}", "name: {da: Beboere}")
    problem = next(p for p in problems if p.file == "indicators.yaml")
    assert problem.column == "indicators[2] (beboere)"
    assert "dansk (da) og engelsk (en)" in problem.message


def test_unknown_indicator_in_criteria_names_the_criterion(problems_after):
    problems = problems_after("criteria.yaml", "indicator_id: sl-ledighed", "indicator_id: sl-findes-ikke")
    problem = next(p for p in problems if p.file == "criteria.yaml")
    assert "criteria (uden-for-arbejde-uddannelse)" in problem.column
    assert (problem.message, problem.value) == ("ukendt indikator", "sl-findes-ikke")


def test_unknown_indicator_in_strategy_names_the_theme(problems_after):
    problems = problems_after("strategy.yaml", "[skolefravaer]", "[skolefravaer, findes-ikke]")
    problem = next(p for p in problems if p.file == "strategy.yaml")
    assert problem.column == "themes (uddannelse)"
    assert (problem.message, problem.value) == ("ukendt indikator", "findes-ikke")


def test_every_problem_is_reported_not_just_the_first(small_data_dir, edit, problems_after):
    edit(small_data_dir / "observations.csv", "2007,11.3,", "2007,elleve,")
    problems = problems_after("areas.csv", "bispehaven,Bispehaven", "gellerup-toveshoej,Bispehaven")
    assert {"observations.csv", "areas.csv"} <= {p.file for p in problems}


def test_write_keeps_the_previous_files_as_a_version(small_data_dir):
    before = (small_data_dir / "observations.csv").read_bytes()
    with store.data_lock(small_data_dir):
        version_id = store.write_files_atomically(small_data_dir, {"observations.csv": b"x\n"}, "test", "en test")
    kept = store.list_versions(small_data_dir)
    assert [v["version"] for v in kept] == [version_id]
    assert (kept[0]["command"], kept[0]["summary"]) == ("test", "en test")
    assert (small_data_dir / "versions" / version_id / "observations.csv").read_bytes() == before


def test_restore_brings_back_the_exact_bytes_and_keeps_what_it_replaced(small_data_dir):
    original = {name: (small_data_dir / name).read_bytes() for name in store.DATA_FILES}
    observations = small_data_dir / "observations.csv"
    with store.data_lock(small_data_dir):
        version_id = store.write_files_atomically(
            small_data_dir,
            {"observations.csv": observations.read_bytes().replace(b"8.0", b"8.5")},
            "test",
            "ændring",
        )
        replaced_id = store.restore_version(small_data_dir, version_id)
    assert {name: (small_data_dir / name).read_bytes() for name in store.DATA_FILES} == original
    assert b"8.5" in (small_data_dir / "versions" / replaced_id / "observations.csv").read_bytes()


def test_restore_refuses_unknown_and_invalid_versions(small_data_dir, edit):
    with pytest.raises(KeyError):
        store.restore_version(small_data_dir, "../data")
    with store.data_lock(small_data_dir):
        version_id = store.keep_version(small_data_dir, "test", "beskadiget kopi")
    edit(
        small_data_dir / "versions" / version_id / "observations.csv",
        "2007,11.3,",
        "2007,elleve,",
    )
    before = (small_data_dir / "observations.csv").read_bytes()
    with pytest.raises(DataValidationError):
        store.restore_version(small_data_dir, version_id)
    assert (small_data_dir / "observations.csv").read_bytes() == before


# --- quarters -----------------------------------------------------------------------------------------------------

QUARTERLY_OBSERVATIONS = """\
area_id,indicator_id,year,quarter,value,numerator,denominator,source_id,note
gellerup-toveshoej,skolefravaer,2007,,11.3,,,aarsskrift-2018,
gellerup-toveshoej,ledighed-kvartal,2018,1,42.0,,,dst-2020,
gellerup-toveshoej,ledighed-kvartal,2018,2,41.0,,,dst-2020,
gellerup-toveshoej,ledighed-kvartal,2018,4,40.5,,,dst-2020,
"""


def test_a_quarter_column_is_read_and_each_row_gets_its_period(small_data_dir):
    (small_data_dir / "observations.csv").write_text(QUARTERLY_OBSERVATIONS, encoding="utf-8")
    observations = store.load_dataset(small_data_dir).observations
    rows = observations.set_index(["indicator_id", "year", "quarter"])
    assert rows.loc[("skolefravaer", 2007, 0), "period"] == 2007.0
    assert rows.loc[("ledighed-kvartal", 2018, 2), "period"] == 2018.375
    assert rows.loc[("ledighed-kvartal", 2018, 4), "value"] == 40.5


@pytest.mark.parametrize(
    ("old", "new", "row", "words"),
    [
        # The same quarter twice: named with the quarter, on the second row.
        ("2018,2,41.0", "2018,1,41.0", 4, "mere end én række for samme område, indikator og år/kvartal"),
        # A year among the quarters of one indicator.
        ("2018,4,40.5", "2019,,40.5", 5, "én indikator skal have én slags periode"),
        ("2018,4,40.5", "2018,fire,40.5", 5, "kvartal skal være 1, 2, 3 eller 4"),
        # Quarters for an indicator the state-list criteria read.
        ("ledighed-kvartal,2018,1,", "sl-ledighed,2018,1,", 3, "statslistens kriterier vurderes på årstal"),
    ],
)
def test_quarter_rules_name_row_and_column(small_data_dir, edit, row, old, new, words):
    (small_data_dir / "observations.csv").write_text(QUARTERLY_OBSERVATIONS, encoding="utf-8")
    edit(small_data_dir / "observations.csv", old, new)
    with pytest.raises(DataValidationError) as raised:
        store.load_dataset(small_data_dir)
    messages = [str(p) for p in raised.value.problems if p.row == row]
    assert any(words in message for message in messages), raised.value.problems
