"""Fixtures for the data-layer tests: a small, valid data folder built in a temporary directory.

The folder holds every data file in the format of docs/data-format.md, with just enough rows to exercise each rule:
two helhedsplan areas and the municipality, a percentage indicator with and without counts, a persons indicator,
an indicator without data for quarterly figures and a state-list indicator without data. Tests copy and damage it;
they never touch the shipped data/ folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

SOURCES_CSV = """\
id,title,publisher,year,url,licence,note
aarsskrift-2018,Årsskrift 2018,Det Boligsociale Fællessekretariat,2018,http://fs-aarhus.dk,Gengivet med kildeangivelse,
dst-2020,Danmarks Statistik 2020,Danmarks Statistik,2020,https://www.dst.dk,CC BY 4.0,
"""

AREAS_CSV = """\
id,name_da,name_en,kind,housing_organisations,housing_organisations_source_id,sort_order
gellerup-toveshoej,Gellerup/Toveshøj,Gellerup/Toveshøj,helhedsplan,Brabrand Boligforening,aarsskrift-2018,10
bispehaven,Bispehaven,Bispehaven,helhedsplan,,,20
aarhus-kommune,Aarhus Kommune,Aarhus Municipality,kommune,,,90
"""

INDICATORS_YAML = """\
indicators:
  - id: skolefravaer
    group: bosocdata
    name: {da: Skolefravær, en: School absence}
    definition: {da: Andel af skoledage med fravær, en: Share of school days absent}
    population: {da: Elever i grundskolen, en: Pupils in primary school}
    unit: pct
    lower_is_better: true
    decimals: 1
    source_id: aarsskrift-2018
    themes: [uddannelse]
  - id: beboere
    group: befolkning
    name: {da: Beboere, en: Residents}
    definition: {da: Antal beboere, en: Number of residents}
    population: {da: Alle beboere, en: All residents}
    unit: persons
    lower_is_better: null
    decimals: 0
    source_id: aarsskrift-2018
  - id: ledighed-kvartal
    group: bosocdata
    name: {da: Ledighed (kvartal), en: Unemployment (quarterly)}
    definition: {da: Andel ledige, opgjort pr. kvartal, en: Share unemployed, by quarter}
    population: {da: 18-64-årige, en: Aged 18-64}
    unit: pct
    lower_is_better: true
    decimals: 1
    source_id: dst-2020
  - id: sl-ledighed
    group: statsliste
    name: {da: Uden for arbejde eller uddannelse, en: Outside work or education}
    definition: {da: Andel 18-64-årige uden for arbejde eller uddannelse, en: Share aged 18-64 outside work or education}
    population: {da: 18-64-årige, en: Aged 18-64}
    unit: pct
    lower_is_better: true
    decimals: 1
    source_id: dst-2020
"""

OBSERVATIONS_CSV = """\
area_id,indicator_id,year,value,numerator,denominator,source_id,note
gellerup-toveshoej,skolefravaer,2007,11.3,,,aarsskrift-2018,
gellerup-toveshoej,skolefravaer,2017,8.0,,,aarsskrift-2018,
bispehaven,skolefravaer,2017,6.3,63,1000,aarsskrift-2018,
aarhus-kommune,skolefravaer,2017,5.1,,,aarsskrift-2018,"Hele kommunen, alle skoler"
gellerup-toveshoej,beboere,2018,5900,,,aarsskrift-2018,
"""

STATE_LISTS_CSV = """\
area_id,year,list_name,status,designation,source_id,note
gellerup-toveshoej,2018,ghettoliste 1 Dec 2018,on,hårdt ghettoområde,dst-2020,
bispehaven,2018,ghettoliste 1 Dec 2018,on,,dst-2020,
"""

CRITERIA_YAML = """\
rulesets:
  - id: 2018-
    from_year: 2018
    to_year: null
    designation: {da: Parallelsamfund, en: Parallel society}
    min_residents: 1000
    min_criteria: 2
    required: []
    source_id: dst-2020
    criteria:
      - id: uden-for-arbejde-uddannelse
        indicator_id: sl-ledighed
        operator: ">"
        threshold: 40
        threshold_note: {da: Over 40 procent, en: Above 40 per cent}
"""

STRATEGY_YAML = """\
themes:
  - id: uddannelse
    kind: bestyrelse
    name: {da: Uddannelse, en: Education}
    description: {da: Flere unge i uddannelse, en: More young people in education}
    indicator_ids: [skolefravaer]
    source_id: aarsskrift-2018
initiatives:
  - id: lektiecafe
    name: Lektiecafé
    description: {da: Hjælp til lektier, en: Homework help}
    theme_ids: [uddannelse]
    area_ids: [gellerup-toveshoej]
    places: []
    partners: []
    funders: []
    period: {start: 2014, end: null, text: {da: Fra 2014, en: From 2014}}
    outcomes: []
    source_id: aarsskrift-2018
"""

STATEMENTS_YAML = """\
statements:
  - id: skolefravaer-faldet
    indicator_id: skolefravaer
    text: {da: Skolefraværet er faldet., en: School absence has fallen.}
    source_id: aarsskrift-2018
"""

DATA_FILES = {
    "sources.csv": SOURCES_CSV,
    "areas.csv": AREAS_CSV,
    "indicators.yaml": INDICATORS_YAML,
    "observations.csv": OBSERVATIONS_CSV,
    "state_lists.csv": STATE_LISTS_CSV,
    "criteria.yaml": CRITERIA_YAML,
    "strategy.yaml": STRATEGY_YAML,
    "statements.yaml": STATEMENTS_YAML,
}

# One point per area: enough for the map check, which needs every helhedsplan area to have a geometry.
AREA_POINTS = {
    "gellerup-toveshoej": (10.136, 56.152),
    "bispehaven": (10.176, 56.172),
    "aarhus-kommune": (10.203, 56.157),
}


def write_data_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in DATA_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_geometry(folder: Path, area_ids: Iterable[str] = tuple(AREA_POINTS)) -> Path:
    """areas.geojson with a point for each of the given areas."""
    folder.mkdir(parents=True, exist_ok=True)
    features = [
        {
            "type": "Feature",
            "properties": {
                "area_id": area_id,
                "name": area_id,
                "source": "test",
                "method": "estimate",
            },
            "geometry": {"type": "Point", "coordinates": list(AREA_POINTS[area_id])},
        }
        for area_id in area_ids
    ]
    collection = {"type": "FeatureCollection", "features": features}
    (folder / "areas.geojson").write_text(json.dumps(collection), encoding="utf-8")
    return folder


def hashes_of(folder: Path) -> dict[str, str]:
    """Every file under a folder (versions included) by relative path -> sha256: equal dicts mean nothing changed."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def replace_in(path: Path, old: str, new: str) -> None:
    """Damage or edit a data file in place; fails loudly if the text to replace is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# The helpers are handed out as fixtures: test modules cannot import this conftest reliably (tests/conftest.py
# has the same module name, and pytest's importlib mode does not put this folder on sys.path).


@pytest.fixture
def small_data_dir(tmp_path: Path) -> Path:
    return write_data_folder(tmp_path / "data")


@pytest.fixture
def small_geo_dir(tmp_path: Path) -> Path:
    return write_geometry(tmp_path / "geo")


@pytest.fixture
def folder_hashes() -> Callable[[Path], dict[str, str]]:
    return hashes_of


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    return replace_in


@pytest.fixture
def geometry() -> Callable[..., Path]:
    return write_geometry
