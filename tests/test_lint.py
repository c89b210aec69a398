"""House style is checked, not hoped for: ruff's lint rules and formatting (configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from dashboard.settings import PROJECT_ROOT

PATHS = ["dashboard", "tests", "bench", "scripts", "app.py", "gunicorn.conf.py"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    command = [shutil.which("ruff") or sys.executable, *([] if shutil.which("ruff") else ["-m", "ruff"]), *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)


def test_code_passes_the_linter():
    result = ruff("check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted():
    result = ruff("format", "--check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr
