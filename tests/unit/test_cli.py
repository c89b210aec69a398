"""The command line (`python -m dashboard ...`): exit codes and what a person reads.

The commands run against the fixture folder through DATA_DIR and GEO_DIR, the way an operator points them at a
deployment's folders.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.settings import PROJECT_ROOT


@pytest.fixture
def folders(small_data_dir, small_geo_dir, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(small_data_dir))
    monkeypatch.setenv("GEO_DIR", str(small_geo_dir))
    return small_data_dir, small_geo_dir


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def import_file(tmp_path: Path, capsys, value: str, name: str = "udtraek.csv") -> str:
    path = tmp_path / name
    path.write_text(
        f"område;indikator;år;værdi;kilde\nbispehaven;skolefravaer;2019;{value};dst-2020\n",
        encoding="utf-8",
    )
    code, output = run(capsys, "import", str(path))
    assert code == 0, output
    return output


def test_check_passes_on_valid_data_and_summarises_it(folders, capsys):
    code, output = run(capsys, "check")
    assert code == 0
    for line in (
        "Områder:      3",
        "Indikatorer:  4 (2 med data, 2 uden data endnu)",
        "Observationer: 5",
        "Kilder:       2",
        "År:           2007–2018",
    ):
        assert line in output
    assert "Alt er i orden." in output
    assert "kvartalstal" not in output  # only yearly figures in the fixture


def test_check_says_which_indicators_have_quarterly_figures(folders, capsys, tmp_path):
    path = tmp_path / "kvartaler.csv"
    path.write_text(
        "område;indikator;år;kvartal;værdi;kilde\nbispehaven;ledighed-kvartal;2019;1;8,5;dst-2020\n",
        encoding="utf-8",
    )
    assert run(capsys, "import", str(path))[0] == 0
    code, output = run(capsys, "check")
    assert code == 0 and "År:           2007–2019 (kvartalstal for 1 indikator)" in output


def test_check_fails_on_a_damaged_file_naming_the_cell_and_how_to_restore(folders, capsys, edit):
    small_data_dir, _ = folders
    edit(small_data_dir / "observations.csv", "2007,11.3,", "2007,elleve,")
    code, output = run(capsys, "check")
    assert code == 1
    assert "observations.csv, række 2, kolonne 'value': 'elleve': skal være et tal" in output
    assert "python -m dashboard versions" in output and "python -m dashboard restore <id>" in output


def test_check_fails_when_a_helhedsplan_area_has_no_geometry(folders, capsys, geometry):
    _, small_geo_dir = folders
    geometry(small_geo_dir, area_ids=("gellerup-toveshoej", "aarhus-kommune"))
    code, output = run(capsys, "check")
    assert code == 1
    assert "mangler geometri" in output and "Bispehaven" in output


def test_check_fails_without_geometry_file(folders, capsys):
    _, small_geo_dir = folders
    (small_geo_dir / "areas.geojson").unlink()
    code, output = run(capsys, "check")
    assert code == 1 and "geometrien kan ikke læses" in output


def test_import_then_versions_then_restore_brings_back_the_previous_bytes(folders, tmp_path, capsys):
    small_data_dir, _ = folders
    original = (small_data_dir / "observations.csv").read_bytes()
    import_file(tmp_path, capsys, "5,5")
    code, output = run(capsys, "versions")
    version_id = next(iter(cli.store.list_versions(small_data_dir)))["version"]
    assert code == 0 and version_id in output and "import udtraek.csv" in output and "1 tilføjet" in output

    code, output = run(capsys, "restore", version_id)
    assert code == 0 and f"Version {version_id} er gendannet" in output
    assert (small_data_dir / "observations.csv").read_bytes() == original


def test_two_imports_are_listed_newest_first(folders, tmp_path, capsys):
    import_file(tmp_path, capsys, "5,5", "a.csv")
    import_file(tmp_path, capsys, "5,2", "b.csv")
    output = run(capsys, "versions")[1]
    assert "2 gemte versioner" in output
    assert output.index("import b.csv") < output.index("import a.csv")


def test_versions_without_any_kept_version(folders, capsys):
    code, output = run(capsys, "versions")
    assert code == 0 and "Ingen gemte versioner" in output


def test_restore_of_an_unknown_version_changes_nothing(folders, capsys, folder_hashes):
    small_data_dir, _ = folders
    before = folder_hashes(small_data_dir)
    code, output = run(capsys, "restore", "19990101T000000Z")
    assert code == 1 and "Ukendt version" in output
    assert {k: v for k, v in folder_hashes(small_data_dir).items() if k != ".lock"} == before


def test_import_of_a_bad_file_exits_1_without_traceback(folders, tmp_path, capsys):
    path = tmp_path / "tom.csv"
    path.write_text("", encoding="utf-8")
    code, output = run(capsys, "import", str(path), "--dry-run")
    assert code == 1 and "filen er tom" in output


def test_import_dry_run_through_the_command_line(folders, tmp_path, capsys, folder_hashes):
    small_data_dir, _ = folders
    path = tmp_path / "udtraek.csv"
    path.write_text(
        "area,indicator,year,value\nbispehaven,skolefravaer,2019,5.5\n",
        encoding="utf-8",
    )
    before = folder_hashes(small_data_dir)
    code, output = run(capsys, "import", str(path), "--dry-run", "--source", "dst-2020")
    assert code == 0 and "1 tilføjet" in output and "Prøvekørsel" in output
    assert folder_hashes(small_data_dir) == before


def test_geo_import_passes_the_area_catalogue_and_options(folders, capsys, monkeypatch):
    from dashboard.geo import importer as geo_importer

    calls = []
    monkeypatch.setattr(
        geo_importer,
        "run_geo_import",
        lambda *args, **kwargs: calls.append((args, kwargs)) or 0,
    )
    code, _ = run(
        capsys,
        "geo-import",
        "omrids.gpkg",
        "--id-field",
        "bolig_id",
        "--tolerance",
        "2.5",
        "--dry-run",
    )
    assert code == 0
    ((args, kwargs),) = calls
    assert args == (Path("omrids.gpkg"), "bolig_id")
    assert kwargs["known_area_ids"]["gellerup-toveshoej"] == "Gellerup/Toveshøj"
    assert (kwargs["layer"], kwargs["tolerance_m"], kwargs["dry_run"]) == (
        "areas",
        2.5,
        True,
    )
    assert kwargs["geo_dir"] == folders[1]


def test_invalid_environment_setting_is_a_message_not_a_traceback(folders, capsys, monkeypatch):
    monkeypatch.setenv("PORT", "otte")
    code, output = run(capsys, "versions")
    assert code == 1 and "Fejl i indstillingerne" in output


def test_python_dash_m_dashboard_runs_the_command_line(small_data_dir, small_geo_dir):
    environment = {
        "DATA_DIR": str(small_data_dir),
        "GEO_DIR": str(small_geo_dir),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "check"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Alt er i orden." in result.stdout
