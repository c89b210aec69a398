"""Import fuzz: hundreds of malformed files, each refused with a clear message, exit code 1 and no byte changed.

Every case goes through the command line (``dashboard.cli.main(["import", FILE])``, in process for speed; a few
also as a real ``python -m dashboard import`` process) against a private copy of the shipped data. Before and after
each case every file under the data folder is hashed: a refusal that changed anything fails the test.

The files are generated (hypothesis, or lists of known-bad values) from one valid base file, which is itself checked
to be accepted, so each refusal is caused by the one thing the case breaks. Categories follow issue 5, point 1.

Known limit, by design: a CSV cut off *inside its last cell* (after the row's last separator, outside quotes) cannot
be told from a file without a final line break (Google Sheets writes those); the import report lists every row it
adds or changes, so such a cut shows there. Every other cut is refused (a short row, an unclosed quote, a broken zip).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl.worksheet.formula import ArrayFormula

from dashboard import cli
from dashboard.data import importer, schema, store
from dashboard.settings import PROJECT_ROOT
from tests.reliability.helpers import FIGURES, TALLY, copy_data, folder_hashes, fuzz_settings

DANISH = ["område", "indikator", "år", "værdi", "tæller", "nævner", "kilde", "note"]
ENGLISH = ["area", "indicator", "year", "value", "numerator", "denominator", "source", "note"]
COLUMN = {name: position for position, name in enumerate(ENGLISH)}
# Valid new rows (year 2019 is not in the shipped data): the base file adds them. Row 2 has counts and a quoted note.
BASE_ROWS = [
    ["gellerup-toveshoej", "skolefravaer", "2019", "7.9", "", "", "aarsskrift-2018", ""],
    ["bispehaven", "skolefravaer", "2019", "6.3", "63", "1000", "aarsskrift-2018", "Foreløbigt tal, ikke revideret"],
    ["aarhus-kommune", "skolefravaer", "2019", "5.2", "", "", "aarsskrift-2018", ""],
    ["herredsvang", "uden-for-arbejdsmarkedet", "2019", "34.8", "348", "1000", "aarsskrift-2018", "Særkørsel"],
    ["trigeparken", "beboere", "2019", "840", "", "", "aarsskrift-2018", ""],
]
PERCENT_ROWS = (0, 1, 2, 3)  # rows of a pct indicator
COUNT_ROWS = (1, 3)  # rows with numerator and denominator
MINIMUM_CASES = 400


# --- files ------------------------------------------------------------------------------------------------------


def csv_bytes(header, rows, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _xlsx_value(text):
    """Numbers as numbers (as Excel stores them), everything else as given."""
    if isinstance(text, str) and re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text) if "." in text else int(text)
    return text


def xlsx_bytes(header, rows, edit=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(cell) for cell in row])
    if edit:
        edit(workbook, sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def base_rows() -> list[list[str]]:
    return [list(row) for row in BASE_ROWS]


def with_cell(row_index: int, column: str, value) -> list[list[object]]:
    rows = base_rows()
    rows[row_index][COLUMN[column]] = value
    return rows


# --- running a case ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return copy_data(tmp_path_factory.mktemp("import-fuzz") / "data")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("import-files")


_names = itertools.count(1)


def run_cli(args: list[str], data_dir: Path) -> tuple[int, str]:
    """``python -m dashboard ARGS`` in this process (same code path as the command, without the start-up time)."""
    out = io.StringIO()
    with mock.patch.dict(os.environ, {"DATA_DIR": str(data_dir)}), contextlib.redirect_stdout(out):
        code = cli.main(args)
    return code, out.getvalue()


def refused(data_dir: Path, files: Path, category: str, content: bytes, suffix: str, expected) -> str:
    """Import ``content``; assert exit 1, a clear message naming the file and one of ``expected``, nothing changed."""
    path = files / f"case-{next(_names)}.{suffix}"
    path.write_bytes(content)
    before = folder_hashes(data_dir)
    code, text = run_cli(["import", str(path)], data_dir)
    assert folder_hashes(data_dir) == before, f"{category}: data changed\n{text}"
    assert code == 1, f"{category}: accepted\n{text}"
    assert text.startswith(f"Importen af {path.name} er afvist: ") and "Intet er ændret." in text, text
    assert re.search(rf"^  - {re.escape(path.name)}", text, re.M), f"{category}: no problem names the file\n{text}"
    assert "Traceback" not in text and 'File "' not in text, text
    expected = (expected,) if isinstance(expected, str) else expected
    assert any(phrase in text for phrase in expected), f"{category}: expected one of {expected}\n{text}"
    TALLY[f"import:{category}"] += 1
    path.unlink()
    return text


def test_the_base_files_are_accepted(data_dir, files):
    """The unbroken base file is valid in every form used below, so each refusal is the case's own doing."""
    forms = {
        "en.csv": csv_bytes(ENGLISH, base_rows()),
        "da.csv": csv_bytes(DANISH, base_rows(), delimiter=";", encoding="cp1252"),
        "da.xlsx": xlsx_bytes(DANISH, base_rows()),
    }
    for name, content in forms.items():
        path = files / name
        path.write_bytes(content)
        before = folder_hashes(data_dir)
        code, text = run_cli(["import", str(path), "--dry-run"], data_dir)
        assert code == 0, text
        assert "5 tilføjet" in text, text
        assert folder_hashes(data_dir) == before


# --- encodings --------------------------------------------------------------------------------------------------

# Encodings that can write the Danish letters but are neither UTF-8 nor Windows-1252 (Latin-1 and Latin-9 write them
# with the same bytes as Windows-1252 and are read correctly, so they are not wrong).
WRONG_ENCODINGS = [
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp850",
    "cp865",
    "mac_roman",
    "cp500",
    "cp037",
    "utf_7",
]


@fuzz_settings(35)
@given(
    encoding=st.sampled_from(WRONG_ENCODINGS),
    delimiter=st.sampled_from([",", ";", "\t"]),
    rows=st.lists(st.sampled_from(range(len(BASE_ROWS))), min_size=1, max_size=5),
)
def test_wrong_encodings(data_dir, files, encoding, delimiter, rows):
    content = csv_bytes(DANISH, [BASE_ROWS[i] for i in rows], delimiter, encoding)
    refused(
        data_dir,
        files,
        "wrong encoding",
        content,
        "csv",
        ("tegnsættet kan ikke genkendes", "binære tegn", "ukendt kolonne", "påkrævet kolonne mangler"),
    )


@pytest.mark.parametrize("second", ["cp850", "mac_roman", "utf-16-le"])
def test_mixed_encodings_in_one_file(data_dir, files, second):
    """A UTF-8 file with rows pasted in from another program's encoding."""
    pasted = "trigeparken,skolefravaer,2019,6.3,,,Årsskrift 2018,Særlig opgørelse\r\n".encode(second)
    content = csv_bytes(DANISH, base_rows()[:2]) + pasted
    refused(
        data_dir,
        files,
        "wrong encoding",
        content,
        "csv",
        ("tegnsættet kan ikke genkendes", "binære tegn", "ukendt kolonne", "påkrævet kolonne mangler"),
    )


@fuzz_settings(15)
@given(st.binary(min_size=1, max_size=400))
def test_binary_garbage(data_dir, files, content):
    refused(
        data_dir,
        files,
        "wrong encoding",
        b"\x00" + content,
        "csv",
        ("binære tegn", "tegnsættet kan ikke genkendes"),
    )


# --- truncated and empty files ----------------------------------------------------------------------------------


def _truncation_points(content: bytes) -> list[int]:
    """Cut positions that lose at least one field of the last row kept, or leave a quoted cell open."""
    points, start = [], content.index(b"\r\n") + 2
    for line in content[start:].split(b"\r\n")[:-1]:
        quoted = line.endswith(b'"')
        last_separator = line.rindex(b',"') if quoted else line.rindex(b",")
        points += range(start + 1, start + last_separator + 1)
        if quoted:
            # Inside the quoted last cell, opening quote kept: the quote is never closed.
            points += range(start + last_separator + 2, start + len(line))
        start += len(line) + 2
    return points


# The last row ends in a quoted cell (no quotes inside it: a cut right after an inner '""' would close it).
TRUNCATABLE = csv_bytes(ENGLISH, base_rows()[:2] + [base_rows()[3][:7] + ["Hele kommunen, alle skoler"]])


@fuzz_settings(35)
@given(st.sampled_from(_truncation_points(TRUNCATABLE)))
def test_truncated_csv(data_dir, files, cut):
    refused(data_dir, files, "truncated", TRUNCATABLE[:cut], "csv", ("færre felter", "er filen afkortet"))


# Made once: a workbook's bytes carry its creation time, so each new one may differ in length.
TRUNCATABLE_XLSX = xlsx_bytes(DANISH, base_rows())


@fuzz_settings(20)
@given(st.integers(min_value=1, max_value=len(TRUNCATABLE_XLSX) - 1))
def test_truncated_xlsx(data_dir, files, cut):
    refused(data_dir, files, "truncated", TRUNCATABLE_XLSX[:cut], "xlsx", "kan ikke læses som Excel-fil")


def _empty_workbook(header=None, rows=()):
    workbook = openpyxl.Workbook()
    if header:
        workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


EMPTY_FILES = {
    "zero bytes": (b"", "csv"),
    "one line break": (b"\n", "csv"),
    "line breaks": (b"\r\n\r\n\r\n", "csv"),
    "spaces": (b"   \t  ", "csv"),
    "utf-8 BOM only": (b"\xef\xbb\xbf", "csv"),
    "BOM and line break": (b"\xef\xbb\xbf\r\n", "csv"),
    "separators only": (b";;;;;;;\r\n;;;;;;;\r\n", "csv"),
    "commas and quotes": (b'"","",""\r\n', "csv"),
    "header only, danish": (csv_bytes(DANISH, [], ";"), "csv"),
    "header only, english": (csv_bytes(ENGLISH, []), "csv"),
    "header and empty rows": (csv_bytes(ENGLISH, [[""] * 8] * 3), "csv"),
    "header only, tab": (csv_bytes(ENGLISH, [], "\t"), "csv"),
    "empty workbook": (_empty_workbook(), "xlsx"),
    "workbook with header only": (_empty_workbook(DANISH), "xlsx"),
    "workbook with blank strings": (_empty_workbook([" ", ""], [["", " "]]), "xlsx"),
    "zero-byte xlsx": (b"", "xlsx"),
}


@pytest.mark.parametrize("case", list(EMPTY_FILES))
def test_empty_files(data_dir, files, case):
    content, suffix = EMPTY_FILES[case]
    refused(
        data_dir,
        files,
        "empty",
        content,
        suffix,
        ("filen er tom", "kun en overskriftsrække", "kan ikke læses som Excel-fil"),
    )


# --- columns ----------------------------------------------------------------------------------------------------

REQUIRED = ["area", "indicator", "year", "value", "source"]
file_forms = st.sampled_from(["csv-en", "csv-da", "xlsx-da"])


def write_form(form: str, header, rows) -> tuple[bytes, str]:
    if form == "csv-en":
        return csv_bytes(header, rows), "csv"
    if form == "csv-da":
        try:
            return csv_bytes(header, rows, ";", "cp1252"), "csv"
        except UnicodeEncodeError:
            # A text Windows-1252 cannot write: Danish Excel would then save "CSV UTF-8".
            return csv_bytes(header, rows, ";", "utf-8-sig"), "csv"
    return xlsx_bytes(header, rows), "xlsx"


def danish_header(form: str) -> list[str]:
    return list(ENGLISH if form == "csv-en" else DANISH)


@fuzz_settings(25)
@given(form=file_forms, dropped=st.lists(st.sampled_from(REQUIRED), min_size=1, max_size=3, unique=True))
def test_missing_columns(data_dir, files, form, dropped):
    keep = [position for position, name in enumerate(ENGLISH) if name not in dropped]
    header = [danish_header(form)[p] for p in keep]
    rows = [[row[p] for p in keep] for row in base_rows()]
    content, suffix = write_form(form, header, rows)
    refused(data_dir, files, "missing column", content, suffix, "påkrævet kolonne mangler")


ALIASES = {importer._key(alias) for aliases in importer.COLUMN_ALIASES.values() for alias in aliases}
column_names = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda name: name.strip() and importer._key(name) not in ALIASES and not importer._FORMULA_TEXT.match(name))


@fuzz_settings(30)
@given(form=file_forms, name=column_names, position=st.integers(0, 8), filled=st.booleans())
def test_extra_columns(data_dir, files, form, name, position, filled):
    header = danish_header(form)
    header.insert(position, name)
    rows = [row[:position] + (["x"] if filled else [""]) + row[position:] for row in base_rows()]
    content, suffix = write_form(form, header, rows)
    refused(data_dir, files, "extra column", content, suffix, "ukendt kolonne")


@pytest.mark.parametrize("form", ["csv-en", "csv-da", "xlsx-da"])
def test_a_column_without_a_name_but_with_values(data_dir, files, form):
    header = danish_header(form) + [""]
    rows = [row + ["42"] for row in base_rows()]
    content, suffix = write_form(form, header, rows)
    refused(data_dir, files, "extra column", content, suffix, "kolonnen har ingen overskrift")


@fuzz_settings(25)
@given(form=file_forms, column=st.sampled_from(ENGLISH), other_alias=st.booleans(), position=st.integers(0, 8))
def test_duplicated_columns(data_dir, files, form, column, other_alias, position):
    canonical = importer._CANONICAL_BY_ALIAS[column]
    aliases = importer.COLUMN_ALIASES[canonical]
    header = danish_header(form)
    name = aliases[-1] if other_alias and len(aliases) > 1 else header[COLUMN[column]]
    header.insert(position, name)
    rows = [row[:position] + [row[COLUMN[column]]] + row[position:] for row in base_rows()]
    content, suffix = write_form(form, header, rows)
    refused(data_dir, files, "duplicated column", content, suffix, "samme kolonne findes mere end én gang")


# --- rows -------------------------------------------------------------------------------------------------------


@fuzz_settings(25)
@given(form=file_forms, row=st.integers(0, len(BASE_ROWS) - 1), copies=st.integers(1, 3), at=st.integers(0, 5))
def test_duplicated_rows(data_dir, files, form, row, copies, at):
    rows = base_rows()
    for _ in range(copies):
        rows.insert(min(at, len(rows)), list(BASE_ROWS[row]))
    content, suffix = write_form(form, danish_header(form), rows)
    refused(data_dir, files, "duplicated row", content, suffix, "mere end én række for samme område, indikator og år")


@fuzz_settings(25)
@given(form=file_forms, row=st.sampled_from([0, 2, 4]), value=st.integers(0, 99), at=st.integers(0, 5))
def test_conflicting_rows(data_dir, files, form, row, value, at):
    conflicting = list(BASE_ROWS[row])
    conflicting[COLUMN["value"]] = f"{value}.5"
    rows = base_rows()
    rows.insert(at, conflicting)
    content, suffix = write_form(form, danish_header(form), rows)
    refused(data_dir, files, "conflicting rows", content, suffix, "mere end én række for samme område, indikator og år")


# --- numbers ----------------------------------------------------------------------------------------------------


def _not_a_number(text: str) -> bool:
    cell = text.strip()
    if not cell or importer._FORMULA_TEXT.match(cell):
        return False
    try:
        schema.parse_number(cell)
    except ValueError:
        return True
    return False


non_numbers = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=25).filter(
    _not_a_number
)


@fuzz_settings(45)
@given(
    form=file_forms,
    column=st.sampled_from(["value", "numerator", "denominator", "year"]),
    row=st.sampled_from(COUNT_ROWS),
    text=non_numbers,
)
def test_non_numbers(data_dir, files, form, column, row, text):
    content, suffix = write_form(form, danish_header(form), with_cell(row, column, text))
    # A generated text can spell NaN or infinity ("NAN", "-inf"): refused as not finite, which is just as clear.
    refused(data_dir, files, "not a number", content, suffix, ("skal være et tal", "skal være endeligt"))


NOT_FINITE = ["nan", "NaN", "NAN", "-nan", "inf", "-inf", "+inf", "Infinity", "-Infinity", "1e999", "-1e999", "1e400"]


@fuzz_settings(30)
@given(
    form=st.sampled_from(["csv-en", "csv-da"]),
    column=st.sampled_from(["value", "numerator", "denominator", "year"]),
    row=st.sampled_from(COUNT_ROWS),
    text=st.sampled_from(NOT_FINITE),
)
def test_nan_and_infinity(data_dir, files, form, column, row, text):
    content, suffix = write_form(form, danish_header(form), with_cell(row, column, text))
    refused(data_dir, files, "NaN or infinity", content, suffix, "tallet skal være endeligt")


@pytest.mark.parametrize("error", ["#DIV/0!", "#NUM!", "#VALUE!", "#N/A", "#REF!"])
def test_spreadsheet_error_values(data_dir, files, error):
    """Excel has no NaN: a failed calculation is an error cell (what a NaN becomes in a workbook)."""
    refused(
        data_dir, files, "NaN or infinity", xlsx_bytes(DANISH, with_cell(1, "value", error)), "xlsx", "skal være et tal"
    )


@fuzz_settings(35)
@given(
    form=file_forms,
    case=st.sampled_from(
        [
            ("value", 0, "værdien må ikke være negativ"),
            ("value", 4, "værdien må ikke være negativ"),
            ("numerator", 1, "tælleren må ikke være negativ"),
            ("denominator", 3, "nævneren skal være større end 0"),
        ]
    ),
    number=st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False),
)
def test_negative_values(data_dir, files, form, case, number):
    column, row, message = case
    rows = base_rows()
    # Counts are whole: a count that rounds to 0 is "-0", which is 0 (valid for a numerator; not for a denominator).
    text = f"-{number:.2f}" if column == "value" else str(-max(1, round(number)))
    if column == "denominator" and round(number) == 0:
        text = "0"
    rows[row][COLUMN[column]] = text
    content, suffix = write_form(form, danish_header(form), rows)
    refused(data_dir, files, "negative", content, suffix, message)


@fuzz_settings(30)
@given(
    form=file_forms,
    row=st.sampled_from([0, 2]),
    number=st.floats(min_value=100.01, max_value=1e12, allow_nan=False, allow_infinity=False),
)
def test_percentages_above_100(data_dir, files, form, row, number):
    content, suffix = write_form(form, danish_header(form), with_cell(row, "value", f"{number:.2f}"))
    refused(data_dir, files, "percentage above 100", content, suffix, "en procentandel skal ligge mellem 0 og 100")


@fuzz_settings(30)
@given(
    form=file_forms, row=st.sampled_from(COUNT_ROWS), denominator=st.integers(1, 100_000), extra=st.integers(1, 1000)
)
def test_numerator_above_denominator(data_dir, files, form, row, denominator, extra):
    rows = base_rows()
    numerator = denominator + extra
    rows[row][COLUMN["numerator"]] = str(numerator)
    rows[row][COLUMN["denominator"]] = str(denominator)
    rows[row][COLUMN["value"]] = f"{100 * numerator / denominator:.1f}"
    content, suffix = write_form(form, danish_header(form), rows)
    refused(
        data_dir, files, "numerator above denominator", content, suffix, "tælleren må ikke være større end nævneren"
    )


# --- unknown ids and impossible years -----------------------------------------------------------------------------

ids = st.from_regex(r"[a-z][a-z0-9]{1,12}(-[a-z0-9]{1,10}){0,3}", fullmatch=True)


@pytest.fixture(scope="module")
def known(data_dir) -> dict[str, set[str]]:
    dataset = store.load_dataset(data_dir)
    areas = {
        importer._key(v)
        for row in dataset.areas.to_dict("records")
        for v in (row["id"], row["name_da"], row["name_en"])
    }
    indicators = {importer._key(v) for i in dataset.indicators.values() for v in (i.id, i.name["da"], i.name["en"])}
    sources = {importer._key(v) for row in dataset.sources.to_dict("records") for v in (row["id"], row["title"])}
    return {"area": areas, "indicator": indicators, "source": sources | {"synthetic"}}


@fuzz_settings(45)
@given(form=file_forms, column=st.sampled_from(["area", "indicator", "source"]), row=st.integers(0, 4), text=ids)
# Each kind of id at least once, whatever hypothesis draws (one run drew 45 areas and sources and no indicator).
@example(form="csv-da", column="area", row=1, text="findes-ikke")
@example(form="xlsx-da", column="indicator", row=2, text="findes-ikke")
@example(form="csv-en", column="source", row=3, text="findes-ikke")
def test_unknown_areas_indicators_and_sources(data_dir, files, known, form, column, row, text):
    if importer._key(text) in known[column]:
        return
    content, suffix = write_form(form, danish_header(form), with_cell(row, column, text))
    message = {"area": "ukendt område", "indicator": "ukendt indikator", "source": "ukendt kilde"}[column]
    refused(data_dir, files, f"unknown {column}", content, suffix, message)


impossible_years = st.one_of(
    st.integers(min_value=-(10**6), max_value=schema.YEAR_RANGE[0] - 1).map(str),
    st.integers(min_value=schema.YEAR_RANGE[1] + 1, max_value=10**30).map(str),
    st.sampled_from(["2017.5", "2019,25", "0", "-2019", "1e20", "20190"]),
)


@fuzz_settings(30)
@given(form=st.sampled_from(["csv-en", "csv-da"]), row=st.integers(0, 4), year=impossible_years)
def test_impossible_years(data_dir, files, form, row, year):
    content, suffix = write_form(form, danish_header(form), with_cell(row, "year", year))
    refused(
        data_dir,
        files,
        "impossible year",
        content,
        suffix,
        ("år skal ligge mellem", "år skal være et helt tal", "skal være et tal"),
    )


@pytest.mark.parametrize("year", [1989, 2101, 2019.5, -1])
def test_impossible_years_in_xlsx(data_dir, files, year):
    content = xlsx_bytes(DANISH, with_cell(0, "year", year))
    refused(data_dir, files, "impossible year", content, "xlsx", ("år skal ligge mellem", "år skal være et helt tal"))


# --- formulas, merged cells, several sheets ---------------------------------------------------------------------

FORMULA_TEXTS = [
    "=1+1",
    "=SUM(D2:D4)",
    '=HYPERLINK("http://example.invalid","klik")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=2/0",
    " =1+1",
]


@fuzz_settings(40)
@given(
    form=st.sampled_from(["csv-en", "csv-da", "xlsx-text"]),
    column=st.sampled_from(ENGLISH),
    row=st.integers(0, 4),
    text=st.sampled_from(FORMULA_TEXTS),
)
def test_formulas_as_text(data_dir, files, form, column, row, text):
    """Formula texts in any column of a CSV, and as text cells in a workbook."""
    rows = with_cell(row, column, text)
    if form == "xlsx-text":

        def as_text(workbook, sheet):
            cell = sheet.cell(row=row + 2, column=COLUMN[column] + 1)
            cell.value, cell.data_type = text, "s"

        content, suffix = xlsx_bytes(DANISH, base_rows(), as_text), "xlsx"
    else:
        content, suffix = write_form(form, danish_header(form), rows)
    refused(data_dir, files, "formula", content, suffix, "formler er ikke tilladt")


@fuzz_settings(25)
@given(
    column=st.sampled_from(ENGLISH),
    row=st.integers(0, 4),
    formula=st.sampled_from(["=D3", "=SUM(D2:D4)", "=1/0", "=NOW()", "=ROUND(7.94,1)", "=D2*1"]),
    array=st.booleans(),
)
def test_formula_cells_in_xlsx(data_dir, files, column, row, formula, array):
    def put_formula(workbook, sheet):
        cell = sheet.cell(row=row + 2, column=COLUMN[column] + 1)
        if array:
            cell.value = ArrayFormula(cell.coordinate, formula)
        else:
            cell.value = formula

    refused(data_dir, files, "formula", xlsx_bytes(DANISH, base_rows(), put_formula), "xlsx", "formler er ikke tilladt")


@fuzz_settings(25)
@given(
    first_row=st.integers(1, 6),
    first_column=st.integers(1, 8),
    height=st.integers(0, 2),
    width=st.integers(0, 2),
)
def test_merged_cells(data_dir, files, first_row, first_column, height, width):
    if height == width == 0:
        width = 1

    def merge(workbook, sheet):
        sheet.merge_cells(
            start_row=first_row, start_column=first_column, end_row=first_row + height, end_column=first_column + width
        )

    refused(data_dir, files, "merged cells", xlsx_bytes(DANISH, base_rows(), merge), "xlsx", "flettede celler")


@fuzz_settings(20)
@given(sheets=st.integers(2, 5), filled=st.lists(st.booleans(), min_size=4, max_size=4), rows=st.integers(1, 5))
def test_several_sheets(data_dir, files, sheets, filled, rows):
    def more_sheets(workbook, sheet):
        for number in range(1, sheets):
            extra = workbook.create_sheet(f"Ark{number + 1}")
            if number == 1 or filled[number - 1]:
                extra.append(DANISH)
                for row in BASE_ROWS[:rows]:
                    extra.append([_xlsx_value(cell) for cell in row])

    refused(data_dir, files, "several sheets", xlsx_bytes(DANISH, base_rows(), more_sheets), "xlsx", "flere ark")


# --- too large: refused in bounded memory -------------------------------------------------------------------------


# Runs `python -m dashboard` and reports the process's own peak RSS (VmHWM) at exit. (ru_maxrss from wait4 would
# not do: on Linux it keeps the high-water mark of the forking pytest process across exec.)
_MEASURED_COMMAND = """
import atexit, runpy, sys
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("PEAK_RSS_KB=" + line.split()[1] + "\\n")
atexit.register(report)
sys.argv = ["dashboard", *sys.argv[1:]]
runpy.run_module("dashboard", run_name="__main__")
"""


def _peak_rss_of_import(path: Path, data_dir: Path) -> tuple[int, str, int]:
    """Run ``python -m dashboard import PATH`` as a process: exit code, output, and its peak RSS in MB."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED_COMMAND, "import", str(path)],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, DATA_DIR=str(data_dir)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    peak = int(re.search(r"PEAK_RSS_KB=(\d+)", result.stderr).group(1)) // 1024
    return result.returncode, result.stdout + result.stderr.replace(f"PEAK_RSS_KB={peak}", ""), peak


def _write_rows(path: Path, target_bytes: int, row: str) -> Path:
    line = (row + "\r\n").encode()
    with path.open("wb") as out:
        out.write(";".join(DANISH).encode("cp1252") + b"\r\n")
        block = line * max(1, (1024 * 1024) // len(line))
        written = 0
        while written < target_bytes:
            out.write(block)
            written += len(block)
    return path


def _zip_bomb(path: Path) -> Path:
    """A valid small workbook plus a part that unpacks to 200 MB: a few hundred kB on disk."""
    content = io.BytesIO(xlsx_bytes(DANISH, base_rows()))
    with zipfile.ZipFile(content, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (200 * 1024 * 1024))
    path.write_bytes(content.getvalue())
    return path


def test_very_large_files_are_refused_in_bounded_memory(data_dir, tmp_path):
    """A 50 MB CSV, a 19 MB CSV of 320,000 rows, and an XLSX that unpacks to 200 MB: refused, memory bounded."""
    small = tmp_path / "small.csv"
    small.write_bytes(csv_bytes(ENGLISH, with_cell(0, "value", "abc")))
    cases = {
        "50 MB CSV": (
            _write_rows(tmp_path / "huge.csv", 50 * 1024 * 1024, ";".join(BASE_ROWS[1])),
            "filen er for stor",
        ),
        "CSV of 320,000 rows": (
            _write_rows(
                tmp_path / "rows.csv", 18 * 1024 * 1024, "ukendt-omraade;skolefravaer;2019;7,9;;;aarsskrift-2018;"
            ),
            "rækker",
        ),
        "XLSX unpacking to 200 MB": (_zip_bomb(tmp_path / "bomb.xlsx"), "udpakket"),
    }
    before = folder_hashes(data_dir)
    code, output, baseline = _peak_rss_of_import(small, data_dir)
    assert code == 1, output
    peaks = {"small bad CSV (baseline)": baseline}
    for label, (path, phrase) in cases.items():
        code, output, peak = _peak_rss_of_import(path, data_dir)
        assert code == 1, output
        assert phrase in output and "Intet er ændret." in output and "Traceback" not in output, output
        assert folder_hashes(data_dir) == before
        peaks[f"{label} ({path.stat().st_size / 1024 / 1024:.1f} MB on disk)"] = peak
        TALLY["import:very large"] += 1
    FIGURES["import peak RSS (MB)"] = "; ".join(f"{label}: {peak}" for label, peak in peaks.items())
    # The 50 MB file is refused from its size, never read; the others are cut off early.
    assert peaks[next(k for k in peaks if k.startswith("50 MB"))] - baseline < 30
    assert max(peaks.values()) - baseline < 150, peaks


def test_the_cases_tried_reach_the_minimum():
    """Run last in this module: the tally of import cases, per category, for the report."""
    import_cases = {key: count for key, count in TALLY.items() if key.startswith("import:")}
    assert sum(import_cases.values()) >= MINIMUM_CASES, import_cases
    categories = {key.split(":", 1)[1] for key in import_cases}
    expected = {
        "wrong encoding",
        "truncated",
        "empty",
        "missing column",
        "extra column",
        "duplicated column",
        "duplicated row",
        "conflicting rows",
        "not a number",
        "NaN or infinity",
        "negative",
        "percentage above 100",
        "numerator above denominator",
        "unknown area",
        "unknown indicator",
        "unknown source",
        "impossible year",
        "formula",
        "merged cells",
        "several sheets",
        "very large",
    }
    assert expected <= categories, expected - categories
