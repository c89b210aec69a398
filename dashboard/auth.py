"""Optional login for deployments without single sign-on: off by default, on with ``AUTH_MODE``.

Two modes, both enforced by one ``before_request`` hook on the Flask server, so that every page, callback, asset,
component bundle and download needs it; only the health endpoint (monitoring) and the login page stay open:

- ``password``: users and their password hashes live in ``AUTH_USERS_FILE`` (one ``name:hash`` line each, written by
  ``python -m dashboard add-user NAME``). Hashes are werkzeug's scrypt hashes; a password is never stored or logged.
  The login page is a plain server-rendered HTML form (no JavaScript, so it works before any asset is allowed) with a
  CSRF token kept in the session. The session cookie is signed with ``SECRET_KEY``, HttpOnly, SameSite=Lax, and
  Secure with ``SESSION_COOKIE_SECURE=1``.
- ``header``: a reverse proxy that has already authenticated the user passes the name in ``AUTH_USER_HEADER``. The
  header is believed only when the request comes straight from an address in ``AUTH_TRUSTED_PROXIES``; from
  anywhere else the request is refused (403), because anybody can send that header.

Failed logins are rate-limited per client address by a simple in-memory counter (:class:`FailureLimiter`). It is
kept per worker process and forgotten on restart: with N gunicorn workers an attacker gets at most N times the limit
per window, which still turns an online guessing attack into years of work against a 10-character password.
"""

from __future__ import annotations

import hmac
import html
import ipaddress
import os
import re
import secrets
import tempfile
import threading
import time
from collections import deque
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import flask
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.settings import Settings

LOGIN_ROUTE = "login"
LOGOUT_ROUTE = "logout"
HEALTH_ROUTE = "healthz"
HASH_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10
MIN_SECRET_KEY_LENGTH = 16
USERNAME = re.compile(r"[A-Za-z0-9._@-]{1,64}")
SESSION_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_NAME = "bosoc_session"
# Failed logins: at most this many per address and user name, and per address in all, within the window.
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW_SECONDS = 15 * 60


class ConfigurationError(Exception):
    """Login is switched on but cannot work as configured; the message says what to set."""


# --- configuration ------------------------------------------------------------------------------------------------


def trusted_networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """AUTH_TRUSTED_PROXIES as networks (a single address is a /32 or /128 network)."""
    networks = []
    for entry in settings.auth_trusted_proxies:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ConfigurationError(
                f"AUTH_TRUSTED_PROXIES indeholder {entry!r}, som ikke er en IP-adresse eller et netværk (CIDR)"
            ) from None
    return networks


def check_configuration(settings: Settings) -> None:
    """Refuse a login configuration that would not protect anything (raises ConfigurationError)."""
    if not settings.auth_mode:
        return
    if len(settings.secret_key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            f"AUTH_MODE={settings.auth_mode} kræver en hemmelig nøgle i SECRET_KEY (mindst {MIN_SECRET_KEY_LENGTH} "
            "tegn), fx fra: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    if settings.auth_mode == "password" and not Path(settings.auth_users_file).is_file():
        raise ConfigurationError(
            f"brugerfilen {settings.auth_users_file} findes ikke; opret en bruger med: "
            "python -m dashboard add-user NAVN (eller sæt AUTH_USERS_FILE)"
        )
    if settings.auth_mode == "header" and not trusted_networks(settings):
        raise ConfigurationError("AUTH_MODE=header kræver proxyens adresse(r) i AUTH_TRUSTED_PROXIES")


# --- the users file -----------------------------------------------------------------------------------------------


def read_users(path: Path) -> dict[str, str]:
    """User name -> password hash from a users file; blank lines and # comments are skipped."""
    users = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        name, password_hash = line.split(":", 1)
        users[name.strip()] = password_hash.strip()
    return users


def add_user(path: Path, name: str, password: str) -> bool:
    """Add a user or replace their password; returns True when the user is new. Writes the file atomically, 0600."""
    if not USERNAME.fullmatch(name):
        raise ValueError("brugernavnet må kun indeholde bogstaverne a-z, tal og . _ @ - (højst 64 tegn)")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn")
    path = Path(path)
    users = read_users(path) if path.exists() else {}
    is_new = name not in users
    users[name] = generate_password_hash(password, method=HASH_METHOD)
    content = "".join(f"{user}:{password_hash}\n" for user, password_hash in users.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(content)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return is_new


class UserStore:
    """The users file, re-read when it changes (a user added or removed takes effect without a restart)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self._users: dict[str, str] = {}

    def users(self) -> dict[str, str]:
        try:
            stat = self.path.stat()
            signature = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            return {}
        with self._lock:
            if signature != self._signature:
                self._users = read_users(self.path)
                self._signature = signature
            return self._users


_DUMMY_HASH: list[str] = []


def verify(users: dict[str, str], name: str, password: str) -> bool:
    """Whether the password is the user's. An unknown user costs the same hash time, so timing reveals nothing."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash(secrets.token_urlsafe(16), method=HASH_METHOD))
    stored = users.get(name)
    matches = check_password_hash(stored or _DUMMY_HASH[0], password)
    return matches and stored is not None


# --- rate limiting ------------------------------------------------------------------------------------------------


class FailureLimiter:
    """Counts failed logins per key within a sliding window (in memory, per worker process)."""

    def __init__(self, limit: int, window_seconds: float):
        self.limit = limit
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked_for(self, key: str) -> float:
        """Seconds until the next attempt is allowed (0 when allowed now)."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(key, now)
            if len(failures) < self.limit:
                return 0.0
            return max(failures[0] + self.window - now, 1.0)

    def record(self, key: str) -> None:
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())
            # Bound the memory an attacker can make us use with many addresses: forget the oldest keys.
            if len(self._failures) > 10_000:
                for stale in list(self._failures)[:1000]:
                    del self._failures[stale]

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


# --- the login page -----------------------------------------------------------------------------------------------

LOGIN_PAGE = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log ind · BoSoc Dashboard</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f5f7; color: #1b1f24;
  margin: 0; }}
main {{ max-width: 24rem; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: .5rem;
  box-shadow: 0 1px 4px rgba(0,0,0,.15); }}
h1 {{ font-size: 1.5rem; margin-top: 0; }}
label {{ display: block; font-weight: 600; margin-top: 1rem; }}
input[type=text], input[type=password] {{ width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem;
  border: 1px solid #6c757d; border-radius: .25rem; }}
button {{ margin-top: 1.5rem; padding: .6rem 1.2rem; font-size: 1rem; background: #0b5394; color: #fff; border: 0;
  border-radius: .25rem; cursor: pointer; }}
button:focus, input:focus {{ outline: 3px solid #f0ad4e; }}
.error {{ background: #f8d7da; color: #58151c; padding: .75rem; border-radius: .25rem; }}
</style>
</head>
<body>
<main>
<h1>BoSoc Dashboard</h1>
<p>Log ind for at se dashboardet.</p>
{message}
<form method="post" action="{action}">
<input type="hidden" name="csrf_token" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<label for="username">Brugernavn</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus value="{username}">
<label for="password">Adgangskode</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Log ind</button>
</form>
</main>
</body>
</html>
"""

WRONG_LOGIN = "Forkert brugernavn eller adgangskode."
EXPIRED_FORM = "Formularen var udløbet. Prøv igen."
TOO_MANY = "For mange forkerte forsøg. Prøv igen om {minutes} minutter."
LOGIN_REQUIRED = "Log ind først."


def _csrf_token() -> str:
    token = flask.session.get("csrf_token")
    if not token:
        token = flask.session["csrf_token"] = secrets.token_urlsafe(32)
    return token


def _safe_next(target: str | None, prefix: str) -> str:
    """Where to go after logging in: only a path inside the dashboard, never another site."""
    if not target or not target.startswith(prefix) or target.startswith("//") or "\\" in target:
        return prefix
    return target


def _login_page(settings: Settings, status: int, message: str = "", username: str = "", next_url: str = ""):
    text = LOGIN_PAGE.format(
        message=f'<p class="error" role="alert">{html.escape(message)}</p>' if message else "",
        action=html.escape(settings.url_prefix + LOGIN_ROUTE),
        csrf=html.escape(_csrf_token()),
        next=html.escape(_safe_next(next_url, settings.url_prefix)),
        username=html.escape(username[:64]),
    )
    response = flask.Response(text, status=status, mimetype="text/html")
    # The form carries a per-session token: never keep it in a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _wants_html() -> bool:
    """A browser navigating to a page (its Accept lists text/html), as opposed to a script, style or fetch."""
    request = flask.request
    return request.method == "GET" and "text/html" in request.accept_mimetypes.values()


def _unauthenticated(settings: Settings):
    if _wants_html():
        target = flask.request.full_path if flask.request.query_string else flask.request.path
        return flask.redirect(f"{settings.url_prefix}{LOGIN_ROUTE}?{urlencode({'next': target})}", code=302)
    return flask.Response(LOGIN_REQUIRED, status=401, mimetype="text/plain")


def install(app, settings: Settings) -> None:
    """Require login on every route of the app's server except the health endpoint and the login page."""
    if not settings.auth_mode:
        return
    check_configuration(settings)
    server = app.server
    server.secret_key = settings.secret_key
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_PATH=settings.url_prefix,
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
    )
    prefix = settings.url_prefix
    open_paths = {prefix + HEALTH_ROUTE}
    if settings.auth_mode == "header":
        networks = trusted_networks(settings)

        @server.before_request
        def require_trusted_proxy():
            if flask.request.path in open_paths:
                return None
            try:
                address = ipaddress.ip_address(flask.request.remote_addr or "")
            except ValueError:
                address = None
            if address is None or not any(address in network for network in networks):
                return flask.Response("Adgang nægtet.", status=403, mimetype="text/plain")
            user = flask.request.headers.get(settings.auth_user_header, "").strip()
            if not user:
                return flask.Response(LOGIN_REQUIRED, status=401, mimetype="text/plain")
            flask.g.user = user
            return None

        return

    users = UserStore(settings.auth_users_file)
    per_user = FailureLimiter(MAX_FAILURES_PER_USER, FAILURE_WINDOW_SECONDS)
    per_address = FailureLimiter(MAX_FAILURES_PER_ADDRESS, FAILURE_WINDOW_SECONDS)
    login_path = prefix + LOGIN_ROUTE
    open_paths.add(login_path)

    @server.before_request
    def require_login():
        if flask.request.path in open_paths:
            return None
        user = flask.session.get("user")
        if user and user in users.users():
            flask.g.user = user
            return None
        return _unauthenticated(settings)

    @server.route(login_path, methods=["GET", "POST"])
    def login():
        request = flask.request
        if request.method == "GET":
            return _login_page(settings, 200, next_url=request.args.get("next", ""))
        form = request.form
        username = form.get("username", "").strip()
        next_url = form.get("next", "")
        address = request.remote_addr or "?"
        user_key = f"{address}\n{username.casefold()}"
        wait = max(per_address.blocked_for(address), per_user.blocked_for(user_key))
        if wait:
            response = _login_page(settings, 429, TOO_MANY.format(minutes=max(1, round(wait / 60))), username, next_url)
            response.headers["Retry-After"] = str(int(wait))
            return response
        expected = flask.session.get("csrf_token", "")
        if not expected or not hmac.compare_digest(expected, form.get("csrf_token", "")):
            return _login_page(settings, 400, EXPIRED_FORM, username, next_url)
        if not verify(users.users(), username, form.get("password", "")):
            per_address.record(address)
            per_user.record(user_key)
            return _login_page(settings, 401, WRONG_LOGIN, username, next_url)
        per_user.clear(user_key)
        # A new session on login (no fixation): the old cookie's contents, its CSRF token included, are dropped.
        flask.session.clear()
        flask.session["user"] = username
        flask.session.permanent = True
        return flask.redirect(_safe_next(next_url, prefix), code=303)

    @server.route(prefix + LOGOUT_ROUTE, methods=["GET", "POST"])
    def logout():
        flask.session.clear()
        return flask.redirect(login_path, code=303)
