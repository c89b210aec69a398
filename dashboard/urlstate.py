"""The URL is the state: parse and validate query parameters, and build links that keep the language.

A page declares its parameters as :class:`Param` objects. :func:`parse_query` turns the raw query into clean values
and a list of notices for parameters that were unknown or invalid (they fall back to their defaults: never a server
error). :func:`build_search` writes the state back, leaving out defaults so links stay short and stable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

MAX_QUERY_LENGTH = 2000
MAX_LIST_ITEMS = 50
# Stands for the part of an over-long query string that is not read (shown as such in the "ignored" notice).
NOT_READ = "…"


@dataclass(frozen=True)
class Param:
    """One query parameter: its name, default, and a parser that raises ValueError for invalid input."""

    name: str
    default: object
    parse: Callable[[str], object]


def choice(options: Iterable[str]) -> Callable[[str], str]:
    allowed = tuple(options)

    def parse(text: str) -> str:
        if text not in allowed:
            raise ValueError(text)
        return text

    return parse


def id_list(options: Iterable[str]) -> Callable[[str], tuple[str, ...]]:
    """A comma-separated list of known ids (duplicates dropped, order kept)."""
    allowed = set(options)

    def parse(text: str) -> tuple[str, ...]:
        items = [item for item in text.split(",") if item]
        if not items or len(items) > MAX_LIST_ITEMS or any(item not in allowed for item in items):
            raise ValueError(text)
        return tuple(dict.fromkeys(items))

    return parse


def year(minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not text.isdigit() or len(text) > 4:
            raise ValueError(text)
        value = int(text)
        if not minimum <= value <= maximum:
            raise ValueError(text)
        return value

    return parse


def flag(text: str) -> bool:
    if text in ("1", "true", "ja", "yes"):
        return True
    if text in ("0", "false", "nej", "no", ""):
        return False
    raise ValueError(text)


def free_text(text: str) -> str:
    if len(text) > 200:
        raise ValueError(text[:40])
    return text


COMMON_PARAMS = (
    Param("sprog", "da", choice(("da", "en"))),
    Param("embed", False, flag),
)


def split_search(search: str | None) -> list[tuple[str, str]]:
    # Anything but text (a forged callback request can send a number or a list) is an empty query.
    if not search or not isinstance(search, str):
        return []
    text = search[1:] if search.startswith("?") else search
    if len(text) <= MAX_QUERY_LENGTH * 2:
        return parse_qsl(text, keep_blank_values=True)
    # The rest of an over-long address is not read. Its last pair read may be cut short, so it goes too, and a
    # marker makes the page say that part of the address was ignored.
    return [*parse_qsl(text[: MAX_QUERY_LENGTH * 2], keep_blank_values=True)[:-1], (NOT_READ, "")]


def parse_query(
    pairs: Iterable[tuple[str, str]] | Mapping[str, str], params: Iterable[Param]
) -> tuple[dict, list[str]]:
    """Clean values for ``params`` (plus the common ones) and the names of parameters that were ignored.

    Repeated parameters use the first value; unknown names and invalid values are reported by name, never echoed
    as markup (the notice shows only the parameter *name*, which must be a known one or is shortened and escaped by
    Dash's text rendering).
    """
    declared = {p.name: p for p in (*COMMON_PARAMS, *params)}
    items = list(pairs.items()) if isinstance(pairs, Mapping) else list(pairs)
    values = {name: param.default for name, param in declared.items()}
    ignored: list[str] = []
    seen: set[str] = set()
    for name, raw in items:
        if name == NOT_READ:
            ignored.append(NOT_READ)
            continue
        if name not in declared:
            # Unknown names are reported in a safe form: letters, digits and dashes only, never as given.
            safe = "".join(c for c in name if c.isascii() and (c.isalnum() or c in "-_"))[:30]
            ignored.append(safe or "?")
            continue
        if name in seen:
            continue
        seen.add(name)
        try:
            values[name] = declared[name].parse(str(raw)[:MAX_QUERY_LENGTH])
        except ValueError:
            ignored.append(name)
    return values, list(dict.fromkeys(ignored))


def language(search: str | None) -> str:
    """The language a query string asks for ("da" unless a valid sprog says otherwise)."""
    values, _ = parse_query(split_search(search), ())
    return values["sprog"]


def build_search(values: Mapping[str, object], params: Iterable[Param]) -> str:
    """The query string for ``values``; parameters at their default are left out. Starts with '?' or is ''."""
    declared = {p.name: p for p in (*COMMON_PARAMS, *params)}
    pairs = []
    for name, param in declared.items():
        if name not in values or values[name] == param.default or values[name] in (None, ""):
            continue
        value = values[name]
        if isinstance(value, bool):
            value = "1" if value else "0"
        elif isinstance(value, list | tuple):
            value = ",".join(value)
        pairs.append((name, str(value)))
    return "?" + urlencode(pairs, safe=",") if pairs else ""


def keep_language(href: str, lang: str, embed: bool = False) -> str:
    """A link that keeps the chosen language (and embed mode) while navigating."""
    extra = []
    if lang != "da":
        extra.append(f"sprog={lang}")
    if embed:
        extra.append("embed=1")
    if not extra:
        return href
    return href + ("&" if "?" in href else "?") + "&".join(extra)
