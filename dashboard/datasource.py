"""The web app's view of the data: the validated dataset with small numbers suppressed, reloaded when files change.

Each gunicorn worker holds one :class:`DataSource`. On every request it checks, at most every
``RELOAD_CHECK_SECONDS``, whether the data files' size and modification time changed (eight ``stat`` calls); if so a
background thread loads and validates them again while requests keep being answered from the current data, and the
new data replace it in one assignment. A new import therefore reaches every worker within ``RELOAD_CHECK_SECONDS``
plus the time to load the files (well under a second for the real data, about 6 s for 100 times as much), without a
restart and without slowing any request. If the new files do not validate (which the importer prevents), the
worker keeps serving the last good data and does not try the same files again.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.analysis.suppression import suppress_small_numbers
from dashboard.data.problems import DataValidationError
from dashboard.data.store import DATA_FILES, Dataset, load_dataset

RELOAD_CHECK_SECONDS = 2.0
CATEGORY_COLUMNS = ("area_id", "indicator_id", "source_id", "note", "suppression_reason")
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
    # `observations` sorted by area, indicator and period (make_public passes the same frame for both), and the row
    # positions in it of each group: a slice for a group of consecutive rows (an area's, and an area's of one
    # indicator), the sorted positions otherwise (an indicator's).
    ordered: pd.DataFrame | None = field(default=None, repr=False)
    positions: Mapping[tuple, slice | np.ndarray] = field(default_factory=dict, repr=False)
    indicator_ids_with_data: tuple[str, ...] = ()
    residents: Mapping[str, tuple[int, float]] = field(default_factory=dict, repr=False)
    # Results computed on first use and kept for this data version (see memo()).
    _memo: dict = field(default_factory=dict, repr=False, compare=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def version(self) -> str:
        return self.dataset.version

    def select(self, *, indicator_id: str | None = None, area_id: str | None = None, shown: bool = False):
        """The observations of one indicator and/or one area (all rows when neither is given), sorted by area,
        indicator and year; ``shown`` leaves out suppressed rows.

        Same rows and columns as filtering ``observations``, but taken from precomputed positions: a few hundred
        rows are copied instead of comparing every row's ids.
        """
        if indicator_id is None and area_id is None:
            rows = self.observations
        elif self.ordered is None:
            rows = self.observations
            if area_id is not None:
                rows = rows[rows["area_id"] == area_id]
            if indicator_id is not None:
                rows = rows[rows["indicator_id"] == indicator_id]
        else:
            found = self.positions.get((area_id, indicator_id))
            if found is None:
                rows = self.ordered.iloc[0:0]
            elif isinstance(found, slice):
                # A copy of the few rows, as take's: pandas' later work on a view of the whole frame's columns was
                # slower (uncached indicator views at 100x, in one process: p50 0,67-0,81 -> 0,79-1,06 ms).
                rows = self.ordered.iloc[found].copy()
            else:
                rows = self.ordered.take(found)
        return rows[~rows["suppressed"]] if shown else rows

    def memo(self, key: tuple, compute, limit: int | None = None):
        """``compute()`` once per data version and ``key``; later calls return the same object (do not change it).

        Two threads may both compute a missing entry; both get an equal result and one of them is kept. With
        ``limit``, the entries whose keys start with the same word are at most that many (the least recently used
        goes): for views with many combinations (map year x measure x language, area x year), so that a crawler
        cannot grow a worker without bound.
        """
        if limit is not None:
            return self._bounded(key, compute, limit)
        try:
            return self._memo[key]
        except KeyError:
            value = compute()
            return self._memo.setdefault(key, value)

    def _bounded(self, key: tuple, compute, limit: int):
        with self._memo_lock:
            group = self._memo.setdefault(("bounded", key[0]), OrderedDict())
            if key in group:
                group.move_to_end(key)
                return group[key]
        value = compute()
        with self._memo_lock:
            value = group.setdefault(key, value)
            group.move_to_end(key)
            while len(group) > limit:
                group.popitem(last=False)
        return value

    def records(self, indicator_id: str, area_id: str) -> tuple[Record, ...]:
        """One area's rows of one indicator as plain records, sorted by period (suppressed rows included, with their
        value blanked and the reason given). Built once per data version: a chart or a sentence is then a loop
        over a few records instead of a dozen pandas operations."""
        return self.memo(
            ("records", indicator_id, area_id),
            lambda: _records(self.select(indicator_id=indicator_id, area_id=area_id)),
        )


@dataclass(frozen=True, slots=True)
class Record:
    """One observation as the pages use it; ``value`` is NaN when missing or suppressed. ``period`` is the year, or
    the quarter as a fraction of it (dashboard.data.periods): the time axis of every chart and table."""

    year: int
    period: float
    value: float
    suppressed: bool
    reason: str
    source_id: str


def _float(value) -> float:
    value = float(value)
    return NAN if value != value else value  # one shared NaN object instead of one per missing number


NAN = float("nan")


def _records(rows: pd.DataFrame) -> tuple[Record, ...]:
    rows = rows.sort_values("period", kind="stable")
    return tuple(
        Record(
            int(year),
            float(period),
            _float(value),
            bool(suppressed),
            reason if isinstance(reason, str) else "",
            str(source_id),
        )
        for year, period, value, suppressed, reason, source_id in zip(
            rows["year"],
            rows["period"],
            rows["value"],
            rows["suppressed"],
            rows["suppression_reason"],
            rows["source_id"],
            strict=True,
        )
    )


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
    ordered = observations.sort_values(["area_id", "indicator_id", "period"], kind="stable").reset_index(drop=True)
    # Ids, sources and notes repeat on every row: as categories each row holds a small code instead of its own
    # Python string (100 times the real data: a worker about 60 MB smaller).
    ordered = ordered.astype({column: "category" for column in CATEGORY_COLUMNS if column in ordered.columns})
    # Row positions as slices where a group's rows are consecutive (an area's, and an area's of one indicator, in the
    # sorted frame), and as 32-bit positions otherwise: 100 times the real data held 8,6 MB of 64-bit positions in
    # 14 435 arrays, more than a third of the frame itself.
    positions: dict[tuple, slice | np.ndarray] = {}
    for (area_id, indicator_id), found in ordered.groupby(["area_id", "indicator_id"], sort=False).indices.items():
        positions[(str(area_id), str(indicator_id))] = _compact(found)
    for area_id, found in ordered.groupby("area_id", sort=False).indices.items():
        positions[(str(area_id), None)] = _compact(found)
    for indicator_id, found in ordered.groupby("indicator_id", sort=False).indices.items():
        positions[(None, str(indicator_id))] = _compact(np.sort(found))
    residents = {}
    beboere = ordered[(ordered["indicator_id"] == "beboere") & ordered["value"].notna()]
    for area_id, rows in beboere.groupby("area_id", sort=False):
        residents[str(area_id)] = (int(rows["year"].iloc[-1]), float(rows["value"].iloc[-1]))
    present = set(ordered["indicator_id"])
    # One frame, sorted, serves everything: the unsuppressed frame is dropped (no page may read it, and a copy costs
    # a worker about 20 MB per 100 000 rows).
    return PublicData(
        dataclasses.replace(dataset, observations=ordered),
        ordered,
        ordered=ordered,
        positions=positions,
        indicator_ids_with_data=tuple(i for i in dataset.indicators if i in present),
        residents=residents,
    )


def _compact(found: np.ndarray) -> slice | np.ndarray:
    """Sorted row positions as a slice when they are consecutive, else as 32-bit integers."""
    if len(found) and int(found[-1]) - int(found[0]) + 1 == len(found):
        return slice(int(found[0]), int(found[-1]) + 1)
    return found.astype(np.int32)


def _glibc(function: str, *args) -> None:
    """Call a glibc memory function; elsewhere (not glibc) there is nothing to do."""
    try:
        getattr(ctypes.CDLL(ctypes.util.find_library("c")), function)(*args)
    except (OSError, AttributeError, TypeError):
        pass


def release_free_memory() -> None:
    """Give the memory freed after loading back to the operating system (glibc keeps it otherwise: loading 100
    times the real data leaves a worker about 35 MB larger than it needs to be)."""
    _glibc("malloc_trim", 0)


# glibc's mallopt parameter: allocations from this size up get their own mapping, returned to the system when freed.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 64 * 1024


def return_large_blocks_to_the_system() -> None:
    """Let glibc give every block of 64 kB or more its own mapping, so that it goes back to the operating system when
    freed instead of fragmenting the heap. Loading data makes many large temporary arrays; with glibc's default
    (a threshold that grows up to 32 MB) a worker on 100 times the real data stayed about 28 MB larger (measured with
    gunicorn as in the Procfile: 175 -> 147 MB). Called once before the data are loaded; nothing happens elsewhere."""
    _glibc("mallopt", M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def freeze_long_lived_objects() -> None:
    """Leave what the process holds now (the loaded data, the app and its layouts, the imported libraries) out of the
    garbage collector's full collections from now on (``gc.freeze``); called once a gunicorn worker is ready
    (gunicorn.conf.py) and again after each reload (:meth:`DataSource._reload`).

    Why: a full collection visits every tracked object, and on 100 times the real data a worker holds so many that
    one took 75-100 ms (measured with ``gc.callbacks`` in a worker under gunicorn: eight of them while pages were first
    loaded), and whichever request allocated at that moment waited that long. Frozen objects are still freed when
    nothing refers to them; only a cycle among them would never be collected, which is why a reload unfreezes, collects
    and freezes again (the replaced version's cycles go then).
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class DataSource:
    """Thread-safe holder of the current :class:`PublicData`."""

    def __init__(self, data_dir: Path, suppression_limit: int):
        return_large_blocks_to_the_system()
        self.data_dir = Path(data_dir)
        self.suppression_limit = suppression_limit
        self._lock = threading.Lock()
        self._signature = _signature(self.data_dir)
        self._rejected: tuple | None = None
        self._data = make_public(load_dataset(self.data_dir), suppression_limit)
        release_free_memory()
        self._checked = time.monotonic()
        self._reloading = False
        # Called (with no arguments) after a reload has put a new version in place: dashboard.prepare in a worker.
        self.on_new_version = None

    def get(self) -> PublicData:
        """The current data; starts a background reload when the files changed (never waits for one)."""
        now = time.monotonic()
        if now - self._checked >= RELOAD_CHECK_SECONDS and not self._reloading:
            with self._lock:
                if now - self._checked >= RELOAD_CHECK_SECONDS and not self._reloading:
                    self._checked = now
                    signature = _signature(self.data_dir)
                    if signature not in (self._signature, self._rejected):
                        self._reloading = True
                        threading.Thread(target=self._reload, args=(signature,), daemon=True).start()
        return self._data

    def refresh(self) -> PublicData:
        """Check the files now and load them in this thread if they changed (for tests and the command line)."""
        with self._lock:
            self._checked = time.monotonic()
            signature = _signature(self.data_dir)
            if signature not in (self._signature, self._rejected):
                self._reloading = True
                self._reload(signature)
        return self._data

    def _reload(self, signature: tuple) -> None:
        try:
            self._data = make_public(load_dataset(self.data_dir), self.suppression_limit)
            self._signature = signature
            if gc.get_freeze_count():  # a worker that froze its long-lived objects: freeze the new version's too
                freeze_long_lived_objects()
            release_free_memory()
            log.info("data reloaded, version %s", self._data.version)
            if self.on_new_version is not None:
                self.on_new_version()
        except DataValidationError as error:
            self._rejected = signature
            log.error("new data files do not validate; keeping version %s\n%s", self._data.version, error)
        except OSError as error:  # a file replaced while being read: try again at the next check
            log.warning("data files could not be read (%s); keeping version %s", error, self._data.version)
        finally:
            self._reloading = False
