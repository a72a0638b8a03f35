"""Serialise derived states for the CLI and the app's downloads: CSV and GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

import geopandas as gpd

from geo.control import Change, DistrictState

# The first seven columns are a published interface; new ones are only ever appended.
STATE_HEADER = ("pcode", "district", "province", "controller", "confidence", "since", "sources", "precision")
DIFF_HEADER = ("pcode", "district", "province", "from", "to", "changed_on")


def state_rows(states: Mapping[str, DistrictState], districts_gdf: gpd.GeoDataFrame) -> list[dict[str, str]]:
    """Return one row per district (in ``districts_gdf`` order) with the STATE_HEADER fields."""
    rows = []
    for rec in districts_gdf[["pcode", "name_en", "province_en"]].itertuples(index=False):
        st = states[rec.pcode]
        rows.append(
            {
                "pcode": rec.pcode,
                "district": rec.name_en,
                "province": rec.province_en,
                "controller": st.controller,
                "confidence": st.confidence,
                "since": st.since.isoformat() if st.since else "",
                "sources": ";".join(st.source_ids),
                "precision": st.precision,
            }
        )
    return rows


def rows_to_csv(rows: list[dict[str, str]], header: tuple[str, ...]) -> str:
    """Render rows as CSV text with the given header (lines end with \\n)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def rows_to_geojson(rows: list[dict[str, str]], districts_gdf: gpd.GeoDataFrame) -> str:
    """Render rows keyed by ``pcode`` as a GeoJSON FeatureCollection with the district geometry."""
    geoms = dict(zip(districts_gdf["pcode"], districts_gdf.geometry, strict=True))
    features = [
        {"type": "Feature", "properties": row, "geometry": geoms[row["pcode"]].__geo_interface__} for row in rows
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def diff_rows(changes: list[Change], districts_gdf: gpd.GeoDataFrame) -> list[dict[str, str]]:
    """Return DIFF_HEADER rows for a list of changes."""
    names = districts_gdf.set_index("pcode")[["name_en", "province_en"]]
    return [
        {
            "pcode": c.pcode,
            "district": names.at[c.pcode, "name_en"],
            "province": names.at[c.pcode, "province_en"],
            "from": c.before,
            "to": c.after,
            "changed_on": c.changed_on.isoformat() if c.changed_on else "",
        }
        for c in changes
    ]
