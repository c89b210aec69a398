"""Damaged data at start-up: a data file edited by hand (a bad value, a broken CSV, broken YAML, a lost file, broken
map geometry). The app refuses to start and names the file, the row (where there is one) and the problem; ``python -m
dashboard check`` says how to restore the last good version, and following that advice works; ``python app.py`` and
gunicorn as in the Procfile exit non-zero with that message, not a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.data.problems import DataValidationError
from dashboard.settings import PROJECT_ROOT, Settings
from tests.reliability.helpers import TALLY, copy_data, copy_geo, free_port, procfile_command


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    """The 1-based line (= spreadsheet row) of the first line containing ``fragment``."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line)


def bad_value(data: Path, geo: Path) -> tuple[str, ...]:
    replace(data / "observations.csv", "bispehaven,skolefravaer,2017,6.4", "bispehaven,skolefravaer,2017,6.4x")
    row = line_of(data / "observations.csv", "bispehaven,skolefravaer,2017")
    return ("observations.csv", f"række {row}", "kolonne 'value'", "'6.4x'", "skal være et tal")


def decimal_comma(data: Path, geo: Path) -> tuple[str, ...]:
    replace(data / "observations.csv", "bispehaven,skolefravaer,2017,6.4", "bispehaven,skolefravaer,2017,6,4")
    row = line_of(data / "observations.csv", "bispehaven,skolefravaer,2017")
    return ("observations.csv", f"række {row}", "rækken har 9 felter, men overskriften har 8")


def percent_above_100(data: Path, geo: Path) -> tuple[str, ...]:
    replace(data / "observations.csv", "viby-syd,skolefravaer,2017,5.4", "viby-syd,skolefravaer,2017,540")
    row = line_of(data / "observations.csv", "viby-syd,skolefravaer,2017")
    return ("observations.csv", f"række {row}", "procentandel skal ligge mellem 0 og 100")


def broken_csv(data: Path, geo: Path) -> tuple[str, ...]:
    # A quote opened and never closed: everything after it is one cell.
    replace(data / "observations.csv", "herredsvang,skolefravaer,2017,6.5,", 'herredsvang,skolefravaer,2017,6.5,"')
    return ("observations.csv",)


def extra_column(data: Path, geo: Path) -> tuple[str, ...]:
    replace(data / "areas.csv", "\nbispehaven,", "\nbispehaven,ekstra,")
    return ("areas.csv",)


def duplicated_id(data: Path, geo: Path) -> tuple[str, ...]:
    text = (data / "sources.csv").read_text(encoding="utf-8")
    first_row = text.splitlines()[1]
    (data / "sources.csv").write_text(text + ("" if text.endswith("\n") else "\n") + first_row + "\n", encoding="utf-8")
    return ("sources.csv", "id findes mere end én gang")


def broken_yaml(data: Path, geo: Path) -> tuple[str, ...]:
    replace(data / "indicators.yaml", "indicators:", "indicators:\n  - id: [ikke lukket\n", 1)
    return ("indicators.yaml", "YAML", "line")


def wrong_encoding(data: Path, geo: Path) -> tuple[str, ...]:
    path = data / "areas.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    return ("areas.csv", "UTF-8")


def lost_file(data: Path, geo: Path) -> tuple[str, ...]:
    (data / "statements.yaml").unlink()
    return ("statements.yaml", "filen mangler")


def broken_geometry(data: Path, geo: Path) -> tuple[str, ...]:
    path = geo / "areas.geojson"
    path.write_text(path.read_text(encoding="utf-8")[:200], encoding="utf-8")
    return ("areas.geojson", "kan ikke læses")


DAMAGE = {
    f.__name__: f
    for f in (
        bad_value,
        decimal_comma,
        percent_above_100,
        broken_csv,
        extra_column,
        duplicated_id,
        broken_yaml,
        wrong_encoding,
        lost_file,
        broken_geometry,
    )
}


@pytest.fixture
def folders(tmp_path) -> tuple[Path, Path]:
    return copy_data(tmp_path / "data"), copy_geo(tmp_path / "geo")


def run(args: list[str], data: Path, geo: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATA_DIR": str(data), "GEO_DIR": str(geo), "PORT": str(free_port()), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_create_app_refuses_and_names_file_row_and_problem(folders, damage):
    data, geo = folders
    expected = DAMAGE[damage](data, geo)
    with pytest.raises(DataValidationError) as refused:
        create_app(Settings(data_dir=data, geo_dir=geo, cache_dir=data.parent / "cache"))
    message = str(refused.value)
    for fragment in expected:
        assert fragment in message, (fragment, message)
    TALLY["startup:damaged file refused by create_app"] += 1


@pytest.mark.parametrize("damage", ["bad_value", "broken_yaml", "lost_file", "broken_geometry"])
def test_python_app_py_exits_1_with_the_message_not_a_traceback(folders, damage):
    data, geo = folders
    expected = DAMAGE[damage](data, geo)
    result = run(["app.py"], data, geo)
    assert result.returncode == 1
    assert "kan ikke starte" in result.stderr and "Traceback" not in result.stderr + result.stdout
    for fragment in expected:
        assert fragment in result.stderr, (fragment, result.stderr)
    if damage != "broken_geometry":
        assert "python -m dashboard restore" in result.stderr
    TALLY["startup:python app.py refused"] += 1


@pytest.mark.parametrize("damage", ["bad_value", "broken_geometry"])
def test_gunicorn_as_in_the_procfile_exits_with_the_message(folders, tmp_path, damage):
    data, geo = folders
    expected = DAMAGE[damage](data, geo)
    command = ["timeout", "60", *procfile_command(free_port())]
    env = {
        **os.environ,
        "DATA_DIR": str(data),
        "GEO_DIR": str(geo),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    started = time.monotonic()
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=90)
    output = result.stdout + result.stderr
    assert result.returncode not in (0, 124), output  # 124: still running when timeout stopped it
    assert time.monotonic() - started < 30
    assert "kan ikke starte" in output and "Traceback" not in output, output
    assert "Booting worker" not in output  # refused in the master, before any worker
    for fragment in expected:
        assert fragment in output
    TALLY["startup:gunicorn refused"] += 1


def test_check_says_how_to_restore_and_following_it_works(folders, tmp_path):
    data, geo = folders
    # A kept version exists after any import.
    source = tmp_path / "ny.csv"
    source.write_text(
        "område;indikator;år;værdi;kilde\r\nbispehaven;skolefravaer;2018;6,1;aarsskrift-2018\r\n", encoding="utf-8"
    )
    before_import = (data / "observations.csv").read_bytes()
    assert run(["-m", "dashboard", "import", str(source)], data, geo).returncode == 0
    DAMAGE["bad_value"](data, geo)
    check = run(["-m", "dashboard", "check"], data, geo)
    assert check.returncode == 1 and "Traceback" not in check.stdout + check.stderr
    assert "IKKE gyldige" in check.stdout and "observations.csv, række" in check.stdout
    assert "python -m dashboard versions" in check.stdout and "python -m dashboard restore" in check.stdout
    versions = run(["-m", "dashboard", "versions"], data, geo)
    newest = re.search(r"^\s+(\d{8}T\d+Z)", versions.stdout, re.M).group(1)
    restored = run(["-m", "dashboard", "restore", newest], data, geo)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert run(["-m", "dashboard", "check"], data, geo).returncode == 0
    # The newest kept version is the data as they were before the last import (a version is kept of the files an
    # import replaces): the import has to be run again. The damaged files are kept as a version too.
    assert (data / "observations.csv").read_bytes() == before_import
    TALLY["startup:check and restore"] += 1
