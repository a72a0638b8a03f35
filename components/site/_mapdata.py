"""The viewer's map data: geometry as delta-encoded integers, names, change points, palette and strings.

Everything here is computed once at publish time from the same code the app uses (the palette and
the change points of ``components.district_map``, the catalogue of ``components.i18n``, the solar
calendar of ``geo.solar``), so the site's colours, labels and dates cannot drift from the app's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely

from components.district_map import (
    _CHAR_FOR,
    BOUNDS,
    COORD_DECIMALS,
    NO_EVIDENCE,
    PALETTE_CHARS,
    PALETTE_KEYS,
    SHIM_TEXT_KEYS,
    STALE_BUCKETS,
    STALE_CHARS,
    palette,
)
from components.i18n import TEXT, attribution
from components.view_state import LAT_RANGE, LON_RANGE, ZOOM_RANGE
from geo import settings
from geo.solar import AFGHAN_MONTHS, from_solar, to_solar
from geo.timeline import Timeline

SCALE = 10**COORD_DECIMALS
# The catalogue keys the viewer writes itself (controls, notices, ledger placeholder, embed).
VIEWER_TEXT_KEYS = (
    *SHIM_TEXT_KEYS,
    "title",
    "subtitle",
    "date",
    "prev_help",
    "next_help",
    "play",
    "play_help",
    "stale",
    "stale_help",
    "pick_info",
    "pick",
    "district",
    "nav_map",
    "nav_methodology",
    "language",
    "unknown",
    "no_evidence",
    "n_district",
    "n_format",
    "n_no_day",
    "n_range",
    "n_choice",
    "n_view",
    "embed",
    "embed_help",
    "embed_copy",
    "open_full",
    "close",
    "release_version",
    "release_cite",
    "release_data",
)


def encode_rings(geometry: shapely.Geometry) -> list[list[int]]:
    """A (multi)polygon as rings of integers: ``[x0, y0, dx1, dy1, …]`` in 1/1000 degree (lon, lat).

    Rounding each vertex on its own (as the app's ``_page_geojson`` does) keeps shared borders
    shared; the deltas make the text about a third of GeoJSON's. A ring is marked as a polygon's
    outer ring by a leading 1, a hole by 0.
    """
    polygons = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    rings: list[list[int]] = []
    for polygon in polygons:
        for outer, ring in ((1, polygon.exterior), *((0, hole) for hole in polygon.interiors)):
            xy = np.round(np.asarray(ring.coords)[:, :2] * SCALE).astype(np.int64)
            deltas = np.vstack([xy[:1], np.diff(xy, axis=0)])
            rings.append([outer, *deltas.ravel().tolist()])
    return rings


def solar_months(start: dt.date, end: dt.date) -> list[list[int]]:
    """``[[day number from start, year, month], …]`` for the solar month holding ``start`` and every later one."""
    year, month, _ = to_solar(start)
    rows = []
    while True:
        first = from_solar(year, month, 1)
        if first > end:
            return rows
        rows.append([(first - start).days, year, month])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def change_points(timeline: Timeline, pcodes: Sequence[str], start: dt.date) -> list[list[int | str]]:
    """Per district a flat ``[day, code, day, code, …]`` at each change of its palette code (days from ``start``)."""
    table = timeline.index.change_points(pcodes, _CHAR_FOR)
    return [[x for day, code in points for x in ((dt.date.fromisoformat(day) - start).days, code)] for points in table]


def evidence_days(timeline: Timeline, pcodes: Sequence[str], start: dt.date) -> list[list[int]]:
    """Per district every claim date as days from ``start`` (for the age-of-evidence shading)."""
    return [
        [(dt.date.fromisoformat(day) - start).days for day in days] for days in timeline.index.evidence_dates(pcodes)
    ]


def map_data(
    timeline: Timeline, districts_gdf: gpd.GeoDataFrame, provinces_gdf: gpd.GeoDataFrame, release: dict
) -> dict:
    """The map data file's content (plain JSON): everything the first map needs, nothing per click."""
    pcodes = [str(p) for p in districts_gdf["pcode"]]
    start = timeline.start or dt.date(2021, 1, 1)
    end = timeline.end or start
    keys = {char: [controller, confidence, int(broad)] for char, (controller, confidence, broad) in zip(
        PALETTE_CHARS, PALETTE_KEYS, strict=True
    )}  # fmt: skip
    keys["?"] = ["unknown", "", 0]
    return {
        "start": start.isoformat(),
        "days": (end - start).days + 1,
        "changes": [(d - start).days for d in timeline.index.change_dates()],
        "pcodes": pcodes,
        "names": [
            [str(r.name_en), str(r.name_da), str(r.province_en), str(r.province_da)]
            for r in districts_gdf[["name_en", "name_da", "province_en", "province_da"]].itertuples(index=False)
        ],
        "rings": [encode_rings(g) for g in districts_gdf.geometry],
        "provinces": [encode_rings(g) for g in provinces_gdf.geometry],
        "scale": SCALE,
        "points": change_points(timeline, pcodes, start),
        "unknown": _CHAR_FOR[("unknown", "", False)],
        "palette": palette(),
        "keys": keys,
        "stale": {"chars": STALE_CHARS, "limits": [b[0] for b in STALE_BUCKETS], "none": NO_EVIDENCE},
        "colours": settings.CONTROLLER_COLOURS,
        "bounds": BOUNDS,
        "ranges": {"lat": LAT_RANGE, "lon": LON_RANGE, "z": ZOOM_RANGE},
        "solar": {"months": solar_months(start, end), "names": list(AFGHAN_MONTHS)},
        "text": {key: list(TEXT[key]) for key in VIEWER_TEXT_KEYS},
        "attribution": [settings.ATTRIBUTION, attribution("da")],
        "release": {k: str(release.get(k, "")) for k in ("version", "citation", "license", "created")},
    }
