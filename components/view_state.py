"""Parse and serialise the view carried in the URL; pure functions, no Streamlit.

Parameters: ``date`` (YYYY-MM-DD) and ``district`` (a PCODE). Anything else, or a value that
is out of range or unknown, is ignored and reported as a notice for the user.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

_MAX_SHOWN = 40


@dataclass(frozen=True)
class ViewState:
    """What the page shows: a date and optionally a selected district."""

    date: dt.date
    district: str | None = None


def _shown(value: str) -> str:
    value = re.sub(r"[^\x20-\x7e]", "?", value)
    return value[:_MAX_SHOWN] + ("…" if len(value) > _MAX_SHOWN else "")


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
    """Return the view the URL asks for, plus a notice for every part that was ignored."""
    notices: list[str] = []
    date = default
    raw_date = _first(params.get("date", "")).strip()
    if raw_date:
        try:
            asked = dt.date.fromisoformat(raw_date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw_date) else None
        except ValueError:
            asked = None
        if asked is None:
            notices.append(f"Ignored date '{_shown(raw_date)}': use YYYY-MM-DD.")
        elif not start <= asked <= end:
            notices.append(f"Ignored date {asked.isoformat()}: the timeline runs {start} to {end}.")
        else:
            date = asked
    district = None
    raw_district = _first(params.get("district", "")).strip().upper()
    if raw_district:
        if raw_district in pcodes:
            district = raw_district
        else:
            notices.append(f"Ignored district '{_shown(raw_district)}': not a district PCODE (e.g. AF0912).")
    return ViewState(date, district), notices


def to_params(view: ViewState) -> dict[str, str]:
    """Serialise a view to query parameters."""
    params = {"date": view.date.isoformat()}
    if view.district:
        params["district"] = view.district
    return params
