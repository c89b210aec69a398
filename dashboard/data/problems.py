"""A validation problem with its place (file, row, column), and the error that carries a list of them.

Every check in the data layer reports *all* problems it finds rather than stopping at the first, so that a person
fixing a file sees everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. ``row`` is the spreadsheet row number (header = 1), or None."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        place = self.file
        if self.row is not None:
            place += f", række {self.row}"
        if self.column:
            place += f", kolonne '{self.column}'"
        shown = "" if self.value in (None, "") else f": {str(self.value)[:80]!r}"
        return f"{place}{shown}: {self.message}"


class DataValidationError(Exception):
    """Raised when data files do not validate; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(format_problems(problems))


def format_problems(problems: list[Problem], limit: int = 200) -> str:
    lines = [f"{len(problems)} problem(er) i data:"]
    lines += [f"  - {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  ... og {len(problems) - limit} mere")
    return "\n".join(lines)
