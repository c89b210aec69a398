"""PublicData.select: the rows of an area, an indicator or both, taken from positions worked out at data load (slices
for consecutive rows), must be exactly the rows (and row labels) a filter of the whole frame gives."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import synthetic
from dashboard.data.store import load_dataset
from dashboard.datasource import make_public


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    data_dir, _ = synthetic.generate(tmp_path_factory.mktemp("synthetic"), 3)
    return make_public(load_dataset(data_dir), suppression_limit=5)


def filtered(frame: pd.DataFrame, area_id=None, indicator_id=None, shown=False) -> pd.DataFrame:
    rows = frame
    if area_id is not None:
        rows = rows[rows["area_id"] == area_id]
    if indicator_id is not None:
        rows = rows[rows["indicator_id"] == indicator_id]
    return rows[~rows["suppressed"]] if shown else rows


def test_every_selection_has_the_rows_of_a_filter_in_the_same_order(public):
    frame = public.observations
    areas = sorted(map(str, frame["area_id"].unique()))
    indicators = sorted(map(str, frame["indicator_id"].unique()))
    assert len(areas) > 10 and len(indicators) > 10
    asked = [(a, None) for a in areas] + [(None, i) for i in indicators]
    asked += [(a, i) for a in areas[::3] for i in indicators] + [("no-such-area", indicators[0])]
    for area_id, indicator_id in asked:
        for shown in (False, True):
            mine = public.select(area_id=area_id, indicator_id=indicator_id, shown=shown)
            expected = filtered(frame, area_id, indicator_id, shown)
            pd.testing.assert_frame_equal(mine, expected)
