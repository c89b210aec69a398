"""The about page (/om): it renders in Danish and English, carries the accessibility statement, explains how to read
the dashboard with the configured suppression limit, and links the data page and every helhedsplan area.
"""

from __future__ import annotations

import json

import plotly
import pytest

from dashboard import pages
from dashboard.app import create_app
from dashboard.i18n import catalogue, t
from dashboard.settings import Settings


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(suppression_limit=7))


def rendered_text(app, search: str) -> tuple[str, str, str]:
    with app.server.test_request_context():
        shell, title, lang = pages.render(app, "/om", search)
    return json.dumps(shell.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False), title, lang


def test_about_answers_200(app):
    assert app.server.test_client().get("/om").status_code == 200
    assert app.server.test_client().get("/om?sprog=en").status_code == 200


@pytest.mark.parametrize(
    ("search", "lang", "heading"),
    [("", "da", "Tilgængelighedserklæring"), ("?sprog=en", "en", "Accessibility statement")],
)
def test_about_renders_with_the_accessibility_statement(app, search, lang, heading):
    text, title, page_lang = rendered_text(app, search)
    assert page_lang == lang
    assert title == t("about.title", lang)
    assert heading in text
    assert "WCAG 2.1" in text
    for key in ("about.a11y_skip_link", "about.a11y_limit_map", "about.a11y_contact", "about.reading_benchmark"):
        assert t(key, lang) in text


@pytest.mark.parametrize("lang", ["da", "en"])
def test_about_uses_the_configured_suppression_limit(app, lang):
    text, _, _ = rendered_text(app, "?sprog=en" if lang == "en" else "")
    assert t("about.reading_dash", lang, limit=7) in text


def test_about_links_the_data_page_and_every_helhedsplan_area(app):
    text, _, _ = rendered_text(app, "")
    data = app.bosoc_data.get()
    assert '"href": "/data"' in text
    areas = data.dataset.areas
    for area_id in areas.loc[areas["kind"] == "helhedsplan", "id"]:
        assert f'"href": "/omraade/{area_id}"' in text


def test_english_links_keep_the_language(app):
    text, _, _ = rendered_text(app, "?sprog=en")
    assert '"href": "/data?sprog=en"' in text


def test_about_names_the_maintainer_and_no_invented_contact_details(app):
    text, _, _ = rendered_text(app, "")
    assert "Det Boligsociale Fællessekretariat" in text
    assert "@" not in text.replace('"@', "")  # no e-mail address
    assert "tlf" not in text.lower()


def test_every_about_string_has_both_languages():
    keys = [key for key in catalogue() if key.startswith("about.")]
    assert keys
    for key in keys:
        texts = catalogue()[key]
        assert set(texts) == {"da", "en"} and all(str(text).strip() for text in texts.values()), key
