"""Shared test fixtures: a private copy of the shipped data, an app built on it, and Chromium for browser tests.

Browser tests use ``dash[testing]``'s ``dash_duo`` with Debian's Chromium (DASH_TEST_CHROMEPATH, set by
scripts/test.sh) and fail on any browser console error.
"""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from dashboard.settings import PROJECT_ROOT, Settings

SHIPPED_DATA = PROJECT_ROOT / "data"
SHIPPED_GEO = PROJECT_ROOT / "geo"


def pytest_setup_options():
    """Chromium flags for a headless run as root on a machine without network (DESIGN.md section 5)."""
    from selenium.webdriver.chrome.options import Options

    from bench.browser import FLAGS

    options = Options()
    for flag in FLAGS:
        if not flag.startswith("--headless"):  # dash_duo adds its own with pytest --headless
            options.add_argument(flag)
    return options


def copy_data(target: Path) -> Path:
    shutil.copytree(SHIPPED_DATA, target, ignore=shutil.ignore_patterns("versions", ".lock"))
    return target


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private, writable copy of the shipped data files."""
    return copy_data(tmp_path / "data")


@pytest.fixture
def geo_dir(tmp_path: Path) -> Path:
    target = tmp_path / "geo"
    shutil.copytree(SHIPPED_GEO, target, ignore=shutil.ignore_patterns("*.bak", "versions"))
    return target


@pytest.fixture
def settings(data_dir: Path, geo_dir: Path, tmp_path: Path) -> Settings:
    return Settings(data_dir=data_dir, geo_dir=geo_dir, cache_dir=tmp_path / "cache")


@pytest.fixture
def app(settings: Settings):
    from dashboard.app import create_app

    return create_app(settings)


@pytest.fixture
def unfrozen():
    """For a test that freezes the process's objects as a gunicorn worker does (gunicorn.conf.py, post_worker_init;
    dashboard.datasource.freeze_long_lived_objects): the test process is not a worker, so they go back to the
    garbage collector afterwards."""
    yield
    gc.unfreeze()


@pytest.fixture
def client(app):
    return app.server.test_client()


def console_errors(dash_duo) -> list[dict]:
    """Browser console entries of level SEVERE (errors), ignoring none."""
    return [entry for entry in dash_duo.get_logs() or [] if entry.get("level") == "SEVERE"]


ROUTER_OUTPUT = "..shell.children...page-title.children...html-lang.children...route-shown.data.."


def router_body(pathname: object, search: object = "", changed: tuple[str, ...] = ("route-request.data",)) -> dict:
    """The body Dash's front end posts to /_dash-update-component when the router renders a page (the browser's
    clientside gate sends the address as ``route-request``)."""
    return {
        "output": ROUTER_OUTPUT,
        "outputs": [
            {"id": "shell", "property": "children"},
            {"id": "page-title", "property": "children"},
            {"id": "html-lang", "property": "children"},
            {"id": "route-shown", "property": "data"},
        ],
        "inputs": [{"id": "route-request", "property": "data", "value": {"path": pathname, "search": search}}],
        "changedPropIds": list(changed),
    }
