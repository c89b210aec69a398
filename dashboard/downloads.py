"""The files behind the download buttons on /data: the public observations as CSV or XLSX, and the import template.

Pure functions from the public (suppressed) data to bytes, so the page's callback only picks what to build and tests
can open the files without a browser. Every file carries ids *and* names, the unit and the source, so a figure
pasted into board papers still says where it came from.

Two rules hold for every cell we write:

- A suppressed row keeps its place (area, indicator, year, reason) but its value, numerator and denominator are
  empty: the public frame has already blanked them, and these functions never look at anything else.
- Spreadsheet formula injection is neutralised: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is prefixed with an apostrophe in CSV, and written as a plain string (never a formula) in XLSX.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable

import pandas as pd

from dashboard.analysis.suppression import suppression_reason_text
from dashboard.i18n.numbers import format_number

# The columns of the CSV and of the XLSX data sheet, in order. Machine-readable names, as in docs/data-format.md.
DOWNLOAD_COLUMNS = [
    "area_id",
    "area_name",
    "indicator_id",
    "indicator_name",
    "year",
    "quarter",
    "value",
    "numerator",
    "denominator",
    "unit",
    "source_id",
    "source_title",
    "source_url",
    "note",
    "suppressed",
    "suppression_reason",
]
NUMBER_COLUMNS = ("value", "numerator", "denominator")
SOURCE_SHEET_COLUMNS = ["id", "title", "publisher", "year", "url", "licence", "note"]
INDICATOR_SHEET_COLUMNS = [
    "id",
    "group",
    "name",
    "definition",
    "population",
    "unit",
    "lower_is_better",
    "decimals",
    "source_id",
    "has_data",
]
SHEET_NAMES = ("Data", "Kilder", "Indikatorer")

# The column names `python -m dashboard import` accepts first (dashboard.data.importer.COLUMN_ALIASES).
TEMPLATE_COLUMNS = ["område", "indikator", "år", "kvartal", "værdi", "tæller", "nævner", "kilde", "note"]
TEMPLATE_EXAMPLE = ("gellerup-toveshoej", "skolefravaer")

# Characters that make a spreadsheet read a cell as a formula (or, for tab and CR, shift it into one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"
MAX_FILTER_LABEL = 60


def neutralise(text: object) -> object:
    """A text cell that cannot start a formula: "=SUM(A1)" -> "'=SUM(A1)". Non-text values pass unchanged."""
    if isinstance(text, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or bool(pd.isna(value))


def filter_observations(
    observations: pd.DataFrame,
    area_ids: Iterable[str] | None = None,
    indicator_ids: Iterable[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> pd.DataFrame:
    """The rows matching every given filter; an empty or missing filter keeps everything. Years are inclusive."""
    rows = observations
    areas = list(area_ids or ())
    indicators = list(indicator_ids or ())
    if year_from is not None and year_to is not None and year_from > year_to:
        year_from, year_to = year_to, year_from
    if areas:
        rows = rows[rows["area_id"].isin(areas)]
    if indicators:
        rows = rows[rows["indicator_id"].isin(indicators)]
    if year_from is not None:
        rows = rows[rows["year"] >= year_from]
    if year_to is not None:
        rows = rows[rows["year"] <= year_to]
    return rows


def sorted_observations(observations: pd.DataFrame, dataset) -> pd.DataFrame:
    """Rows in the order a reader expects: areas as in areas.csv, indicators as in the catalogue, then years."""
    # tolist(): iterating the column itself costs about 20 µs per area (8 ms for 400 areas, on every call).
    area_order = {area_id: position for position, area_id in enumerate(dataset.areas["id"].tolist())}
    indicator_order = {indicator_id: position for position, indicator_id in enumerate(dataset.indicators)}
    return (
        observations.assign(
            _area=observations["area_id"].map(area_order).fillna(len(area_order)),
            _indicator=observations["indicator_id"].map(indicator_order).fillna(len(indicator_order)),
        )
        .sort_values(["_area", "_indicator", "period"])
        .drop(columns=["_area", "_indicator"])
    )


def reason_text(reason: str, lang: str, suppression_limit: int) -> str:
    """The suppression reason in the reader's language (the public frame carries it in Danish)."""
    if not reason or lang == "da":
        return reason
    return suppression_reason_text(suppression_limit, lang)


def download_frame(dataset, observations: pd.DataFrame, lang: str = "da", suppression_limit: int = 5) -> pd.DataFrame:
    """The rows of a download (``DOWNLOAD_COLUMNS``) for public observations, names in ``lang``.

    ``observations`` must be (a selection of) ``PublicData.observations``; suppressed rows arrive without numbers.
    """
    sources = dataset.sources.set_index("id")
    rows = []
    for row in sorted_observations(observations, dataset).to_dict("records"):
        indicator = dataset.indicators.get(row["indicator_id"])
        source_id = row["source_id"]
        known_source = source_id in sources.index
        suppressed = bool(row["suppressed"])
        rows.append(
            {
                "area_id": row["area_id"],
                "area_name": dataset.area_name(row["area_id"], lang),
                "indicator_id": row["indicator_id"],
                "indicator_name": indicator.name[lang] if indicator else row["indicator_id"],
                "year": int(row["year"]),
                # 1-4 for a quarterly figure, empty for a figure for the whole year (as in observations.csv).
                "quarter": int(row["quarter"]) or None,
                # Suppressed rows carry no numbers, whatever the frame says (belt and braces).
                "value": None if suppressed or _is_missing(row["value"]) else float(row["value"]),
                "numerator": None if suppressed or _is_missing(row["numerator"]) else float(row["numerator"]),
                "denominator": None if suppressed or _is_missing(row["denominator"]) else float(row["denominator"]),
                "unit": indicator.unit if indicator else "",
                "source_id": source_id,
                "source_title": str(sources.at[source_id, "title"]) if known_source else "",
                "source_url": str(sources.at[source_id, "url"]) if known_source else "",
                "note": "" if _is_missing(row["note"]) else str(row["note"]),
                "suppressed": suppressed,
                "suppression_reason": reason_text(str(row["suppression_reason"] or ""), lang, suppression_limit)
                if suppressed
                else "",
            }
        )
    return pd.DataFrame(rows, columns=DOWNLOAD_COLUMNS)


def _machine_number(value: object) -> str:
    """A number for machines: decimal point, no thousands separator, no float noise ("6.3", not "6.300000001")."""
    if _is_missing(value):
        return ""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return format(number, ".10g")


def _csv_cell(column: str, value: object) -> str:
    if column in NUMBER_COLUMNS:
        return _machine_number(value)
    if column == "year":
        return str(int(value))
    if column == "quarter":
        return "" if _is_missing(value) else str(int(value))
    if column == "suppressed":
        return "true" if value else "false"
    return str(neutralise("" if _is_missing(value) else str(value)))


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (so Excel reads the Danish letters), comma-separated, decimal point: machine-readable."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(frame.columns))
    for record in frame.to_dict("records"):
        writer.writerow([_csv_cell(column, record[column]) for column in frame.columns])
    return (CSV_BOM + out.getvalue()).encode("utf-8")


def _write_cell(sheet, row: int, column: int, value: object):
    """One XLSX cell; text is always stored as a string, so "=..." can never become a formula."""
    if _is_missing(value):
        value = None
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            # Excel hides this apostrophe but keeps the cell as text, even when someone edits it later.
            cell.quotePrefix = True
    return cell


def _write_sheet(sheet, header: list[str], rows: Iterable[Iterable[object]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    widths = [len(name) for name in header]
    for column, name in enumerate(header, start=1):
        _write_cell(sheet, 1, column, name).font = bold
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _write_cell(sheet, row_number, column, value)
            widths[column - 1] = max(widths[column - 1], min(len(str(value or "")), 60))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    sheet.freeze_panes = "A2"


def indicator_rows(data, lang: str = "da") -> list[list[object]]:
    """The indicator catalogue as rows of ``INDICATOR_SHEET_COLUMNS`` (``has_data``: rows exist in the public data)."""
    with_data = set(data.observations["indicator_id"])
    return [
        [
            indicator.id,
            indicator.group,
            indicator.name[lang],
            indicator.definition[lang],
            indicator.population[lang],
            indicator.unit,
            indicator.lower_is_better,
            indicator.decimals,
            indicator.source_id,
            indicator.id in with_data,
        ]
        for indicator in data.dataset.indicators.values()
    ]


def to_xlsx_bytes(frame: pd.DataFrame, data, lang: str = "da") -> bytes:
    """A workbook with the sheets Data (``frame``), Kilder (every source) and Indikatorer (the catalogue).

    ``data`` is the :class:`~dashboard.datasource.PublicData` the frame was built from.
    """
    # Imported here, not at the top: a web worker that never sends a workbook does not carry openpyxl (about 9 MB of
    # its resident memory; bench/run.py's worker RSS row).
    import openpyxl

    workbook = openpyxl.Workbook()
    data_sheet = workbook.active
    data_sheet.title = SHEET_NAMES[0]
    _write_sheet(
        data_sheet,
        list(frame.columns),
        ([record[column] for column in frame.columns] for record in frame.to_dict("records")),
    )
    sources = data.dataset.sources[SOURCE_SHEET_COLUMNS]
    _write_sheet(
        workbook.create_sheet(SHEET_NAMES[1]),
        SOURCE_SHEET_COLUMNS,
        ([record[column] for column in SOURCE_SHEET_COLUMNS] for record in sources.to_dict("records")),
    )
    _write_sheet(workbook.create_sheet(SHEET_NAMES[2]), INDICATOR_SHEET_COLUMNS, indicator_rows(data, lang))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_example(data) -> dict | None:
    """A real, published, unsuppressed observation for the template's example row (never an invented number)."""
    observations = data.observations[~data.observations["suppressed"] & data.observations["value"].notna()]
    area_id, indicator_id = TEMPLATE_EXAMPLE
    preferred = observations[(observations["area_id"] == area_id) & (observations["indicator_id"] == indicator_id)]
    candidates = preferred if len(preferred) else observations
    if candidates.empty:
        return None
    return candidates.sort_values("period").iloc[-1].to_dict()


def template_csv_bytes(data) -> bytes:
    """The import template: Danish column names, semicolons and decimal commas, as Danish Excel writes CSV.

    The example row repeats a real observation by name (area, indicator, source title), so importing the template
    unchanged is accepted and changes nothing.
    """
    dataset = data.dataset
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    example = template_example(data)
    if example is not None:
        indicator = dataset.indicators[example["indicator_id"]]
        titles = dict(zip(dataset.sources["id"], dataset.sources["title"], strict=True))

        def count(value: object) -> str:
            return "" if _is_missing(value) else str(int(value))

        writer.writerow(
            [
                dataset.area_name(example["area_id"], "da"),
                indicator.name["da"],
                str(int(example["year"])),
                str(int(example["quarter"])) if example["quarter"] else "",
                # Danish decimal comma without thousands points, so the importer reads it the Danish way.
                format_number(example["value"], indicator.decimals, "da").replace(".", ""),
                count(example["numerator"]),
                count(example["denominator"]),
                titles.get(example["source_id"], example["source_id"]),
                "" if _is_missing(example["note"]) else str(example["note"]),
            ]
        )
    return (CSV_BOM + out.getvalue()).encode("utf-8")


def filter_label(
    area_ids: Iterable[str] | None, indicator_ids: Iterable[str] | None, year_from: int | None, year_to: int | None
) -> str:
    """A short ASCII name for a selection, for file names: "skolefravaer-2007-2017"; "alle" without filters."""
    parts = [*(indicator_ids or ()), *(area_ids or ())]
    if year_from is not None and year_to is not None:
        parts.append(str(year_from) if year_from == year_to else f"{min(year_from, year_to)}-{max(year_from, year_to)}")
    elif year_from is not None:
        parts.append(f"fra-{year_from}")
    elif year_to is not None:
        parts.append(f"til-{year_to}")
    if not parts:
        return "alle"
    label = "-".join(parts)
    return label if len(label) <= MAX_FILTER_LABEL else "udvalg"


def file_name(label: str, version: str, extension: str) -> str:
    """bosoc-data-<filter>-<data version>.<csv|xlsx>: the name says what is in the file and from which data."""
    return f"bosoc-data-{label}-{version}.{extension}"


def template_file_name() -> str:
    return "bosoc-import-skabelon.csv"


def build_download(
    data,
    fmt: str,
    scope: str,
    lang: str = "da",
    suppression_limit: int = 5,
    area_ids: Iterable[str] | None = None,
    indicator_ids: Iterable[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> tuple[bytes, str]:
    """The bytes and file name of one download: ``fmt`` "csv" or "xlsx", ``scope`` "visning" (filtered) or "alle"."""
    if fmt not in ("csv", "xlsx") or scope not in ("visning", "alle"):
        raise ValueError(f"unknown download {fmt!r} / {scope!r}")
    if scope == "alle":
        rows, label = data.observations, "alle"
    else:
        rows = filter_observations(data.observations, area_ids, indicator_ids, year_from, year_to)
        label = filter_label(area_ids, indicator_ids, year_from, year_to)
    frame = download_frame(data.dataset, rows, lang, suppression_limit)
    content = to_csv_bytes(frame) if fmt == "csv" else to_xlsx_bytes(frame, data, lang)
    return content, file_name(label, data.version, fmt)
