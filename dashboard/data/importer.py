"""Import observations from a CSV or XLSX file into `data/observations.csv`, safely.

The secretariat gets figures as spreadsheets: Danish or English column names, semicolons and decimal commas,
Windows encodings. This module reads such a file, maps names to ids, and validates the *whole* file with the same
rules as the start-up check (:func:`schema.parse_observations`) before anything is written. The merged data set is
then validated as a whole by loading it from a temporary folder, and only then written atomically under the data
lock, keeping the previous files as a version that ``python -m dashboard restore`` can bring back.

Public API: :func:`run_import` is the command (report and exit code). It is built from :func:`plan_import`
(file + data folder -> validated :class:`ImportPlan`, nothing written; it uses :func:`read_table` for the cells and
:func:`parse_table` for the rows) and :func:`apply_import` (write a plan under the lock, keep a version).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
import shutil
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.data import periods, schema, store
from dashboard.data.problems import DataValidationError, Problem, format_problems

MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Bounds on what a file may make the importer hold in memory: rows (a yearly extract has a few thousand) and, for XLSX,
# the unpacked size (a small zip can unpack to gigabytes of XML, and openpyxl keeps every cell as an object).
MAX_IMPORT_ROWS = 50_000
MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024
# A text cell that a spreadsheet would run as a formula: '=...', or '+', '-', '@' before a call or DDE link.
_FORMULA_TEXT = re.compile(r"\s*(=|[+\-@].*[(|!])", re.DOTALL)
# Longest list of rows printed per kind (added, changed, unchanged); the counts are always complete.
LIST_LIMIT = 20

NEW_SOURCE_PUBLISHER = "Angivet ved import"
NEW_SOURCE_LICENCE = "Ikke angivet"
EXISTING_DATA_INVALID = (
    "data-mappen er ikke gyldig i forvejen; gendan en tidligere version med "
    "'python -m dashboard versions' og 'python -m dashboard restore <version>'"
)

# Column names accepted in an import file (compared trimmed and case-insensitively), by canonical column.
COLUMN_ALIASES = {
    "area_id": ("område", "omraade", "area", "area_id"),
    "indicator_id": ("indikator", "indicator", "indicator_id"),
    "year": ("år", "aar", "year", "periode", "period"),
    "quarter": ("kvartal", "quarter", "kvt"),
    "value": ("værdi", "vaerdi", "value"),
    "numerator": ("tæller", "taeller", "numerator"),
    "denominator": ("nævner", "naevner", "denominator"),
    "source_id": ("kilde", "source", "source_id"),
    "note": ("note",),
}
REQUIRED_COLUMNS = ("area_id", "indicator_id", "year", "value")
DECIMAL_COLUMNS = ("value", "numerator", "denominator")
# Column names of a monthly extract: refused with a word on why (the data have one row per area, indicator and year or
# quarter).
_MONTH_COLUMNS = {"måned", "maaned", "month"}
_CANONICAL_BY_ALIAS = {alias: canonical for canonical, aliases in COLUMN_ALIASES.items() for alias in aliases}

# Characters that never occur in a text table: their presence means a binary file or a wrong encoding.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CSV_DELIMITERS = (";", ",", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
# A number written the Danish way: optional thousands points, optional decimal comma ("1.234", "8,5", "12").
_DANISH_NUMBER = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")
_HAS_DECIMAL_COMMA = re.compile(r"-?[\d.]*\d,\d+")
# A text that looks like a source id: an unknown one is a typo, not the title of a new source.
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


@dataclass(frozen=True)
class Table:
    """A file's cells as read: the header, the data rows, and each data row's spreadsheet row number."""

    name: str
    header: list[str]
    rows: list[list[object]]
    row_numbers: list[int]


@dataclass
class ImportPlan:
    """What an import would do, already validated: the rows by outcome and the new bytes of the changed files."""

    file_name: str
    added: list[dict[str, str]] = field(default_factory=list)
    changed: list[tuple[dict[str, str], dict[str, str]]] = field(default_factory=list)
    unchanged: list[dict[str, str]] = field(default_factory=list)
    new_sources: list[dict[str, str]] = field(default_factory=list)
    contents: dict[str, bytes] = field(default_factory=dict)
    base_version: str = ""

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed)

    def summary(self) -> str:
        text = f"{len(self.added)} tilføjet, {len(self.changed)} ændret, {len(self.unchanged)} uændret"
        if self.new_sources:
            text += f", {len(self.new_sources)} ny(e) kilde(r)"
        return text


class ImportRefused(DataValidationError):
    """An import that changed nothing: ``reason`` says in one line why, ``problems`` lists every detail."""

    def __init__(self, reason: str, problems: list[Problem]):
        self.reason = reason
        super().__init__(problems)


def _refusal(file: str, message: str) -> DataValidationError:
    return DataValidationError([Problem(file, message)])


def _key(text: object) -> str:
    """How names are compared: Unicode-normalised (macOS writes 'å' as two code points), trimmed, case-folded."""
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


# --- reading a file into cells ----------------------------------------------------------------------------------


def read_table(path: Path) -> Table:
    """The cells of a CSV or XLSX file; raises DataValidationError for a file that cannot be read as a table."""
    path = Path(path)
    if not path.is_file():
        raise _refusal(path.name, "filen findes ikke")
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        limit_mb = MAX_IMPORT_BYTES / 1024 / 1024
        raise _refusal(
            path.name,
            f"filen er for stor ({size / 1024 / 1024:.1f} MB; højst {limit_mb:.0f} MB)",
        )
    content = path.read_bytes()
    if content.startswith(_OLD_EXCEL_MAGIC) or path.suffix.lower() == ".xls":
        raise _refusal(
            path.name,
            "det gamle Excel-format (.xls) kan ikke læses; gem filen som .xlsx eller CSV",
        )
    if content.startswith(_ZIP_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        records = _xlsx_records(path.name, content)
    else:
        records = _csv_records(path.name, content)
    return _table(path.name, records)


def _table(name: str, records: list[tuple[int, list[object]]]) -> Table:
    """Header and data rows from numbered records, skipping empty rows."""
    filled = [(number, cells) for number, cells in records if any(_text(cell) for cell in cells)]
    if not filled:
        raise _refusal(name, "filen er tom")
    (_, header), data = filled[0], filled[1:]
    if not data:
        raise _refusal(name, "filen har kun en overskriftsrække og ingen datarækker")
    if len(data) > MAX_IMPORT_ROWS:
        raise _refusal(name, f"filen har {len(data)} rækker; højst {MAX_IMPORT_ROWS} kan importeres ad gangen")
    width = len(header)
    # Columns up to the last named one: a row with fewer fields lost its end (a cut-off file, a missing separator).
    named = max((position + 1 for position, cell in enumerate(header) if _text(cell)), default=0)
    too_short = [
        Problem(
            name,
            f"rækken har færre felter ({len(cells)}) end overskriften ({named}); er filen afkortet?",
            number,
        )
        for number, cells in data
        if len(cells) < named
    ]
    if too_short:
        raise DataValidationError(too_short)
    too_wide = [
        Problem(
            name,
            f"rækken har flere felter ({len(cells)}) end overskriften ({width})",
            number,
        )
        for number, cells in data
        if any(_text(cell) for cell in cells[width:])
    ]
    if too_wide:
        # The usual cause: a decimal comma in a comma-separated file.
        raise DataValidationError(too_wide)
    rows = [list(cells[:width]) + [""] * (width - len(cells)) for _, cells in data]
    return Table(name, [_text(cell) for cell in header], rows, [number for number, _ in data])


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _decode(name: str, content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which is what Danish Excel writes as 'CSV'."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refusal(
            name,
            "tegnsættet kan ikke genkendes; gem filen som 'CSV UTF-8' eller som .xlsx",
        )
    if _CONTROL_CHARACTERS.search(text):
        raise _refusal(
            name,
            "filen ligner ikke en tekst-CSV (den indeholder binære tegn); gem den som CSV eller .xlsx",
        )
    return text


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their ends, one at a time: a large file is not copied into a list or a StringIO
    (which stores four bytes per character)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _delimiter(text: str) -> str:
    """The separator used most often in the header line: Danish Excel writes ';', most other tools ','."""
    header = next((line for line in _lines(text) if line.strip()), "")
    return max(_CSV_DELIMITERS, key=header.count)


def _csv_records(name: str, content: bytes) -> list[tuple[int, list[object]]]:
    text = _decode(name, content)
    records = []
    try:
        # A record's position is its spreadsheet row number, even when a quoted cell spans several lines.
        # strict: a quoted cell that never ends (a cut-off file) is an error, not a cell holding the rest of the file.
        for number, cells in enumerate(csv.reader(_lines(text), delimiter=_delimiter(text), strict=True), 1):
            if number > MAX_IMPORT_ROWS + 1:
                raise _refusal(name, f"filen har mere end {MAX_IMPORT_ROWS} rækker; del den op")
            records.append((number, cells))
    except csv.Error as error:
        raise _refusal(name, f"kan ikke læses som CSV ({error}); er filen afkortet?") from None
    return records


def _xlsx_records(name: str, content: bytes) -> list[tuple[int, list[object]]]:
    """The cells of the one sheet that has data. Formulas and merged cells are refused: their values are guesses."""
    try:
        unpacked = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refusal(
            name,
            "kan ikke læses som Excel-fil (.xlsx); filen er måske beskadiget eller ufuldstændig",
        ) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _refusal(
            name,
            f"filen fylder {unpacked / 1024 / 1024:.0f} MB udpakket (højst {MAX_XLSX_UNPACKED_BYTES // 1024 // 1024} MB)"
            "; gem kun de rækker, der skal importeres",
        )
    import openpyxl  # here: the web workers import this module (for the CLI's texts) but never read a workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about spreadsheet features it does not read (data validation, styles); not our concern.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    except Exception:  # noqa: BLE001 - a damaged workbook raises zip, XML, key and value errors alike
        raise _refusal(
            name,
            "kan ikke læses som Excel-fil (.xlsx); filen er måske beskadiget eller ufuldstændig",
        ) from None
    sheets = [sheet for sheet in workbook.worksheets if _has_data(sheet)]
    if len(sheets) > 1:
        names = ", ".join(f"'{sheet.title}'" for sheet in sheets)
        raise _refusal(
            name,
            f"projektmappen har data i flere ark ({names}); gem det ark, der skal importeres, for sig",
        )
    if not sheets:
        raise _refusal(name, "filen er tom")
    sheet = sheets[0]
    rows = [row for row in sheet.iter_rows() if any(_text(cell.value) for cell in row)]
    problems = [
        Problem(
            name,
            f"flettede celler ({cells.coord}) er ikke tilladt; ophæv fletningen",
            cells.min_row,
        )
        for cells in sheet.merged_cells.ranges
    ]
    problems += _formula_problems(name, rows)
    if problems:
        raise DataValidationError(problems)
    return [(row[0].row, [cell.value for cell in row]) for row in rows]


def _has_data(sheet) -> bool:
    return any(_text(value) for row in sheet.iter_rows(values_only=True) for value in row)


def _formula_text(value: object) -> str:
    # An array formula is an object that keeps its text in .text; a plain formula is the text itself.
    return str(getattr(value, "text", value))


def _formula_problems(name: str, rows: list[tuple]) -> list[Problem]:
    """Every formula cell, named by its header (the first row with data) or, failing that, its column letter."""
    header = {cell.column: _text(cell.value) for cell in rows[0]}
    return [
        Problem(
            name,
            "formler er ikke tilladt; skriv tallet",
            cell.row,
            header.get(cell.column) or cell.column_letter,
            _formula_text(cell.value),
        )
        for row in rows
        for cell in row
        if cell.data_type == "f"
    ]


# --- from cells to validated observation rows -------------------------------------------------------------------


def _column_map(table: Table, has_default_source: bool) -> tuple[dict[str, int], list[Problem]]:
    """Canonical column -> position in the file; problems for unknown, repeated, unnamed and missing columns."""
    positions: dict[str, int] = {}
    problems = []
    allowed = ", ".join(aliases[0] for aliases in COLUMN_ALIASES.values())
    for position, title in enumerate(table.header):
        canonical = _CANONICAL_BY_ALIAS.get(_key(title))
        if not title:
            if any(_text(row[position]) for row in table.rows):
                problems.append(
                    Problem(
                        table.name,
                        "kolonnen har ingen overskrift",
                        1,
                        f"nr. {position + 1}",
                    )
                )
        elif canonical is None:
            if _key(title) in _MONTH_COLUMNS:
                message = f"ukendt kolonne: {schema.MONTHS_NOT_SUPPORTED} (tilladte: {allowed})"
            else:
                message = f"ukendt kolonne (tilladte: {allowed} eller de engelske navne)"
            problems.append(Problem(table.name, message, 1, title))
        elif canonical in positions:
            problems.append(Problem(table.name, "samme kolonne findes mere end én gang", 1, title))
        else:
            positions[canonical] = position
    required = REQUIRED_COLUMNS if has_default_source else (*REQUIRED_COLUMNS, "source_id")
    for canonical in required:
        if canonical not in positions:
            hint = " (eller angiv kilden med --source)" if canonical == "source_id" else ""
            problems.append(
                Problem(
                    table.name,
                    f"påkrævet kolonne mangler{hint}",
                    1,
                    COLUMN_ALIASES[canonical][0],
                )
            )
    return positions, problems


def _lookup(names_by_id: dict[str, Iterable[str]]) -> dict[str, str]:
    """Case-insensitive name -> id; an id wins over another entry's display name."""
    lookup = {_key(name): item_id for item_id, names in names_by_id.items() for name in names if str(name).strip()}
    lookup.update({_key(item_id): item_id for item_id in names_by_id})
    return lookup


def _writes_danish_numbers(cells: Iterable[object]) -> bool:
    """True when the file writes numbers the Danish way ('1.234', '8,5'): all fit, and one has a decimal comma.

    Danish Excel exports the displayed text, thousands points included. Read cell by cell, '1.234' would be a
    decimal; in a file whose decimals are commas, it is a thousand and more.
    """
    texts = [cell.strip() for cell in cells if isinstance(cell, str) and cell.strip()]
    return all(_DANISH_NUMBER.fullmatch(text) for text in texts) and any(
        _HAS_DECIMAL_COMMA.fullmatch(text) for text in texts
    )


def _from_danish(cell: object) -> object:
    return cell.strip().replace(".", "").replace(",", ".") if isinstance(cell, str) else cell


def slug(title: str) -> str:
    """An ASCII id from a title, the way the data files spell ids: 'Årsskrift 2018' -> 'aarsskrift-2018'."""
    text = unicodedata.normalize("NFKD", title.casefold().translate(_DANISH_LETTERS))
    text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-") or "kilde"


def _new_source(title: str, taken: set[str], file_name: str, today: date) -> dict[str, str]:
    base = slug(title)
    source_id, counter = base, 2
    while source_id in taken:
        source_id, counter = f"{base}-{counter}", counter + 1
    return {
        "id": source_id,
        "title": title,
        "publisher": NEW_SOURCE_PUBLISHER,
        "year": str(today.year),
        "url": "",
        "licence": NEW_SOURCE_LICENCE,
        "note": f"Tilføjet ved import af {file_name} {today.isoformat()}",
    }


def _resolve_sources(
    texts: list[str], sources: pd.DataFrame, file_name: str, today: date
) -> tuple[list[str], list[dict[str, str]]]:
    """Each row's source id; a title that names no existing source becomes a new source (once per title)."""
    lookup = _lookup({row["id"]: [row["title"]] for row in sources.to_dict("records")})
    taken = set(sources["id"]) | {store.SYNTHETIC_SOURCE_ID}
    new_sources: list[dict[str, str]] = []
    resolved = []
    for text in texts:
        if text == "" or _key(text) in lookup or _SLUG.fullmatch(text):
            # Empty and unknown id-like texts stay as they are: the row check reports them with row and column.
            resolved.append(lookup.get(_key(text), text))
            continue
        source = _new_source(text, taken, file_name, today)
        new_sources.append(source)
        taken.add(source["id"])
        lookup[_key(text)] = source["id"]
        resolved.append(source["id"])
    return resolved, new_sources


def _raw_observations(
    table: Table, positions: dict[str, int], dataset: store.Dataset, source: str | None
) -> pd.DataFrame:
    """The file's rows in the canonical columns, with area, indicator and source names replaced by ids."""

    def column(canonical: str) -> list[object]:
        position = positions.get(canonical)
        return [row[position] for row in table.rows] if position is not None else [""] * len(table.rows)

    areas = _lookup({row["id"]: [row["name_da"], row["name_en"]] for row in dataset.areas.to_dict("records")})
    indicators = _lookup({i.id: [i.name["da"], i.name["en"]] for i in dataset.indicators.values()})
    frame = pd.DataFrame({name: pd.Series(column(name), dtype=object) for name in schema.OBSERVATION_COLUMNS})
    frame["area_id"] = [areas.get(_key(cell), _text(cell)) for cell in frame["area_id"]]
    frame["indicator_id"] = [indicators.get(_key(cell), _text(cell)) for cell in frame["indicator_id"]]
    frame["source_id"] = [_text(cell) or (source or "") for cell in frame["source_id"]]
    if _writes_danish_numbers(cell for name in DECIMAL_COLUMNS for cell in frame[name]):
        for name in DECIMAL_COLUMNS:
            frame[name] = frame[name].map(_from_danish)
    return frame


def _in_file_terms(problem: Problem, table: Table, positions: dict[str, int]) -> Problem:
    """A problem on a canonical column, renamed to the column as the file spells it."""
    if problem.column == "source_id" and problem.message == "må ikke være tom":
        problem = dataclasses.replace(problem, message="kilde mangler: udfyld cellen eller angiv --source")
    if problem.column in positions:
        return dataclasses.replace(problem, column=table.header[positions[problem.column]])
    return problem


def _formula_text_problems(table: Table) -> list[Problem]:
    """Text cells a spreadsheet would run as formulas (CSV has no formula cells; these are texts that start one)."""
    return [
        Problem(
            table.name,
            "formler er ikke tilladt; skriv tallet eller teksten uden =, +, - eller @ forrest",
            row,
            table.header[position] or f"nr. {position + 1}",
            cell,
        )
        for row, cells in zip(table.row_numbers, table.rows, strict=True)
        for position, cell in enumerate(cells)
        if isinstance(cell, str) and _FORMULA_TEXT.match(cell)
    ]


def parse_table(
    table: Table,
    dataset: store.Dataset,
    *,
    source: str | None = None,
    today: date | None = None,
) -> tuple[pd.DataFrame, list[dict[str, str]], bool]:
    """The file's validated, typed observation rows, the new sources they name, and whether it has a note column.

    Raises DataValidationError listing every problem with row, column (as named in the file) and value.
    """
    positions, problems = _column_map(table, has_default_source=bool(source))
    problems += _formula_text_problems(table)
    if problems:
        raise DataValidationError(problems)
    raw = _raw_observations(table, positions, dataset, source)
    source_ids, new_sources = _resolve_sources(
        list(raw["source_id"]), dataset.sources, table.name, today or date.today()
    )
    raw["source_id"] = source_ids
    observations, problems = schema.parse_observations(
        raw,
        table.name,
        area_ids=set(dataset.areas["id"]),
        indicator_units={i.id: i.unit for i in dataset.indicators.values()},
        source_ids=set(dataset.sources["id"]) | {s["id"] for s in new_sources},
        row_numbers=table.row_numbers,
    )
    if not problems:
        problems = _periods_unlike_the_data(
            observations, dataset, table, "quarter" if "quarter" in positions else "year"
        )
    if problems:
        raise DataValidationError([_in_file_terms(problem, table, positions) for problem in problems])
    return observations, new_sources, "note" in positions


def _periods_unlike_the_data(
    observations: pd.DataFrame, dataset: store.Dataset, table: Table, column: str
) -> list[Problem]:
    """Quarters for an indicator the data have whole years of, or the other way round: said on the file's first such
    row (the merged folder would be refused anyway, but with a row number of observations.csv)."""
    existing = dataset.observations.groupby("indicator_id", sort=False)["quarter"].max()
    by_criteria = store.criteria_indicator_ids(dataset.criteria)
    problems = []
    for indicator_id, rows in observations.groupby("indicator_id", sort=False):
        quarters = rows[rows["quarter"] > 0]
        if indicator_id in by_criteria and len(quarters):
            row = table.row_numbers[int(quarters.index[0])]
            problems.append(Problem(table.name, f"{schema.CRITERIA_NEED_YEARS} ({indicator_id})", row, column))
            continue
        if indicator_id not in existing.index:
            continue
        data_quarterly, file_quarterly = bool(existing[indicator_id] > 0), bool(rows["quarter"].max() > 0)
        if data_quarterly != file_quarterly:
            have, got = ("kvartalstal", "årstal") if data_quarterly else ("årstal", "kvartalstal")
            message = f"{indicator_id} har {have} i data, filen har {got}; {schema.MIXED_PERIODS}"
            problems.append(Problem(table.name, message, table.row_numbers[int(rows.index[0])], column))
    return problems


# --- merging with the data folder -------------------------------------------------------------------------------


def value_text(value: float, decimals: int) -> str:
    """A value as written to observations.csv: the indicator's decimals when exact ('8.0', '345603'), else repr."""
    text = f"{value:.{decimals}f}"
    return text if float(text) == value else repr(value)


def _count_text(count: float) -> str:
    return "" if math.isnan(count) else str(int(count))


def _row_text(row: dict, decimals: int) -> dict[str, str]:
    return {
        "area_id": row["area_id"],
        "indicator_id": row["indicator_id"],
        "year": str(int(row["year"])),
        "quarter": str(int(row["quarter"])) if int(row["quarter"]) else "",
        "value": value_text(float(row["value"]), decimals),
        "numerator": _count_text(float(row["numerator"])),
        "denominator": _count_text(float(row["denominator"])),
        "source_id": row["source_id"],
        "note": row["note"],
    }


def _equal_numbers(a: float, b: float) -> bool:
    """Equal, counting two missing counts as equal."""
    return float(a) == float(b) or (math.isnan(a) and math.isnan(b))


def _same(old: dict, new: dict) -> bool:
    numbers_equal = all(_equal_numbers(old[name], new[name]) for name in DECIMAL_COLUMNS)
    return numbers_equal and old["source_id"] == new["source_id"] and old["note"] == new["note"]


def _changed_text(old: dict, new: dict, old_text: dict[str, str], new_text: dict[str, str]) -> dict[str, str]:
    """A changed row's text, keeping the old spelling of the numbers that did not change ('67' stays '67')."""
    return {
        name: old_text[name] if name in DECIMAL_COLUMNS and _equal_numbers(old[name], new[name]) else text
        for name, text in new_text.items()
    }


def _merge(
    imported: pd.DataFrame,
    dataset: store.Dataset,
    text_rows: dict[tuple, dict[str, str]],
    has_note: bool,
    plan: ImportPlan,
) -> dict[tuple, dict[str, str]]:
    """Sort the file's rows into the plan's added, changed and unchanged lists; return the changed rows' new text.

    A row replaces the row with the same area, indicator, year and quarter. A file without a note column keeps the
    existing notes: notes are commentary, and a figures-only extract should not erase them.
    """
    decimals = {i.id: i.decimals for i in dataset.indicators.values()}
    existing = {_key_of(row): row for row in dataset.observations.to_dict("records")}
    replaced = {}
    for row in imported.to_dict("records"):
        key = _key_of(row)
        old = existing.get(key)
        if old is not None and not has_note:
            row["note"] = old["note"]
        new_text = _row_text(row, decimals[row["indicator_id"]])
        if old is None:
            plan.added.append(new_text)
        elif _same(old, row):
            plan.unchanged.append(text_rows[key])
        else:
            replaced[key] = _changed_text(old, row, text_rows[key], new_text)
            plan.changed.append((text_rows[key], replaced[key]))
    return replaced


def _key_of(row: dict) -> tuple[str, str, int, int]:
    return (
        str(row["area_id"]).strip(),
        str(row["indicator_id"]).strip(),
        int(row["year"]),
        int(row.get("quarter") or 0),
    )


def _read_text_rows(path: Path) -> list[dict[str, str]]:
    """observations.csv as text cells, so that rows the import leaves alone are written back exactly as they were."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{name: row.get(name) or "" for name in schema.OBSERVATION_COLUMNS} for row in csv.DictReader(handle)]


def serialise_observations(rows: Iterable[dict[str, str]]) -> bytes:
    """observations.csv bytes: canonical header, one line per row, '\\n' line ends, quotes only where needed. The
    ``quarter`` column is written only when a row has a quarter (a yearly file keeps the header it always had)."""
    rows = list(rows)
    columns = [
        name for name in schema.OBSERVATION_COLUMNS if name != "quarter" or any(row.get("quarter") for row in rows)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([row[name] for name in columns] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _sources_with(path: Path, new_sources: list[dict[str, str]]) -> bytes:
    """sources.csv with the new sources appended; the existing bytes are kept as they are."""
    content = path.read_bytes()
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        [source.get(name, "") for name in header] for source in new_sources
    )
    separator = b"" if content.endswith(b"\n") or not content else b"\n"
    return content + separator + buffer.getvalue().encode("utf-8")


def _validate_candidate(data_dir: Path, contents: dict[str, bytes]) -> None:
    """Load the data folder as it would be after the import; raises DataValidationError if it would not be valid."""
    with tempfile.TemporaryDirectory(prefix="bosoc-import-") as folder:
        candidate = Path(folder)
        for name in store.DATA_FILES:
            if (data_dir / name).exists():
                shutil.copyfile(data_dir / name, candidate / name)
        for name, content in contents.items():
            (candidate / name).write_bytes(content)
        store.load_dataset(candidate)


def plan_import(path: Path, data_dir: Path, *, source: str | None = None, today: date | None = None) -> ImportPlan:
    """Read, validate and merge an import file without writing anything; raises ImportRefused with every problem."""
    data_dir = Path(data_dir)
    base_version = store.files_version(data_dir)
    try:
        dataset = store.load_dataset(data_dir)
    except DataValidationError as error:
        raise ImportRefused(EXISTING_DATA_INVALID, error.problems) from None
    try:
        table = read_table(path)
        imported, new_sources, has_note = parse_table(table, dataset, source=source, today=today)
    except DataValidationError as error:
        raise ImportRefused("filen har fejl", error.problems) from None

    text_rows = {_key_of(row): row for row in _read_text_rows(data_dir / "observations.csv")}
    plan = ImportPlan(file_name=table.name, base_version=base_version)
    replaced = _merge(imported, dataset, text_rows, has_note, plan)
    if not plan.has_changes:
        return plan

    used_sources = {row["source_id"] for row in plan.added} | {new["source_id"] for _, new in plan.changed}
    plan.new_sources = [s for s in new_sources if s["id"] in used_sources]
    kept = [replaced.get(key, row) for key, row in text_rows.items()]
    # New rows go last, sorted, so that the file's order does not depend on the order of the import file.
    plan.contents["observations.csv"] = serialise_observations(kept + sorted(plan.added, key=_key_of))
    if plan.new_sources:
        plan.contents["sources.csv"] = _sources_with(data_dir / "sources.csv", plan.new_sources)
    try:
        _validate_candidate(data_dir, plan.contents)
    except DataValidationError as error:
        raise ImportRefused("data ville ikke være gyldige efter importen", error.problems) from None
    return plan


def apply_import(plan: ImportPlan, data_dir: Path, command: str) -> str | None:
    """Write a validated plan under the data lock; returns the id of the version kept, or None when nothing changed."""
    if not plan.has_changes:
        return None
    with store.data_lock(data_dir):
        if store.files_version(data_dir) != plan.base_version:
            # Someone else wrote while this import was being checked: its merge would undo their change.
            problem = Problem(
                plan.file_name,
                "en anden har ændret datafilerne, mens filen blev kontrolleret",
            )
            raise ImportRefused("datafilerne blev ændret under importen; kør importen igen", [problem])
        return store.write_files_atomically(
            data_dir,
            plan.contents,
            command,
            f"import af {plan.file_name}: {plan.summary()}",
        )


# --- the command ------------------------------------------------------------------------------------------------


def _describe(row: dict[str, str]) -> str:
    counts = f" ({row['numerator']}/{row['denominator']})" if row["numerator"] else ""
    where = f"{row['area_id']}, {row['indicator_id']}, {_period_text(row)}"
    return f"{where}: {row['value']}{counts}, kilde {row['source_id']}"


def _period_text(row: dict[str, str]) -> str:
    return periods.label(periods.period(int(row["year"]), int(row.get("quarter") or 0)))


def _describe_change(old: dict[str, str], new: dict[str, str]) -> str:
    labels = {
        "value": "værdi",
        "numerator": "tæller",
        "denominator": "nævner",
        "source_id": "kilde",
        "note": "note",
    }
    differences = [
        f"{label} {old[name] or '–'} → {new[name] or '–'}" for name, label in labels.items() if old[name] != new[name]
    ]
    return f"{old['area_id']}, {old['indicator_id']}, {_period_text(old)}: {'; '.join(differences)}"


def _listed(title: str, lines: list[str], marker: str) -> list[str]:
    if not lines:
        return []
    shown = [f"  {marker} {line}" for line in lines[:LIST_LIMIT]]
    if len(lines) > LIST_LIMIT:
        shown.append(f"  … og {len(lines) - LIST_LIMIT} mere")
    return [f"{title} ({len(lines)}):", *shown]


def format_report(plan: ImportPlan, version_id: str | None, dry_run: bool) -> str:
    """What the import did (or, in a dry run, would do), for a person."""
    lines = [f"Import af {plan.file_name}: {plan.summary()}."]
    lines += _listed("Tilføjet", [_describe(row) for row in plan.added], "+")
    lines += _listed("Ændret", [_describe_change(old, new) for old, new in plan.changed], "~")
    lines += _listed("Uændret", [_describe(row) for row in plan.unchanged], "=")
    lines += _listed(
        "Nye kilder i sources.csv",
        [f"{s['id']}: {s['title']}" for s in plan.new_sources],
        "+",
    )
    if plan.new_sources:
        lines.append(f"  Ret udgiver, år, url og licens for de nye kilder i sources.csv (nu '{NEW_SOURCE_PUBLISHER}').")
    if dry_run:
        lines.append("Prøvekørsel (--dry-run): intet er skrevet.")
    elif version_id is None:
        lines.append("Ingen ændringer: intet er skrevet.")
    else:
        lines.append(f"Den tidligere version er gemt som {version_id}.")
        lines.append(f"Fortryd med: python -m dashboard restore {version_id}")
    return "\n".join(lines)


def run_import(
    path: Path,
    data_dir: Path,
    *,
    source: str | None = None,
    dry_run: bool = False,
    out: Callable[[str], object] = print,
    today: date | None = None,
) -> int:
    """The `import` command: 0 when the file was imported (or would be, in a dry run), 1 when nothing changed
    because of a problem; every problem is printed."""
    path = Path(path)
    try:
        plan = plan_import(path, data_dir, source=source, today=today)
        command = " ".join(["import", path.name] + (["--source", source] if source else []))
        version_id = None if dry_run else apply_import(plan, data_dir, command)
    except ImportRefused as refusal:
        out(
            f"Importen af {path.name} er afvist: {refusal.reason}. Intet er ændret.\n{format_problems(refusal.problems)}"
        )
        return 1
    out(format_report(plan, version_id, dry_run))
    return 0
