"""Every module of the dashboard can be imported on its own, first: a tool, a test or a worker that starts with any
one of them must not run into a circular import (importing dashboard.components.mapview first failed, because it
reaches dashboard.pages, whose pages imported names from the half-loaded mapview)."""

from __future__ import annotations

import subprocess
import sys

from dashboard.settings import PROJECT_ROOT

# In a fresh interpreter: each module imported first, with every dashboard module forgotten before the next one
# (the libraries stay loaded, so this takes seconds, not a minute).
SCRIPT = """
import importlib, pathlib, sys
failed = []
names = sorted(
    ".".join(path.with_suffix("").parts).removesuffix(".__init__")
    for path in pathlib.Path("dashboard").rglob("*.py")
    if path.name != "__main__.py"  # runs the command line
)
for name in names:
    for loaded in [m for m in sys.modules if m == "dashboard" or m.startswith("dashboard.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as error:
        failed.append(f"{name}: {type(error).__name__}: {error}")
print(len(names))
print("\\n".join(failed))
"""


def test_every_module_can_be_imported_first():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    count, *failed = result.stdout.strip().split("\n")
    assert int(count) > 40  # every module was tried
    assert [line for line in failed if line] == []
