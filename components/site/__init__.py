"""The static reader's view: a browser-only map, slider and ledger written at publish time."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo.timeline import Timeline


def build_viewer(
    out: Path, *, timeline: Timeline, districts_gdf: gpd.GeoDataFrame, provinces_gdf: gpd.GeoDataFrame, release: dict
) -> None:
    """Write index.html, methodology.html and assets/ into ``out``.

    ``out`` is an empty staging folder that already holds out/'data' from the release.
    """
    from components.site._build import build

    build(out, timeline=timeline, districts_gdf=districts_gdf, provinces_gdf=provinces_gdf, release=release)
