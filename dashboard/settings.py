"""Every environment variable the dashboard reads, in one place.

Nothing else in the package calls ``os.environ``: a setting that is not here does not exist, and the README's
configuration table is checked against ``Settings`` by a test.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on", "ja"}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        raise ValueError(f"Ugyldigt heltal i miljøvariabel: {value!r}") from None


AUTH_MODES = ("", "password", "header")


def _auth_mode(value: str | None) -> str:
    mode = (value or "").strip().lower()
    if mode in ("off", "0", "nej", "no", "false"):
        return ""
    if mode not in AUTH_MODES:
        raise ValueError(f"Ugyldig AUTH_MODE: {value!r} (tilladt: password, header eller tom)")
    return mode


TILE_PROVIDERS = ("osm",)


def _tiles(value: str) -> str:
    value = value.strip().lower()
    if value not in ("", *TILE_PROVIDERS):
        raise ValueError(f"MAP_TILES skal være tom eller en af {TILE_PROVIDERS}, ikke {value!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """The dashboard's configuration. Build it with :func:`from_env`; tests build it directly."""

    data_dir: Path = PROJECT_ROOT / "data"
    geo_dir: Path = PROJECT_ROOT / "geo"
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    # Rates whose denominator is below this many persons are never sent to the browser.
    suppression_limit: int = 5
    # Sub-path behind a reverse proxy, e.g. "/bosoc/". Always starts and ends with "/".
    url_prefix: str = "/"
    # Origins allowed to embed the dashboard in an <iframe> (CSP frame-ancestors).
    frame_ancestors: tuple[str, ...] = ("'self'",)
    # Opt-in tile basemap for the map (the default map makes no external request).
    map_tiles: str = ""
    cache_dir: Path = field(default_factory=lambda: Path(os.environ.get("TMPDIR", "/tmp")) / "bosoc-cache")
    redis_url: str = ""
    # Optional login (dashboard.auth): "" (off), "password" (users file) or "header" (trusted reverse proxy).
    auth_mode: str = ""
    auth_users_file: Path = PROJECT_ROOT / "users.txt"
    # Addresses or networks (CIDR) of the reverse proxies whose user header is believed (header mode).
    auth_trusted_proxies: tuple[str, ...] = ()
    auth_user_header: str = "X-Forwarded-User"
    # Signs the session cookie; required when login is on. Never printed (repr=False).
    secret_key: str = field(default="", repr=False)
    # Send the session cookie over HTTPS only (turn on whenever the dashboard is served over HTTPS).
    session_cookie_secure: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        prefix = env.get("URL_PREFIX", "/").strip() or "/"
        prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        ancestors = tuple(env.get("FRAME_ANCESTORS", "'self'").split()) or ("'self'",)
        defaults = cls()
        return cls(
            data_dir=Path(env.get("DATA_DIR") or defaults.data_dir),
            geo_dir=Path(env.get("GEO_DIR") or defaults.geo_dir),
            host=env.get("HOST", defaults.host),
            port=_int(env.get("PORT"), defaults.port),
            debug=_flag(env.get("DASH_DEBUG")),
            suppression_limit=_int(env.get("SUPPRESSION_LIMIT"), defaults.suppression_limit),
            url_prefix=prefix,
            frame_ancestors=ancestors,
            map_tiles=_tiles(env.get("MAP_TILES", "")),
            cache_dir=Path(env.get("CACHE_DIR") or defaults.cache_dir),
            redis_url=env.get("REDIS_URL", "").strip(),
            auth_mode=_auth_mode(env.get("AUTH_MODE")),
            auth_users_file=Path(env.get("AUTH_USERS_FILE") or defaults.auth_users_file),
            auth_trusted_proxies=tuple(env.get("AUTH_TRUSTED_PROXIES", "").replace(",", " ").split()),
            auth_user_header=env.get("AUTH_USER_HEADER", "").strip() or defaults.auth_user_header,
            secret_key=env.get("SECRET_KEY", ""),
            session_cookie_secure=_flag(env.get("SESSION_COOKIE_SECURE")),
        )


#: Documented names of the environment variables, with one line each (used by the README test).
ENVIRONMENT_VARIABLES = {
    "HOST": "address to listen on with `python app.py` (default 127.0.0.1)",
    "PORT": "port (default 8050)",
    "DASH_DEBUG": "1 turns on Dash's debug mode (never in production)",
    "DATA_DIR": "folder with the data files (default data/)",
    "GEO_DIR": "folder with areas.geojson and context.geojson (default geo/)",
    "SUPPRESSION_LIMIT": "smallest denominator shown (default 5 persons)",
    "URL_PREFIX": "sub-path behind a proxy, e.g. /bosoc/ (default /)",
    "FRAME_ANCESTORS": "space-separated origins allowed to embed pages (default 'self')",
    "MAP_TILES": "opt-in tile basemap: 'osm' for OpenStreetMap tiles (default: none, fully offline)",
    "CACHE_DIR": "folder of the shared filesystem cache (default $TMPDIR/bosoc-cache)",
    "REDIS_URL": "use Redis as the shared cache instead of the filesystem",
    "AUTH_MODE": "optional login: 'password' (users file) or 'header' (trusted reverse proxy); default off",
    "AUTH_USERS_FILE": "users and password hashes for AUTH_MODE=password (default users.txt)",
    "AUTH_TRUSTED_PROXIES": "addresses or CIDR networks of the proxies whose user header is trusted (header mode)",
    "AUTH_USER_HEADER": "the header carrying the user name in header mode (default X-Forwarded-User)",
    "SECRET_KEY": "signs the session cookie; required when AUTH_MODE is set",
    "SESSION_COOKIE_SECURE": "1 sends the session cookie over HTTPS only",
}
