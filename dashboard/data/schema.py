"""Schemas of the data files and the validation of observation rows.

Parsing happens in two steps, so that every message names a cell a person can find:
1. each cell is parsed on its own (a non-number is reported with its row and column, not as a failed dtype);
2. the parsed rows are checked with pandera (ranges, known ids, uniqueness, numerator <= denominator), with
   messages written for people.
The importer and the start-up check share this code, so a file is judged the same way wherever it comes from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

import pandas as pd
import pandera.pandas as pa

from dashboard.data import periods
from dashboard.data.problems import Problem

OBSERVATION_COLUMNS = [
    "area_id",
    "indicator_id",
    "year",
    "quarter",
    "value",
    "numerator",
    "denominator",
    "source_id",
    "note",
]
OBSERVATION_REQUIRED = ["area_id", "indicator_id", "year", "value", "source_id"]
OBSERVATION_KEY = ["area_id", "indicator_id", "year", "quarter"]
# Derived from year and quarter when a file is read (periods.period); never written to a file.
PERIOD_COLUMN = "period"
YEAR_RANGE = (1990, 2100)
UNITS = {"pct", "pct_region", "persons", "count", "points"}

AREA_COLUMNS = [
    "id",
    "name_da",
    "name_en",
    "kind",
    "housing_organisations",
    "housing_organisations_source_id",
    "sort_order",
]
AREA_KINDS = {"helhedsplan", "kommune", "almen"}
SOURCE_COLUMNS = ["id", "title", "publisher", "year", "url", "licence", "note"]
# A quarter written in the year column ("2023K1", "2023 K1", "2023-Q1", "K1 2023", "Q1-2023"): read as year and quarter.
QUARTER_IN_YEAR = re.compile(
    r"(?P<year>\d{4})\s*[-/ ]?\s*[KkQq]\s*(?P<quarter>[1-4])|[KkQq]\s*(?P<quarter2>[1-4])\s*[-/ ]?\s*(?P<year2>\d{4})"
)
# A quarter column's cell: "1"-"4", "K1"/"Q1", "1. kvartal"; empty for a figure for the whole year.
QUARTER_CELL = re.compile(r"[KkQq]?\s*(?P<quarter>[1-4])(\.?\s*(kvartal|kvt\.?|quarter))?", re.IGNORECASE)
# A month ("2023-03", "2023M03"): the data have one value per area, indicator and year or quarter.
MONTH_LIKE = re.compile(r"\d{4}\s*(-|/|[Mm])\s*(0?[1-9]|1[0-2])")
MONTHS_NOT_SUPPORTED = "månedstal kan ikke indlæses: data har ét tal pr. område, indikator og år eller kvartal"
QUARTER_RULE = "kvartal skal være 1, 2, 3 eller 4 (K1-K4), eller tom for et tal for hele året"
MIXED_PERIODS = (
    "indikatoren har både tal for hele år og for kvartaler; én indikator skal have én slags periode "
    "(brug en ny indikator til kvartalstallene)"
)
CRITERIA_NEED_YEARS = (
    "statslistens kriterier vurderes på årstal: en indikator, som criteria.yaml bruger, kan ikke have kvartalstal"
)
STATE_LIST_COLUMNS = ["area_id", "year", "list_name", "status", "designation", "source_id", "note"]
STATE_LIST_STATUSES = {"on", "off", "new", "left", "proposed"}


def check_columns(
    frame: pd.DataFrame, file: str, required: Iterable[str], optional: Iterable[str] = ()
) -> list[Problem]:
    """Missing, unknown and duplicated columns (row 1 is the header)."""
    required, optional = list(required), list(optional)
    problems = []
    seen: set[str] = set()
    for name in frame.columns:
        if name in seen:
            problems.append(Problem(file, "kolonnen findes mere end én gang", 1, str(name)))
        seen.add(name)
        if name not in required and name not in optional:
            problems.append(Problem(file, f"ukendt kolonne (tilladte: {', '.join(required + optional)})", 1, str(name)))
    for name in required:
        if name not in seen:
            problems.append(Problem(file, "påkrævet kolonne mangler", 1, name))
    return problems


def parse_number(text: object) -> float | None:
    """A finite number from a cell, accepting a decimal comma; None for empty; raises ValueError otherwise."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    if isinstance(text, bool):
        raise ValueError("not a number")
    if isinstance(text, int | float):
        number = float(text)
    else:
        cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
        if cleaned == "":
            return None
        if cleaned.startswith("="):
            raise ValueError("formula")
        if "," in cleaned and "." in cleaned:
            # "1.234,5" (Danish thousands) or "1,234.5" (English thousands)
            if cleaned.rfind(",") > cleaned.rfind("."):
                cleaned = cleaned.replace(".", "").replace(",", ".")
            else:
                cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(",", ".")
        number = float(cleaned)
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def _cell_problem(file: str, row: int, column: str, value: object, error: ValueError) -> Problem:
    reason = str(error)
    if reason == "formula":
        message = "formler er ikke tilladt; skriv tallet"
    elif reason == "not finite":
        message = "tallet skal være endeligt (ikke NaN eller uendelig)"
    else:
        message = "skal være et tal"
    return Problem(file, message, row, column, value)


def parse_observations(
    raw: pd.DataFrame,
    file: str,
    *,
    area_ids: Iterable[str],
    indicator_units: Mapping[str, str],
    source_ids: Iterable[str],
    row_numbers: list[int] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse and validate observation rows given as text cells in the canonical columns.

    Returns the typed frame (only when there are no problems; otherwise an empty frame) and every problem found.
    ``row_numbers`` maps each row to the row number shown to people (defaults to header row 1, data from 2).
    """
    rows = row_numbers or list(range(2, len(raw) + 2))
    problems: list[Problem] = []
    parsed: dict[str, list] = {name: [] for name in OBSERVATION_COLUMNS}
    cell_ok: list[bool] = []
    for position, record in enumerate(raw.to_dict("records")):
        row, ok = rows[position], True
        for name in ("area_id", "indicator_id", "source_id", "note"):
            parsed[name].append(str(record.get(name) or "").strip())
        for name in ("area_id", "indicator_id", "source_id"):
            if parsed[name][-1] == "":
                problems.append(Problem(file, "må ikke være tom", row, name))
                ok = False
        year_text = str(record.get("year") or "").strip()
        quarter, quarter_ok = _quarter_cell(record.get("quarter"))
        if not quarter_ok:
            problems.append(Problem(file, QUARTER_RULE, row, "quarter", record.get("quarter")))
            ok = False
        in_year = QUARTER_IN_YEAR.fullmatch(year_text)
        if in_year:
            written = int(in_year.group("quarter") or in_year.group("quarter2"))
            if quarter_ok and quarter not in (periods.YEARLY, written):
                message = f"året nævner kvartal {written}, kolonnen kvartal {quarter}"
                problems.append(Problem(file, message, row, "quarter", record.get("quarter")))
                ok = False
            quarter, year_text = written, in_year.group("year") or in_year.group("year2")
        parsed["quarter"].append(quarter if ok else 0)
        try:
            year = parse_number(year_text)
            if year is None:
                problems.append(Problem(file, "må ikke være tom", row, "year"))
                ok = False
            elif year != int(year):
                problems.append(Problem(file, "år skal være et helt tal", row, "year", record.get("year")))
                ok = False
            elif not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
                # Checked here too, not only by the schema: a year like 1e20 does not fit the int64 column.
                message = f"år skal ligge mellem {YEAR_RANGE[0]} og {YEAR_RANGE[1]}"
                problems.append(Problem(file, message, row, "year", record.get("year")))
                ok = False
            parsed["year"].append(int(year) if ok and year is not None else 0)
        except ValueError as error:
            if MONTH_LIKE.fullmatch(year_text):
                problems.append(Problem(file, MONTHS_NOT_SUPPORTED, row, "year", record.get("year")))
            else:
                problems.append(_cell_problem(file, row, "year", record.get("year"), error))
            parsed["year"].append(0)
            ok = False
        for name in ("value", "numerator", "denominator"):
            try:
                number = parse_number(record.get(name))
            except ValueError as error:
                problems.append(_cell_problem(file, row, name, record.get(name), error))
                number, ok = None, False
            if name == "value" and number is None and ok:
                problems.append(Problem(file, "værdi mangler (et manglende tal udelades som række)", row, name))
                ok = False
            parsed[name].append(number)
        cell_ok.append(ok)

    frame = pd.DataFrame(parsed)
    frame["year"] = frame["year"].astype("int64")
    frame["quarter"] = frame["quarter"].astype("int64")
    for name in ("value", "numerator", "denominator"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    frame["_row"] = rows[: len(frame)]
    checkable = frame[pd.Series(cell_ok, index=frame.index, dtype=bool)] if len(frame) else frame
    problems += _check_rules(checkable, file, set(area_ids), dict(indicator_units), set(source_ids))
    problems += _mixed_periods(checkable, file)
    problems.sort(
        key=lambda p: (p.row or 0, OBSERVATION_COLUMNS.index(p.column) if p.column in OBSERVATION_COLUMNS else 99)
    )
    frame = with_period(frame.drop(columns="_row"))
    if problems:
        return frame.iloc[0:0], problems
    return frame.reset_index(drop=True), []


def with_period(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its ``period`` column (periods.period of year and quarter), after ``quarter``."""
    period = periods.period_column(frame["year"], frame["quarter"])
    frame = frame.drop(columns=PERIOD_COLUMN, errors="ignore")
    frame.insert(frame.columns.get_loc("quarter") + 1, PERIOD_COLUMN, period.astype("float64"))
    return frame


def _quarter_cell(text: object) -> tuple[int, bool]:
    """(quarter, ok): 0 for an empty cell (a figure for the whole year), 1-4 for a quarter."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return periods.YEARLY, True
    if isinstance(text, int | float) and not isinstance(text, bool):
        return (int(text), True) if text in periods.QUARTERS else (periods.YEARLY, False)
    cleaned = str(text).strip()
    if cleaned == "":
        return periods.YEARLY, True
    found = QUARTER_CELL.fullmatch(cleaned)
    return (int(found.group("quarter")), True) if found else (periods.YEARLY, False)


def _mixed_periods(frame: pd.DataFrame, file: str) -> list[Problem]:
    """One problem per indicator that has both yearly and quarterly rows, on its first row of the rarer kind."""
    if frame.empty:
        return []
    problems = []
    quarterly = frame["quarter"] > 0
    for indicator_id, is_quarterly in quarterly.groupby(frame["indicator_id"], sort=False):
        n_quarterly = int(is_quarterly.sum())
        if 0 < n_quarterly < len(is_quarterly):
            rarer = is_quarterly if n_quarterly <= len(is_quarterly) - n_quarterly else ~is_quarterly
            first = frame.loc[rarer[rarer].index[0]]
            detail = f" ({indicator_id}: {len(is_quarterly) - n_quarterly} årstal, {n_quarterly} kvartalstal)"
            problems.append(Problem(file, MIXED_PERIODS + detail, int(first["_row"]), "quarter"))
    return problems


PERCENT_RANGE = "en procentandel skal ligge mellem 0 og 100"
NUMERATOR_ABOVE = "tælleren må ikke være større end nævneren"
COUNTS_TOGETHER = "tæller og nævner skal angives sammen"
VALUE_FROM_COUNTS = "værdien stemmer ikke med 100 × tæller / nævner"
# Checks on whole rows: pandera reports them once per column, we report them once, on the column to fix.
FRAME_CHECK_COLUMNS = {
    PERCENT_RANGE: "value",
    NUMERATOR_ABOVE: "numerator",
    COUNTS_TOGETHER: "denominator",
    VALUE_FROM_COUNTS: "value",
}


def _whole(error: str) -> pa.Check:
    return pa.Check(lambda counts: counts == counts.round(), error=error)


def _observation_schema(
    area_ids: set[str], indicator_units: dict[str, str], source_ids: set[str]
) -> pa.DataFrameSchema:
    """Row rules as a pandera schema; each check's ``error`` is the message a person reads."""
    percent_indicators = {i for i, unit in indicator_units.items() if unit == "pct"}
    return pa.DataFrameSchema(
        {
            "area_id": pa.Column(str, pa.Check.isin(area_ids, error="ukendt område (se areas.csv)")),
            "indicator_id": pa.Column(
                str, pa.Check.isin(set(indicator_units), error="ukendt indikator (se indicators.yaml)")
            ),
            "year": pa.Column(
                "int64",
                pa.Check.in_range(*YEAR_RANGE, error=f"år skal ligge mellem {YEAR_RANGE[0]} og {YEAR_RANGE[1]}"),
            ),
            "quarter": pa.Column("int64", pa.Check.in_range(0, 4, error=QUARTER_RULE)),
            "value": pa.Column("float64", pa.Check.ge(0, error="værdien må ikke være negativ")),
            # Counts are persons: a fraction would be rounded away when the file is written back.
            "numerator": pa.Column(
                "float64",
                [pa.Check.ge(0, error="tælleren må ikke være negativ"), _whole("tælleren skal være et helt tal")],
                nullable=True,
            ),
            "denominator": pa.Column(
                "float64",
                [pa.Check.gt(0, error="nævneren skal være større end 0"), _whole("nævneren skal være et helt tal")],
                nullable=True,
            ),
            "source_id": pa.Column(str, pa.Check.isin(source_ids, error="ukendt kilde (se sources.csv)")),
        },
        checks=[
            pa.Check(
                lambda df: ~(df["indicator_id"].isin(percent_indicators) & (df["value"] > 100)),
                error=PERCENT_RANGE,
            ),
            pa.Check(
                lambda df: ~(df["numerator"] > df["denominator"]),
                error=NUMERATOR_ABOVE,
            ),
            pa.Check(
                lambda df: df["numerator"].isna() == df["denominator"].isna(),
                error=COUNTS_TOGETHER,
            ),
            pa.Check(
                lambda df: (
                    df["numerator"].isna()
                    | ~df["indicator_id"].isin(percent_indicators)
                    | ((100 * df["numerator"] / df["denominator"] - df["value"]).abs() <= 0.051)
                ),
                error=VALUE_FROM_COUNTS,
            ),
        ],
        unique=OBSERVATION_KEY,
        report_duplicates="all",
    )


def _check_rules(
    frame: pd.DataFrame, file: str, area_ids: set[str], indicator_units: dict[str, str], source_ids: set[str]
) -> list[Problem]:
    if frame.empty:
        return []
    schema = _observation_schema(area_ids, indicator_units, source_ids)
    try:
        schema.validate(frame.drop(columns="_row"), lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    problems = []
    # Rows as plain dicts: a .loc lookup per failure case made a file of 50,000 bad rows take a minute.
    records = frame.to_dict("index")
    for case in cases.to_dict("records"):
        index = case.get("index")
        if index is None or (isinstance(index, float) and math.isnan(index)):
            continue
        record = records[index]
        row = int(record["_row"])
        check = str(case.get("check"))
        column = case.get("column")
        if check == "multiple_fields_uniqueness":
            period = periods.label(periods.period(int(record["year"]), int(record["quarter"])))
            key = f"{record['area_id']}, {record['indicator_id']}, {period}"
            message = f"mere end én række for samme område, indikator og år/kvartal ({key})"
            problems.append(Problem(file, message, row, "year"))
            continue
        if check in FRAME_CHECK_COLUMNS:
            column = FRAME_CHECK_COLUMNS[check]
        value = record[column] if column in record else case.get("failure_case")
        problems.append(Problem(file, check, row, column, value))
    # pandera reports a duplicated key once per column of the key: keep one message per row.
    unique: dict[tuple, Problem] = {}
    for problem in problems:
        unique.setdefault((problem.row, problem.column, problem.message), problem)
    return list(unique.values())


def coerce_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """All cells as stripped text ('' for empty), whatever the reader produced."""
    return frame.astype(object).where(frame.notna(), "").map(lambda v: str(v).strip())
