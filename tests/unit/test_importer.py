"""The observation import (dashboard.data.importer): the file dialects it accepts, and what it refuses.

A refused import must leave every byte of the data folder as it was; an accepted one must change exactly the rows
the file names and keep the previous files as a version. These are the promises the secretariat relies on.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.data import importer, store
from dashboard.data.problems import DataValidationError
from dashboard.settings import PROJECT_ROOT

TODAY = date(2025, 3, 1)


def run(small_data_dir: Path, path: Path, **options) -> tuple[int, str]:
    lines: list[str] = []
    code = importer.run_import(path, small_data_dir, out=lines.append, today=TODAY, **options)
    return code, "\n".join(lines)


def write_csv(folder: Path, text: str, name="udtraek.csv", encoding="utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def xlsx_bytes(*sheets: list[list[object]], merge: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    for number, rows in enumerate(sheets):
        sheet = workbook.active if number == 0 else workbook.create_sheet(f"Ark{number + 1}")
        for row in rows:
            sheet.append(row)
        if merge and number == 0:
            sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(folder: Path, *sheets: list[list[object]], merge: str | None = None) -> Path:
    path = folder / "udtraek.xlsx"
    path.write_bytes(xlsx_bytes(*sheets, merge=merge))
    return path


def observations(small_data_dir: Path) -> pd.DataFrame:
    return store.load_dataset(small_data_dir).observations.set_index(["area_id", "indicator_id", "year"])


XLSX_ROWS = [
    ["Område", "Indikator", "År", "Værdi", "Kilde"],
    ["bispehaven", "skolefravaer", 2018, 5.7, "aarsskrift-2018"],
    ["Aarhus Kommune", "Skolefravær", 2018, 5.0, "aarsskrift-2018"],
]


# --- accepted files -----------------------------------------------------------------------------------------------


def test_danish_excel_csv_in_cp1252_with_semicolons_and_decimal_commas_adds_rows(small_data_dir, tmp_path):
    path = write_csv(
        tmp_path,
        "Område;Indikator;År;Værdi;Tæller;Nævner;Kilde;Note\r\n"
        "Gellerup/Toveshøj;Skolefravær;2018;7,5;;;aarsskrift-2018;Foreløbigt tal\r\n"
        "bispehaven;skolefravaer;2018;5,9;59;1000;Årsskrift 2018;\r\n",
        encoding="cp1252",
    )
    code, output = run(small_data_dir, path)
    assert code == 0, output
    after = observations(small_data_dir)
    assert after.loc[("gellerup-toveshoej", "skolefravaer", 2018), "value"] == 7.5
    assert after.loc[("gellerup-toveshoej", "skolefravaer", 2018), "note"] == "Foreløbigt tal"
    assert after.loc[("bispehaven", "skolefravaer", 2018), ["value", "numerator", "denominator"]].tolist() == [
        5.9,
        59,
        1000,
    ]
    assert "2 tilføjet, 0 ændret, 0 uændret" in output


def test_thousands_points_in_a_decimal_comma_file_are_thousands(small_data_dir, tmp_path):
    path = write_csv(
        tmp_path,
        "område;indikator;år;værdi;kilde\n"
        "gellerup-toveshoej;beboere;2019;6.123;aarsskrift-2018\n"
        "gellerup-toveshoej;skolefravaer;2019;7,4;aarsskrift-2018\n",
    )
    assert run(small_data_dir, path)[0] == 0
    assert observations(small_data_dir).loc[("gellerup-toveshoej", "beboere", 2019), "value"] == 6123


def test_utf8_bom_csv_with_english_columns_in_any_case_works(small_data_dir, tmp_path):
    path = write_csv(
        tmp_path,
        " AREA ,Indicator,YEAR,Value,Source\nbispehaven,skolefravaer,2018,5.7,dst-2020\n",
        encoding="utf-8-sig",
    )
    code, output = run(small_data_dir, path)
    assert code == 0, output
    assert observations(small_data_dir).loc[("bispehaven", "skolefravaer", 2018), "source_id"] == "dst-2020"


def test_xlsx_with_display_names_works(small_data_dir, tmp_path):
    code, output = run(small_data_dir, write_xlsx(tmp_path, XLSX_ROWS))
    assert code == 0, output
    after = observations(small_data_dir)
    assert after.loc[("bispehaven", "skolefravaer", 2018), "value"] == 5.7
    assert after.loc[("aarhus-kommune", "skolefravaer", 2018), "value"] == 5.0


def test_xlsx_with_one_filled_sheet_among_empty_ones_works(small_data_dir, tmp_path):
    assert run(small_data_dir, write_xlsx(tmp_path, [], XLSX_ROWS))[0] == 0


def test_areas_and_indicators_by_display_name_in_any_case(small_data_dir, tmp_path):
    path = write_csv(
        tmp_path,
        "område,indikator,år,værdi,kilde\nGELLERUP/TOVESHØJ,School absence,2019,7.1,aarsskrift-2018\n",
    )
    assert run(small_data_dir, path)[0] == 0
    assert observations(small_data_dir).loc[("gellerup-toveshoej", "skolefravaer", 2019), "value"] == 7.1


def test_new_source_title_is_added_to_sources_and_reported(small_data_dir, tmp_path):
    title = "Aarhus Kommune: Tal om skolefravær 2019"
    sources_before = (small_data_dir / "sources.csv").read_text(encoding="utf-8")
    path = write_csv(
        tmp_path,
        f'område,indikator,år,værdi,kilde\nbispehaven,skolefravaer,2019,5.5,"{title}"\n',
    )
    code, output = run(small_data_dir, path)
    assert code == 0, output
    sources_text = (small_data_dir / "sources.csv").read_text(encoding="utf-8")
    assert sources_text.startswith(sources_before), "existing sources must keep their bytes"
    new = store.load_dataset(small_data_dir).sources.set_index("id").loc["aarhus-kommune-tal-om-skolefravaer-2019"]
    assert (new["title"], new["publisher"], new["year"], new["licence"]) == (
        title,
        "Angivet ved import",
        2025,
        "Ikke angivet",
    )
    assert new["note"] == "Tilføjet ved import af udtraek.csv 2025-03-01"
    assert observations(small_data_dir).loc[("bispehaven", "skolefravaer", 2019), "source_id"] == new.name
    assert "aarhus-kommune-tal-om-skolefravaer-2019" in output


def test_source_option_fills_rows_without_a_source(small_data_dir, tmp_path):
    path = write_csv(tmp_path, "område,indikator,år,værdi\nbispehaven,skolefravaer,2019,5.5\n")
    assert run(small_data_dir, path, source="Danmarks Statistik 2020")[0] == 0
    assert observations(small_data_dir).loc[("bispehaven", "skolefravaer", 2019), "source_id"] == "dst-2020"


def test_good_file_changes_exactly_the_rows_it_names(small_data_dir, tmp_path):
    before = observations(small_data_dir)
    old_lines = (small_data_dir / "observations.csv").read_text(encoding="utf-8").splitlines()
    path = write_csv(
        tmp_path,
        "område,indikator,år,værdi,kilde\n"
        "gellerup-toveshoej,skolefravaer,2017,8.2,aarsskrift-2018\n"  # changed
        "aarhus-kommune,skolefravaer,2017,5.1,aarsskrift-2018\n"  # identical; no note column keeps the note
        "bispehaven,skolefravaer,2019,5.5,aarsskrift-2018\n",  # new
    )
    code, output = run(small_data_dir, path)
    assert code == 0, output
    after = observations(small_data_dir)
    changed, added = (
        ("gellerup-toveshoej", "skolefravaer", 2017),
        ("bispehaven", "skolefravaer", 2019),
    )
    pd.testing.assert_frame_equal(after.drop([changed, added]), before.drop([changed]))
    assert after.loc[changed, "value"] == 8.2
    assert after.loc[added, "value"] == 5.5
    assert "1 tilføjet, 1 ændret, 1 uændret" in output
    assert "gellerup-toveshoej, skolefravaer, 2017: værdi 8.0 → 8.2" in output
    new_lines = (small_data_dir / "observations.csv").read_text(encoding="utf-8").splitlines()
    # Untouched rows keep their text and order; the changed row stays in place; the new row comes last.
    assert [line for line in new_lines if "2017,8" not in line][:-1] == [
        line for line in old_lines if "2017,8" not in line
    ]
    assert new_lines[-1] == "bispehaven,skolefravaer,2019,5.5,,,aarsskrift-2018,"


def test_a_changed_row_keeps_the_spelling_of_numbers_that_did_not_change(small_data_dir, tmp_path, edit):
    # Published without a decimal: the data file says "8", and a note added later must not turn it into "8.0".
    edit(small_data_dir / "observations.csv", "2017,8.0,", "2017,8,")
    path = write_csv(
        tmp_path,
        "område;indikator;år;værdi;kilde;note\ngellerup-toveshoej;skolefravaer;2017;8,0;aarsskrift-2018;Ny note\n",
    )
    code, output = run(small_data_dir, path)
    assert code == 0, output
    assert (
        "gellerup-toveshoej,skolefravaer,2017,8,,,aarsskrift-2018,Ny note"
        in (small_data_dir / "observations.csv").read_text()
    )
    assert "note – → Ny note" in output


def test_success_keeps_the_previous_version_and_says_how_to_restore_it(small_data_dir, tmp_path):
    original = (small_data_dir / "observations.csv").read_bytes()
    code, output = run(small_data_dir, write_xlsx(tmp_path, XLSX_ROWS))
    kept = store.list_versions(small_data_dir)
    assert code == 0 and len(kept) == 1
    assert kept[0]["command"] == "import udtraek.xlsx"
    assert f"python -m dashboard restore {kept[0]['version']}" in output
    assert (small_data_dir / "versions" / kept[0]["version"] / "observations.csv").read_bytes() == original


def test_two_imports_keep_two_versions(small_data_dir, tmp_path):
    first = write_csv(
        tmp_path,
        "område,indikator,år,værdi,kilde\nbispehaven,skolefravaer,2019,5.5,dst-2020\n",
        "a.csv",
    )
    second = write_csv(
        tmp_path,
        "område,indikator,år,værdi,kilde\nbispehaven,skolefravaer,2019,5.2,dst-2020\n",
        "b.csv",
    )
    assert run(small_data_dir, first)[0] == 0
    assert run(small_data_dir, second)[0] == 0
    assert [v["command"] for v in store.list_versions(small_data_dir)] == [
        "import b.csv",
        "import a.csv",
    ]


def test_dry_run_reports_the_same_and_writes_nothing(small_data_dir, tmp_path, folder_hashes):
    path = write_csv(
        tmp_path,
        "område,indikator,år,værdi,kilde\nbispehaven,skolefravaer,2019,5.5,Ny kilde om fravær\n",
    )
    before = folder_hashes(small_data_dir)
    code, output = run(small_data_dir, path, dry_run=True)
    assert code == 0
    assert folder_hashes(small_data_dir) == before
    assert "1 tilføjet" in output and "ny-kilde-om-fravaer" in output and "intet er skrevet" in output


def test_file_that_changes_nothing_writes_nothing(small_data_dir, tmp_path, folder_hashes):
    # The data file itself: canonical column names are accepted too.
    path = write_csv(tmp_path, (small_data_dir / "observations.csv").read_text(encoding="utf-8"))
    before = folder_hashes(small_data_dir)
    code, output = run(small_data_dir, path)
    assert code == 0
    assert folder_hashes(small_data_dir) == before
    assert "0 tilføjet, 0 ændret, 5 uændret" in output and "Ingen ændringer" in output


def test_long_lists_are_truncated_but_counted(small_data_dir, tmp_path):
    rows = "".join(f"bispehaven,beboere,{year},{3000 + year},dst-2020\n" for year in range(1990, 2020))
    code, output = run(small_data_dir, write_csv(tmp_path, "area,indicator,year,value,source\n" + rows))
    assert code == 0
    assert "30 tilføjet" in output and f"… og {30 - importer.LIST_LIMIT} mere" in output


# --- refused files ------------------------------------------------------------------------------------------------

HEADER = "område;indikator;år;værdi;tæller;nævner;kilde\n"
BAD_CSV = {
    "unknown area": (
        HEADER + "Nørrebro;skolefravaer;2018;5,0;;;dst-2020\n",
        "række 2, kolonne 'område'",
        "ukendt område",
    ),
    "percentage 120": (
        HEADER + "bispehaven;skolefravaer;2018;120;;;dst-2020\n",
        "række 2, kolonne 'værdi'",
        "mellem 0 og 100",
    ),
    "numerator above denominator": (
        HEADER + "bispehaven;skolefravaer;2018;5,0;60;50;dst-2020\n",
        "række 2, kolonne 'tæller'",
        "større end nævneren",
    ),
    "conflicting duplicate rows": (
        HEADER + "bispehaven;skolefravaer;2018;5,0;;;dst-2020\nBispehaven;Skolefravær;2018;6,0;;;dst-2020\n",
        "række 3",
        "mere end én række",
    ),
    "missing source": (
        HEADER + "bispehaven;skolefravaer;2018;5,0;;;\n",
        "række 2, kolonne 'kilde'",
        "--source",
    ),
    "unknown source id": (
        HEADER + "bispehaven;skolefravaer;2018;5,0;;;dst-2021\n",
        "kolonne 'kilde'",
        "ukendt kilde",
    ),
    "non-number": (
        HEADER + "bispehaven;skolefravaer;2018;fem;;;dst-2020\n",
        "række 2, kolonne 'værdi'",
        "skal være et tal",
    ),
    "empty file": ("", "udtraek.csv", "filen er tom"),
    "header only": (HEADER, "udtraek.csv", "kun en overskriftsrække"),
    "unknown column": (
        "område;indikator;år;værdi;kilde;kommentar\nbispehaven;skolefravaer;2018;5,0;dst-2020;x\n",
        "række 1, kolonne 'kommentar'",
        "ukendt kolonne",
    ),
    # Quarters are read (a `kvartal` column, or "2018K1" in the year column), but an indicator has one kind of period:
    # quarters for an indicator the data have years of are refused on the file's row, saying why.
    "quarter for a yearly indicator": (
        "område;indikator;år;kvartal;værdi;kilde\nbispehaven;skolefravaer;2018;1;5,0;dst-2020\n",
        "række 2, kolonne 'kvartal'",
        "skolefravaer har årstal i data, filen har kvartalstal",
    ),
    "quarter in the year column for a yearly indicator": (
        HEADER + "bispehaven;skolefravaer;2018K1;5,0;;;dst-2020\n",
        "række 2, kolonne 'år'",
        "skolefravaer har årstal i data, filen har kvartalstal",
    ),
    "years and quarters of one indicator in one file": (
        "område;indikator;år;kvartal;værdi;kilde\n"
        "bispehaven;ledighed-kvartal;2018;1;5,0;dst-2020\nbispehaven;ledighed-kvartal;2018;2;5,0;dst-2020\n"
        "bispehaven;ledighed-kvartal;2019;;5,0;dst-2020\n",
        "række 4, kolonne 'kvartal'",
        "én indikator skal have én slags periode",
    ),
    "quarter 5": (
        "område;indikator;år;kvartal;værdi;kilde\nbispehaven;ledighed-kvartal;2018;5;5,0;dst-2020\n",
        "række 2, kolonne 'kvartal'",
        "kvartal skal være 1, 2, 3 eller 4",
    ),
    "year and quarter column disagree": (
        "område;indikator;år;kvartal;værdi;kilde\nbispehaven;ledighed-kvartal;2018K2;1;5,0;dst-2020\n",
        "række 2, kolonne 'kvartal'",
        "året nævner kvartal 2, kolonnen kvartal 1",
    ),
    # The state-list criteria are judged on a year's figures: their indicators take no quarters.
    "quarters for a state-list indicator": (
        "område;indikator;år;kvartal;værdi;kilde\nbispehaven;sl-ledighed;2018;1;41,0;dst-2020\n",
        "række 2, kolonne 'kvartal'",
        "statslistens kriterier vurderes på årstal",
    ),
    # Monthly figures are refused, saying why (a month is never read as a year or a quarter).
    "month column": (
        "område;indikator;år;måned;værdi;kilde\nbispehaven;skolefravaer;2018;1;5,0;dst-2020\n",
        "række 1, kolonne 'måned'",
        "månedstal kan ikke indlæses",
    ),
    "month in the year column": (
        HEADER + "bispehaven;skolefravaer;2018-03;5,0;;;dst-2020\n",
        "række 2, kolonne 'år'",
        "månedstal kan ikke indlæses: data har ét tal pr. område, indikator og år eller kvartal",
    ),
    "missing column": (
        "område;indikator;værdi;kilde\nbispehaven;skolefravaer;5,0;dst-2020\n",
        "kolonne 'år'",
        "påkrævet kolonne mangler",
    ),
    "decimal comma in a comma-separated file": (
        "område,indikator,år,værdi,kilde\nbispehaven,skolefravaer,2018,5,0,dst-2020\n",
        "række 2",
        "flere felter",
    ),
}


@pytest.mark.parametrize("case", BAD_CSV, ids=list(BAD_CSV))
def test_bad_csv_is_refused_with_place_and_rule_and_changes_nothing(small_data_dir, tmp_path, case, folder_hashes):
    text, place, rule = BAD_CSV[case]
    before = folder_hashes(small_data_dir)
    code, output = run(small_data_dir, write_csv(tmp_path, text))
    assert code == 1
    assert folder_hashes(small_data_dir) == before
    assert place in output and rule in output and "Intet er ændret" in output


def truncated_xlsx(folder: Path) -> Path:
    path = write_xlsx(folder, XLSX_ROWS)
    path.write_bytes(path.read_bytes()[:700])
    return path


def xlsx_with_formula(folder: Path) -> Path:
    return write_xlsx(folder, [*XLSX_ROWS, ["bispehaven", "skolefravaer", 2019, "=D2*2", "dst-2020"]])


def write_bytes(folder: Path, content: bytes, name: str = "udtraek.csv") -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


BAD_FILES = {
    # 0x81 and 0x9d are undefined in Windows-1252, so neither encoding reads these bytes.
    "garbage bytes": (
        lambda folder: write_bytes(folder, b"omr\x81de;\x9d\xff\n\x8f\x90"),
        "tegnsættet kan ikke genkendes",
    ),
    "binary file": (
        lambda folder: write_bytes(folder, b"\x00\x01\x02omr\xe5de\x00"),
        "binære tegn",
    ),
    "truncated xlsx": (truncated_xlsx, "kan ikke læses som Excel-fil"),
    "xlsx with a formula": (
        xlsx_with_formula,
        "række 4, kolonne 'Værdi': '=D2*2': formler er ikke tilladt",
    ),
    "xlsx with two filled sheets": (
        lambda folder: write_xlsx(folder, XLSX_ROWS, XLSX_ROWS),
        "'Sheet', 'Ark2'",
    ),
    "xlsx with merged cells": (
        lambda folder: write_xlsx(folder, XLSX_ROWS, merge="A2:A3"),
        "flettede celler (A2:A3)",
    ),
    "old xls": (
        lambda folder: write_bytes(folder, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "udtraek.xls"),
        ".xls",
    ),
    "missing file": (lambda folder: folder / "findes-ikke.csv", "filen findes ikke"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_unreadable_file_is_refused_with_a_message_and_changes_nothing(small_data_dir, tmp_path, case, folder_hashes):
    make, words = BAD_FILES[case]
    path = make(tmp_path)
    before = folder_hashes(small_data_dir)
    code, output = run(small_data_dir, path)
    assert code == 1
    assert folder_hashes(small_data_dir) == before
    assert words in output and "Traceback" not in output


def test_file_above_the_size_limit_is_refused_before_reading(small_data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_IMPORT_BYTES", 10)
    code, output = run(small_data_dir, write_csv(tmp_path, "område,indikator,år,værdi,kilde\n"))
    assert code == 1 and "filen er for stor" in output


def test_every_problem_in_a_file_is_reported_at_once(small_data_dir, tmp_path):
    text = HEADER + "Nørrebro;skolefravaer;2018;5,0;;;dst-2020\nbispehaven;skolefravaer;2018;120;;;dst-2020\n"
    code, output = run(small_data_dir, write_csv(tmp_path, text))
    assert code == 1
    assert "række 2, kolonne 'område'" in output and "række 3, kolonne 'værdi'" in output


def test_invalid_data_folder_refuses_the_import_and_points_to_restore(small_data_dir, tmp_path, edit):
    edit(small_data_dir / "observations.csv", "2007,11.3,", "2007,elleve,")
    code, output = run(small_data_dir, write_xlsx(tmp_path, XLSX_ROWS))
    assert code == 1
    assert "observations.csv, række 2, kolonne 'value'" in output and "python -m dashboard restore" in output


def test_import_refuses_to_overwrite_a_change_made_while_it_was_checking(small_data_dir, tmp_path, edit):
    plan = importer.plan_import(write_xlsx(tmp_path, XLSX_ROWS), small_data_dir)
    edit(small_data_dir / "observations.csv", "2007,11.3,", "2007,11.4,")
    changed_meanwhile = (small_data_dir / "observations.csv").read_bytes()
    with pytest.raises(DataValidationError):
        importer.apply_import(plan, small_data_dir, "import udtraek.xlsx")
    assert (small_data_dir / "observations.csv").read_bytes() == changed_meanwhile
    assert store.list_versions(small_data_dir) == []


# --- the written file ---------------------------------------------------------------------------------------------


def test_values_are_written_with_the_indicators_decimals_when_exact():
    assert importer.value_text(8.0, 1) == "8.0"
    assert importer.value_text(345603.0, 0) == "345603"
    assert importer.value_text(8.25, 1) == "8.25"  # never rounded away


def test_shipped_observations_are_rewritten_byte_for_byte():
    path = PROJECT_ROOT / "data" / "observations.csv"
    assert importer.serialise_observations(importer._read_text_rows(path)) == path.read_bytes()


def test_slug_spells_danish_letters_like_the_data_files():
    assert importer.slug("Årsskrift 2018 – Gellerup/Toveshøj") == "aarsskrift-2018-gellerup-toveshoej"


# --- quarters -----------------------------------------------------------------------------------------------------

QUARTERLY_CSV = (
    "Område;Indikator;År;Kvartal;Værdi;Kilde\r\n"
    "bispehaven;ledighed-kvartal;2018;1;41,5;dst-2020\r\n"
    "bispehaven;ledighed-kvartal;2018;K2;40,9;dst-2020\r\n"
    "bispehaven;ledighed-kvartal;2018Q3;;39,8;dst-2020\r\n"
    "Aarhus Kommune;ledighed-kvartal;2018;4;20,1;dst-2020\r\n"
)


def test_a_quarterly_file_is_imported_with_its_quarters_and_again_changes_nothing(small_data_dir, tmp_path):
    before = (small_data_dir / "observations.csv").read_text(encoding="utf-8").splitlines()
    path = write_csv(tmp_path, QUARTERLY_CSV)
    code, output = run(small_data_dir, path)
    assert code == 0, output
    assert "4 tilføjet" in output and "bispehaven, ledighed-kvartal, 2018K2: 40.9" in output
    after = store.load_dataset(small_data_dir).observations
    quarterly = after[after["indicator_id"] == "ledighed-kvartal"].set_index(["area_id", "year", "quarter"])["value"]
    assert quarterly.to_dict() == {
        ("bispehaven", 2018, 1): 41.5,
        ("bispehaven", 2018, 2): 40.9,
        ("bispehaven", 2018, 3): 39.8,
        ("aarhus-kommune", 2018, 4): 20.1,
    }
    assert sorted(after.loc[after["indicator_id"] == "ledighed-kvartal", "period"]) == [
        2018.125,
        2018.375,
        2018.625,
        2018.875,
    ]
    # The yearly rows are untouched; the file gains a quarter column, empty for them.
    lines = (small_data_dir / "observations.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "area_id,indicator_id,year,quarter,value,numerator,denominator,source_id,note"
    assert lines[1] == "gellerup-toveshoej,skolefravaer,2007,,11.3,,,aarsskrift-2018,"
    assert len(lines) == len(before) + 4
    code, output = run(small_data_dir, path)
    assert code == 0 and "0 tilføjet, 0 ændret, 4 uændret" in output


def test_a_quarter_replaces_the_same_quarter_only(small_data_dir, tmp_path):
    assert run(small_data_dir, write_csv(tmp_path, QUARTERLY_CSV))[0] == 0
    code, output = run(
        small_data_dir,
        write_csv(
            tmp_path, "område;indikator;år;kvartal;værdi;kilde\nbispehaven;ledighed-kvartal;2018;2;38,0;dst-2020\n"
        ),
    )
    assert code == 0 and "1 ændret" in output, output
    after = store.load_dataset(small_data_dir).observations.set_index(["area_id", "indicator_id", "year", "quarter"])
    assert after.loc[("bispehaven", "ledighed-kvartal", 2018, 2), "value"] == 38.0
    assert after.loc[("bispehaven", "ledighed-kvartal", 2018, 1), "value"] == 41.5


def test_years_for_an_indicator_with_quarters_are_refused(small_data_dir, tmp_path, folder_hashes):
    assert run(small_data_dir, write_csv(tmp_path, QUARTERLY_CSV))[0] == 0
    before = folder_hashes(small_data_dir)
    code, output = run(
        small_data_dir,
        write_csv(tmp_path, "område;indikator;år;værdi;kilde\nbispehaven;ledighed-kvartal;2019;38,0;dst-2020\n"),
    )
    assert code == 1 and "ledighed-kvartal har kvartalstal i data, filen har årstal" in output
    assert "række 2, kolonne 'år'" in output
    assert folder_hashes(small_data_dir) == before
