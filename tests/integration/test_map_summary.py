"""The sentence under the map says what the map shows, and never that there are no figures when there are."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_first_year_of_change_says_there_is_nothing_to_measure_from_not_that_there_are_no_figures(app, lang):
    """Every area has figures in the first year, but no earlier year to measure a change from: the map is all grey,
    and the sentence under it said "Ingen områder har data for Skolefravær i 2007", which is false."""
    from dashboard.components import mapview  # after the app: importing it first is circular (via dashboard.pages)

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
