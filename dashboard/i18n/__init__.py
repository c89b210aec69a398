"""The dashboard's UI strings in Danish and English, and the language helpers.

All UI text lives in the YAML files under ``strings/`` (one file per part of the UI, merged into one catalogue so
that no key is defined twice). ``t(key, lang)`` looks a string up; a test checks that every key has both languages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dashboard import yamlfile

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
STRINGS_DIR = Path(__file__).with_name("strings")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every UI string, keyed 'section.name' -> {'da': ..., 'en': ...}. Read once per process, when the app is
    created (``dashboard.app.create_app``), not by a web worker's first request."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(STRINGS_DIR.glob("*.yaml")):
        section = path.stem
        for key, texts in (yamlfile.load(path.read_text(encoding="utf-8")) or {}).items():
            full_key = f"{section}.{key}"
            if full_key in merged:
                raise ValueError(f"UI string {full_key} is defined twice")
            merged[full_key] = texts
    return merged


def normalise_language(value: object) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The UI string ``key`` in ``lang``, formatted with ``values``. A missing key raises KeyError (tests catch it)."""
    text = catalogue()[key][normalise_language(lang)]
    return text.format(**values) if values else text
