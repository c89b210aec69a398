"""Fixtures of the reliability suite, and the end-of-run table of cases tried and figures measured."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.reliability.helpers import FIGURES, TALLY


@pytest.fixture
def tally() -> Counter[str]:
    return TALLY


@pytest.fixture
def figures() -> dict[str, str]:
    return FIGURES


def pytest_terminal_summary(terminalreporter):
    if not TALLY and not FIGURES:
        return
    terminalreporter.section("reliability: cases tried and figures measured")
    groups: dict[str, list[tuple[str, int]]] = {}
    for key, count in sorted(TALLY.items()):
        group, _, category = key.partition(":")
        groups.setdefault(group, []).append((category, count))
    for group, rows in groups.items():
        terminalreporter.write_line(f"{group}: {sum(count for _, count in rows)} cases")
        for category, count in rows:
            terminalreporter.write_line(f"    {category:<44} {count:>6}")
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name}: {value}")
