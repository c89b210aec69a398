"""URLs: generated addresses for every page and every parameter never give a 500, never reflect markup, and always
answer with a page (with a notice when a parameter was ignored).

The HTML shell a GET returns is static; the page itself is rendered by the router callback from the path and query.
So every case is checked twice, as a browser meets it: the GET of the address (status, no payload in the body), and
the router callback POSTed to ``/_dash-update-component`` with that path and query (status 200, a page, a notice
when a parameter was invalid, and no payload anywhere in the answer except where the strategy page's free-text
search ``q`` is shown back as text, which React renders as text, never as markup).

Cases: unknown ids in the path and in list parameters, wrong types, out-of-range years, very long and repeated
parameters, unknown parameter names, and script/HTML/URL injection in every parameter of every page (the names come
from each page module's ``params()``, so a new parameter is fuzzed without editing this file).
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import pages, urlstate
from tests.conftest import router_body
from tests.reliability.helpers import TALLY, app_on_copies, fuzz_settings, strings_in

INJECTIONS = [
    '<script>alert("x1")</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'-alert(1)-'",
    "<svg/onload=alert(1)>",
    "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<b onmouseover=alert(1)>x</b>",
    "{{7*7}}<iframe src=//evil.invalid>",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
]
# Substrings that must never come back, outside the echo of the free-text search.
DANGEROUS = ("<script", "<img", "<svg", "<iframe", "onerror=", "onload=", "onmouseover=", "alert(", "javascript:")
WRONG_TYPES = ["abc", "1.5", "-1", "[]", "{}", "null", "true", "0x7e1", "1e3", " 2017", "²⁰¹⁷", "2017,2018", "NaN", ""]
OUT_OF_RANGE_YEARS = ["0", "1", "1989", "2101", "9999", "99999", "-2017", "20170", "000002017"]
PATHS = {
    "overview": ["/"],
    "area": ["/omraade/gellerup-toveshoej", "/omraade/bispehaven"],
    "indicator": ["/indikator/skolefravaer", "/indikator/beboere"],
    "strategy": ["/strategi"],
    "data": ["/data"],
    "about": ["/om"],
}
MODULES = {
    "overview": pages.overview,
    "area": pages.area,
    "indicator": pages.indicator,
    "strategy": pages.strategy,
    "data": pages.data_page,
    "about": pages.about,
}
BAD_PATHS = [
    "/omraade/ukendt",
    "/omraade/aarhus-kommune",  # the benchmark has no area page
    "/omraade/<script>alert(1)</script>",
    "/omraade/" + quote('"><img src=x onerror=alert(1)>'),
    "/omraade/" + "a" * 5000,
    "/omraade/..%2F..%2Fetc%2Fpasswd",
    "/omraade/%00",
    "/indikator/ukendt",
    "/indikator/" + quote("<svg/onload=alert(1)>"),
    "/indikator/skolefravaer/ekstra",
    "/strategi/x",
    "/data.csv",
    "/" + quote("<script>alert(1)</script>"),
    "/om/../../etc/passwd",
    "/%ff%fe",
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return app_on_copies(tmp_path_factory.mktemp("url-fuzz"))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def page_params(app, page: str, path: str) -> dict[str, urlstate.Param]:
    data = app.bosoc_data.get()
    module = MODULES[page]
    _, path_params = pages.resolve(path, data)
    own = module.params(data, **path_params) if hasattr(module, "params") else []
    return {p.name: p for p in (*urlstate.COMMON_PARAMS, *own)}


_SHELLS: dict[str, str] = {}


def _normalised(shell: str) -> str:
    # Dash writes a fresh random id into each page's config (its "end_id"); everything else is fixed.
    return re.sub(r'"end_id":"[^"]*"', '"end_id":""', shell)


def _bare_shell(client, path: str) -> str:
    if path not in _SHELLS:
        _SHELLS[path] = _normalised(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
    return _SHELLS[path]


_BARE_STRINGS: dict[str, set] = {}


def _bare_strings(client, path: str) -> set:
    """Every (component, prop, text) the router renders for ``path`` without a query."""
    if path not in _BARE_STRINGS:
        answer = client.post("/_dash-update-component", json=router_body(path, "")).get_json()["response"]
        _BARE_STRINGS[path] = set(strings_in([answer["shell"], answer["page-title"], answer["html-lang"]]))
    return _BARE_STRINGS[path]


def check_url(app, client, page: str, path: str, pairs: list[tuple[str, str]], raw: str | None = None) -> dict:
    """GET and router-POST one address; returns the router's answer. ``raw`` is a query string used as given."""
    search = raw if raw is not None else ("?" + urlencode(pairs) if pairs else "")
    got = client.get(path + search, headers={"Accept": "text/html"})
    assert got.status_code in (200, 404), (path, search[:200], got.status_code)
    # The shell is static: byte for byte the shell of the bare path (only <html lang> follows sprog).
    body = _normalised(got.get_data(as_text=True)).replace('<html lang="en">', '<html lang="da">', 1)
    assert body == _bare_shell(client, path), (path, search[:200], "the HTML shell depends on the query")
    posted = client.post("/_dash-update-component", json=router_body(path, search))
    assert posted.status_code == 200, (path, search[:200], posted.status_code, posted.get_data(as_text=True)[:300])
    answer = posted.get_json()["response"]
    # The free-text search is shown back as the first q value, as given or with its whitespace tidied.
    first_q = next((value for name, value in pairs if name == "q"), "") if page == "strategy" else ""
    free_text = {text for text in (first_q, first_q.strip(), " ".join(first_q.split())) if len(text) >= 4}
    # What is rendered: the page and its title and language.
    shown = [answer["shell"], answer["page-title"], answer["html-lang"]]
    baseline = _bare_strings(client, path) if free_text else set()
    for component, prop, text in strings_in(shown):
        lowered = text.lower()
        if prop in ("href", "src", "action", "data", "srcDoc"):
            assert not lowered.strip().startswith(("javascript:", "data:text/html")), (component, prop, text[:100])
        # A search text such as "2017" also occurs in the page by itself (a year option): only a string the page
        # without the query does not have can be an echo.
        echoed = (component, prop, text) not in baseline and any(value and value in text for value in free_text)
        if echoed:
            # The search text is shown back as text (text children, the search box's value) and kept, URL-encoded,
            # in the page's own relative links.
            in_text = prop in ("children", "value") and component != "Markdown"
            assert in_text or (prop == "href" and text.startswith("/")), (component, prop, text[:100])
            continue
        for pattern in DANGEROUS:
            assert pattern not in lowered, (path, search[:200], component, prop, text[:200])
    return answer


def assert_notice_when_ignored(answer: dict, params: dict, pairs: list[tuple[str, str]]) -> None:
    """A parameter that is unknown, or whose first value is an injection (never valid except as free text), is
    ignored, and the page then says so."""
    first: dict[str, str] = {}
    for name, value in pairs:
        first.setdefault(name, value)
    must_notice = any(
        name not in params
        or (value in INJECTIONS and name != "q" and urlstate.split_search("?" + urlencode([(name, value)])))
        for name, value in first.items()
    )
    if must_notice:
        assert "url-notice" in json.dumps(answer), (pairs, "no notice")


@pytest.mark.parametrize("page", list(PATHS))
@pytest.mark.parametrize("injection", INJECTIONS)
def test_injection_in_every_parameter_of_every_page(app, client, page, injection):
    """All of a page's parameters (and an unknown one) carry the same payload at once."""
    for path in PATHS[page][:1]:
        params = page_params(app, page, path)
        pairs = [(name, injection) for name in params] + [(injection, "1")]
        answer = check_url(app, client, page, path, pairs)
        assert_notice_when_ignored(answer, params, pairs)
        assert answer["page-title"]["children"] != "Siden findes ikke"
        TALLY[f"url:injection ({page})"] += 1


short_values = st.one_of(st.sampled_from(INJECTIONS + WRONG_TYPES + OUT_OF_RANGE_YEARS), st.text(max_size=20))
values = st.one_of(
    st.sampled_from(INJECTIONS),
    st.sampled_from(WRONG_TYPES),
    st.sampled_from(OUT_OF_RANGE_YEARS),
    st.text(max_size=40),
    st.integers(-(10**9), 10**9).map(str),
    st.integers(500, 20_000).map(lambda n: "9" * n),
    st.sampled_from(["gellerup-toveshoej", "bispehaven,ukendt", "skolefravaer", "niveau", "indeks", "kort", "en", "1"]),
)
EXAMPLES = {"overview": 15, "area": 8, "indicator": 25, "strategy": 60, "data": 40, "about": 30}


def _fuzz(page: str):
    @fuzz_settings(EXAMPLES[page])
    @given(data=st.data())
    def test(app, client, data):
        path = data.draw(st.sampled_from(PATHS[page]))
        params = page_params(app, page, path)
        names = st.one_of(st.sampled_from(sorted(params)), st.sampled_from(["ukendt", "x" * 300, "<b>x</b>", "aar[]"]))
        pairs = data.draw(st.lists(st.tuples(names, values), max_size=6))
        if data.draw(st.booleans()):
            # Repeated parameters: the same name many times (the first value counts).
            name = data.draw(st.sampled_from(sorted(params)))
            pairs += [(name, data.draw(short_values)) for _ in range(data.draw(st.integers(2, 300)))]
        answer = check_url(app, client, page, path, pairs)
        assert_notice_when_ignored(answer, params, pairs)
        TALLY[f"url:generated ({page})"] += 1

    return test


test_generated_urls_overview = _fuzz("overview")
test_generated_urls_area = _fuzz("area")
test_generated_urls_indicator = _fuzz("indicator")
test_generated_urls_strategy = _fuzz("strategy")
test_generated_urls_data = _fuzz("data")
test_generated_urls_about = _fuzz("about")


@fuzz_settings(60)
@given(raw=st.text(max_size=300), page=st.sampled_from(["data", "strategy", "indicator"]))
def test_raw_query_strings(app, client, raw, page):
    """Query strings as typed or mangled: stray %, &, =, unicode, no encoding at all."""
    check_url(app, client, page, PATHS[page][0], [], raw="?" + raw)
    TALLY["url:raw query string"] += 1


@pytest.mark.parametrize("path", BAD_PATHS)
def test_unknown_and_hostile_paths_give_the_404_page(app, client, path):
    answer = check_url(app, client, "about", path, [("sprog", "en")])
    got = client.get(path, headers={"Accept": "text/html"})
    assert got.status_code == 404
    assert "not-found" in json.dumps(answer)
    TALLY["url:unknown path"] += 1


def test_a_very_long_address(app, client):
    """100,000 characters of query: answered (the query is read up to a limit), never a 500."""
    pairs = [("maal", "indeks")] + [(f"p{n}", "x" * 50) for n in range(2000)]
    check_url(app, client, "indicator", "/indikator/skolefravaer", pairs)
    TALLY["url:very long"] += 1


def test_the_part_of_an_address_past_the_limit_is_reported_as_ignored(app, client):
    """A query string longer than the limit is read up to it, and the page says that the rest was ignored (found by
    the generated addresses: a valid parameter after a very long search text was dropped without a word)."""

    def notice(answer: dict) -> str:
        found = re.search(
            r'"children": "([^"]*)", "className": "alert alert-warning url-notice"',
            json.dumps(answer, ensure_ascii=False),
        )
        return found.group(1) if found else ""

    long_text = "9" * (urlstate.MAX_QUERY_LENGTH * 2)
    answer = check_url(app, client, "strategy", "/strategi", [("tema", "uddannelse"), ("q", long_text), ("embed", "1")])
    assert notice(answer).endswith(": " + urlstate.NOT_READ + ". Standardvisningen vises i stedet.")
    assert "tema=uddannelse" in json.dumps(answer)  # what was read before the limit still counts
    assert notice(check_url(app, client, "strategy", "/strategi", [("tema", "uddannelse"), ("embed", "1")])) == ""
    TALLY["url:past the limit"] += 1
