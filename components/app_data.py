"""Load everything the page needs, cached at the Streamlit boundary, or show why it cannot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from components.district_map import build_map_html, encode_states, prepare_component_dir, publish_codes
from geo import boundaries, control, settings
from geo.errors import BoundaryError, ValidationError
from geo.timeline import Timeline, load_timeline


@dataclass(frozen=True)
class Geometry:
    """Boundary layers and the prepared map component folder."""

    districts_gdf: gpd.GeoDataFrame
    provinces_gdf: gpd.GeoDataFrame
    component_dir: Path


def _stop(title: str, message: str) -> None:
    st.error(f"**{title}**")
    st.code(message, language=None)
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=2)
def _geometry(config_dir: str | None, cache_dir: str) -> Geometry:
    bar = st.progress(0.0, text="Preparing the district boundaries…")

    def progress(done: int, total: int | None) -> None:
        frac = min(done / total, 1.0) if total else 0.0
        bar.progress(frac, text=f"Downloading the AGCHO boundaries: {done / 1e6:.1f} MB")

    where = {"config_dir": Path(config_dir) if config_dir else None, "cache_dir": Path(cache_dir)}
    districts_gdf = boundaries.load_districts(progress=progress, **where)
    provinces_gdf = boundaries.load_provinces(progress=progress, **where)
    html = build_map_html(districts_gdf, provinces_gdf)
    component_dir = prepare_component_dir(html, boundaries.usable_cache_dir(Path(cache_dir)))
    bar.empty()
    return Geometry(districts_gdf, provinces_gdf, component_dir)


def geometry() -> Geometry:
    """Return the boundary layers and map folder, or stop the page with a clear message."""
    configured = settings.boundaries_dir()
    try:
        return _geometry(str(configured) if configured else None, str(settings.cache_dir()))
    except BoundaryError as exc:
        _stop("The district boundaries are not available.", str(exc))
        raise  # unreachable: st.stop() raises


def _data_stamp(data_dir: Path) -> tuple[tuple[str, float, int], ...]:
    files = sorted(data_dir.glob("*.csv")) if data_dir.is_dir() else []
    return tuple((f.name, f.stat().st_mtime, f.stat().st_size) for f in files)


@st.cache_resource(show_spinner=False, max_entries=4)
def _timeline(data_dir: str, stamp: tuple) -> Timeline:
    return load_timeline(Path(data_dir), geometry().districts_gdf)


def timeline() -> Timeline:
    """Return the validated timeline (reloaded when a data file changes), or stop with its problems."""
    data_dir = settings.data_dir()
    stamp = _data_stamp(data_dir)
    try:
        loaded = _timeline(str(data_dir), stamp)
    except ValidationError as exc:
        _stop(
            "The timeline data has problems; nothing is shown until they are fixed.",
            f"{exc}\n\nFix them in {data_dir} (run `python -m geo validate` to re-check).",
        )
        raise
    if not loaded.claims:
        _stop("The timeline is empty.", f"Add claims to {data_dir / 'claims.csv'}.")
    return loaded


@st.cache_data(show_spinner=False, max_entries=512)
def map_codes(_timeline: Timeline, version: str, date: dt.date) -> str:
    """Return the per-district palette string for ``date`` (small, cached per date)."""
    pcodes = list(geometry().districts_gdf["pcode"])
    return encode_states(control.state_at(_timeline, date=date, pcodes=pcodes), pcodes)


@st.cache_resource(show_spinner=False)
def change_dates(_timeline: Timeline, version: str) -> list[dt.date]:
    """Return the dates on which anything changes (cached per data version)."""
    return control.change_dates(_timeline)


@st.cache_resource(show_spinner=False, max_entries=4)
def codes_table_file(_timeline: Timeline, version: str) -> str:
    """Publish every date's codes beside the map (once per data version); return the file name."""
    geo = geometry()
    pcodes = list(geo.districts_gdf["pcode"])
    table = {}
    day = _timeline.start
    while day <= _timeline.end:
        table[day.isoformat()] = encode_states(control.state_at(_timeline, date=day, pcodes=pcodes), pcodes)
        day += dt.timedelta(days=1)
    return publish_codes(geo.component_dir, version, table)
