"""The web app's view of the data: the validated dataset with small numbers suppressed, reloaded when files change.

Each gunicorn worker holds one :class:`DataSource`. On every request it checks, at most every
``RELOAD_CHECK_SECONDS``, whether the data files' size and modification time changed; if so it loads and validates
them again. A new import therefore reaches every worker within that many seconds, without a restart. If the new
files do not validate (which the importer prevents), the worker keeps serving the last good data.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.analysis.suppression import suppress_small_numbers
from dashboard.data.problems import DataValidationError
from dashboard.data.store import DATA_FILES, Dataset, load_dataset

RELOAD_CHECK_SECONDS = 2.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublicData:
    """What may leave the data layer: ``observations`` has suppressed rates blanked, counts of them removed.

    Besides the frame it holds what the pages would otherwise recompute on every request, built once per data
    version in :func:`make_public`: the rows per indicator and per area (so a page filters a few hundred rows,
    not the whole extract), the indicators with data, and each area's latest number of residents. With 100 times
    the real data this is what keeps a page render in milliseconds instead of seconds.
    """

    dataset: Dataset
    observations: pd.DataFrame
    by_indicator: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    by_area: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    indicator_ids_with_data: tuple[str, ...] = ()
    residents: Mapping[str, tuple[int, float]] = field(default_factory=dict, repr=False)

    @property
    def version(self) -> str:
        return self.dataset.version

    def select(self, *, indicator_id: str | None = None, area_id: str | None = None, shown: bool = False):
        """The observations of one indicator and/or one area (all rows when neither is given).

        ``shown`` leaves out suppressed rows. The result is a slice of the precomputed groups: same columns and
        values as filtering ``observations`` (row order is by area, indicator and year).
        """
        if area_id is not None:
            rows = self.by_area.get(area_id, self._empty)
            if indicator_id is not None:
                rows = rows[rows["indicator_id"] == indicator_id]
        elif indicator_id is not None:
            rows = self.by_indicator.get(indicator_id, self._empty)
        else:
            rows = self.observations
        return rows[~rows["suppressed"]] if shown else rows

    @property
    def _empty(self) -> pd.DataFrame:
        return self.observations.iloc[0:0]


def _signature(data_dir: Path) -> tuple:
    parts = []
    for name in DATA_FILES:
        try:
            stat = (data_dir / name).stat()
            parts.append((name, stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            parts.append((name, None, None))
    return tuple(parts)


def make_public(dataset: Dataset, suppression_limit: int) -> PublicData:
    units = {indicator.id: indicator.unit for indicator in dataset.indicators.values()}
    observations = suppress_small_numbers(dataset.observations, limit=suppression_limit, units_by_indicator=units)
    ordered = observations.sort_values(["area_id", "indicator_id", "year"], kind="stable")
    present = set(observations["indicator_id"])
    residents = {}
    beboere = ordered[(ordered["indicator_id"] == "beboere") & ordered["value"].notna()]
    for area_id, rows in beboere.groupby("area_id", sort=False):
        residents[str(area_id)] = (int(rows["year"].iloc[-1]), float(rows["value"].iloc[-1]))
    return PublicData(
        dataset,
        observations,
        by_indicator={str(key): rows for key, rows in ordered.groupby("indicator_id", sort=False)},
        by_area={str(key): rows for key, rows in ordered.groupby("area_id", sort=False)},
        indicator_ids_with_data=tuple(i for i in dataset.indicators if i in present),
        residents=residents,
    )


class DataSource:
    """Thread-safe holder of the current :class:`PublicData`."""

    def __init__(self, data_dir: Path, suppression_limit: int):
        self.data_dir = Path(data_dir)
        self.suppression_limit = suppression_limit
        self._lock = threading.Lock()
        self._signature = _signature(self.data_dir)
        self._data = make_public(load_dataset(self.data_dir), suppression_limit)
        self._checked = time.monotonic()

    def get(self) -> PublicData:
        now = time.monotonic()
        if now - self._checked >= RELOAD_CHECK_SECONDS:
            with self._lock:
                if now - self._checked >= RELOAD_CHECK_SECONDS:
                    self._checked = now
                    self._reload_if_changed()
        return self._data

    def _reload_if_changed(self) -> None:
        signature = _signature(self.data_dir)
        if signature == self._signature:
            return
        try:
            self._data = make_public(load_dataset(self.data_dir), self.suppression_limit)
            self._signature = signature
            log.info("data reloaded, version %s", self._data.version)
        except DataValidationError as error:
            log.error("new data files do not validate; keeping version %s\n%s", self._data.version, error)
