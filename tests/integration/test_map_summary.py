"""The sentence under the map says what the map shows, and never that there are no figures when there are."""

from __future__ import annotations

import pytest

from dashboard.components import mapview


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_first_year_of_change_says_there_is_nothing_to_measure_from_not_that_there_are_no_figures(app, lang):
    """Every area has figures in the first year, but no earlier year to measure a change from: the map is all grey,
    and the sentence under it said "Ingen områder har data for Skolefravær i 2007", which is false."""
    data = app.bosoc_data.get()
    with app.server.test_request_context("/"):
        first = mapview.year_options(data, "skolefravaer", lang)[0]["value"]
        _, level, _ = mapview.map_figure_for(app, data, "skolefravaer", first, "niveau", lang)
        _, change, _ = mapview.map_figure_for(app, data, "skolefravaer", first, "aendring", lang)
    # The level map of that year has figures for the areas, highest and lowest named.
    assert ("højest i" if lang == "da" else "highest in") in level
    if lang == "da":
        assert change == (
            f"Ingen områder har en ændring at vise for Skolefravær i {first}: ændringen måles fra hvert områdes "
            f"første år med tal, og intet område har tal før {first}."
        )
    else:
        assert change.startswith(f"No area has a change to show for School absence in {first}:")
    assert "har data" not in change and "has data" not in change


def test_no_map_says_one_area_is_both_highest_and_lowest(app):
    """Where only one area has a figure (Aarhus' monitoring covers Gellerup/Toveshøj alone in some years), the
    sentence said "højest i Gellerup/Toveshøj (7.003), lavest i Gellerup/Toveshøj (7.003)"; where the areas with a
    figure all have the same one, it named one of them as both. Checked on every map the shipped data give: every
    indicator, year and measure."""
    data = app.bosoc_data.get()
    single = same = 0
    with app.server.test_request_context("/"):
        for indicator_id in mapview.map_indicator_ids(data):
            for option in mapview.year_options(data, indicator_id, "da"):
                for measure in ("niveau", "aendring"):
                    year = option["value"]
                    areas = mapview.map_areas(app, data, indicator_id, year, measure, "da")
                    _, summary, _ = mapview.map_figure_for(app, data, indicator_id, year, measure, "da")
                    shown = [a for a in areas if a["value"] is not None]
                    named_twice = [a for a in areas if f"højest i {a['name']} (" in summary]
                    assert not [a for a in named_twice if f"lavest i {a['name']} (" in summary], summary
                    if len(shown) == 1:
                        single += 1
                        assert f"kun {shown[0]['name']} har " in summary and shown[0]["label"] in summary, summary
                    elif len(shown) > 1 and len({a["label"] for a in shown}) == 1:
                        same += 1
                        assert " har samme " in summary and shown[0]["label"] in summary, summary
    assert single and same  # the shipped data have such maps, so the rules above were put to the test
