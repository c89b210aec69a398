"""A worker's long-lived objects (the data, the app) are left out of the garbage collector's full collections, which
on 100 times the real data took 75-100 ms each and held up whichever request met one; a reload frees the replaced
version all the same."""

from __future__ import annotations

import gc
import weakref

from dashboard.datasource import DataSource, freeze_long_lived_objects


class Holder:
    """Something a page keeps in a memo that refers back to its data (a reference cycle)."""

    def __init__(self, data):
        self.data = data


def tracked_ids() -> set[int]:
    # gc.get_objects() lists the objects that full collections visit; frozen ones are not among them.
    return {id(o) for o in gc.get_objects()}


def test_frozen_data_are_not_visited_and_a_reload_freezes_the_new_version_and_frees_the_old(small_data_dir, unfrozen):
    source = DataSource(small_data_dir, suppression_limit=5)
    old = source.get()
    holder = old.memo(
        ("cycle",), lambda data=old: Holder(data)
    )  # data -> memo -> holder -> data: freed only by a collection
    gone = weakref.ref(holder)
    freeze_long_lived_objects()
    assert gc.get_freeze_count() > 0
    assert id(old.observations) not in tracked_ids() and id(holder) not in tracked_ids()
    del old, holder

    statements = small_data_dir / "statements.yaml"
    statements.write_text(statements.read_text(encoding="utf-8") + "\n# a new import\n", encoding="utf-8")
    new = source.refresh()
    assert new.memo(("cycle",), lambda: "computed again") == "computed again"  # the new version is served
    # The replaced version's cycle was collected (frozen, it would have stayed for the worker's life) ...
    assert gone() is None
    # ... and the new version is frozen in its turn.
    assert gc.get_freeze_count() > 0 and id(new.observations) not in tracked_ids()


def test_a_process_that_never_froze_is_left_as_it_is_by_a_reload(small_data_dir):
    # Tests and the command line load data without freezing anything; a reload does not start doing it.
    gc.unfreeze()
    source = DataSource(small_data_dir, suppression_limit=5)
    statements = small_data_dir / "statements.yaml"
    statements.write_text(statements.read_text(encoding="utf-8") + "\n# a new import\n", encoding="utf-8")
    source.refresh()
    assert gc.get_freeze_count() == 0
