"""What a page's layout function receives: the data, the language, clean query values and notices."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.datasource import PublicData
from dashboard.settings import Settings


@dataclass(frozen=True)
class PageContext:
    data: PublicData
    settings: Settings
    lang: str
    embed: bool
    values: dict
    path_params: dict = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    pathname: str = "/"
    page_params: tuple = ()
    module: object = None
    app: object = None  # the Dash app rendering the page (its settings and geometry)

    @property
    def dataset(self):
        return self.data.dataset
