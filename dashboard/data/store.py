"""Load and validate the data folder into a :class:`Dataset`; write it atomically; keep and restore versions.

The data files are the single source of truth. Loading checks every file completely and raises
:class:`DataValidationError` with every problem (file, row, column) instead of starting on half-valid data.
Writing goes through :func:`write_files_atomically`, which first keeps a copy of the current files as a version.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import yaml

from dashboard import yamlfile
from dashboard.data import schema
from dashboard.data.problems import DataValidationError, Problem

DATA_FILES = (
    "sources.csv",
    "areas.csv",
    "indicators.yaml",
    "observations.csv",
    "state_lists.csv",
    "criteria.yaml",
    "strategy.yaml",
    "statements.yaml",
)
VERSIONS_DIR = "versions"
BENCHMARK_AREA_ID = "aarhus-kommune"
SYNTHETIC_SOURCE_ID = "synthetic"
LANGS = ("da", "en")


@dataclass(frozen=True)
class Indicator:
    """One entry of the indicator catalogue."""

    id: str
    group: str
    name: Mapping[str, str]
    short_name: Mapping[str, str]
    definition: Mapping[str, str]
    population: Mapping[str, str]
    unit: str
    lower_is_better: bool | None
    decimals: int
    source_id: str
    themes: tuple[str, ...] = ()


@dataclass
class Dataset:
    """Everything the dashboard shows, validated. ``version`` is a hash of the files' bytes."""

    sources: pd.DataFrame
    areas: pd.DataFrame
    indicators: dict[str, Indicator]
    observations: pd.DataFrame
    state_lists: pd.DataFrame
    criteria: list[dict]
    strategy: dict
    statements: list[dict]
    version: str
    modified: datetime
    data_dir: Path
    is_synthetic: bool = False
    area_names: dict[str, dict[str, str]] = field(default_factory=dict)
    # Values derived from the files, kept for this Dataset (not init: dataclasses.replace starts a new one).
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: str, compute):
        """``compute()`` once for this dataset (do not change the result). Two threads may both compute it; one
        result is kept."""
        try:
            return self._memo[key]
        except KeyError:
            return self._memo.setdefault(key, compute())

    def area_name(self, area_id: str, lang: str = "da") -> str:
        return self.area_names.get(area_id, {}).get(lang, area_id)

    def indicators_with_data(self) -> list[str]:
        present = set(self.observations["indicator_id"])
        return [i for i in self.indicators if i in present]


def _read_csv(path: Path, columns: list[str], required: list[str], problems: list[Problem]) -> pd.DataFrame:
    """A CSV as text cells ('' for empty). Reports unreadable files and wrong columns."""
    name = path.name
    if not path.exists():
        problems.append(Problem(name, "filen mangler"))
        return pd.DataFrame(columns=columns, dtype=object)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(name, f"er ikke gemt som UTF-8; gem filen som 'CSV UTF-8' ({error.reason})"))
        return pd.DataFrame(columns=columns, dtype=object)
    except pd.errors.EmptyDataError:
        problems.append(Problem(name, "filen er tom"))
        return pd.DataFrame(columns=columns, dtype=object)
    except pd.errors.ParserError as error:
        problems.append(_csv_structure_problem(name, str(error)))
        return pd.DataFrame(columns=columns, dtype=object)
    column_problems = schema.check_columns(frame, name, required, [c for c in columns if c not in required])
    problems += column_problems
    for column in columns:
        if column not in frame.columns:
            frame[column] = ""
    return schema.coerce_text_frame(frame[columns]) if not column_problems else frame.iloc[0:0]


def _csv_structure_problem(name: str, error: str) -> Problem:
    """A CSV whose rows do not fit its header, said the way a person fixing it by hand needs it."""
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", error)
    if fields:
        expected, row, seen = (int(group) for group in fields.groups())
        message = (
            f"rækken har {seen} felter, men overskriften har {expected} "
            "(et komma for meget, fx et decimalkomma, eller en tekst med komma uden anførselstegn)"
        )
        return Problem(name, message, row)
    return Problem(name, f"kan ikke læses som CSV ({error.strip()})")


def _read_yaml(path: Path, problems: list[Problem]) -> dict:
    if not path.exists():
        problems.append(Problem(path.name, "filen mangler"))
        return {}
    try:
        content = yamlfile.load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append(Problem(path.name, f"kan ikke læses som YAML ({error})"))
        return {}
    if not isinstance(content, dict):
        problems.append(Problem(path.name, "skal indeholde en YAML-mapping øverst"))
        return {}
    return content


def _unique(frame: pd.DataFrame, file: str, key: str, problems: list[Problem]) -> None:
    for position in frame.index[frame[key].duplicated(keep="first")]:
        problems.append(Problem(file, "id findes mere end én gang", int(position) + 2, key, frame.at[position, key]))


def _required(frame: pd.DataFrame, file: str, columns: list[str], problems: list[Problem]) -> None:
    for column in columns:
        for position in frame.index[frame[column] == ""]:
            problems.append(Problem(file, "må ikke være tom", int(position) + 2, column))


def _integer(frame: pd.DataFrame, file: str, column: str, problems: list[Problem], allow_empty=False) -> None:
    for position, text in frame[column].items():
        if text == "" and allow_empty:
            continue
        if not text.lstrip("-").isdigit():
            problems.append(Problem(file, "skal være et helt tal", int(position) + 2, column, text))


def _known(frame, file, column, known, what, problems, allow_empty=False) -> None:
    for position, text in frame[column].items():
        if text == "" and allow_empty:
            continue
        if text not in known:
            problems.append(Problem(file, f"ukendt {what}", int(position) + 2, column, text))


def _texts(entry: dict, key: str, file: str, where: str, problems: list[Problem], required=True) -> dict[str, str]:
    """A {da, en} text; both languages are required so that the English switch never shows a gap."""
    value = entry.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or any(not str(value.get(lang) or "").strip() for lang in LANGS):
        problems.append(Problem(file, f"'{key}' skal have tekst på både dansk (da) og engelsk (en)", column=where))
        return {lang: str((value or {}).get(lang, "")) if isinstance(value, dict) else "" for lang in LANGS}
    return {lang: str(value[lang]).strip() for lang in LANGS}


def _parse_indicators(content: dict, source_ids: set[str], problems: list[Problem]) -> dict[str, Indicator]:
    file = "indicators.yaml"
    entries = content.get("indicators")
    if not isinstance(entries, list) or not entries:
        problems.append(Problem(file, "skal have en ikke-tom liste under 'indicators'"))
        return {}
    indicators: dict[str, Indicator] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"indicators[{number}]"
        if not isinstance(entry, dict) or not str(entry.get("id") or "").strip():
            problems.append(Problem(file, "hver indikator skal have et id", column=where))
            continue
        indicator_id = str(entry["id"]).strip()
        where = f"indicators[{number}] ({indicator_id})"
        if indicator_id in indicators:
            problems.append(Problem(file, "id findes mere end én gang", column=where))
        unit = entry.get("unit")
        if unit not in schema.UNITS:
            problems.append(Problem(file, f"'unit' skal være en af {sorted(schema.UNITS)}", column=where, value=unit))
        decimals = entry.get("decimals", 1)
        if not isinstance(decimals, int) or not 0 <= decimals <= 3:
            problems.append(Problem(file, "'decimals' skal være et helt tal 0-3", column=where, value=decimals))
            decimals = 1
        lower = entry.get("lower_is_better")
        if lower not in (True, False, None):
            problems.append(Problem(file, "'lower_is_better' skal være true, false eller null", column=where))
        if entry.get("source_id") not in source_ids:
            problems.append(Problem(file, "ukendt kilde", column=where, value=entry.get("source_id")))
        name = _texts(entry, "name", file, where, problems)
        indicators[indicator_id] = Indicator(
            id=indicator_id,
            group=str(entry.get("group") or ""),
            name=name,
            short_name=_texts(entry, "short_name", file, where, problems, required=False) or name,
            definition=_texts(entry, "definition", file, where, problems),
            population=_texts(entry, "population", file, where, problems),
            unit=str(unit),
            lower_is_better=lower,
            decimals=decimals,
            source_id=str(entry.get("source_id")),
            themes=tuple(entry.get("themes") or ()),
        )
    return indicators


def _check_criteria(content: dict, indicator_ids: set[str], source_ids: set[str], problems: list[Problem]) -> list:
    file = "criteria.yaml"
    rulesets = content.get("rulesets")
    if not isinstance(rulesets, list) or not rulesets:
        problems.append(Problem(file, "skal have en ikke-tom liste under 'rulesets'"))
        return []
    for number, ruleset in enumerate(rulesets, start=1):
        where = f"rulesets[{number}] ({ruleset.get('id', '?') if isinstance(ruleset, dict) else '?'})"
        if not isinstance(ruleset, dict):
            problems.append(Problem(file, "hvert regelsæt skal være en mapping", column=where))
            continue
        if not isinstance(ruleset.get("from_year"), int):
            problems.append(Problem(file, "'from_year' skal være et år", column=where))
        if ruleset.get("to_year") is not None and not isinstance(ruleset.get("to_year"), int):
            problems.append(Problem(file, "'to_year' skal være et år eller null", column=where))
        if not isinstance(ruleset.get("min_criteria"), int):
            problems.append(Problem(file, "'min_criteria' skal være et helt tal", column=where))
        if ruleset.get("source_id") not in source_ids:
            problems.append(Problem(file, "ukendt kilde", column=where, value=ruleset.get("source_id")))
        _texts(ruleset, "designation", file, where, problems)
        criteria = ruleset.get("criteria") or []
        criterion_ids = set()
        for criterion in criteria:
            cwhere = f"{where}.criteria ({criterion.get('id', '?')})"
            criterion_ids.add(criterion.get("id"))
            if criterion.get("indicator_id") not in indicator_ids:
                problems.append(Problem(file, "ukendt indikator", column=cwhere, value=criterion.get("indicator_id")))
            if criterion.get("operator") not in (">", "<"):
                problems.append(Problem(file, "'operator' skal være '>' eller '<'", column=cwhere))
            threshold = criterion.get("threshold")
            if threshold is not None and not isinstance(threshold, int | float):
                problems.append(Problem(file, "'threshold' skal være et tal eller null", column=cwhere))
        for required in ruleset.get("required") or []:
            if required not in criterion_ids:
                problems.append(Problem(file, "'required' nævner et ukendt kriterium", column=where, value=required))
    return rulesets


def _check_strategy(content: dict, ids: dict[str, set[str]], problems: list[Problem]) -> dict:
    file = "strategy.yaml"
    themes = content.get("themes")
    initiatives = content.get("initiatives")
    if not isinstance(themes, list) or not isinstance(initiatives, list):
        problems.append(Problem(file, "skal have listerne 'themes' og 'initiatives'"))
        return {"themes": [], "initiatives": []}
    theme_ids = set()
    for theme in themes:
        where = f"themes ({theme.get('id', '?')})"
        theme_ids.add(theme.get("id"))
        _texts(theme, "name", file, where, problems)
        for indicator_id in theme.get("indicator_ids") or []:
            if indicator_id not in ids["indicators"]:
                problems.append(Problem(file, "ukendt indikator", column=where, value=indicator_id))
        if theme.get("source_id") not in ids["sources"]:
            problems.append(Problem(file, "ukendt kilde", column=where, value=theme.get("source_id")))
    for initiative in initiatives:
        where = f"initiatives ({initiative.get('id', '?')})"
        _texts(initiative, "description", file, where, problems)
        for theme_id in initiative.get("theme_ids") or []:
            if theme_id not in theme_ids:
                problems.append(Problem(file, "ukendt tema", column=where, value=theme_id))
        for area_id in initiative.get("area_ids") or []:
            if area_id not in ids["areas"]:
                problems.append(Problem(file, "ukendt område", column=where, value=area_id))
        if initiative.get("source_id") not in ids["sources"]:
            problems.append(Problem(file, "ukendt kilde", column=where, value=initiative.get("source_id")))
    return content


def _check_statements(content: dict, indicator_ids: set[str], source_ids: set[str], problems: list[Problem]) -> list:
    """Published statements quoted verbatim (shown as quotations with their source, never as data)."""
    file = "statements.yaml"
    statements = content.get("statements")
    if not isinstance(statements, list):
        problems.append(Problem(file, "skal have en liste under 'statements'"))
        return []
    for statement in statements:
        where = f"statements ({statement.get('id', '?')})"
        _texts(statement, "text", file, where, problems)
        if statement.get("source_id") not in source_ids:
            problems.append(Problem(file, "ukendt kilde", column=where, value=statement.get("source_id")))
        if statement.get("indicator_id") not in indicator_ids:
            problems.append(Problem(file, "ukendt indikator", column=where, value=statement.get("indicator_id")))
    return statements


def criteria_indicator_ids(criteria: list) -> set[str]:
    """The indicators the state-list rule sets read (criteria.yaml)."""
    return {
        str(criterion.get("indicator_id"))
        for ruleset in criteria
        if isinstance(ruleset, dict)
        for criterion in ruleset.get("criteria") or []
        if isinstance(criterion, dict)
    }


def _quarters_of_criteria(observations: pd.DataFrame, criteria: list) -> list[Problem]:
    """Quarterly rows of an indicator the state-list criteria read: the lists are judged on a year's figures, so a
    quarter there would leave every criterion "ukendt". One problem per indicator, on its first quarterly row."""
    if observations.empty or "quarter" not in observations.columns:
        return []
    quarterly = observations[(observations["quarter"] > 0)]
    quarterly = quarterly[quarterly["indicator_id"].isin(criteria_indicator_ids(criteria))]
    first = quarterly.drop_duplicates("indicator_id")
    return [
        Problem("observations.csv", f"{schema.CRITERIA_NEED_YEARS} ({indicator_id})", int(position) + 2, "quarter")
        for position, indicator_id in first["indicator_id"].items()
    ]


def files_version(data_dir: Path) -> str:
    """A short hash of the data files' bytes: changes whenever any file changes."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        path = data_dir / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()[:12]


# pandera looks for these each time it builds a schema (geopandas for geometry dtypes, hypothesis for data
# synthesis). Neither is used to validate tables, and in a web worker they would load about 30 MB of geometry and
# test libraries (geopandas, shapely, pyproj; hypothesis, pytest) that nothing else there uses.
NOT_NEEDED_FOR_TABLES = ("geopandas", "hypothesis")


@contextlib.contextmanager
def _without_unneeded_imports() -> Iterator[None]:
    """While loading, importing NOT_NEEDED_FOR_TABLES fails (pandera then treats them as absent); a module that is
    already imported (e.g. by the geometry importer) is left alone, and afterwards everything imports as before."""
    blocked = [name for name in NOT_NEEDED_FOR_TABLES if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def load_dataset(data_dir: Path) -> Dataset:
    """Read and validate every data file; raise DataValidationError listing every problem."""
    with _without_unneeded_imports():
        return _load_dataset(Path(data_dir))


def _load_dataset(data_dir: Path) -> Dataset:
    problems: list[Problem] = []
    version = files_version(data_dir)

    sources = _read_csv(
        data_dir / "sources.csv", schema.SOURCE_COLUMNS, ["id", "title", "publisher", "year", "licence"], problems
    )
    _required(sources, "sources.csv", ["id", "title", "publisher", "licence"], problems)
    _unique(sources, "sources.csv", "id", problems)
    _integer(sources, "sources.csv", "year", problems)
    source_ids = set(sources["id"])

    areas = _read_csv(data_dir / "areas.csv", schema.AREA_COLUMNS, ["id", "name_da", "name_en", "kind"], problems)
    _required(areas, "areas.csv", ["id", "name_da", "name_en", "kind"], problems)
    _unique(areas, "areas.csv", "id", problems)
    _known(areas, "areas.csv", "kind", schema.AREA_KINDS, "områdetype", problems)
    _known(areas, "areas.csv", "housing_organisations_source_id", source_ids, "kilde", problems, allow_empty=True)
    _integer(areas, "areas.csv", "sort_order", problems, allow_empty=True)
    for position in areas.index[
        (areas["housing_organisations"] != "") & (areas["housing_organisations_source_id"] == "")
    ]:
        problems.append(
            Problem(
                "areas.csv", "boligorganisationer kræver en kilde", int(position) + 2, "housing_organisations_source_id"
            )
        )
    if not areas.empty and BENCHMARK_AREA_ID not in set(areas["id"]):
        problems.append(Problem("areas.csv", f"sammenligningsområdet '{BENCHMARK_AREA_ID}' mangler"))
    area_ids = set(areas["id"])

    indicators = _parse_indicators(_read_yaml(data_dir / "indicators.yaml", problems), source_ids, problems)

    raw_obs = _read_csv(
        data_dir / "observations.csv", schema.OBSERVATION_COLUMNS, schema.OBSERVATION_REQUIRED, problems
    )
    observations, obs_problems = schema.parse_observations(
        raw_obs,
        "observations.csv",
        area_ids=area_ids,
        indicator_units={i.id: i.unit for i in indicators.values()},
        source_ids=source_ids,
    )
    problems += obs_problems

    lists = _read_csv(
        data_dir / "state_lists.csv",
        schema.STATE_LIST_COLUMNS,
        ["area_id", "year", "list_name", "status", "source_id"],
        problems,
    )
    _required(lists, "state_lists.csv", ["area_id", "year", "list_name", "status", "source_id"], problems)
    _known(lists, "state_lists.csv", "area_id", area_ids, "område", problems)
    _known(lists, "state_lists.csv", "status", schema.STATE_LIST_STATUSES, "status", problems)
    _known(lists, "state_lists.csv", "source_id", source_ids, "kilde", problems)
    _integer(lists, "state_lists.csv", "year", problems)

    criteria = _check_criteria(_read_yaml(data_dir / "criteria.yaml", problems), set(indicators), source_ids, problems)
    problems += _quarters_of_criteria(observations, criteria)
    strategy = _check_strategy(
        _read_yaml(data_dir / "strategy.yaml", problems),
        {"indicators": set(indicators), "sources": source_ids, "areas": area_ids},
        problems,
    )
    statements = _check_statements(
        _read_yaml(data_dir / "statements.yaml", problems), set(indicators), source_ids, problems
    )
    if problems:
        raise DataValidationError(problems)

    areas = areas.assign(sort_order=pd.to_numeric(areas["sort_order"], errors="coerce").fillna(999).astype(int))
    areas = areas.sort_values(["sort_order", "name_da"]).reset_index(drop=True)
    sources = sources.assign(year=sources["year"].astype(int))
    lists = lists.assign(year=lists["year"].astype(int))
    mtime = max((data_dir / n).stat().st_mtime for n in DATA_FILES)
    return Dataset(
        sources=sources,
        areas=areas,
        indicators=indicators,
        observations=observations,
        state_lists=lists,
        criteria=criteria,
        strategy=strategy,
        statements=statements,
        version=version,
        modified=datetime.fromtimestamp(mtime, tz=UTC),
        data_dir=data_dir,
        is_synthetic=SYNTHETIC_SOURCE_ID in set(observations["source_id"]),
        area_names={row["id"]: {"da": row["name_da"], "en": row["name_en"]} for row in areas.to_dict("records")},
    )


# --- writing, versions, restore -------------------------------------------------------------------------------


@contextlib.contextmanager
def data_lock(data_dir: Path) -> Iterator[None]:
    """An exclusive lock on the data folder: a second import waits instead of interleaving its writes."""
    lock_path = Path(data_dir) / ".lock"
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _atomic_write_bytes(path: Path, content: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def keep_version(data_dir: Path, command: str, summary: str) -> str:
    """Copy the current data files into versions/<id>/ with a manifest; return the version id."""
    stamp = datetime.now(UTC)
    version_id = stamp.strftime("%Y%m%dT%H%M%S%fZ")
    target = Path(data_dir) / VERSIONS_DIR / version_id
    target.mkdir(parents=True, exist_ok=False)
    for name in DATA_FILES:
        source = Path(data_dir) / name
        if source.exists():
            shutil.copy2(source, target / name)
    manifest = {
        "version": version_id,
        "created": stamp.isoformat(timespec="seconds"),
        "command": command,
        "summary": summary,
        "data_version": files_version(Path(data_dir)),
    }
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return version_id


def write_files_atomically(data_dir: Path, contents: Mapping[str, bytes], command: str, summary: str) -> str:
    """Keep the current files as a version, then replace each given file atomically. Returns the kept version id.

    Each file is replaced with os.replace, so a reader sees either the old or the new bytes of a file, never a
    half-written one. The caller must hold :func:`data_lock`.
    """
    unknown = set(contents) - set(DATA_FILES)
    if unknown:
        raise ValueError(f"not data files: {sorted(unknown)}")
    version_id = keep_version(data_dir, command, summary)
    # DATA_FILES order puts referenced tables (sources, areas, indicators) before the rows that reference them,
    # so a reader between two replacements sees a state that still validates.
    for name in (n for n in DATA_FILES if n in contents):
        _atomic_write_bytes(Path(data_dir) / name, contents[name])
    return version_id


def list_versions(data_dir: Path) -> list[dict]:
    """Kept versions, newest first, each with its manifest."""
    root = Path(data_dir) / VERSIONS_DIR
    if not root.exists():
        return []
    versions = []
    for folder in sorted(root.iterdir(), reverse=True):
        manifest = folder / "manifest.json"
        if folder.is_dir() and manifest.exists():
            versions.append(json.loads(manifest.read_text(encoding="utf-8")))
    return versions


def restore_version(data_dir: Path, version_id: str) -> str:
    """Bring back a kept version (validated first); the files replaced are kept as a version too."""
    data_dir = Path(data_dir)
    folder = data_dir / VERSIONS_DIR / version_id
    if not version_id or "/" in version_id or version_id.startswith(".") or not (folder / "manifest.json").exists():
        raise KeyError(version_id)
    load_dataset(folder)  # refuse to restore a version that does not validate
    contents = {name: (folder / name).read_bytes() for name in DATA_FILES if (folder / name).exists()}
    return write_files_atomically(data_dir, contents, f"restore {version_id}", f"gendannet fra version {version_id}")
