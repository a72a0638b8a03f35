"""Parse and serialise the view carried in the URL; pure functions, no Streamlit.

Parameters: ``date`` and ``compare`` (YYYY-MM-DD), ``district`` (a PCODE), the map view
``lat``, ``lon`` (degrees, around Afghanistan) and ``z`` (zoom), ``shade=age`` (colour by age of
evidence) and ``lang=da`` (Dari). A value that is malformed, out of range or
unknown is ignored and reported as a notice for the user; unknown parameters are dropped.

Digits in other scripts are accepted: every Unicode decimal digit (Persian ``۲۰۲۱``,
Arabic-Indic ``٢٠٢١``, …) reads as its ASCII digit in every parameter, since a Dari reader who
types a date or a position means it, and the link written back is plain ASCII. A value that is
still refused is echoed as typed (in its own script), with bidi controls stripped and anything
unprintable shown as "?", inside a code span.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from components.i18n import t
from components.safe_text import md_code
from geo.solar import persian_digits

_MAX_SHOWN = 40
LAT_RANGE, LON_RANGE, ZOOM_RANGE = (25.0, 42.0), (55.0, 80.0), (4, 14)


@dataclass(frozen=True)
class ViewState:
    """What the page shows: a date and optionally a selected district."""

    date: dt.date
    district: str | None = None
    center: tuple[float, float] | None = None
    zoom: int | None = None
    compare: dt.date | None = None
    stale: bool = False
    lang: str = "en"


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _shown(value: str) -> str:
    """The ignored value as notice text: as typed but inert, shortened, as a markdown code span.

    Letters and digits of any script stay (the reader sees what was typed); bidi controls are
    dropped, since they could reorder the notice around the value; anything else unprintable
    (line breaks, zero-width characters, escapes) is shown as "?".
    """
    value = "".join(ch if ch.isprintable() else "?" for ch in _BIDI_CONTROLS.sub("", value))
    return md_code(value[:_MAX_SHOWN] + ("..." if len(value) > _MAX_SHOWN else ""))


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit (``۲``, ``٢``, ``२``) written as its ASCII digit."""
    if text.isascii():
        return text
    return "".join(ch if ch.isascii() else str(unicodedata.decimal(ch, "")) or ch for ch in text)


def _first(value: object) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return str(value)


def parse_view(
    params: Mapping[str, object],
    *,
    start: dt.date,
    end: dt.date,
    default: dt.date,
    pcodes: Collection[str],
) -> tuple[ViewState, list[str]]:
    """Return the view the URL asks for, plus a notice for every part that was ignored.

    The notices are written in the language the URL asks for (English unless ``lang=da``).
    """
    notices: list[tuple[str, dict[str, object]]] = []
    date = _parse_date(params, "date", start, end, notices) or default
    compare = _parse_date(params, "compare", start, end, notices)
    district = None
    raw_district = _first(params.get("district", "")).strip()
    if raw_district:
        if (code := ascii_digits(raw_district).upper()) in pcodes:
            district = code
        else:
            notices.append(("n_district", {"value": _shown(raw_district)}))
    center, zoom = _parse_map_view(params, notices)
    stale = _choice(params, "shade", {"", "control", "age"}, notices) == "age"
    lang = _choice(params, "lang", {"", "en", "da"}, notices) or "en"
    shown = [t(key, lang, **_localised(fmt, lang)) for key, fmt in notices]
    return ViewState(date, district, center, zoom, compare, stale, lang), shown


def _joined(values: list, separator: str, name: Callable[[str], str]) -> str:
    """``a, b`` for allowed values; ``lat=<value>, …`` for (parameter, shown value) pairs."""
    return separator.join(f"{name(v[0])}={v[1]}" if isinstance(v, tuple) else name(v) for v in values)


def _localised(fmt: dict[str, object], lang: str) -> dict[str, object]:
    """Technical tokens (parameter names, allowed values) read as code in Dari; numbers in its digits."""
    if lang != "da":
        return {k: _joined(v, ", ", str) if isinstance(v, list) else v for k, v in fmt.items()}
    out: dict[str, object] = {}
    for name, value in fmt.items():
        if isinstance(value, list):
            out[name] = _joined(value, "، ", md_code)
        elif isinstance(value, str) and name not in ("param", "value", "shown"):
            out[name] = persian_digits(value)
        else:
            out[name] = value
    return out


def _parse_date(
    params: Mapping[str, object], key: str, start: dt.date, end: dt.date, notices: list[tuple[str, dict[str, object]]]
) -> dt.date | None:
    raw = _first(params.get(key, "")).strip()
    if not raw:
        return None
    text = ascii_digits(raw)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        notices.append(("n_format", {"param": key, "value": _shown(raw)}))
        return None
    try:
        asked = dt.date.fromisoformat(text)
    except ValueError:
        notices.append(("n_no_day", {"param": key, "value": _shown(raw)}))
        return None
    if not start <= asked <= end:
        notices.append(("n_range", {"param": key, "value": asked, "start": start, "end": end}))
        return None
    return asked


def _choice(
    params: Mapping[str, object], key: str, allowed: set[str], notices: list[tuple[str, dict[str, object]]]
) -> str:
    raw = _first(params.get(key, "")).strip().lower()
    if raw in allowed:
        return raw
    notices.append(("n_choice", {"param": key, "value": _shown(raw), "allowed": sorted(a for a in allowed if a)}))
    return ""


def _number(raw: str, low: float, high: float) -> float | None:
    if not re.fullmatch(r"-?\d{1,3}(\.\d{1,8})?", raw, re.ASCII):
        return None
    value = float(raw)
    return value if low <= value <= high else None


def _parse_map_view(
    params: Mapping[str, object], notices: list[tuple[str, dict[str, object]]]
) -> tuple[tuple[float, float] | None, int | None]:
    raw = {k: _first(params.get(k, "")).strip() for k in ("lat", "lon", "z")}
    if not any(raw.values()):
        return None, None
    text = {k: ascii_digits(v) for k, v in raw.items()}
    lat = _number(text["lat"], *LAT_RANGE)
    lon = _number(text["lon"], *LON_RANGE)
    zoom = _number(text["z"], *ZOOM_RANGE) if re.fullmatch(r"\d{1,2}", text["z"], re.ASCII) else None
    if lat is None or lon is None or zoom is None:
        shown = [(k, _shown(v)) for k, v in raw.items()]
        bounds = dict(
            zip(("lat0", "lat1", "lon0", "lon1", "z0", "z1"), (*LAT_RANGE, *LON_RANGE, *ZOOM_RANGE), strict=True)
        )
        notices.append(("n_view", {"shown": shown, **{k: f"{v:g}" for k, v in bounds.items()}}))
        return None, None
    return (lat, lon), int(zoom)


LINK_KEYS = ("date", "compare", "district", "lat", "lon", "z", "shade", "lang")


def read_link_report(value: object) -> tuple[dict[str, str], int] | None:
    """The view parameters of a link Streamlit dropped, and how many fields it had, as the browser reported them.

    Streamlit ignores a query string over its limits as a whole (see ``components/frontend/link``);
    the browser still has it and reports the parameters this page reads. The report can be
    forged, so only known keys with short string values pass; ``parse_view`` then checks the
    values as it checks any URL. None for anything malformed.
    """
    if not isinstance(value, dict) or not isinstance(value.get("kept"), dict):
        return None
    fields = value.get("fields")
    if not isinstance(fields, int) or isinstance(fields, bool) or fields < 1:
        return None
    kept = {k: v for k, v in value["kept"].items() if k in LINK_KEYS and isinstance(v, str) and len(v) <= 200}
    return kept, fields


def clean_map_view(value: object) -> tuple[float, float, int] | None:
    """Return a map view (lat, lon, zoom) reported by the browser, checked and rounded, or None.

    The value comes from the browser and can be forged, so it gets the same ranges as the URL's
    ``lat``, ``lon`` and ``z``, and four decimals, as the address bar shows it.
    """
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        return None
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value):
        return None
    try:
        lat, lon, zoom = (float(v) for v in value)
    except OverflowError:  # an integer too large for a float
        return None
    if not all(math.isfinite(v) for v in (lat, lon, zoom)) or zoom != round(zoom):
        return None
    if not (
        LAT_RANGE[0] <= lat <= LAT_RANGE[1]
        and LON_RANGE[0] <= lon <= LON_RANGE[1]
        and ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]
    ):
        return None
    return round(lat, 4), round(lon, 4), int(zoom)


def clamp_date(value: dt.date, *, start: dt.date, end: dt.date) -> dt.date:
    """Return ``value`` moved into ``start``..``end`` (the nearest end if outside)."""
    return min(max(value, start), end)


def needs_rewrite(current: Mapping[str, Collection[str]], wanted: Mapping[str, str]) -> bool:
    """Whether the address bar (every value of every key) differs from the wanted parameters.

    A repeated key (``?date=a&date=b``) counts as different, so the URL is normalised to one value.
    """
    return {k: list(v) for k, v in current.items()} != {k: [v] for k, v in wanted.items()}


def to_params(view: ViewState) -> dict[str, str]:
    """Serialise a view to query parameters."""
    params = {"date": view.date.isoformat()}
    if view.compare:
        params["compare"] = view.compare.isoformat()
    if view.district:
        params["district"] = view.district
    if view.center is not None and view.zoom is not None:
        params["lat"] = f"{view.center[0]:.4f}"
        params["lon"] = f"{view.center[1]:.4f}"
        params["z"] = str(view.zoom)
    if view.stale:
        params["shade"] = "age"
    if view.lang != "en":
        params["lang"] = view.lang
    return params
