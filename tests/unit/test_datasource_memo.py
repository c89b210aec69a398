"""Results kept per data version (PublicData.memo): computed once, and for views with many combinations, bounded so
that a crawler walking every map year and state-list year cannot grow a worker without limit."""

from __future__ import annotations

from dashboard.data.store import load_dataset
from dashboard.datasource import make_public


def test_a_result_is_computed_once_per_data_version(small_data_dir):
    data = make_public(load_dataset(small_data_dir), suppression_limit=5)
    calls = []
    first = data.memo(("answer",), lambda: calls.append(1) or {"value": 42})
    assert data.memo(("answer",), lambda: calls.append(1) or {"value": 0}) is first
    assert calls == [1]
    # A new load of the files (a new data version) starts empty.
    again = make_public(load_dataset(small_data_dir), suppression_limit=5)
    assert again.memo(("answer",), lambda: {"value": 7}) == {"value": 7}


def test_a_bounded_group_keeps_the_most_recently_used_entries(small_data_dir):
    data = make_public(load_dataset(small_data_dir), suppression_limit=5)
    calls = []

    def view(number):
        return data.memo(("map", number), lambda: calls.append(number) or [number], limit=3)

    for number in (1, 2, 3):
        view(number)
    view(1)  # used again: now the most recent
    view(4)  # one too many: 2, the least recently used, goes
    assert calls == [1, 2, 3, 4]
    view(1), view(3), view(4)
    assert calls == [1, 2, 3, 4]  # still kept
    view(2)
    assert calls == [1, 2, 3, 4, 2]  # computed again
    # Another group has its own bound.
    data.memo(("criteria", 1), lambda: "x", limit=1)
    view(4)
    assert calls == [1, 2, 3, 4, 2]
