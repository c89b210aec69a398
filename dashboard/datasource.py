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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.analysis.suppression import suppress_small_numbers
from dashboard.data.problems import DataValidationError
from dashboard.data.store import DATA_FILES, Dataset, load_dataset

RELOAD_CHECK_SECONDS = 2.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublicData:
    """What may leave the data layer: ``observations`` has suppressed rates blanked, counts of them removed."""

    dataset: Dataset
    observations: pd.DataFrame

    @property
    def version(self) -> str:
        return self.dataset.version


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
    return PublicData(
        dataset, suppress_small_numbers(dataset.observations, limit=suppression_limit, units_by_indicator=units)
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
