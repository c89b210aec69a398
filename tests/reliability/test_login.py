"""Optional login: off by default; when on, nothing but the login page and the health endpoint answers without it.

Password mode: every kind of route (pages, Dash's layout, dependencies and callback endpoint, the app's assets,
Dash's script bundles, the vendored CSS, the favicon, downloads) redirects a browser to the login page or answers 401;
after logging in, everything works. Wrong passwords, a missing or foreign CSRF token, too many failures, open
redirects, forged cookies and a warm response cache are tried. Header mode: the user header is believed only from a
configured proxy address (403 otherwise). Start-up refuses login without a secret key, and the add-user command stores
only a scrypt hash.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import auth
from dashboard.app import create_app
from dashboard.settings import PROJECT_ROOT, Settings
from tests.conftest import router_body
from tests.reliability.helpers import TALLY, copy_data, copy_geo

PASSWORD = "korrekt-hest-batteri-hæfteklamme"
SECRET = "s" * 40
ROUTER_BODY = router_body("/data")
DOWNLOAD_BUTTONS = [
    "data-download-csv-shown",
    "data-download-xlsx-shown",
    "data-download-csv-all",
    "data-download-xlsx-all",
    "data-download-template",
]


def download_body(app) -> dict:
    key = "data-download.data"
    return {
        "output": key,
        "outputs": {"id": "data-download", "property": "data"},
        "inputs": [
            {"id": b, "property": "n_clicks", "value": int(b == "data-download-csv-all")} for b in DOWNLOAD_BUTTONS
        ],
        "state": [
            {"id": i, "property": "value", "value": None}
            for i in ("data-areas", "data-indicators", "data-from", "data-to")
        ]
        + [{"id": "url", "property": "search", "value": ""}],
        "changedPropIds": ["data-download-csv-all.n_clicks"],
    }


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("login")
    users = root / "users.txt"
    auth.add_user(users, "anna", PASSWORD)
    return copy_data(root / "data"), copy_geo(root / "geo"), users


def password_app(folders, tmp_path, **extra):
    data_dir, geo_dir, users = folders
    settings = Settings(
        data_dir=data_dir,
        geo_dir=geo_dir,
        cache_dir=tmp_path / "cache",
        auth_mode="password",
        auth_users_file=users,
        secret_key=SECRET,
        **extra,
    )
    return create_app(settings)


def protected_routes(client, prefix: str = "/") -> list[tuple[str, str, dict]]:
    """(method, path, kwargs) for every kind of route: found from the app's own HTML where it names them."""
    html = client.get(prefix + "healthz")  # open; the index itself is protected, so read names from the app
    assert html.status_code == 200
    return [
        ("GET", prefix, {}),
        ("GET", prefix + "omraade/bispehaven", {}),
        ("GET", prefix + "indikator/skolefravaer?fane=tabel", {}),
        ("GET", prefix + "data", {}),
        ("GET", prefix + "om", {}),
        ("GET", prefix + "strategi", {}),
        ("GET", prefix + "ukendt-side", {}),
        ("GET", prefix + "_dash-layout", {}),
        ("GET", prefix + "_dash-dependencies", {}),
        ("POST", prefix + "_dash-update-component", {"json": ROUTER_BODY}),
        ("POST", prefix + "_dash-update-component", {"json": {"output": "x"}}),
        ("GET", prefix + "assets/" + sorted(p.name for p in (PROJECT_ROOT / "assets").glob("*.css"))[0], {}),
        ("GET", prefix + "assets/" + sorted(p.name for p in (PROJECT_ROOT / "assets").glob("*.js"))[0], {}),
        ("GET", prefix + "_vendor/bootstrap.min.css", {}),
        ("GET", prefix + "_favicon.ico", {}),
        ("GET", prefix + "_reload-hash", {}),
        ("GET", prefix + "logout", {}),
    ]


def component_suite_paths(app) -> list[str]:
    """Dash's script bundles as the index page names them (read with login off: the same app, unprotected)."""
    html = app.index()
    return re.findall(r'src="([^"]*_dash-component-suites/[^"]+)"', html)[:4]


def login(client, prefix: str = "/", user: str = "anna", password: str = PASSWORD, next_url: str = ""):
    page = client.get(prefix + "login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post(
        prefix + "login", data={"username": user, "password": password, "csrf_token": token, "next": next_url}
    )


def assert_refused(response, method: str, browser: bool, prefix: str = "/") -> None:
    text = response.get_data(as_text=True)
    if browser and method == "GET":
        assert response.status_code == 302, (response.status_code, text[:200])
        assert response.headers["Location"].startswith(prefix + "login?next=")
    else:
        assert response.status_code == 401, (response.status_code, text[:200])
    # Nothing of the content: names, data, the layout, script or CSS bodies (the redirect names only the address).
    for secret in ("Gellerup/Toveshøj", "Skolefravær", '"props"', "Bootstrap", "webpack", "BoSoc Dashboard"):
        assert secret not in text, (secret, text[:200])


def test_login_is_off_by_default(folders, tmp_path):
    data_dir, geo_dir, _ = folders
    assert Settings.from_env({}).auth_mode == ""
    client = create_app(Settings(data_dir=data_dir, geo_dir=geo_dir, cache_dir=tmp_path / "c")).server.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/login").status_code == 404  # no login page when login is off


@pytest.mark.parametrize("prefix", ["/", "/bosoc/"])
def test_without_credentials_only_login_and_health_answer(folders, tmp_path, prefix):
    app = password_app(folders, tmp_path, url_prefix=prefix)
    client = app.server.test_client()
    # Warm the response cache as a logged-in user first: a cached answer must still need a login.
    warm = app.server.test_client()
    assert login(warm, prefix).status_code == 303
    routes = protected_routes(client, prefix)
    suites = component_suite_paths(app)
    assert suites
    routes += [("GET", path, {}) for path in suites]
    routes += [("POST", prefix + "_dash-update-component", {"json": download_body(app)})]
    for method, path, kwargs in routes:
        if method == "POST":
            assert warm.post(path, **kwargs).status_code in (200, 204, 400), path
        for browser in (True, False):
            headers = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8" if browser else "*/*"}
            response = client.open(path, method=method, headers=headers, **kwargs)
            assert_refused(response, method, browser, prefix)
            TALLY["login:route refused without credentials"] += 1
    # A forged session cookie (signed with another key) is no login.
    client.set_cookie(auth.SESSION_COOKIE_NAME, "eyJ1c2VyIjoiYW5uYSJ9.Zm9v.YmFy", path=prefix)
    assert_refused(client.get(prefix + "data", headers={"Accept": "*/*"}), "GET", False, prefix)
    assert client.get(prefix + "healthz").status_code == 200
    assert client.get(prefix + "login").status_code == 200
    TALLY["login:open routes checked"] += 2


@pytest.mark.parametrize("prefix", ["/", "/bosoc/"])
def test_with_a_valid_login_everything_works(folders, tmp_path, prefix):
    app = password_app(folders, tmp_path, url_prefix=prefix)
    client = app.server.test_client()
    response = login(client, prefix, next_url=prefix + "data?sprog=en")
    assert response.status_code == 303 and response.headers["Location"] == prefix + "data?sprog=en"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and f"Path={prefix}" in cookie
    assert "Secure" not in cookie
    for method, path, kwargs in protected_routes(client, prefix)[:-1]:
        response = client.open(path, method=method, **kwargs)
        expected = {404} if "ukendt" in path else ({400} if kwargs.get("json") == {"output": "x"} else {200})
        assert response.status_code in expected, (path, response.status_code)
        TALLY["login:route works after login"] += 1
    for path in component_suite_paths(app):
        assert client.get(path).status_code == 200
    download = client.post(prefix + "_dash-update-component", json=download_body(app))
    assert download.status_code == 200 and "data-download" in download.get_json()["response"]
    # Logging out ends it.
    assert client.get(prefix + "logout").status_code == 303
    assert client.get(prefix + "data", headers={"Accept": "*/*"}).status_code == 401


def test_the_cookie_is_secure_when_configured(folders, tmp_path):
    client = password_app(folders, tmp_path, session_cookie_secure=True).server.test_client()
    response = login(client)
    assert response.status_code == 303 and "; Secure" in response.headers["Set-Cookie"]


def test_wrong_password_unknown_user_and_missing_csrf_fail(folders, tmp_path):
    client = password_app(folders, tmp_path).server.test_client()
    for user, password in (("anna", "forkert-adgangskode"), ("ukendt", PASSWORD), ("anna", ""), ("ANNA", PASSWORD)):
        response = login(client, user=user, password=password)
        assert response.status_code == 401, (user, response.status_code)
        assert "Forkert brugernavn eller adgangskode" in response.get_data(as_text=True)
        assert client.get("/data", headers={"Accept": "*/*"}).status_code == 401
        TALLY["login:wrong credentials refused"] += 1
    no_token = client.post("/login", data={"username": "anna", "password": PASSWORD})
    assert no_token.status_code == 400
    other = app_client = password_app(folders, tmp_path).server.test_client()
    foreign = re.search(r'name="csrf_token" value="([^"]+)"', other.get("/login").get_data(as_text=True)).group(1)
    response = app_client.post("/login", data={"username": "anna", "password": PASSWORD, "csrf_token": foreign + "x"})
    assert response.status_code == 400
    assert client.get("/data", headers={"Accept": "*/*"}).status_code == 401
    TALLY["login:CSRF refused"] += 2


def test_failed_logins_are_rate_limited(folders, tmp_path):
    client = password_app(folders, tmp_path).server.test_client()
    for _ in range(auth.MAX_FAILURES_PER_USER):
        assert login(client, password="forkert-adgangskode").status_code == 401
    blocked = login(client)  # even the right password waits now
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "For mange forkerte forsøg" in blocked.get_data(as_text=True)
    # Another address is not affected (the limit is per address).
    other = client.application.test_client()
    response = login(other, next_url="/om")
    assert response.status_code == 303 or response.status_code == 429
    TALLY["login:rate limit"] += auth.MAX_FAILURES_PER_USER + 1


def test_the_failure_limit_per_address_covers_many_user_names(folders, tmp_path):
    app = password_app(folders, tmp_path)
    client = app.server.test_client()
    for number in range(auth.MAX_FAILURES_PER_ADDRESS):
        assert login(client, user=f"bruger{number}", password="forkert").status_code == 401
    assert login(client, user="endnu-en", password="forkert").status_code == 429
    # From another address, anna can still log in.
    other = app.server.test_client()
    page = other.get("/login", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = other.post(
        "/login",
        data={"username": "anna", "password": PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert response.status_code == 303
    TALLY["login:rate limit"] += auth.MAX_FAILURES_PER_ADDRESS + 1


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_no_open_redirect_after_login(folders, tmp_path, target):
    client = password_app(folders, tmp_path).server.test_client()
    response = login(client, next_url=target)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    TALLY["login:open redirect refused"] += 1


def test_the_login_page_escapes_what_it_shows_back(folders, tmp_path):
    client = password_app(folders, tmp_path).server.test_client()
    page = client.get('/login?next=/"><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>" not in page
    response = login(client, user="<img src=x onerror=alert(1)>", password="x")
    assert "<img src=x" not in response.get_data(as_text=True)


def test_passwords_are_stored_only_as_scrypt_hashes(folders):
    _, _, users = folders
    text = users.read_text(encoding="utf-8")
    assert PASSWORD not in text and "hæfteklamme" not in text
    name, password_hash = text.strip().split(":", 1)
    assert name == "anna" and password_hash.startswith("scrypt:")
    assert oct(users.stat().st_mode)[-3:] == "600"


def _command(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_add_user_command(tmp_path):
    users = tmp_path / "users.txt"
    env = {"AUTH_USERS_FILE": str(users)}
    added = _command(["-m", "dashboard", "add-user", "bo"], env, "en-lang-adgangskode\n")
    assert added.returncode == 0, added.stdout + added.stderr
    assert "bo" in auth.read_users(users) and "en-lang-adgangskode" not in users.read_text()
    assert auth.verify(auth.read_users(users), "bo", "en-lang-adgangskode")
    short = _command(["-m", "dashboard", "add-user", "carl"], env, "kort\n")
    assert short.returncode == 1 and "mindst" in short.stdout and "Traceback" not in short.stderr
    bad_name = _command(["-m", "dashboard", "add-user", "navn med mellemrum"], env, "en-lang-adgangskode\n")
    assert bad_name.returncode == 1 and "brugernavnet" in bad_name.stdout
    assert set(auth.read_users(users)) == {"bo"}


@pytest.mark.parametrize(
    "env, message",
    [
        ({"AUTH_MODE": "password"}, "SECRET_KEY"),
        ({"AUTH_MODE": "password", "SECRET_KEY": "kort"}, "SECRET_KEY"),
        ({"AUTH_MODE": "password", "SECRET_KEY": SECRET, "AUTH_USERS_FILE": "/nonexistent/users.txt"}, "add-user"),
        ({"AUTH_MODE": "header", "SECRET_KEY": SECRET}, "AUTH_TRUSTED_PROXIES"),
        (
            {"AUTH_MODE": "header", "SECRET_KEY": SECRET, "AUTH_TRUSTED_PROXIES": "ikke-en-adresse"},
            "AUTH_TRUSTED_PROXIES",
        ),
        ({"AUTH_MODE": "kerberos"}, "AUTH_MODE"),
    ],
)
def test_the_app_refuses_to_start_with_login_misconfigured(folders, env, message):
    data_dir, geo_dir, _ = folders
    result = _command(["app.py"], {"DATA_DIR": str(data_dir), "GEO_DIR": str(geo_dir), "PORT": "1", **env})
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr and "kan ikke starte" in result.stderr
    assert "Traceback" not in result.stderr
    TALLY["login:misconfiguration refused at start-up"] += 1


def header_app(folders, tmp_path, proxies=("10.0.0.5", "192.168.10.0/24")):
    data_dir, geo_dir, _ = folders
    settings = Settings(
        data_dir=data_dir,
        geo_dir=geo_dir,
        cache_dir=tmp_path / "cache",
        auth_mode="header",
        auth_trusted_proxies=tuple(proxies),
        secret_key=SECRET,
    )
    return create_app(settings)


def test_header_mode_trusts_the_header_only_from_the_proxy(folders, tmp_path):
    app = header_app(folders, tmp_path)
    client = app.server.test_client()
    header = {"X-Forwarded-User": "anna"}
    for address in ("10.0.0.5", "192.168.10.77"):
        environ = {"REMOTE_ADDR": address}
        assert client.get("/data", headers=header, environ_base=environ).status_code == 200
        assert (
            client.post("/_dash-update-component", json=ROUTER_BODY, headers=header, environ_base=environ).status_code
            == 200
        )
        # From the proxy but without the header: no user.
        assert client.get("/data", environ_base=environ).status_code == 401
    for address in ("10.0.0.6", "127.0.0.1", "192.168.11.1", "::1"):
        environ = {"REMOTE_ADDR": address}
        for method, path, kwargs in protected_routes(client):
            response = client.open(path, method=method, headers=header, environ_base=environ, **kwargs)
            assert response.status_code == 403, (address, path, response.status_code)
            TALLY["login:header from an untrusted address refused"] += 1
        assert client.get("/healthz", environ_base=environ).status_code == 200
    assert client.get("/login", headers=header, environ_base={"REMOTE_ADDR": "10.0.0.6"}).status_code == 403


def test_settings_read_every_login_variable():
    settings = Settings.from_env(
        {
            "AUTH_MODE": "Header",
            "AUTH_TRUSTED_PROXIES": "10.0.0.5, 10.0.1.0/24",
            "AUTH_USER_HEADER": "Remote-User",
            "AUTH_USERS_FILE": "/srv/users.txt",
            "SECRET_KEY": SECRET,
            "SESSION_COOKIE_SECURE": "1",
        }
    )
    assert settings.auth_mode == "header"
    assert settings.auth_trusted_proxies == ("10.0.0.5", "10.0.1.0/24")
    assert settings.auth_user_header == "Remote-User"
    assert settings.auth_users_file == Path("/srv/users.txt")
    assert settings.session_cookie_secure and settings.secret_key == SECRET
    assert SECRET not in repr(settings)


def test_pages_offer_log_out_only_with_password_login(folders, tmp_path):
    import json

    import plotly

    from dashboard.pages import render

    def header_text(app) -> str:
        # The header travels as data (components.tree): its elements are in the JSON of its data-tree.
        with app.server.test_request_context("/"):
            shell, _, _ = render(app, "/", "")
        trees = [getattr(c, "data-tree") for c in shell._traverse() if hasattr(c, "data-tree")]
        return json.dumps(shell.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False) + "".join(
            trees
        )

    with_login = header_text(password_app(folders, tmp_path))
    assert '"href":"/logout"' in with_login and "Log ud" in with_login
    # A plain link on this site (it leaves the app), not one the app opens in place.
    assert (
        '"site":true,"attrs":{"class":"btn btn-sm btn-outline-light ms-lg-2","data-site-link":"","href":"/logout"}'
        in (with_login)
    )
    plain = create_app(Settings(data_dir=folders[0], geo_dir=folders[1], cache_dir=tmp_path / "c"))
    assert "Log ud" not in header_text(plain)
